import { defineConfig } from "drizzle-kit";

/** Postgres migrations for accounts, characters, tokens and the audit log. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./shared/db/schema.ts",
  out: "./migrations",
});
