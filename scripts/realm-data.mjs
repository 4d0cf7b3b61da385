#!/usr/bin/env node
/**
 * A realm's players as data (docs/operations.md, "Moving players between databases"):
 *   export --out DIR [--database-url URL] [--json]            accounts and characters as NDJSON
 *   import --from DIR [--database-url URL] [--merge] [--json] into an empty realm database, or with
 *                                                              --merge beside players it already has
 * The URL defaults to DATABASE_URL. `npm run backup` copies a whole node (zones included) and
 * restores only into an empty database; this carries the players alone, one row a line.
 *
 * Exported: accounts, then characters (they refer to accounts). Not exported: refresh tokens
 * (players sign in again), the audit log (history, not state a realm needs to run) and the cluster
 * tables (they describe one realm's nodes). Generated columns (name skeletons) are left to the
 * target, which computes them again.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import pg from "pg";

const FORMAT = "leviathan-realm-data";
const VERSION = 1;
const MANIFEST = "manifest.json";
const TABLES = ["accounts", "characters"];
/** Rows per cursor fetch: enough to amortise the round trip, little enough to keep memory flat. */
const FETCH = 5000;
/**
 * Rows per INSERT. Postgres computes each name's skeleton on insert (thousands of rows a second,
 * not tens of thousands), so a smaller batch costs nothing and keeps progress and rollbacks fine-grained.
 */
const BATCH = 1000;

const USAGE = `usage: node scripts/realm-data.mjs export --out DIR [--database-url URL] [--json]
       node scripts/realm-data.mjs import --from DIR [--database-url URL] [--merge] [--json]
--database-url defaults to DATABASE_URL`;

/** @param {string} name */
const ident = (name) => `"${name.replaceAll('"', '""')}"`;
const count = (/** @type {number} */ n) => n.toLocaleString("en");
const perSecond = (/** @type {number} */ n, /** @type {number} */ ms) => Math.round(ms > 0 ? (n * 1000) / ms : 0);

/**
 * @typedef {{ name: string, file: string, columns: string[], rows: number, bytes: number, sha256: string }} TableEntry
 * @typedef {{ applied: number, latest: string | null } | null} MigrationLevel
 * @typedef {{ format: string, version: number, createdAt: string, migrations: MigrationLevel, tables: TableEntry[] }} Manifest
 * @typedef {(line: string) => void} Log
 */

/** @param {string} url */
async function connect(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A connection dropped between queries surfaces as an "error" event; the next query fails anyway.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    let where = "the database";
    try {
      const parsed = new URL(url);
      where = `${parsed.host}${parsed.pathname}`; // never the password
    } catch {}
    throw new Error(`cannot connect to ${where}: ${/** @type {Error} */ (error).message}: check --database-url`);
  }
  return client;
}

/**
 * Which migrations the database has (drizzle's own table), named by the journal's tag, or null
 * when it does not say.
 * @param {pg.Client} db
 * @returns {Promise<MigrationLevel>}
 */
async function migrationLevel(db) {
  const { rows } = await db.query("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present");
  if (!rows[0]?.present) return null;
  const { rows: level } = await db.query(
    "SELECT count(*)::int AS applied, max(created_at)::text AS newest FROM drizzle.__drizzle_migrations",
  );
  let latest = null;
  try {
    const journal = JSON.parse(readFileSync(new URL("../migrations/meta/_journal.json", import.meta.url), "utf8"));
    latest = journal.entries.find((/** @type {any} */ e) => String(e.when) === level[0].newest)?.tag ?? null;
  } catch {}
  return { applied: level[0].applied, latest };
}

/**
 * The columns of `table` an INSERT may name (not generated), in table order; empty when there is
 * no such table.
 * @param {pg.Client} db
 * @param {string} table
 * @returns {Promise<string[]>}
 */
async function insertableColumns(db, table) {
  const { rows } = await db.query(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
      ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

/**
 * Logs `what` with its count so far and the rate of the last second, every second until stopped.
 * @param {string} what
 * @param {() => number} done
 * @param {Log} log
 */
function meter(what, done, log) {
  let last = { at: performance.now(), n: 0 };
  const timer = setInterval(() => {
    const now = { at: performance.now(), n: done() };
    log(`${what}: ${count(now.n)} rows, ${count(perSecond(now.n - last.n, now.at - last.at))} rows/s`);
    last = now;
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Streams `table` into `path` through a cursor, FETCH rows a round trip, so memory stays flat
 * however many rows there are. Postgres writes each line (row_to_json): exact types, no parsing here.
 * @param {pg.Client} db
 * @param {string} table
 * @param {string[]} columns
 * @param {string} path
 * @param {Log} log
 */
async function exportTable(db, table, columns, path, log) {
  // Created 0600: the accounts file holds password hashes.
  const out = createWriteStream(path, { flags: "wx", mode: 0o600 });
  const done = finished(out);
  done.catch(() => {}); // awaited below; a write error must not crash the process before that
  const hash = createHash("sha256");
  let rows = 0;
  const started = performance.now();
  const stop = meter(table, () => rows, log);
  try {
    const list = columns.map(ident).join(", ");
    await db.query(
      `DECLARE realm_rows NO SCROLL CURSOR FOR SELECT row_to_json(r)::text FROM (SELECT ${list} FROM ${ident(table)}) r`,
    );
    for (;;) {
      const { rows: batch } = await db.query({ text: `FETCH ${FETCH} FROM realm_rows`, rowMode: "array" });
      if (!batch.length) break;
      const chunk = `${batch.map((r) => r[0]).join("\n")}\n`;
      hash.update(chunk);
      rows += batch.length;
      if (out.errored) throw out.errored; // a full disk, say: stop reading
      if (!out.write(chunk)) await once(out, "drain"); // rejects if the stream fails meanwhile
    }
    await db.query("CLOSE realm_rows");
  } finally {
    stop();
    out.end();
    await done;
  }
  const ms = performance.now() - started;
  log(`${table}: ${count(rows)} rows in ${(ms / 1000).toFixed(1)} s (${count(perSecond(rows, ms))} rows/s)`);
  return { rows, bytes: out.bytesWritten, sha256: hash.digest("hex") };
}

/**
 * Writes the realm's players at `databaseUrl` into `outDir` (created; refused unless empty).
 * @param {{ databaseUrl: string, outDir: string, log: Log }} options
 */
async function exportRealm({ databaseUrl, outDir, log }) {
  if (existsSync(outDir) && readdirSync(outDir).length)
    throw new Error(`${outDir} is not empty: export into a new folder`);
  const db = await connect(databaseUrl);
  const created = [];
  try {
    const migrations = await migrationLevel(db);
    const columns = {};
    for (const table of TABLES) {
      columns[table] = await insertableColumns(db, table);
      if (!columns[table].length) throw new Error(`this database has no ${table} table: is it the realm's database?`);
    }
    mkdirSync(outDir, { recursive: true, mode: 0o700 });
    const started = performance.now();
    // One snapshot for every table, so no character is exported without its account.
    await db.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // Real columns (x, y) in shortest exact text, so they come back bit for bit.
    await db.query("SET LOCAL extra_float_digits = 3");
    /** @type {TableEntry[]} */
    const tables = [];
    for (const name of TABLES) {
      const file = `${name}.ndjson`;
      created.push(join(outDir, file));
      const written = await exportTable(db, name, columns[name], join(outDir, file), log);
      tables.push({ name, file, columns: columns[name], ...written });
    }
    await db.query("COMMIT");
    /** @type {Manifest} */
    const manifest = { format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), migrations, tables };
    // Written last: an export cut short has no manifest, and import refuses it.
    created.push(join(outDir, MANIFEST));
    await writeFile(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    return { manifest, ms: performance.now() - started };
  } catch (error) {
    for (const file of created) rmSync(file, { force: true });
    throw error;
  } finally {
    await db.end().catch(() => {});
  }
}

/** @param {string} path */
async function sha256(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}

/**
 * The manifest of the export in `dir`, once every file in it matches its checksum.
 * @param {string} dir
 * @returns {Promise<Manifest>}
 */
async function readManifest(dir) {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) throw new Error(`${dir} is not a realm export: it has no ${MANIFEST}`);
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not JSON (${/** @type {Error} */ (error).message}): the export is damaged`);
  }
  if (manifest?.format !== FORMAT) throw new Error(`${path} is not a realm export's manifest`);
  if (manifest.version !== VERSION)
    throw new Error(`${path} is format version ${manifest.version}; this version of the tool reads ${VERSION}`);
  const names = manifest.tables?.map((t) => t.name);
  if (JSON.stringify(names) !== JSON.stringify(TABLES))
    throw new Error(`${path} lists tables ${JSON.stringify(names)}; expected ${TABLES.join(", ")}`);
  for (const table of manifest.tables) {
    const file = join(dir, table.file);
    if (basename(table.file) !== table.file || !existsSync(file)) throw new Error(`the export lacks ${table.file}`);
    if ((await sha256(file)) !== table.sha256)
      throw new Error(
        `${file} does not match its SHA-256 in ${MANIFEST}: the export is damaged or was edited; export again`,
      );
  }
  return manifest;
}

/**
 * Refuses a target that cannot take the export: not migrated as far, or (without merge) already
 * holding players.
 * @param {pg.Client} db
 * @param {Manifest} manifest
 * @param {boolean} merge
 */
async function checkTarget(db, manifest, merge) {
  const migrate = "migrate it first (DATABASE_URL=… npm run db:migrate)";
  const level = await migrationLevel(db);
  if (level && manifest.migrations && level.applied < manifest.migrations.applied)
    throw new Error(
      `this database is at migration ${level.latest ?? level.applied}, the export at ${manifest.migrations.latest}: ${migrate}`,
    );
  for (const table of manifest.tables) {
    const have = new Set(await insertableColumns(db, table.name));
    if (!have.size) throw new Error(`this database has no ${table.name} table: ${migrate}`);
    const missing = table.columns.filter((c) => !have.has(c));
    if (missing.length) throw new Error(`this database lacks ${table.name}.${missing.join(", ")}: ${migrate}`);
  }
  const { rows } = await db.query("SELECT EXISTS (SELECT 1 FROM accounts) AS any");
  if (rows[0].any && !merge)
    throw new Error(
      "this database already has accounts: import into an empty realm database, or pass --merge to add the export's players and skip the ids it already has",
    );
}

/** @param {any} error */
function describeError(error) {
  const detail = error.detail ? ` (${error.detail})` : "";
  const hint =
    error.code === "23505"
      ? ": this database has another row by that name under a different id; rename it there, then import again with --merge"
      : "";
  return `${error.message}${detail}${hint}`;
}

/**
 * Inserts one table's file, BATCH rows a statement. A statement is its own transaction: a batch
 * is written whole or not at all. The next batch is read and checked while the last one runs.
 * @param {pg.Client} db
 * @param {string} dir
 * @param {TableEntry} table
 * @param {boolean} merge
 * @param {{ inserted: number, skipped: number }} totals  advanced as batches commit
 * @param {Log} log
 */
async function importTable(db, dir, table, merge, totals, log) {
  const list = table.columns.map(ident).join(", ");
  // Postgres turns one JSON array parameter into typed rows: thousands of rows a statement, no
  // 65,535-parameter limit, and each value parsed by the type that wrote it.
  const sql = `INSERT INTO ${ident(table.name)} (${list}) SELECT ${list}
    FROM json_populate_recordset(NULL::${ident(table.name)}, $1::json)${merge ? " ON CONFLICT (id) DO NOTHING" : ""}`;
  const known = new Set(table.columns);
  let inserted = 0;
  let skipped = 0;
  /** @param {string[]} lines @param {number} first */
  const send = (lines, first) => {
    const sent = db.query(sql, [`[${lines.join(",")}]`]).then(
      (result) => {
        const rows = result.rowCount ?? 0;
        inserted += rows;
        skipped += lines.length - rows;
        totals.inserted += rows;
        totals.skipped += lines.length - rows;
      },
      (error) => {
        throw new Error(
          `${table.file} lines ${first}–${first + lines.length - 1}: ${describeError(error)}; that batch was rolled back`,
        );
      },
    );
    sent.catch(() => {}); // awaited before the next batch; marked handled until then
    return sent;
  };
  const started = performance.now();
  const stop = meter(table.name, () => inserted + skipped, log);
  let line = 0;
  let batch = [];
  let inFlight = Promise.resolve();
  try {
    for await (const text of createInterface({ input: createReadStream(join(dir, table.file)), crlfDelay: Infinity })) {
      line++;
      let row;
      try {
        row = JSON.parse(text);
      } catch (error) {
        throw new Error(`${table.file}:${line}: not a JSON line (${/** @type {Error} */ (error).message})`);
      }
      if (row === null || typeof row !== "object" || Array.isArray(row) || typeof row.id !== "string")
        throw new Error(`${table.file}:${line}: not a row with an id`);
      for (const key in row)
        if (!known.has(key)) throw new Error(`${table.file}:${line}: column "${key}" is not in ${MANIFEST}`);
      batch.push(text);
      if (batch.length === BATCH) {
        await inFlight;
        inFlight = send(batch, line - BATCH + 1);
        batch = [];
      }
    }
    if (batch.length) {
      await inFlight;
      inFlight = send(batch, line - batch.length + 1);
    }
  } finally {
    // Settle the batch in flight before reporting, so the rows counted as written are written.
    await inFlight.finally(stop);
  }
  if (line !== table.rows) throw new Error(`${table.file} has ${line} lines, ${MANIFEST} says ${table.rows}`);
  const ms = performance.now() - started;
  log(
    `${table.name}: ${count(inserted)} rows${merge ? `, ${count(skipped)} skipped (id already here)` : ""} in ${(ms / 1000).toFixed(1)} s (${count(perSecond(inserted + skipped, ms))} rows/s)`,
  );
  return { name: table.name, inserted, skipped };
}

/**
 * Imports the export in `fromDir` into the realm database at `databaseUrl`.
 * @param {{ databaseUrl: string, fromDir: string, merge: boolean, log: Log }} options
 */
async function importRealm({ databaseUrl, fromDir, merge, log }) {
  log("checking the manifest and every file's SHA-256…");
  const manifest = await readManifest(fromDir);
  const db = await connect(databaseUrl);
  const totals = { inserted: 0, skipped: 0 };
  try {
    await checkTarget(db, manifest, merge);
    const started = performance.now();
    const tables = [];
    for (const table of manifest.tables) tables.push(await importTable(db, fromDir, table, merge, totals, log));
    return { manifest, tables, ms: performance.now() - started };
  } catch (error) {
    const written = totals.inserted
      ? `; the ${count(totals.inserted)} rows written before that stay in the database (an import with --merge skips them)`
      : "; nothing was written";
    throw new Error(`${/** @type {Error} */ (error).message}${written}`);
  } finally {
    await db.end().catch(() => {});
  }
}

/** @param {string[]} argv */
async function main(argv) {
  /** @type {{ values: Record<string, string | boolean | undefined>, positionals: string[] }} */
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "database-url": { type: "string" },
        out: { type: "string" },
        from: { type: "string" },
        merge: { type: "boolean" },
        json: { type: "boolean" },
      },
    });
  } catch (error) {
    console.error(`realm-data: ${/** @type {Error} */ (error).message}\n${USAGE}`);
    return 2;
  }
  const { values: o, positionals } = parsed;
  const command = positionals[0];
  const wrong =
    positionals.length !== 1 || (command !== "export" && command !== "import")
      ? "export or import?"
      : command === "export" && (!o.out || o.from || o.merge)
        ? "export takes --out DIR (and no --from or --merge)"
        : command === "import" && (!o.from || o.out)
          ? "import takes --from DIR (and no --out)"
          : undefined;
  if (wrong) {
    console.error(`realm-data: ${wrong}\n${USAGE}`);
    return 2;
  }
  const log = (/** @type {string} */ line) => console.error(`realm-data ${command}: ${line}`);
  const databaseUrl = /** @type {string | undefined} */ (o["database-url"]) ?? process.env.DATABASE_URL;
  if (!databaseUrl) {
    log("no database: pass --database-url URL or set DATABASE_URL");
    return 2;
  }
  const maxRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
  try {
    if (command === "export") {
      const outDir = /** @type {string} */ (o.out);
      const { manifest, ms } = await exportRealm({ databaseUrl, outDir, log });
      const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
      const bytes = manifest.tables.reduce((sum, t) => sum + t.bytes, 0);
      const summary = {
        command,
        dir: outDir,
        rows,
        bytes,
        seconds: Math.round(ms) / 1000,
        rowsPerSecond: perSecond(rows, ms),
      };
      if (o.json) console.log(JSON.stringify({ ...summary, tables: manifest.tables, maxRssMiB: maxRssMiB() }));
      else
        console.log(
          `exported ${manifest.tables.map((t) => `${count(t.rows)} ${t.name}`).join(" and ")} (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${(ms / 1000).toFixed(1)} s, ${count(summary.rowsPerSecond)} rows/s, into ${outDir}`,
        );
    } else {
      const fromDir = /** @type {string} */ (o.from);
      const { tables, ms } = await importRealm({ databaseUrl, fromDir, merge: o.merge === true, log });
      const rows = tables.reduce((sum, t) => sum + t.inserted + t.skipped, 0);
      const summary = {
        command,
        dir: fromDir,
        rows,
        seconds: Math.round(ms) / 1000,
        rowsPerSecond: perSecond(rows, ms),
      };
      if (o.json) console.log(JSON.stringify({ ...summary, tables, maxRssMiB: maxRssMiB() }));
      else
        console.log(
          `imported ${tables.map((t) => `${count(t.inserted)} ${t.name}${o.merge ? ` (${count(t.skipped)} skipped)` : ""}`).join(" and ")} in ${(ms / 1000).toFixed(1)} s, ${count(summary.rowsPerSecond)} rows/s, from ${fromDir}`,
        );
    }
    return 0;
  } catch (error) {
    log(/** @type {Error} */ (error).message);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
