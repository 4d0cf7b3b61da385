/**
 * `npm run bench:realm-data` (bench/README.md): N accounts, each with a character, exported with
 * scripts/realm-data.mjs and imported into a second fresh database; the peer in the same run is
 * Postgres' own `pg_dump --data-only` of the same tables, restored with `pg_restore` into a third.
 * Rows per second for each step, the files' sizes, and a check that each copy equals the source:
 * row counts and an md5 over every row in id order. Exit 1 when a copy differs.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrateDatabase } from "../scripts/lib/migrate.mjs";
import { findPostgresBin, startPostgres } from "../scripts/lib/postgres.mjs";
import { hashPassword } from "../shared/auth/password";
import { onShutdown, tempDir, trackChild } from "./lib/process";
import { machine } from "./lib/report";

const { values } = parseArgs({ options: { accounts: { type: "string", default: "100000" } } });
const accounts = Number(values.accounts);
if (!Number.isInteger(accounts) || accounts < 1) {
  console.error("usage: npm run bench:realm-data -- [--accounts 100000]");
  process.exit(2);
}
const log = (line: string) => process.stderr.write(`bench:realm-data: ${line}\n`);
const TOOL = new URL("../scripts/realm-data.mjs", import.meta.url).pathname;
const SEED_BATCH = 5000;

/** A seeded generator, so every run moves the same payloads (ids are random). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Inserts the accounts and their characters, SEED_BATCH a statement. Names are a fixed prefix and
 * digits, which no two numbers share a skeleton of, so the unique name indexes never refuse one.
 */
async function seed(url: string) {
  // One real hash for every account: the benchmark measures moving rows, not hashing passwords.
  const passwordHash = await hashPassword("bench-password-123");
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const next = random(1);
  const int = (max: number) => Math.floor(next() * max);
  const started = performance.now();
  let lastLog = started;
  for (let from = 0; from < accounts; from += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, accounts - from);
    const ids = Array.from({ length: n }, () => crypto.randomUUID());
    const numbers = Array.from({ length: n }, (_, i) => String(from + i).padStart(8, "0"));
    await db.query(
      `INSERT INTO accounts (id, username, password_hash, roles, disabled)
       SELECT id, username, $3, CASE WHEN gm THEN ARRAY['player','gm'] ELSE ARRAY['player'] END, disabled
         FROM unnest($1::uuid[], $2::text[], $4::bool[], $5::bool[]) AS t(id, username, gm, disabled)`,
      [ids, numbers.map((d) => `player${d}`), passwordHash, ids.map(() => next() < 0.01), ids.map(() => next() < 0.02)],
    );
    await db.query(
      `INSERT INTO characters (account_id, name, class, str, dex, int, vit, level, xp, hp, mp,
                               zone_id, room_id, x, y, play_seconds)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::int[],
                            $8::int[], $9::int[], $10::int[], $11::int[], $12::text[], $13::text[],
                            $14::real[], $15::real[], $16::int[])`,
      [
        ids,
        numbers.map((d) => `Hero${d}`),
        ids.map(() => (next() < 0.5 ? "mage" : "warrior")),
        ...Array.from({ length: 4 }, () => ids.map(() => 5 + int(4))),
        ids.map(() => 1 + int(30)),
        ids.map(() => int(100_000)),
        ids.map(() => 10 + int(200)),
        ids.map(() => int(150)),
        ids.map(() => (next() < 0.7 ? "start" : "test-area")),
        ids.map(() => (next() < 0.5 ? null : `room-${int(40)}`)),
        ids.map(() => next() * 2000),
        ids.map(() => next() * 2000),
        ids.map(() => int(1_000_000)),
      ],
    );
    if (performance.now() - lastLog > 1000) {
      lastLog = performance.now();
      log(`seeding: ${from + n} / ${accounts} accounts`);
    }
  }
  await db.end();
  return (performance.now() - started) / 1000;
}

/** Row counts and an md5 over every row (all columns, generated ones too) in id order, per table. */
async function fingerprint(url: string) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const out: Record<string, { rows: number; md5: string | null }> = {};
    for (const table of ["accounts", "characters"]) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS rows, md5(string_agg(md5(t::text), '' ORDER BY t.id)) AS md5 FROM ${table} t`,
      );
      out[table] = rows[0];
    }
    return out;
  } finally {
    await db.end();
  }
}

/** Runs a program, its stderr passed on line by line; resolves with its stdout and wall time. */
function run(label: string, command: string, args: string[]) {
  return new Promise<{ stdout: string; seconds: number }>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    trackChild(child);
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    createInterface({ input: child.stderr }).on("line", (line) => log(`${label}: ${line}`));
    child.once("error", reject);
    child.once("exit", (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) resolve({ stdout, seconds });
      else reject(new Error(`${label} exited with ${code}`));
    });
  });
}

async function main() {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL not found: apt-get install -y postgresql");
  const root = mkdtempSync(join(tmpdir(), "leviathan-bench-data-"));
  chmodSync(root, 0o755); // as root, the postgres user must reach its data directory
  tempDir(root, true);
  log("Postgres…");
  const server = await startPostgres({ dataDir: join(root, "pg") });
  onShutdown(() => server.stop());
  const urlOf = (name: string) => server.url.replace(/\/[^/]+$/, `/${name}`);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  for (const name of ["bench_import", "bench_restore"]) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const [source, imported, restored] = [server.url, urlOf("bench_import"), urlOf("bench_restore")];
  for (const url of [source, imported, restored]) await migrateDatabase(url);

  log(`seeding ${accounts} accounts, each with a character…`);
  const seedSeconds = await seed(source);
  // Fresh statistics and no dead tuples, so neither exporter pays for the seeding.
  const vacuum = new pg.Client({ connectionString: source });
  await vacuum.connect();
  await vacuum.query("VACUUM ANALYZE accounts, characters");
  await vacuum.end();
  const expected = await fingerprint(source);
  const rows = (expected.accounts?.rows ?? 0) + (expected.characters?.rows ?? 0);

  const exportDir = join(root, "export");
  const exported = await run("export", process.execPath, [
    TOOL,
    "export",
    "--database-url",
    source,
    "--out",
    exportDir,
    "--json",
  ]);
  const importRun = await run("import", process.execPath, [
    TOOL,
    "import",
    "--database-url",
    imported,
    "--from",
    exportDir,
    "--json",
  ]);
  const exportSummary = JSON.parse(exported.stdout);
  const importSummary = JSON.parse(importRun.stdout);

  const dumpFile = join(root, "players.dump");
  const dump = await run("pg_dump", join(bin, "pg_dump"), [
    "--data-only",
    "--format=custom",
    "--table=accounts",
    "--table=characters",
    "--file",
    dumpFile,
    source,
  ]);
  const restore = await run("pg_restore", join(bin, "pg_restore"), [
    "--data-only",
    "--exit-on-error",
    "--dbname",
    restored,
    dumpFile,
  ]);

  const [afterImport, afterRestore] = [await fingerprint(imported), await fingerprint(restored)];
  const same = (got: typeof expected) => JSON.stringify(got) === JSON.stringify(expected);
  const rate = (seconds: number) => Math.round(rows / seconds);
  const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const steps = [
    {
      method: "realm-data export (NDJSON)",
      seconds: exported.seconds,
      mib: mib(exportSummary.bytes),
      rssMiB: exportSummary.maxRssMiB,
    },
    {
      method: "realm-data import",
      seconds: importRun.seconds,
      rssMiB: importSummary.maxRssMiB,
      verified: same(afterImport),
    },
    { method: "pg_dump --data-only (custom, compressed)", seconds: dump.seconds, mib: mib(statSync(dumpFile).size) },
    { method: "pg_restore --data-only", seconds: restore.seconds, verified: same(afterRestore) },
  ].map((step) => ({ ...step, seconds: Math.round(step.seconds * 100) / 100, rowsPerSecond: rate(step.seconds) }));
  const cell = (value: unknown) => (value === undefined ? "" : String(value));
  console.log(
    [
      `bench:realm-data — ${accounts} accounts + ${accounts} characters (${rows} rows), one Postgres ${bin.split("/").at(-2)} on this machine; wall time per step, process start included`,
      "",
      "| step | seconds | rows/s | file MiB | tool max RSS MiB | copy equals source |",
      "| --- | ---: | ---: | ---: | ---: | --- |",
      ...steps.map(
        (s) =>
          `| ${s.method} | ${s.seconds} | ${s.rowsPerSecond} | ${cell(s.mib)} | ${cell(s.rssMiB)} | ${s.verified === undefined ? "" : s.verified ? "yes" : "**no**"} |`,
      ),
    ].join("\n"),
  );
  const verified = same(afterImport) && same(afterRestore);
  console.log(
    JSON.stringify({
      bench: "realm-data",
      accounts,
      rows,
      machine: machine(),
      seedSeconds: Math.round(seedSeconds * 100) / 100,
      steps,
      source: expected,
      imported: afterImport,
      restored: afterRestore,
      verified,
    }),
  );
  await server.stop();
  tempDir(root, false);
  return verified;
}

main().then(
  (verified) => {
    if (!verified) log("a copy differs from the source");
    process.exit(verified ? 0 : 1);
  },
  (error) => {
    console.error(`bench:realm-data: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
