#!/usr/bin/env node
/** `npm run db:migrate`: applies migrations/ to the Postgres at DATABASE_URL (idempotent; docs/operations.md). */
import { migrateDatabase } from "./lib/migrate.mjs";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("db:migrate: set DATABASE_URL to the realm's Postgres (postgres://user:password@host:5432/db)");
  process.exit(2);
}
try {
  await migrateDatabase(url);
  console.log("db:migrate: every migration in migrations/ is applied");
} catch (error) {
  console.error(`db:migrate: ${/** @type {Error} */ (error).message}`);
  process.exit(1);
}
