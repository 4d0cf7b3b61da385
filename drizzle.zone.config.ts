import { defineConfig } from "drizzle-kit";

/** Migrations for each zone's SQLite, bundled into the Worker and applied in the DO constructor. */
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable/zone/schema.ts",
  out: "./durable/zone/migrations",
});
