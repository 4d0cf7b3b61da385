#!/usr/bin/env node
/**
 * `npm run backup -- --out DIR [--data DIR] [--database URL]`: a consistent backup of a running
 * self-hosted node's zones and the realm's Postgres (scripts/lib/backup.mjs, docs/operations.md).
 * The data directory defaults to LEVIATHAN_DATA_DIR or selfhost/data, the database to DATABASE_URL.
 */
import { backupRealm } from "./lib/backup.mjs";
import { cliOptions } from "./lib/cli.mjs";

const options = cliOptions(
  process.argv.slice(2),
  ["out", "data", "database"],
  "npm run backup -- --out DIR [--data DIR] [--database URL]",
);
try {
  if (!options.out) throw new Error("--out DIR is required: where to write the backup");
  const databaseUrl = options.database ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("no database: pass --database URL or set DATABASE_URL");
  backupRealm({
    dataDir: options.data ?? process.env.LEVIATHAN_DATA_DIR ?? "selfhost/data",
    databaseUrl,
    outDir: options.out,
    log: (line) => console.error(`backup: ${line}`),
  });
} catch (error) {
  console.error(`backup: ${error.message}`);
  process.exit(1);
}
