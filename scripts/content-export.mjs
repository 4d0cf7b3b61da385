#!/usr/bin/env node
/**
 * `npm run content:export -- --out DIR [--url URL] [--token TOKEN]`: writes the realm's current
 * content pack, from the admin API (`GET /admin/content/export`), as a folder laid out like
 * shared/content/arcane-realms/ (docs/admin.md, "Content").
 */
import { apiSettings, describeFailure, parseOptions, writePackDir } from "./lib/content-files.mjs";

try {
  const options = parseOptions(process.argv.slice(2), ["out", "url", "token"]);
  if (!options.out) throw new Error("say where to write the pack: --out DIR");
  const { url, token } = apiSettings(options);
  const response = await fetch(`${url}/admin/content/export`, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(describeFailure(response.status, body));
  const written = writePackDir(options.out, body.files);
  console.log(`content version ${body.version}: ${written.length} files written to ${options.out}`);
} catch (error) {
  console.error(`content:export: ${error.message}`);
  process.exit(1);
}
