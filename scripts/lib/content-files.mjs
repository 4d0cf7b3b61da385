/**
 * A content pack as a folder of JSON files, the layout of shared/content/arcane-realms/
 * (docs/admin.md, "Content"): `npm run content:export` writes one, `npm run content:import` reads
 * one. Files are written with two-space indentation and their keys in the order they were written
 * (a room's exits are listed to players in that order), as shared/content/edit.ts `stableJson`
 * writes them, so a re-export diffs cleanly.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** Folders of a pack's directory that are not part of the pack the API validates (translations). */
const SKIPPED = new Set(["i18n"]);

/** `value` as JSON text, keys in the order they were written, two-space indented, with a final newline. */
export function stableJson(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes each `{ path, data }` under `dir`; a path that would leave `dir` is refused. Returns the paths written. */
export function writePackDir(dir, files) {
  const root = resolve(dir);
  const written = [];
  for (const { path, data } of files) {
    const target = resolve(root, path);
    if (!target.startsWith(root + sep)) throw new Error(`refusing to write ${path}: it is outside ${dir}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, stableJson(data));
    written.push(path);
  }
  return written;
}

/** Every `*.json` of `dir` and its folders (one level, as a pack is laid out), paths relative and with `/`. */
export function readPackDir(dir) {
  const root = resolve(dir);
  const files = [];
  const visit = (folder, depth) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) {
        if (depth === 0 && !SKIPPED.has(name)) visit(full, 1);
      } else if (name.endsWith(".json")) {
        const path = relative(root, full).split(sep).join("/");
        try {
          files.push({ path, data: JSON.parse(readFileSync(full, "utf8")) });
        } catch (cause) {
          throw new Error(`${path} is not valid JSON: ${cause.message}`);
        }
      }
    }
  };
  visit(root, 0);
  return files;
}

/** The realm's URL and an admin's access token, from `--url`/`--token` or LEVIATHAN_URL/LEVIATHAN_TOKEN. */
export function apiSettings(options) {
  const url = (options.url ?? process.env.LEVIATHAN_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
  const token = options.token ?? process.env.LEVIATHAN_TOKEN;
  if (!token) throw new Error("an admin's access token is needed: --token or LEVIATHAN_TOKEN (POST /auth/login)");
  return { url, token };
}

/** `--name value` options into an object; anything else is an error. */
export function parseOptions(argv, names) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]?.replace(/^--/, "");
    const value = argv[i + 1];
    if (!argv[i]?.startsWith("--") || !names.includes(name) || value === undefined) {
      throw new Error(`unexpected argument ${argv[i]} (options: ${names.map((n) => `--${n}`).join(", ")})`);
    }
    options[name] = value;
    i++;
  }
  return options;
}

/** Prints an API error with the content problems it lists, one per line. */
export function describeFailure(status, body) {
  const lines = [`HTTP ${status} ${body?.error ?? ""}: ${body?.message ?? "no message"}`];
  for (const p of body?.problems ?? []) lines.push(`  ${p.file}${p.path ? `: ${p.path}` : ""}: ${p.message}`);
  return lines.join("\n");
}
