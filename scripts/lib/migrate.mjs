/** Applies the drizzle-kit migrations in migrations/ to a Postgres database (idempotent). */
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

/** Any constant: the advisory lock that keeps migrations of several nodes starting at once in turn. */
const MIGRATION_LOCK = 7_406_113;

export async function migrateDatabase(url) {
  // The nodes of a cluster start together and each migrates: one at a time, the others then find
  // nothing left to do (drizzle takes no lock of its own).
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(drizzle(pool), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await pool.end();
    await lock.end(); // ends the session, and with it the lock
  }
}
