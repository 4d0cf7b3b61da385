/**
 * The realm on Postgres through the shipped PgBouncer config (selfhost/proxy/pgbouncer.ini,
 * Debian's pgbouncer): transaction pooling, a burst of account requests at once served by a pool
 * of three server connections. The test's copy changes only the addresses, the pool size and the
 * authentication (the throwaway Postgres trusts local connections).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../scripts/lib/postgres.mjs";
import { TEST_JWT_SECRET } from "../support/harness";
import { postFrom as post } from "../support/http";
import { type SelfhostRealm, startSelfhostRealm } from "../support/workerd";

const POOL = 3;
let realm: SelfhostRealm;
let bouncer: ChildProcess | undefined;
let bouncerOutput = "";
let dir: string;
let bouncerPort: number;

beforeAll(async () => {
  const upstream = new URL(inject("databaseUrl"));
  const database = upstream.pathname.slice(1);
  dir = mkdtempSync(join(tmpdir(), "leviathan-pgbouncer-"));
  chmodSync(dir, 0o755); // pgbouncer refuses root: it runs as postgres and must read its files
  bouncerPort = await freePort();
  const shipped = readFileSync("selfhost/proxy/pgbouncer.ini", "utf8");
  const config = shipped
    .replace(/^leviathan = .*$/m, `${database} = host=${upstream.hostname} port=${upstream.port} dbname=${database}`)
    .replace(/^listen_port = .*$/m, `listen_port = ${bouncerPort}`)
    .replace(/^auth_type = .*$/m, "auth_type = trust")
    .replace(/^auth_file = .*$/m, `auth_file = ${join(dir, "userlist.txt")}`)
    .replace(/^default_pool_size = .*$/m, `default_pool_size = ${POOL}`)
    .replace(/^reserve_pool_size = .*$/m, "reserve_pool_size = 0");
  expect(config).toContain("pool_mode = transaction");
  writeFileSync(join(dir, "pgbouncer.ini"), `${config}\nunix_socket_dir =\n`, { mode: 0o644 });
  writeFileSync(join(dir, "userlist.txt"), `"${upstream.username || "postgres"}" ""\n"pgbouncer" ""\n`, {
    mode: 0o644,
  });
  const asPostgres =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })),
          gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })),
        }
      : {};
  bouncer = spawn("pgbouncer", [join(dir, "pgbouncer.ini")], { stdio: ["ignore", "pipe", "pipe"], ...asPostgres });
  bouncer.on("error", (error) => {
    bouncerOutput += `could not start pgbouncer (apt-get install pgbouncer): ${error.message}\n`;
  });
  for (const stream of [bouncer.stdout, bouncer.stderr]) stream?.on("data", (d) => (bouncerOutput += d));
  const url = new URL(upstream);
  url.port = String(bouncerPort);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url.toString() });
    try {
      await client.connect();
      await client.query("SELECT 1");
      await client.end();
      break;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`pgbouncer did not answer within 20 s:\n${bouncerOutput}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  realm = await startSelfhostRealm("pgbouncer", { DATABASE_URL: url.toString(), JWT_SECRET: TEST_JWT_SECRET });
}, 120_000);

afterAll(async () => {
  await realm?.workerd.kill("SIGKILL");
  realm?.cleanup();
  bouncer?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const postFrom = async (from: string, path: string, body: unknown) =>
  (await post(realm.baseUrl, from, path, body)).status;

/** PgBouncer's admin console: `SHOW …` rows. */
async function admin(command: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ host: "127.0.0.1", port: bouncerPort, user: "pgbouncer", database: "pgbouncer" });
  await client.connect();
  try {
    return (await client.query(command)).rows;
  } finally {
    await client.end();
  }
}

describe("Postgres through the shipped PgBouncer config", () => {
  it(`serves a burst of registrations and logins on ${POOL} server connections`, async () => {
    const stamp = Date.now().toString(36);
    const players = Array.from({ length: 24 }, (_, i) => ({
      from: `127.0.0.${10 + i}`,
      username: `pool${stamp}${i}`,
      password: "correct horse battery",
    }));
    const registered = await Promise.all(players.map((p) => postFrom(p.from, "/auth/register", p)));
    expect(registered).toEqual(players.map(() => 201));
    const logins = await Promise.all(players.map((p) => postFrom(p.from, "/auth/login", p)));
    expect(logins).toEqual(players.map(() => 200));

    const servers = (await admin("SHOW SERVERS")).filter((s) => s.database !== "pgbouncer");
    expect(servers.length).toBeGreaterThan(0);
    expect(servers.length).toBeLessThanOrEqual(POOL);
    const stats = (await admin("SHOW STATS")).find(
      (s) => s.database === new URL(inject("databaseUrl")).pathname.slice(1),
    );
    // Every registration and login ran at least one transaction through the pool.
    expect(Number(stats?.total_xact_count)).toBeGreaterThanOrEqual(players.length * 2);
  });
});
