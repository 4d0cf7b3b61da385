#!/usr/bin/env node
/**
 * `npm run restore -- --from DIR --data DIR --database URL`: puts a backup (npm run backup) into a
 * node that is not running: a fresh data directory and an empty database (docs/operations.md).
 */
import { restoreRealm } from "./lib/backup.mjs";
import { cliOptions } from "./lib/cli.mjs";

const options = cliOptions(
  process.argv.slice(2),
  ["from", "data", "database"],
  "npm run restore -- --from DIR --data DIR --database URL",
);
try {
  if (!options.from) throw new Error("--from DIR is required: the backup to restore");
  if (!options.data) throw new Error("--data DIR is required: the fresh data directory of the node");
  const databaseUrl = options.database ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("no database: pass --database URL or set DATABASE_URL (an empty database)");
  restoreRealm({
    fromDir: options.from,
    dataDir: options.data,
    databaseUrl,
    log: (line) => console.error(`restore: ${line}`),
  });
} catch (error) {
  console.error(`restore: ${error.message}`);
  process.exit(1);
}
