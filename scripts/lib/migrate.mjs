/** Applies the drizzle-kit migrations in migrations/ to a Postgres database (idempotent). */
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

/** Attempts before a failing migration is reported: a node that loses a race with another retries. */
const ATTEMPTS = 4;

export async function migrateDatabase(url) {
  // The nodes of a cluster start together and each migrates. drizzle applies what is pending in one
  // transaction: when two race, the loser fails ("already exists") and, trying again, finds nothing
  // left to do. No session lock: it would leak through PgBouncer's transaction pooling.
  for (let attempt = 1; ; attempt++) {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migrate(drizzle(pool), { migrationsFolder: MIGRATIONS_DIR });
      return;
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt + Math.random() * 500));
    } finally {
      await pool.end();
    }
  }
}
