/**
 * `npm run content:generate -- --seed N --zone <id>`: generates the zone `<id>` from its profile
 * (shared/content/generate/) with seed N, writes it to shared/content/arcane-realms/zones/<id>.json
 * in the repository's JSON format, and records the seed and generator version in
 * shared/content/generate/recorded.json, which the regeneration test reads (docs/content.md,
 * "Generated zones"). Review the new file and check it in with the record.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PROFILES } from "../shared/content/generate/profiles";
import { GENERATOR_VERSION, generateZone } from "../shared/content/generate/zone";

const { values } = parseArgs({ options: { seed: { type: "string" }, zone: { type: "string" } } });
const seed = Number(values.seed);
const profile = values.zone === undefined ? undefined : PROFILES[values.zone];
if (!profile || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
  console.error(
    `usage: npm run content:generate -- --seed <0..4294967295> --zone <${Object.keys(PROFILES).join(" | ")}>` +
      (values.zone !== undefined && !profile ? `\nno profile for zone "${values.zone}"` : ""),
  );
  process.exit(2);
}

const root = process.cwd();
const zoneFile = join(root, "shared/content/arcane-realms/zones", `${profile.id}.json`);
const recordFile = join(root, "shared/content/generate/recorded.json");
writeFileSync(zoneFile, `${JSON.stringify(generateZone(profile, seed), null, 2)}\n`);
// The repository's formatter owns JSON layout; running it here keeps `npm run lint` clean.
execFileSync(join(root, "node_modules/.bin/biome"), ["format", "--write", zoneFile], { stdio: "inherit" });
const record = JSON.parse(readFileSync(recordFile, "utf8")) as Record<string, { seed: number; version: number }>;
record[profile.id] = { seed, version: GENERATOR_VERSION };
writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
console.log(`wrote ${zoneFile} (seed ${seed}, generator version ${GENERATOR_VERSION}) and ${recordFile}`);
