#!/usr/bin/env node
/**
 * Backups of a self-hosted node (scripts/lib/backup.mjs, docs/operations.md):
 *   npm run backup -- --out DIR [--data DIR] [--database URL]    a running node's zones, then Postgres
 *   npm run restore -- --from DIR --data DIR [--database URL]    into a stopped node: a fresh data
 *                                                               directory and an empty database
 * The data directory defaults to LEVIATHAN_DATA_DIR or selfhost/data (backup), the database to
 * DATABASE_URL.
 */
import { backupRealm, restoreRealm } from "./lib/backup.mjs";
import { cliOptions } from "./lib/cli.mjs";

const COMMANDS = {
  backup: {
    usage: "npm run backup -- --out DIR [--data DIR] [--database URL]",
    options: ["out", "data", "database"],
    required: { out: "where to write the backup" },
    run: (o, databaseUrl, log) =>
      backupRealm({
        dataDir: o.data ?? process.env.LEVIATHAN_DATA_DIR ?? "selfhost/data",
        databaseUrl,
        outDir: o.out,
        log,
      }),
  },
  restore: {
    usage: "npm run restore -- --from DIR --data DIR [--database URL]",
    options: ["from", "data", "database"],
    required: { from: "the backup to restore", data: "the fresh data directory of the node" },
    run: (o, databaseUrl, log) => restoreRealm({ fromDir: o.from, dataDir: o.data, databaseUrl, log }),
  },
};

const [name, ...argv] = process.argv.slice(2);
const command = COMMANDS[name];
if (!command) {
  console.error(
    `usage: node scripts/backup.mjs backup|restore [options]\n  ${COMMANDS.backup.usage}\n  ${COMMANDS.restore.usage}`,
  );
  process.exit(2);
}
const options = cliOptions(argv, command.options, command.usage);
try {
  for (const [option, what] of Object.entries(command.required)) {
    if (!options[option]) throw new Error(`--${option} is required: ${what}`);
  }
  const databaseUrl = options.database ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("no database: pass --database URL or set DATABASE_URL");
  command.run(options, databaseUrl, (line) => console.error(`${name}: ${line}`));
} catch (error) {
  console.error(`${name}: ${error.message}`);
  process.exit(1);
}
