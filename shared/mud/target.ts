/**
 * What did the player mean? Resolves typed text ("sword", "rusty sw", "2.sword", "all.coin") to
 * items, NPCs or players among candidates the caller lists in display order (the room's contents
 * as `look` shows them, or the inventory as `inventory` shows it), so "2.sword" means the second
 * sword the player can see.
 *
 * Matching is case-insensitive and by prefix: every word typed must be the start of some word of
 * the candidate's name or keywords ("rus sw" matches "a rusty sword"). A leading "the", "a" or "an"
 * is ignored. `N.text` picks the Nth match counting from 1; `all.text` every match; `all` alone
 * every candidate.
 */
import { err, ok, type Result } from "../result";

/** Anything that can be named: item and NPC templates, players (keywords optional). */
export interface Targetable {
  name: string;
  keywords?: readonly string[];
}

export type TargetErrorCode = "empty" | "not_found" | "bad_index" | "too_few" | "not_one";

export interface TargetError {
  code: TargetErrorCode;
  /** A sentence for the player. */
  message: string;
}

/** Parsed input: which match (1-based) or all of them, and the words to match. */
export type TargetQuery = { all: false; index: number; words: string[] } | { all: true; words: string[] };

/** Typed targets longer than this are not names. */
export const MAX_TARGET_LENGTH = 100;
const ARTICLES = new Set(["the", "a", "an"]);

const wordsOf = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);

/** Splits what the player typed into a query, or says why it cannot be one. */
export function parseTarget(input: string): Result<TargetQuery, TargetError> {
  const text = String(input ?? "")
    .trim()
    .slice(0, MAX_TARGET_LENGTH);
  const lower = text.toLowerCase();
  if (lower === "" || lower === "all.")
    return err({ code: "empty", message: 'What? Name something, e.g. "sword" or "2.sword".' });
  if (lower === "all") return ok({ all: true, words: [] });
  const numbered = /^(\d+)\.(.*)$/.exec(lower);
  const rest = lower.startsWith("all.") ? lower.slice(4) : numbered ? (numbered[2] as string) : lower;
  let words = wordsOf(rest);
  if (words.length > 1 && ARTICLES.has(words[0] as string)) words = words.slice(1);
  if (words.length === 0) return err({ code: "empty", message: `What? Say what you mean after "${text}".` });
  if (lower.startsWith("all.")) return ok({ all: true, words });
  if (!numbered) return ok({ all: false, index: 1, words });
  const index = Number(numbered[1]);
  if (!Number.isSafeInteger(index) || index < 1) {
    return err({ code: "bad_index", message: `Count from 1: "1.${words.join(" ")}" is the first.` });
  }
  return ok({ all: false, index, words });
}

/** Every word typed starts some word of the name or keywords (hyphenated parts count too). */
export function matchesTarget(candidate: Targetable, words: readonly string[]): boolean {
  const own = [candidate.name, ...(candidate.keywords ?? [])].flatMap((phrase) => {
    // Articles in names ("a rusty sword") are not words a player means: "a" should not match everything.
    const whole = wordsOf(String(phrase)).filter((w) => !ARTICLES.has(w));
    return [...whole, ...whole.flatMap((w) => w.split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
  });
  return words.every((typed) => own.some((word) => word.startsWith(typed)));
}

/** Resolves input to one candidate (`{ all: false }`) or every matching one (`{ all: true }`). */
export function resolveTarget<T extends Targetable>(
  input: string,
  candidates: readonly T[],
): Result<{ all: boolean; matches: T[] }, TargetError> {
  const parsed = parseTarget(input);
  if (!parsed.ok) return parsed;
  const query = parsed.value;
  const shown = query.words.join(" ");
  const found = candidates.filter((c) => matchesTarget(c, query.words));
  if (found.length === 0) {
    const message = query.all && shown === "" ? "There is nothing here." : notHere(shown, query.all);
    return err({ code: "not_found", message });
  }
  if (query.all) return ok({ all: true, matches: found });
  const pick = found[query.index - 1];
  if (!pick) {
    return err({
      code: "too_few",
      message: `You see only ${found.length} "${shown}" here, so there is no ${ordinal(query.index)}.`,
    });
  }
  return ok({ all: false, matches: [pick] });
}

/** Like resolveTarget, for commands that act on exactly one thing (attack, equip, give). */
export function resolveOne<T extends Targetable>(input: string, candidates: readonly T[]): Result<T, TargetError> {
  const resolved = resolveTarget(input, candidates);
  if (!resolved.ok) return resolved;
  if (resolved.value.all) return err({ code: "not_one", message: "You can only do that to one thing at a time." });
  return ok(resolved.value.matches[0] as T);
}

const notHere = (shown: string, all: boolean) =>
  all ? `You don't see any "${shown}" here.` : `You don't see "${shown}" here.`;

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? "th" : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th");
  return `${n}${suffix}`;
}
