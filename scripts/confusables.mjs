#!/usr/bin/env node
/**
 * Builds the name-skeleton table (shared/text/confusables.ts) from Unicode's confusables.txt, the
 * UTS #39 security data file, and prints the matching Postgres function. Why a table of our own
 * instead of the raw file, and what it covers: docs/decisions.md (D21) and docs/accounts.md.
 *
 *   node scripts/confusables.mjs table path/to/confusables.txt   writes shared/text/confusables.ts
 *   node scripts/confusables.mjs sql                             prints CREATE FUNCTION for a migration
 *
 * The table maps one code point to its skeleton string. For the characters a name may hold
 * (Latin letters, inherited combining marks, ASCII digits, space, `_`, `-`; see NAME_DOMAIN) it is
 * closed under both confusability and case: `I`, `i`, `l`, `L` and `1` are one class, because
 * names are unique whatever their case and UTS #39 says `I` looks like `l`. Greek and Cyrillic
 * characters map to the skeleton of their UTS #39 prototype, so a name that smuggles them into a
 * Latin name collides with the plain one, even where validation is bypassed (old rows, SQL).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const TABLE_PATH = fileURLToPath(new URL("../shared/text/confusables.ts", import.meta.url));

/** What a name may contain (shared/text/names.ts enforces the same set). */
const NAME_DOMAIN = /^[\p{scx=Latn}\p{scx=Zinh}0-9 _-]$/u;
/** Scripts whose look-alikes of Latin are folded onto Latin skeletons. */
const FOLDED_SCRIPTS = /^[\p{scx=Grek}\p{scx=Cyrl}]$/u;
const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]$/u;

const hex = (cp) => cp.toString(16).toUpperCase().padStart(4, "0");
const cps = (s) => [...s];

/** UTS #39 prototypes: source character → prototype string. */
function parseConfusables(text) {
  const version = text.match(/^# Version: (\S+)/m)?.[1];
  const date = text.match(/^# Date: ([0-9-]+)/m)?.[1];
  if (!version || !date) throw new Error("not a confusables.txt: no Version/Date header");
  const prototypes = new Map();
  for (const line of text.replace(/^\uFEFF/, "").split("\n")) {
    const match = line.match(/^([0-9A-F]+)\s*;\s*([0-9A-F ]+?)\s*;\s*MA\b/);
    if (!match) continue;
    const target = match[2].split(" ").map((h) => String.fromCodePoint(Number.parseInt(h, 16)));
    prototypes.set(String.fromCodePoint(Number.parseInt(match[1], 16)), target.join(""));
  }
  return { version, date, prototypes };
}

/** Every code point that can reach the skeleton: stable under NFKD (the skeleton runs on NFKD text). */
function reachable(test) {
  const out = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (c.normalize("NFKD") === c && !INVISIBLE.test(c) && test(c)) out.push(c);
  }
  return out;
}

function buildTable(prototypes) {
  const domain = reachable((c) => NAME_DOMAIN.test(c));
  const parent = new Map();
  const find = (x) => {
    let root = x;
    while ((parent.get(root) ?? root) !== root) root = parent.get(root);
    parent.set(x, root);
    return root;
  };
  const union = (a, b) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra, rb);
  };
  const single = (s) => cps(s).length === 1;
  const expansions = new Map();
  for (const c of domain) {
    const lower = c.toLowerCase();
    if (single(lower)) union(c, lower);
    const target = prototypes.get(c);
    if (target === undefined) continue;
    if (single(target)) {
      union(c, target);
      if (single(target.toLowerCase())) union(target, target.toLowerCase());
    } else expansions.set(c, target);
  }
  const members = new Map();
  for (const c of new Set([...domain, ...parent.keys()])) {
    const root = find(c);
    members.set(root, [...(members.get(root) ?? []), c]);
  }
  const inDomain = new Set(domain);
  /** The class's key character: its smallest lowercase letter a name may hold (else any member), for stable output. */
  const representative = (root) => {
    const all = (members.get(root) ?? [root]).toSorted((a, b) => a.codePointAt(0) - b.codePointAt(0));
    const named = all.filter((c) => inDomain.has(c));
    return named.find((c) => /\p{Ll}/u.test(c)) ?? named.find((c) => c.toLowerCase() === c) ?? named[0] ?? all[0];
  };
  const keys = new Map();
  const notes = [];
  const keyOf = (c, depth = 0) => {
    if (depth > 8) throw new Error(`expansion cycle at U+${hex(c.codePointAt(0))}`);
    const root = find(c);
    if (keys.has(root)) return keys.get(root);
    // An expansion that contains its own class (Ƒ → F̦ while ƒ ~ f ~ F) adds nothing: the class is that letter.
    // Expansions are compared by their keys (Æ → AE and æ → ae agree). One that contains its own
    // class (Ƒ → F̦ while ƒ ~ f ~ F) adds nothing: the class is that letter.
    const grown = [...new Set((members.get(root) ?? [c]).flatMap((m) => expansions.get(m) ?? []))]
      .map((e) => cps(e.normalize("NFD")))
      .filter((e) => !e.some((x) => find(x) === root))
      .map((e) => e.map((x) => keyOf(x, depth + 1)).join(""));
    // Case can join two prototypes (Ð → D̵, ð → ∂̵): the one most made of name characters wins.
    const foreign = (key) => cps(key).filter((x) => !inDomain.has(x)).length;
    const distinct = [...new Set(grown)].sort(
      (a, b) => foreign(a) - foreign(b) || a.length - b.length || (a < b ? -1 : 1),
    );
    if (distinct.length > 1) notes.push(`U+${hex(c.codePointAt(0))}: ${distinct.join(" | ")} → ${distinct[0]}`);
    const key = distinct[0] ?? representative(root);
    keys.set(root, key);
    return key;
  };
  const table = new Map();
  for (const c of domain) {
    const key = keyOf(c).normalize("NFD");
    if (key !== c) table.set(c, key);
  }
  // Greek and Cyrillic: the prototype (of the character, else of its lowercase), in Latin keys.
  const folded = new Map();
  const foldOf = (x, depth = 0) => {
    if (parent.has(x) || inDomain.has(x)) return keyOf(x);
    if (folded.has(x)) return folded.get(x);
    if (depth > 8) throw new Error(`prototype cycle at U+${hex(x.codePointAt(0))}`);
    const foldable = FOLDED_SCRIPTS.test(x) && x.normalize("NFKD") === x && !INVISIBLE.test(x);
    const target = foldable ? (prototypes.get(x) ?? prototypes.get(x.toLowerCase())) : undefined;
    folded.set(x, x);
    const key =
      target === undefined
        ? x
        : cps(target.normalize("NFD"))
            .map((y) => (y === x ? x : foldOf(y, depth + 1)))
            .join("")
            .normalize("NFD");
    folded.set(x, key);
    return key;
  };
  for (const c of reachable((x) => FOLDED_SCRIPTS.test(x) && !NAME_DOMAIN.test(x))) {
    const key = foldOf(c);
    if (key !== c) table.set(c, key);
  }
  for (const [source, key] of table) {
    for (const x of cps(key)) {
      const again = table.get(x);
      if (again !== undefined && again !== x) throw new Error(`key of U+${hex(source.codePointAt(0))} is not final`);
    }
    if (key.includes(" ") || key === "") throw new Error(`bad key for U+${hex(source.codePointAt(0))}`);
  }
  for (const note of notes) console.log(`prototype chosen for ${note}`);
  return new Map([...table].sort(([a], [b]) => a.codePointAt(0) - b.codePointAt(0)));
}

/** `0041>0061` entries (source > key code points joined by `.`), space-separated, in lines of 10. */
function pack(table) {
  const entries = [...table].map(
    ([source, key]) =>
      `${hex(source.codePointAt(0))}>${cps(key)
        .map((x) => hex(x.codePointAt(0)))
        .join(".")}`,
  );
  const lines = [];
  for (let i = 0; i < entries.length; i += 10) lines.push(`  "${entries.slice(i, i + 10).join(" ")}",`);
  return lines.join("\n");
}

function writeTable(path) {
  const { version, date, prototypes } = parseConfusables(readFileSync(path, "utf8"));
  const table = buildTable(prototypes);
  const source = `/**
 * GENERATED by \`node scripts/confusables.mjs table confusables.txt\`: do not edit by hand.
 *
 * Derived from Unicode's confusables.txt (Unicode Security Mechanisms, UTS #39 data) version
 * ${version} of ${date}, © Unicode, Inc., used under the Unicode License (docs/decisions.md D21).
 * Each entry maps one code point to its skeleton: ${table.size} entries covering the Latin letters,
 * combining marks, digits, space, \`_\` and \`-\` a name may hold (closed under case: names are unique
 * whatever their case), and the Greek and Cyrillic look-alikes of them. Format: \`SSSS>KKKK.KKKK\`,
 * hexadecimal code points, entries separated by spaces. Used by shared/text/names.ts and, as SQL,
 * by the migration that adds the skeleton columns.
 */
export const CONFUSABLES_VERSION = "${version}";

export const SKELETON_ENTRIES: string = [
${pack(table)}
].join(" ");
`;
  writeFileSync(TABLE_PATH, source);
  console.log(`wrote ${TABLE_PATH}: ${table.size} entries from confusables.txt ${version}`);
}

/** Reads the table back from shared/text/confusables.ts. */
function readTable() {
  const text = readFileSync(TABLE_PATH, "utf8");
  const table = new Map();
  for (const [, source, key] of text.matchAll(/([0-9A-F]{4,6})>([0-9A-F.]+)/g)) {
    const chars = key.split(".").map((h) => String.fromCodePoint(Number.parseInt(h, 16)));
    table.set(String.fromCodePoint(Number.parseInt(source, 16)), chars.join(""));
  }
  return { version: text.match(/CONFUSABLES_VERSION = "([^"]+)"/)?.[1], table };
}

/** A Postgres Unicode-escaped literal (U&'…'), so the migration holds no raw invisible characters. */
function unicodeLiteral(s) {
  const body = cps(s)
    .map((c) => {
      const cp = c.codePointAt(0);
      if (/[A-Za-z0-9]/.test(c)) return c;
      return cp > 0xffff ? `\\+${cp.toString(16).toUpperCase().padStart(6, "0")}` : `\\${hex(cp)}`;
    })
    .join("");
  return `U&'${body}'`;
}

/**
 * The same skeleton in SQL: NFKC, spaces collapsed and trimmed, NFD, then one-to-one entries
 * through translate() and one-to-many through replace(), then NFD again (shared/text/names.ts).
 */
function printSql() {
  const { version, table } = readTable();
  const ones = [...table].filter(([, key]) => cps(key).length === 1);
  const many = [...table].filter(([, key]) => cps(key).length > 1);
  let expression = `translate(normalize(btrim(regexp_replace(normalize(name, NFKC), ' {2,}', ' ', 'g'), ' '), NFD),
    ${unicodeLiteral(ones.map(([s]) => s).join(""))},
    ${unicodeLiteral(ones.map(([, k]) => k).join(""))})`;
  for (const [source, key] of many)
    expression = `replace(${expression}, ${unicodeLiteral(source)}, ${unicodeLiteral(key)})`;
  console.log(`-- The name skeleton of shared/text/names.ts (confusables.txt ${version}), for the generated
-- skeleton columns. Generated by \`node scripts/confusables.mjs sql\`.
CREATE FUNCTION name_skeleton_v1(name text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT normalize(${expression}, NFD) $$;`);
}

const [command, path] = process.argv.slice(2);
if (command === "table" && path) writeTable(path);
else if (command === "sql") printSql();
else {
  console.error("usage: node scripts/confusables.mjs table <confusables.txt> | sql");
  process.exit(2);
}
