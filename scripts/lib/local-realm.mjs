/**
 * What `npm start` and `npm run selfhost` need besides the Worker: a database (DATABASE_URL, or
 * a local PostgreSQL started from this machine's binaries, with its data kept between runs) with
 * migrations applied, and a JWT secret (JWT_SECRET, or one generated once and kept on disk).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { migrateDatabase } from "./migrate.mjs";
import { findPostgresBin, startPostgres } from "./postgres.mjs";

/** Reads the realm's secret from `file`, creating it (32 random bytes, mode 0600) on first use. */
export function localJwtSecret(file) {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * @param {{ stateDir: string, log: (line: string) => void }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void>, source: string }>}
 */
export async function ensureDatabase({ stateDir, log }) {
  if (process.env.DATABASE_URL) {
    log("using DATABASE_URL; applying migrations");
    await migrateDatabase(process.env.DATABASE_URL);
    return { url: process.env.DATABASE_URL, stop: async () => {}, source: "DATABASE_URL" };
  }
  if (!findPostgresBin()) {
    const { startPglite } = await import("./pglite.mjs");
    log("no PostgreSQL binaries on this machine: starting PGlite (apt-get install postgresql for the real thing)");
    const server = await startPglite({ dataDir: join(stateDir, "pglite"), log });
    await migrateDatabase(server.url);
    return { ...server, source: "PGlite" };
  }
  mkdirSync(stateDir, { recursive: true });
  chmodSync(stateDir, 0o755); // as root, the postgres user must reach the data directory
  const server = await startPostgres({ dataDir: join(stateDir, "postgres"), durable: true, log });
  log("applying migrations");
  await migrateDatabase(server.url);
  return { url: server.url, stop: server.stop, source: `local PostgreSQL in ${server.dataDir}` };
}
