/**
 * `npm run bench:datastore`: the realm's two local datastores side by side, a real PostgreSQL from
 * this machine's binaries and PGlite over the wire protocol (what `npm start` falls back to), under
 * the realm's own database code: the shared/db functions the gateway and zones call, each operation
 * one `withDatabase` session (connect, queries, close), exactly as a route or a zone's write runs.
 * Both servers are migrated alike and measured case by case in turn, so a noisy machine moves both.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DrizzleQueryError, sql } from "drizzle-orm";
import { migrateDatabase } from "../scripts/lib/migrate.mjs";
import { startPostgres } from "../scripts/lib/postgres.mjs";
import { hashPassword } from "../shared/auth/password";
import { audit, createAccount, findAccountById, findAccountByUsername } from "../shared/db/accounts";
import { type CharacterState, createCharacter, findCharacter, saveCharacterState } from "../shared/db/characters";
import {
  type Database,
  type DatabaseSettings,
  DatabaseUnavailableError,
  readDatabaseSettings,
  withDatabase,
} from "../shared/db/client";
import { checkLoginFamily } from "../shared/db/sessions";
import { issueRefreshToken, rotateRefreshToken } from "../shared/db/tokens";
import { onShutdown, stopChild, tempDir, trackChild } from "./lib/process";
import { machine } from "./lib/report";
import { withTimeout } from "./lib/time";
import { percentiles } from "./load/meter";

const USAGE = "usage: npm run bench:datastore -- [--ops 2000] [--durable]";
const CONCURRENCY = [1, 16] as const;
/**
 * An operation still unanswered after this has hung: PGlite can wait forever on a transaction it
 * lost track of. Its backend then counts as stuck and its remaining operations are not run.
 */
const HUNG_MS = 30_000;

function options(): { ops: number; durable: boolean } {
  try {
    const { values } = parseArgs({
      options: {
        ops: { type: "string", default: "2000" },
        durable: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(`${USAGE}\n  --ops N     operations per case (integer ≥ 16)\n  --durable   Postgres with fsync on`);
      process.exit(0);
    }
    const ops = Number(values.ops);
    // Saves at 16 clients pick characters by index: fewer than 16 of them would collide on versions.
    if (!Number.isInteger(ops) || ops < 16) throw new Error(`--ops must be an integer ≥ 16, got "${values.ops}"`);
    return { ops, durable: values.durable };
  } catch (error) {
    console.error(`bench:datastore: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}
const { ops: OPS, durable: DURABLE } = options();
const log = (line: string) => process.stderr.write(`bench:datastore: ${line}\n`);

/** Rows a backend acknowledged writing, by the names countRows reports them under. */
const COUNTED = [
  "accounts",
  "characters",
  "characterVersions",
  "refreshTokens",
  "spentTokens",
  "auditEntries",
] as const;
type Counted = (typeof COUNTED)[number];

interface Backend {
  name: "Postgres" | "PGlite";
  settings: DatabaseSettings;
  passwordHash: string;
  accounts: { id: string; username: string }[];
  characters: { id: string; accountId: string; version: number }[];
  /** Refresh tokens issued by `login`, spent in order by `refresh`. */
  tokens: { token: string; accountId: string }[];
  /** Counted when the server said the write was done, so the final count checks its word. */
  written: Record<Counted, number>;
  /** Set when an operation hung (see HUNG_MS). */
  stuck?: string;
}

/** A login family no token belongs to: the live-login check then passes, as for a fresh login. */
const FAMILY = crypto.randomUUID();
/** What a zone would write: progress that changes with every save. */
const state = (i: number, version: number): CharacterState => ({
  level: 1,
  xp: version * 10,
  hp: 40,
  mp: 20,
  zoneId: "start",
  roomId: "square",
  x: i % 97,
  y: version,
  playSeconds: version * 30,
});
/**
 * Every answer is checked against what was asked, not only for presence: a server that answered
 * one connection with another's rows would otherwise pass as fast.
 */
function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(what);
}
/** `row`'s `key` must be `want`: no row and someone else's row are told apart. */
function same<T>(row: T | undefined, key: keyof T, want: unknown, what: string): void {
  check(row !== undefined && row !== null, `${what}: no row`);
  check(row[key] === want, `${what}: another row`);
}
async function logged(b: Backend, db: Database, entry: Parameters<typeof audit>[1]): Promise<void> {
  await audit(db, { ip: "127.0.0.1", ...entry });
  b.written.auditEntries++;
}

/** Each operation is the database part of one realm request; `i` is its index within the case. */
const OPERATIONS: Record<string, (b: Backend, i: number, clients: number) => Promise<void>> = {
  // The floor under every other row: a session's connect and close around one trivial query.
  async connect(b) {
    await withDatabase(b.settings, (db) => db.execute(sql`SELECT 1`));
  },
  // POST /auth/register, then POST /characters: two sessions, as two requests.
  async create(b, i, clients) {
    const username = `dsb${clients}x${i}`;
    const account = await withDatabase(b.settings, async (db) => {
      const created = await createAccount(db, { username, passwordHash: b.passwordHash });
      if (!created.ok) throw new Error(created.error);
      same(created.value, "username", username, "createAccount");
      b.written.accounts++;
      await logged(b, db, { event: "register", accountId: created.value.id });
      return created.value;
    });
    b.accounts.push({ id: account.id, username });
    const name = `hero${clients}x${i}`;
    const character = await withDatabase(b.settings, async (db) => {
      check((await checkLoginFamily(db, account.id, FAMILY)) === undefined, "live-login check failed");
      const input = { name, class: "mage", str: 8, dex: 10, int: 14, vit: 9, hp: 40, mp: 20, zoneId: "start" };
      const created = await createCharacter(db, account.id, input, 3);
      if (!created.ok) throw new Error(created.error);
      same(created.value, "name", name, "createCharacter");
      check(created.value.accountId === account.id, "createCharacter: another account");
      b.written.characters++;
      b.written.characterVersions += created.value.version;
      await logged(b, db, { event: "character_created", accountId: account.id, detail: { id: created.value.id } });
      return created.value;
    });
    b.characters.push({ id: character.id, accountId: account.id, version: character.version });
  },
  // GET /play with a ticket: the live-login check, the character and its account.
  async load(b, i) {
    const c = b.characters[i % b.characters.length] as Backend["characters"][number];
    await withDatabase(b.settings, async (db) => {
      check((await checkLoginFamily(db, c.accountId, FAMILY)) === undefined, "live-login check failed");
      same(await findCharacter(db, c.accountId, c.id), "id", c.id, "findCharacter");
      same(await findAccountById(db, c.accountId), "id", c.accountId, "findAccountById");
    });
  },
  // A zone's versioned write of what it owns; a conflict would mean a lost update here.
  async save(b, i) {
    const c = b.characters[i % b.characters.length] as Backend["characters"][number];
    const result = await withDatabase(b.settings, (db) => saveCharacterState(db, c.id, c.version, state(i, c.version)));
    if (!result.ok) throw new Error(result.error);
    check(result.value.version === c.version + 1, "saveCharacterState: another version");
    c.version = result.value.version;
    b.written.characterVersions++;
  },
  // POST /auth/login without the password check (that is the hash's cost, not the datastore's).
  async login(b, i) {
    const { id, username } = b.accounts[i % b.accounts.length] as Backend["accounts"][number];
    const token = await withDatabase(b.settings, async (db) => {
      same(await findAccountByUsername(db, username), "id", id, "findAccountByUsername");
      await logged(b, db, { event: "login", accountId: id });
      const issued = await issueRefreshToken(db, id, new Date());
      b.written.refreshTokens++;
      return issued;
    });
    b.tokens.push({ token, accountId: id });
  },
  // POST /auth/refresh: spend a token (row lock, rotation in one transaction), read the account.
  async refresh(b) {
    const { token, accountId } = b.tokens.shift() ?? { token: "", accountId: "" };
    await withDatabase(b.settings, async (db) => {
      const rotated = await rotateRefreshToken(db, token, new Date());
      if (!rotated.ok) throw new Error(rotated.error);
      same(rotated.value, "accountId", accountId, "rotateRefreshToken");
      b.written.spentTokens++;
      b.written.refreshTokens++;
      same(await findAccountById(db, accountId), "id", accountId, "findAccountById");
      await logged(b, db, { event: "refresh", accountId });
    });
  },
};

const LABELS: Record<string, string> = {
  connect: "floor: connect + SELECT 1",
  create: "create account + character",
  load: "load character (GET /play)",
  save: "save character (versioned write)",
  login: "login: issue refresh token",
  refresh: "refresh: rotate token",
};

/** `clients` parallel loops share `OPS` operations; every latency is one whole operation. */
async function runCase(b: Backend, operation: string, clients: number) {
  const op = OPERATIONS[operation] as (b: Backend, i: number, clients: number) => Promise<void>;
  const latencies: number[] = [];
  let failures = 0;
  const errors: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  // A slow case runs for minutes: say where it is now and then.
  const done = () => latencies.length + failures;
  const progress = setInterval(() => log(`${b.name} ${operation} ×${clients}: ${done()}/${OPS}…`), 15_000);
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < OPS; i = next++) {
        const at = performance.now();
        try {
          if (b.stuck) throw new Error(`not run: ${b.stuck}`);
          await withTimeout(op(b, i, clients), HUNG_MS, operation);
          latencies.push(performance.now() - at);
        } catch (error) {
          failures++;
          errors[reason(error)] = (errors[reason(error)] ?? 0) + 1;
          if (!b.stuck && performance.now() - at >= HUNG_MS) b.stuck = `${operation} ×${clients} hung`;
        }
      }
    }),
  );
  clearInterval(progress);
  const seconds = (performance.now() - started) / 1000;
  const opsPerSecond = Math.round((latencies.length / seconds) * 10) / 10;
  const latencyMs = percentiles(latencies);
  log(`${b.name} ${operation} ×${clients}: ${opsPerSecond}/s, p50 ${latencyMs.p50} p99 ${latencyMs.p99} ms`);
  for (const [why, count] of Object.entries(errors)) log(`${b.name} ${operation} ×${clients}: ${count} failed: ${why}`);
  return { backend: b.name, operation, clients, ops: OPS, failures, errors, seconds, opsPerSecond, latencyMs };
}

/** Why an operation failed: the driver's own error, not drizzle's wrapper (which quotes the whole query). */
function reason(error: unknown): string {
  if (error instanceof DatabaseUnavailableError) return `unavailable: ${reason(error.cause)}`;
  const inner = error instanceof DrizzleQueryError ? error.cause : error;
  const text = inner instanceof Error ? inner.message : String(inner);
  const query = error instanceof DrizzleQueryError ? ` (in: ${error.query.slice(0, 50)}…)` : "";
  return `${text.slice(0, 160)}${query}`;
}

/**
 * PGlite in a process of its own, as `npm start` runs it in its launcher: in this one, its
 * WebAssembly would share the event loop with the clients and slow them, and not Postgres's.
 * The child also stops when this process goes away (its stdin closes).
 */
async function startPgliteChild(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const script = `
    const { startPglite } = await import(process.env.PGLITE_MODULE);
    const server = await startPglite({ dataDir: process.env.PGLITE_DIR });
    let stopping;
    const stop = () => (stopping ??= server.stop().finally(() => process.exit(0)));
    process.once("SIGTERM", stop).once("SIGINT", stop);
    process.stdin.on("end", stop).resume();
    process.stdout.write(server.url + "\\n");`;
  const moduleUrl = new URL("../scripts/lib/pglite.mjs", import.meta.url).href;
  const env = { ...process.env, PGLITE_DIR: dataDir, PGLITE_MODULE: moduleUrl };
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { env, stdio: "pipe" });
  trackChild(child);
  const stop = () => stopChild(child, 10_000);
  onShutdown(stop);
  let output = "";
  const url = new Promise<string>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_000);
      const line = /^(postgres:\/\/\S+)$/m.exec(output)?.[1];
      if (line) resolve(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("exit", (code) => reject(new Error(`PGlite exited (${code}) before serving:\n${output}`)));
  });
  return { url: await withTimeout(url, 60_000, "starting PGlite"), stop };
}

/** What every table holds now, with the server's version. */
async function countRows(b: Backend) {
  return withDatabase(b.settings, async (db) => {
    const result = (await db.execute(sql`SELECT
      (SELECT count(*) FROM accounts)::int AS accounts,
      (SELECT count(*) FROM characters)::int AS characters,
      (SELECT coalesce(sum(version), 0) FROM characters)::int AS "characterVersions",
      (SELECT count(*) FROM refresh_tokens)::int AS "refreshTokens",
      (SELECT count(*) FROM refresh_tokens WHERE used_at IS NOT NULL)::int AS "spentTokens",
      (SELECT count(*) FROM audit_log)::int AS "auditEntries",
      current_setting('server_version') AS "serverVersion"`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows[0] as Record<string, number | string>;
  });
}

async function main(): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), "leviathan-bench-datastore-"));
  chmodSync(root, 0o755); // as root, the postgres user must reach its data directory
  tempDir(root, true);
  const stops: (() => Promise<void>)[] = [];
  try {
    // Every account stores this one string: the realm's PBKDF2 cost is paid once, not per account.
    const passwordHash = await hashPassword("bench-password-123");
    log(`Postgres (${DURABLE ? "fsync on, as npm start" : "fsync off, as the throwaway servers"})…`);
    const pg = await startPostgres({ dataDir: join(root, "pg"), durable: DURABLE });
    trackChild(pg.process);
    onShutdown(() => pg.stop());
    stops.push(() => pg.stop());
    await migrateDatabase(pg.url);
    log("PGlite…");
    const lite = await startPgliteChild(join(root, "pglite"));
    stops.push(lite.stop);
    await migrateDatabase(lite.url);
    const backends: Backend[] = [
      { name: "Postgres", url: pg.url },
      { name: "PGlite", url: lite.url },
    ].map(({ name, url }) => ({
      name: name as Backend["name"],
      settings: readDatabaseSettings({ DATABASE_URL: url }) as DatabaseSettings,
      passwordHash,
      accounts: [],
      characters: [],
      tokens: [],
      written: Object.fromEntries(COUNTED.map((key) => [key, 0])) as Record<Counted, number>,
    }));
    // Warm the client path (driver, drizzle, JIT) on both before anything is timed.
    for (const b of backends) {
      for (let i = 0; i < 50; i++) await withDatabase(b.settings, (db) => findAccountById(db, FAMILY));
    }
    const cases = [];
    for (const operation of Object.keys(OPERATIONS)) {
      for (const clients of CONCURRENCY) {
        for (const b of backends) cases.push(await runCase(b, operation, clients));
      }
    }
    const counts = await Promise.all(
      backends.map((b) =>
        withTimeout(countRows(b), HUNG_MS, `counting ${b.name}'s rows`).catch((error: Error) => ({
          error: error.message,
        })),
      ),
    );
    const mismatches = backends.flatMap((b, k) => {
      const count = counts[k] as Record<string, number | string>;
      if (count.error !== undefined) return [`${b.name}: ${count.error}`];
      return COUNTED.filter((key) => count[key] !== b.written[key]).map(
        (key) => `${b.name} ${key}: ${count[key]} in the database, ${b.written[key]} acknowledged`,
      );
    });
    const failures = cases.reduce((sum, c) => sum + c.failures, 0);
    for (const line of mismatches) log(`MISMATCH ${line}`);
    const verified = mismatches.length === 0 && failures === 0;
    report(cases, counts);
    for (const c of cases.filter((c) => c.failures > 0)) {
      const top = Object.entries(c.errors).sort((x, y) => y[1] - x[1]);
      const shown = top.slice(0, 4).map(([why, count]) => `${count}× ${why}`);
      console.log(
        `- ${c.backend} ${c.operation} ×${c.clients} failed: ${shown.join("; ")}${top.length > 4 ? "; …" : ""}`,
      );
    }
    console.log(
      verified
        ? "\nverified: every operation succeeded and both databases hold exactly the rows they acknowledged"
        : `\nNOT verified: ${failures} operations failed${mismatches.map((line) => `; ${line}`).join("")}`,
    );
    console.log(
      JSON.stringify({
        bench: "datastore",
        ops: OPS,
        concurrency: CONCURRENCY,
        postgresDurable: DURABLE,
        passwordHash: "hashed once, the same stored string for every account",
        machine: machine(),
        cases,
        acknowledged: Object.fromEntries(backends.map((b) => [b.name, b.written])),
        counts: Object.fromEntries(backends.map((b, k) => [b.name, counts[k]])),
        failures,
        stuck: Object.fromEntries(backends.map((b) => [b.name, b.stuck ?? null])),
        mismatches,
        verified,
      }),
    );
    return verified ? 0 : 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    tempDir(root, false);
  }
}

function report(cases: Awaited<ReturnType<typeof runCase>>[], counts: Record<string, number | string>[]): void {
  const rows = [];
  for (let k = 0; k + 1 < cases.length; k += 2) {
    const [pg, lite] = [cases[k], cases[k + 1]] as [(typeof cases)[number], (typeof cases)[number]];
    const ratio = lite.opsPerSecond > 0 ? `${(pg.opsPerSecond / lite.opsPerSecond).toFixed(2)}×` : "–";
    const lat = (c: typeof pg) => `${c.latencyMs.p50 ?? "–"} / ${c.latencyMs.p99 ?? "–"}`;
    rows.push(
      `| ${LABELS[pg.operation] ?? pg.operation} | ${pg.clients} | ${pg.opsPerSecond} | ${lite.opsPerSecond} | ${ratio} | ${lat(pg)} | ${lat(lite)} | ${pg.failures} / ${lite.failures} |`,
    );
  }
  console.log(
    [
      `bench:datastore — ${OPS} operations per case; Postgres ${counts[0]?.serverVersion ?? "?"} (${DURABLE ? "fsync on" : "fsync off"}) vs PGlite ${counts[1]?.serverVersion ?? "?"}`,
      "each operation is one withDatabase session (new pg connection) running the realm's shared/db functions;",
      "the password hash is computed once and the same stored string reused for every account (no PBKDF2 in the loop);",
      "ops/s counts successful operations; latency is the whole operation, connect to close",
      "",
      "| operation | clients | Postgres ops/s | PGlite ops/s | Postgres ÷ PGlite | Postgres p50 / p99 ms | PGlite p50 / p99 ms | failed (Pg / PGlite) |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...rows,
    ].join("\n"),
  );
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench:datastore: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
