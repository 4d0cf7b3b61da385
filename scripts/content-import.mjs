#!/usr/bin/env node
/**
 * `npm run content:import -- --from DIR [--if-match VERSION] [--url URL] [--token TOKEN]`: replaces
 * the realm's content pack with the JSON files of DIR (laid out like shared/content/arcane-realms/,
 * its `i18n/` translations left out) through the admin API (`POST /admin/content/import`): validated
 * whole, written as a new version, and reloaded by the running zones (docs/admin.md, "Content").
 */
import { apiSettings, describeFailure, parseOptions, readPackDir } from "./lib/content-files.mjs";

try {
  const options = parseOptions(process.argv.slice(2), ["from", "if-match", "url", "token"]);
  if (!options.from) throw new Error("say which folder to import: --from DIR");
  const { url, token } = apiSettings(options);
  const files = readPackDir(options.from);
  if (files.length === 0) throw new Error(`${options.from} holds no JSON files`);
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  if (options["if-match"]) headers["if-match"] = `"${options["if-match"]}"`;
  const response = await fetch(`${url}/admin/content/import`, {
    method: "POST",
    headers,
    body: JSON.stringify({ files }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(describeFailure(response.status, body));
  const zones = body.published?.zones ?? [];
  console.log(
    `content version ${body.version}: ${files.length} files imported; ${zones.filter((z) => z.ok).length} running zones reloaded`,
  );
  if (body.published?.error) console.warn(body.published.error);
} catch (error) {
  console.error(`content:import: ${error.message}`);
  process.exit(1);
}
