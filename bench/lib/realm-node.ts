/**
 * A realm node of its own for a benchmark: a fresh PostgreSQL (migrated) and the Worker under plain
 * `workerd serve` on a free loopback port, both in a temp folder removed when the run ends.
 */
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDatabase } from "../../scripts/lib/migrate.mjs";
import { startPostgres } from "../../scripts/lib/postgres.mjs";
import { build, startWorkerd, waitForHealthy, writeConfig } from "../../selfhost/workerd.mjs";
import { freePort, onShutdown, outputTail, stopChild, tempDir, trackChild } from "./process";

export interface RealmNode {
  baseUrl: string;
  /** workerd's pid (its CPU time is the node's). */
  pid: number | undefined;
  /** The V8 inspector's address when started with `inspect` (for a CPU profile). */
  inspectorAddr?: string;
  stop(): Promise<void>;
}

/** Starts Postgres and a node with `vars` (over the benchmark defaults); progress lines go to `log`. */
export async function startRealmNode(
  vars: Record<string, string>,
  log: (line: string) => void,
  options: { inspect?: boolean } = {},
): Promise<RealmNode> {
  const root = mkdtempSync(join(tmpdir(), "leviathan-bench-node-"));
  chmodSync(root, 0o755); // as root, the postgres user must reach its data directory
  tempDir(root, true); // removed on exit, however the run ends
  log("Postgres…");
  const pg = await startPostgres({ dataDir: join(root, "pg") });
  onShutdown(() => pg.stop());
  await migrateDatabase(pg.url);
  log("building the Worker…");
  const port = await freePort();
  const configPath = writeConfig({
    distDir: build(join(root, "dist")),
    dataDir: join(root, "data"),
    configPath: join(root, "config.capnp"),
    listen: `127.0.0.1:${port}`,
    env: {
      DATABASE_URL: pg.url,
      JWT_SECRET: "bench-secret-that-is-long-enough-0123456789",
      AUTH_RATE_PER_IP: "1000000",
      TICKET_RATE_PER_ACCOUNT: "1000000",
      LOG_LEVEL: "warn",
      ...vars,
    },
  });
  const inspectorAddr = options.inspect ? `127.0.0.1:${await freePort()}` : undefined;
  const child = startWorkerd(configPath, { stdio: "pipe", inspectorAddr });
  trackChild(child);
  onShutdown(() => stopChild(child));
  // Both pipes are read for the whole run (outputTail): a full pipe would stall the node.
  const tail = outputTail(child);
  let stopping = false;
  child.once("exit", (code, signal) => {
    if (!stopping) log(`workerd exited (${signal ?? code}); its last output:\n${tail()}`);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealthy(`${baseUrl}/healthz`, 30_000);
  return {
    baseUrl,
    pid: child.pid,
    inspectorAddr,
    async stop() {
      stopping = true;
      await stopChild(child);
      await pg.stop();
      tempDir(root, false);
    },
  };
}
