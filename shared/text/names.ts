/**
 * Names players see — character names, guest names, usernames — and the rules that keep one
 * from impersonating another (docs/accounts.md#names):
 *
 * - A name is stored normalized: NFKC (fullwidth `Ｍｅｒｌｉｎ` is `Merlin`, a no-break space is a
 *   space), runs of spaces collapsed to one, no space at either end.
 * - Invisible and layout characters are refused (default-ignorable code points such as U+3164
 *   HANGUL FILLER and U+200B ZERO WIDTH SPACE, format characters such as U+202E RIGHT-TO-LEFT
 *   OVERRIDE, controls), and so are combining marks with no letter under them.
 * - Letters must be Latin. A name that mixes in a Cyrillic or Greek look-alike (`Mеrlin` with a
 *   Cyrillic `е`) is refused as mixed-script; other scripts are refused until the skeleton table
 *   covers their look-alikes (docs/decisions.md D21).
 * - Uniqueness is on the confusable skeleton ({@link nameSkeleton}): `Merlin`, `MERLIN`, `MerIin`
 *   and `Merl1n` are one name; so are `admin` and `adrnin`.
 */
import { err, ok, type Result } from "../result";
import { SKELETON_ENTRIES } from "./confusables";

/** What a kind of name allows. */
export interface NameRule {
  /** Length in code points of the normalized name. */
  min: number;
  max: number;
  /** Usernames are login identifiers: ASCII letters, digits, `_` and `-` only. */
  asciiOnly: boolean;
}

/** Character and guest names: 1–24 Latin letters, combining marks, digits, spaces, `_` and `-`. */
export const CHARACTER_NAME_RULE: NameRule = { min: 1, max: 24, asciiOnly: false };

/** Account usernames: 3–24 of `A-Z a-z 0-9 _ -`. */
export const USERNAME_RULE: NameRule = { min: 3, max: 24, asciiOnly: true };

/** Longest raw input looked at, before normalization (NFKC may shorten it, or lengthen it up to 18 times). */
export const MAX_RAW_NAME_LENGTH = 256;

export type NameProblem = "length" | "control" | "invisible" | "character" | "script" | "mixed_script" | "marks";

export interface NameIssue {
  problem: NameProblem;
  /** For humans; names the offending character by code point. */
  message: string;
}

const CONTROL = /[\p{Cc}\p{Cs}]/u;
/**
 * Characters that render as nothing or rearrange their neighbours: default-ignorable code points
 * (Hangul fillers, zero-width characters, variation selectors, tags, soft hyphen…), format
 * characters (bidirectional overrides and isolates), line and paragraph separators, private use.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Zl}\p{Zp}\p{Co}]/u;
const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;
const LATIN = /^\p{Script_Extensions=Latin}$/u;
const INHERITED = /^\p{Script_Extensions=Inherited}$/u;
const COMMON_ALLOWED = /^[0-9 _-]$/;
const ASCII_ALLOWED = /^[A-Za-z0-9_-]$/;
/** Most combining marks one letter may carry (polytonic Greek and Vietnamese need up to 3). */
const MAX_MARKS_PER_LETTER = 3;

/** Scripts named in messages about a non-Latin letter; anything else is "another script". */
const NAMED_SCRIPTS: [string, RegExp][] = [
  ["Cyrillic", /^\p{Script=Cyrillic}$/u],
  ["Greek", /^\p{Script=Greek}$/u],
  ["Armenian", /^\p{Script=Armenian}$/u],
  ["Cherokee", /^\p{Script=Cherokee}$/u],
  ["Han", /^\p{Script=Han}$/u],
  ["Hangul", /^\p{Script=Hangul}$/u],
];

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
const shown = (c: string) => `"${c}" (${codePoint(c)})`;
const scriptOf = (c: string) => NAMED_SCRIPTS.find(([, pattern]) => pattern.test(c))?.[0] ?? "another script";

/** NFKC, runs of spaces collapsed to one, no space at either end. Refuses nothing. */
export function normalizeName(raw: string): string {
  return raw.normalize("NFKC").replace(/ {2,}/g, " ").replace(/^ | $/g, "");
}

/** Checks a name against `rule`; answers it normalized (the form to store and show). */
export function checkName(raw: string, rule: NameRule): Result<string, NameIssue> {
  if (raw.length > MAX_RAW_NAME_LENGTH) {
    return err({ problem: "length", message: `at most ${rule.max} characters` });
  }
  const name = normalizeName(raw);
  // The raw text first, so the message names what the client sent (NFKC turns U+3164 into U+1160).
  const hidden = unseen(raw) ?? unseen(name);
  if (hidden) return err(hidden);
  const chars = [...name];
  // Long as sent is too long, even when normalization would shorten it (composing accents,
  // collapsing spaces): a client's length check on what its player typed stays a safe guide.
  if (chars.length < rule.min || chars.length > rule.max || [...raw.trim()].length > rule.max) {
    return err({ problem: "length", message: `${rule.min}–${rule.max} characters` });
  }
  return rule.asciiOnly ? checkAscii(name) : checkLatin(name);
}

function unseen(text: string): NameIssue | undefined {
  for (const c of text) {
    if (CONTROL.test(c)) return { problem: "control", message: `no control characters: ${codePoint(c)}` };
    if (INVISIBLE.test(c))
      return { problem: "invisible", message: `no invisible or layout characters: ${codePoint(c)}` };
  }
  return undefined;
}

function checkAscii(name: string): Result<string, NameIssue> {
  const bad = [...name].find((c) => !ASCII_ALLOWED.test(c));
  if (bad === undefined) return ok(name);
  return err({ problem: "character", message: `letters A-Z, digits, _ and - only, not ${shown(bad)}` });
}

function checkLatin(name: string): Result<string, NameIssue> {
  let latin = false;
  let foreign: string | undefined;
  for (const c of name) {
    if (COMMON_ALLOWED.test(c)) continue;
    const letter = LETTER.test(c);
    if (!letter && !MARK.test(c)) {
      return err({ problem: "character", message: `letters, digits, space, _ and - only, not ${shown(c)}` });
    }
    if (LATIN.test(c)) latin ||= letter;
    else if (!(INHERITED.test(c) && !letter)) foreign ??= c;
  }
  if (foreign !== undefined) {
    const script = scriptOf(foreign);
    return latin
      ? err({ problem: "mixed_script", message: `mixes Latin with ${script}: ${shown(foreign)}` })
      : err({ problem: "script", message: `Latin letters only, not ${script}: ${shown(foreign)}` });
  }
  return checkMarks(name);
}

/** Every combining mark sits on a letter, at most {@link MAX_MARKS_PER_LETTER} on one. */
function checkMarks(name: string): Result<string, NameIssue> {
  let run = -1; // marks on the current letter; -1 when the previous character is no letter
  for (const c of name.normalize("NFD")) {
    if (!MARK.test(c)) {
      run = LETTER.test(c) ? 0 : -1;
      continue;
    }
    if (run < 0) return err({ problem: "marks", message: `a combining mark must follow a letter: ${codePoint(c)}` });
    if (++run > MAX_MARKS_PER_LETTER) {
      return err({ problem: "marks", message: `at most ${MAX_MARKS_PER_LETTER} combining marks on one letter` });
    }
  }
  return ok(name);
}

const SKELETON = new Map<string, string>(
  SKELETON_ENTRIES.split(" ").map((entry) => {
    const [source = "", key = ""] = entry.split(">");
    const chars = key.split(".").map((h) => String.fromCodePoint(Number.parseInt(h, 16)));
    return [String.fromCodePoint(Number.parseInt(source, 16)), chars.join("")];
  }),
);

/**
 * Skeletons of recently seen names: a zone compares a guest's name with every name present, so a
 * crowd arriving would otherwise recompute the same few hundred skeletons on each arrival.
 */
const recent = new Map<string, string>();
const RECENT_LIMIT = 4096;

/**
 * The confusable skeleton of a name, in the spirit of UTS #39: normalize, NFD, map every code
 * point through the table in shared/text/confusables.ts (generated from Unicode's confusables.txt
 * and closed under case), NFD again. Two names with one skeleton look alike; the database holds
 * it unique (the migration's name_skeleton_v1() computes the same in SQL). Not for display.
 */
export function nameSkeleton(raw: string): string {
  const known = recent.get(raw);
  if (known !== undefined) return known;
  let out = "";
  for (const c of normalizeName(raw).normalize("NFD")) out += SKELETON.get(c) ?? c;
  const skeleton = out.normalize("NFD");
  if (recent.size >= RECENT_LIMIT) recent.clear();
  recent.set(raw, skeleton);
  return skeleton;
}

/** Whether two names would be taken for one another (same skeleton). */
export function looksAlike(a: string, b: string): boolean {
  return nameSkeleton(a) === nameSkeleton(b);
}
