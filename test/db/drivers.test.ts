/**
 * Both database drivers against a real, throwaway Postgres (docs/decisions.md D22): `pg` over TCP, and
 * the Neon serverless driver over WebSocket through selfhost/neon-proxy.mjs. The same checks run
 * through `withDatabase` for each: writes and reads through drizzle, unique violations surfacing
 * as SQLSTATE 23505, rollback, the connection closed afterwards, and a quick
 * DatabaseUnavailableError when nothing answers. Then the proxy itself: refusals before the
 * upgrade, Terminate detection at message boundaries, and its CLI.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { migrateDatabase } from "../../scripts/lib/migrate.mjs";
import { freePort, type RunningPostgres, startPostgres } from "../../scripts/lib/postgres.mjs";
import { type NeonProxy, parseArgs, startNeonProxy } from "../../selfhost/neon-proxy.mjs";
import {
  type Database,
  type DatabaseSettings,
  DatabaseUnavailableError,
  type DriverName,
  withDatabase,
} from "../../shared/db/client";
import { accounts } from "../../shared/db/schema";

let root: string;
let postgres: RunningPostgres;
let proxy: NeonProxy;
let admin: pg.Client;
const proxyLog: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "leviathan-db-"));
  chmodSync(root, 0o755); // as root, the postgres user must traverse it to its data dir
  postgres = await startPostgres({ dataDir: join(root, "pgdata") });
  await migrateDatabase(postgres.url);
  proxy = await startNeonProxy({ log: (line) => proxyLog.push(line) });
  admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end().catch(() => {});
  await proxy?.close();
  await postgres?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

function settingsFor(driver: DriverName, url = postgres.url): DatabaseSettings {
  return driver === "pg"
    ? { driver, url, connectTimeoutMs: 5000 }
    : { driver, url, neonProxy: proxy.neonProxy, connectTimeoutMs: 5000 };
}

/** The SQLSTATE of a Postgres error, also when drizzle wrapped it (DrizzleQueryError.cause). */
function sqlState(error: unknown): string | undefined {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** Polls `check` every 25 ms until it holds, failing after `timeoutMs`. */
async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function backendAlive(pid: number): Promise<boolean> {
  const result = await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid]);
  return (result.rowCount ?? 0) > 0;
}

async function backendPid(db: Database): Promise<number> {
  const result = (await db.execute(sql`SELECT pg_backend_pid() AS pid`)) as unknown as { rows: { pid: number }[] };
  return Number(result.rows[0]?.pid);
}

describe.each(["pg", "neon"] as const)("withDatabase with the %s driver", (driver) => {
  const name = (base: string) => `${driver}-${base}-${Math.random().toString(36).slice(2, 8)}`;

  it("inserts an account through drizzle and reads it back", async () => {
    const username = name("Alice");
    const inserted = await withDatabase(settingsFor(driver), (db) =>
      db.insert(accounts).values({ username, passwordHash: "hash" }).returning(),
    );
    expect(inserted).toHaveLength(1);
    const id = inserted[0]?.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const [found] = await withDatabase(settingsFor(driver), (db) =>
      db.select().from(accounts).where(eq(accounts.id, id)),
    );
    expect(found).toMatchObject({ id, username, passwordHash: "hash", roles: ["player"], disabled: false });
    expect(found?.createdAt).toBeInstanceOf(Date);
  });

  it("rejects a username that differs only in case with SQLSTATE 23505", async () => {
    // "socket" in the value: the error text (drizzle puts params in it) must not read as an outage.
    const username = name("Socket-Closed");
    await withDatabase(settingsFor(driver), (db) => db.insert(accounts).values({ username, passwordHash: "h" }));
    const error = await caught(
      withDatabase(settingsFor(driver), (db) =>
        db.insert(accounts).values({ username: username.toUpperCase(), passwordHash: "h" }),
      ),
    );
    expect(error).not.toBeInstanceOf(DatabaseUnavailableError);
    expect(sqlState(error)).toBe("23505");
  });

  it("rolls back a transaction that throws", async () => {
    const username = name("Rollback");
    const error = await caught(
      withDatabase(settingsFor(driver), (db) =>
        db.transaction(async (tx) => {
          await tx.insert(accounts).values({ username, passwordHash: "h" });
          const inside = await tx.select().from(accounts).where(eq(accounts.username, username));
          expect(inside).toHaveLength(1);
          throw new Error("changed my mind");
        }),
      ),
    );
    expect((error as Error).message).toBe("changed my mind");
    const after = await admin.query("SELECT 1 FROM accounts WHERE username = $1", [username]);
    expect(after.rowCount).toBe(0);
  });

  it("closes the connection when the work is done, and when it fails", async () => {
    let pid = 0;
    await withDatabase(settingsFor(driver), async (db) => {
      pid = await backendPid(db);
      expect(await backendAlive(pid)).toBe(true);
      if (driver === "neon") expect(proxy.active).toBeGreaterThan(0);
    });
    expect(pid).toBeGreaterThan(0);
    await eventually(async () => !(await backendAlive(pid)), `backend ${pid} gone`);

    await caught(
      withDatabase(settingsFor(driver), async (db) => {
        pid = await backendPid(db);
        throw new Error("work failed");
      }),
    );
    await eventually(async () => !(await backendAlive(pid)), `backend ${pid} gone after a failure`);
    if (driver === "neon") await eventually(() => proxy.active === 0, "proxy sessions closed");
  });

  it("turns a connection lost mid-work into DatabaseUnavailableError", async () => {
    const error = await caught(
      withDatabase(settingsFor(driver), async (db) => {
        const pid = await backendPid(db);
        await admin.query("SELECT pg_terminate_backend($1)", [pid]);
        await eventually(async () => !(await backendAlive(pid)), `backend ${pid} terminated`);
        await new Promise((r) => setTimeout(r, 50)); // let the FATAL notice and the close arrive
        return db.select().from(accounts).limit(1);
      }),
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    if (driver === "neon") await eventually(() => proxy.active === 0, "proxy session closed");
  });

  it("rejects quickly with DatabaseUnavailableError when nothing listens", async () => {
    const dead = `postgres://postgres@127.0.0.1:${await freePort()}/leviathan`;
    const started = Date.now();
    const error = await caught(withDatabase(settingsFor(driver, dead), async () => 1));
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("gives up after connectTimeoutMs when the server accepts but never answers", async () => {
    const sockets: Socket[] = [];
    let closed = 0;
    const silent: Server = createServer((socket) => {
      sockets.push(socket);
      socket.on("close", () => closed++);
      socket.resume(); // read (and drop) whatever arrives, so the end of the stream is seen
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as { port: number };
      const settings = { ...settingsFor(driver, `postgres://postgres@127.0.0.1:${port}/leviathan`) };
      settings.connectTimeoutMs = 500;
      const started = Date.now();
      const error = await caught(withDatabase(settings, async () => 1));
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(Date.now() - started).toBeLessThan(2500);
      // The abandoned attempt must not leave its socket open.
      await eventually(() => sockets.length > 0 && closed === sockets.length, "abandoned socket closed");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe("the Neon path's failure modes", () => {
  it("rejects quickly when the proxy itself is not there", async () => {
    const settings: DatabaseSettings = {
      driver: "neon",
      url: postgres.url,
      neonProxy: `127.0.0.1:${await freePort()}/v1`,
      connectTimeoutMs: 5000,
    };
    const started = Date.now();
    const error = await caught(withDatabase(settings, async () => 1));
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("rejects quickly when the proxy refuses the target", async () => {
    const started = Date.now();
    const error = await caught(
      withDatabase(settingsFor("neon", "postgres://postgres@db.example.invalid:5432/leviathan"), async () => 1),
    );
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(proxyLog.some((line) => line.includes("refused db.example.invalid:5432"))).toBe(true);
  });
});

/** Sends a WebSocket upgrade request to the proxy and resolves with the HTTP status it answered. */
function upgradeStatus(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      path,
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": Buffer.from("0123456789abcdef").toString("base64"),
      },
      timeout: 5000,
    });
    req.on("upgrade", (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: "" });
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 5 s")));
    req.on("error", reject);
    req.end();
  });
}

/** Postgres frontend messages, enough to drive a session by hand. */
const wire = {
  startup(user: string, database: string): Buffer {
    const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length, 0);
    head.writeInt32BE(196608, 4); // protocol 3.0
    return Buffer.concat([head, params]);
  },
  message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
    const head = Buffer.alloc(5);
    head.write(type, 0, "latin1");
    head.writeInt32BE(4 + body.length, 1);
    return Buffer.concat([head, body]);
  },
  int16(n: number): Buffer {
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    return b;
  },
  int32(n: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  },
};

/** A raw WebSocket to the proxy that collects the backend's bytes. */
async function rawSession(): Promise<{
  ws: WebSocket;
  received: () => Buffer;
  closed: Promise<number>;
}> {
  const ws = new WebSocket(`${proxy.url}?address=127.0.0.1:${postgres.port}`);
  const chunks: Buffer[] = [];
  ws.on("message", (data) => chunks.push(Buffer.from(data as Buffer)));
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return { ws, received: () => Buffer.concat(chunks), closed };
}

/** Whether the backend's reply stream so far ends with ReadyForQuery ('Z', length 5, status). */
const endsReady = (bytes: Buffer) => bytes.length >= 6 && bytes[bytes.length - 6] === 0x5a;

describe("neon-proxy", () => {
  it("refuses malformed addresses with 400 and other targets with 403 before upgrading", async () => {
    for (const path of [
      "/v1",
      "/v1?address=",
      "/v1?address=nohost",
      "/v1?address=db:99999",
      "/v1?address=a%20b:5432",
    ]) {
      expect((await upgradeStatus(proxy.port, path)).status, path).toBe(400);
    }
    const forbidden = await upgradeStatus(proxy.port, "/v1?address=10.0.0.1:5432");
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toContain("not allowed");
    expect((await upgradeStatus(proxy.port, "/v1?address=db.example.invalid:5432")).status).toBe(403);
    expect((await upgradeStatus(proxy.port, `/v1?address=127.0.0.1:${postgres.port}`)).status).toBe(101);
    expect((await upgradeStatus(proxy.port, `/v1?address=localhost:${postgres.port}`)).status).toBe(101);
  });

  it("answers plain HTTP with 426", async () => {
    const response = await fetch(`http://127.0.0.1:${proxy.port}/v1?address=127.0.0.1:5432`);
    expect(response.status).toBe(426);
  });

  it("uses the allow() it is given", async () => {
    const seen: string[] = [];
    const strict = await startNeonProxy({
      allow: (host, port) => {
        seen.push(`${host}:${port}`);
        return port === postgres.port;
      },
    });
    try {
      expect((await upgradeStatus(strict.port, "/v1?address=127.0.0.1:1")).status).toBe(403);
      expect((await upgradeStatus(strict.port, `/v1?address=LocalHost:${postgres.port}`)).status).toBe(101);
      expect(seen).toEqual(["127.0.0.1:1", `localhost:${postgres.port}`]);
    } finally {
      await strict.close();
    }
  });

  it("closes both sides on Terminate, seen only at a message boundary", async () => {
    const session = await rawSession();
    session.ws.send(wire.startup("postgres", "leviathan"));
    await eventually(() => endsReady(session.received()), "ReadyForQuery after startup");
    const [pid] = [session.received()]
      .map((b) => b.indexOf(Buffer.from([0x4b, 0, 0, 0, 12]))) // BackendKeyData: 'K', len 12, pid, key
      .map((at) => (at >= 0 ? session.received().readInt32BE(at + 5) : 0));
    expect(pid).toBeGreaterThan(0);
    expect(await backendAlive(pid as number)).toBe(true);

    // A bytea parameter holding exactly the Terminate bytes, sent so that a chunk starts with them.
    const terminateBytes = Buffer.from([0x58, 0, 0, 0, 4]);
    const parse = wire.message("P", Buffer.concat([Buffer.from("\0SELECT $1::bytea\0"), wire.int16(0)]));
    const bindHead = Buffer.concat([
      Buffer.from("\0\0"), // unnamed portal, unnamed statement
      wire.int16(1),
      wire.int16(1), // one parameter format: binary
      wire.int16(1),
      wire.int32(terminateBytes.length),
    ]);
    const bind = wire.message("B", Buffer.concat([bindHead, terminateBytes, wire.int16(0)]));
    const split = bind.length - terminateBytes.length - 2;
    const before = session.received().length;
    session.ws.send(Buffer.concat([parse, bind.subarray(0, split)]));
    session.ws.send(bind.subarray(split)); // starts with 'X' 0 0 0 4
    session.ws.send(wire.message("S"));
    await eventually(() => session.received().length > before && endsReady(session.received()), "ReadyForQuery");
    expect(session.received().subarray(before)[0]).toBe(0x31); // ParseComplete: the session lives on
    expect(session.ws.readyState).toBe(WebSocket.OPEN);

    // Terminate split over two frames, and the client never closes its WebSocket itself.
    session.ws.send(terminateBytes.subarray(0, 2));
    session.ws.send(terminateBytes.subarray(2));
    expect(await session.closed).toBe(1000);
    await eventually(async () => !(await backendAlive(pid as number)), "backend gone after Terminate");
    await eventually(() => proxy.active === 0, "proxy session closed");
  });

  it("still sees Terminate after an SSLRequest the server declined", async () => {
    const session = await rawSession();
    session.ws.send(Buffer.concat([wire.int32(8), wire.int32(80877103)])); // SSLRequest
    await eventually(() => session.received().length === 1, "the one-byte SSL answer");
    expect(session.received().toString("latin1")).toBe("N"); // the throwaway server has no TLS
    session.ws.send(wire.startup("postgres", "leviathan"));
    await eventually(() => endsReady(session.received()), "ReadyForQuery after startup");
    session.ws.send(wire.message("X"));
    expect(await session.closed).toBe(1000);
    await eventually(() => proxy.active === 0, "proxy session closed");
  });

  it("closes the Postgres side when the WebSocket goes away", async () => {
    const session = await rawSession();
    session.ws.send(wire.startup("postgres", "leviathan"));
    await eventually(() => endsReady(session.received()), "ReadyForQuery after startup");
    const before = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'leviathan'");
    session.ws.terminate(); // no Terminate message, no close frame
    await eventually(async () => {
      const now = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'leviathan'");
      return now.rows[0].n < before.rows[0].n;
    }, "backend gone after the WebSocket dropped");
    await eventually(() => proxy.active === 0, "proxy session closed");
  });

  it("closes the WebSocket when Postgres goes away", async () => {
    const session = await rawSession();
    session.ws.send(wire.startup("postgres", "leviathan"));
    await eventually(() => endsReady(session.received()), "ReadyForQuery after startup");
    const bytes = session.received();
    const at = bytes.indexOf(Buffer.from([0x4b, 0, 0, 0, 12]));
    const pid = bytes.readInt32BE(at + 5);
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    expect(await session.closed).toBeGreaterThanOrEqual(1000);
  });

  describe("CLI", () => {
    it("parses --listen and repeated --allow", () => {
      expect(parseArgs(["--listen", "0.0.0.0:6000", "--allow", "db.internal:5432", "--allow=[::1]:5433"])).toEqual({
        listen: { host: "0.0.0.0", port: 6000 },
        allow: [
          { host: "db.internal", port: 5432 },
          { host: "::1", port: 5433 },
        ],
        help: false,
      });
      expect(parseArgs([]).listen).toEqual({ host: "127.0.0.1", port: 5433 });
      expect(() => parseArgs(["--allow"])).toThrow(/--allow needs a host:port/);
      expect(() => parseArgs(["--allow", "db.internal"])).toThrow(/no port/);
      expect(() => parseArgs(["--bogus"])).toThrow(/unknown argument/);
    });

    function runCli(
      args: string[],
      until: RegExp,
    ): Promise<{ code: number | null; out: string; stop: () => Promise<unknown> }> {
      return new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [fileURLToPath(new URL("../../selfhost/neon-proxy.mjs", import.meta.url)), ...args],
          {
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        let out = "";
        const exited = new Promise((done) => child.once("exit", done));
        const stop = () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          return exited;
        };
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`CLI did not print ${until} within 10 s:\n${out}`));
        }, 10_000);
        const check = (chunk: Buffer) => {
          out += chunk;
          if (until.test(out)) {
            clearTimeout(timer);
            resolve({ code: child.exitCode, out, stop });
          }
        };
        child.stdout.on("data", check);
        child.stderr.on("data", check);
        child.on("exit", (code) => {
          clearTimeout(timer);
          resolve({ code, out, stop });
        });
      });
    }

    it("prints a usage error and exits 2 on bad arguments", async () => {
      const result = await runCli(["--allow", "nope"], /$^/);
      expect(result.code).toBe(2);
      expect(result.out).toContain('--allow: address "nope" has no port');
      expect(result.out).toContain("usage: node selfhost/neon-proxy.mjs");
    });

    it("serves the Neon driver for an allowed target", async () => {
      const port = await freePort();
      const cli = await runCli(["--listen", `127.0.0.1:${port}`, "--allow", `127.0.0.1:${postgres.port}`], /listening/);
      try {
        expect(cli.out).toContain(`NEON_WS_PROXY=127.0.0.1:${port}/v1`);
        const settings = { ...settingsFor("neon"), neonProxy: `127.0.0.1:${port}/v1` };
        const rows = await withDatabase(settings, (db) =>
          db.select({ n: sql<number>`1 + 1` }).from(sql`(SELECT 1) AS t`),
        );
        expect(Number(rows[0]?.n)).toBe(2);
        expect((await upgradeStatus(port, "/v1?address=localhost:5432")).status).toBe(403);
      } finally {
        await cli.stop();
      }
    });
  });
});
