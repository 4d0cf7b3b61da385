/**
 * vitest globalSetup for the projects that need Postgres: uses DATABASE_URL when set, otherwise
 * starts a throwaway server from the machine's binaries; applies migrations either way and
 * hands the URL to tests through `inject("databaseUrl")`.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../scripts/lib/migrate.mjs";
import { startPostgres } from "../../scripts/lib/postgres.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const existing = process.env.DATABASE_URL;
  if (existing) {
    await migrateDatabase(existing);
    project.provide("databaseUrl", existing);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), "leviathan-test-pg-"));
  chmodSync(root, 0o755); // as root, the postgres user must be able to reach the data directory
  const server = await startPostgres({ dataDir: join(root, "data") });
  await migrateDatabase(server.url);
  project.provide("databaseUrl", server.url);
  return async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  };
}
