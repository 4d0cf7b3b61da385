/**
 * scripts/realm-data.mjs as an operator runs it: a small realm made through the realm's own
 * functions is exported and imported into another database, row for row; a damaged export, a
 * second import without --merge and a malformed line are refused, and --merge skips ids already
 * there. Each case uses databases of its own on the test server.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrateDatabase } from "../../scripts/lib/migrate.mjs";
import { createAccount } from "../../shared/db/accounts";
import { createCharacter, saveCharacterState } from "../../shared/db/characters";
import { withDatabase } from "../../shared/db/client";

const TOOL = fileURLToPath(new URL("../../scripts/realm-data.mjs", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "leviathan-realm-data-"));
const databases: string[] = [];
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
});
afterAll(async () => {
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh, migrated database on the test server; its URL. */
async function freshDatabase(): Promise<string> {
  const name = `realm_data_${Math.random().toString(36).slice(2, 10)}`;
  databases.push(name);
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return url.toString();
}

function tool(...args: string[]) {
  const run = spawnSync(process.execPath, [TOOL, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, output: `${run.stdout}${run.stderr}` };
}

/** Adds accounts, each with characters, through shared/db; one character moved by a zone write. */
async function addPlayers(url: string, names: string[]) {
  await withDatabase({ url, driver: "pg", connectTimeoutMs: 5000 }, async (db) => {
    for (const name of names) {
      // Quotes, a newline and non-ASCII: the lines must carry any text.
      const account = await createAccount(db, { username: name, passwordHash: `pbkdf2-sha256$1$"s"\n$ü-${name}` });
      if (!account.ok) throw new Error(account.error);
      for (const suffix of ["a", "b"]) {
        const stats = { str: 5, dex: 6, int: 7, vit: 8, hp: 40, mp: 30, zoneId: "start" };
        const made = await createCharacter(
          db,
          account.value.id,
          { name: `${name}${suffix}`, class: "mage", ...stats },
          5,
        );
        if (!made.ok) throw new Error(made.error);
        if (suffix === "b") {
          const state = { level: 3, xp: 420, hp: 12, mp: 3, zoneId: "start", roomId: "square", playSeconds: 77 };
          const saved = await saveCharacterState(db, made.value.id, 1, { ...state, x: 0.1, y: -1234.567 });
          if (!saved.ok) throw new Error(saved.error);
        }
      }
    }
  });
}

/** Every row of both tables, every column (generated ones too), in id order. */
async function rows(url: string) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const accounts = (await db.query("SELECT * FROM accounts ORDER BY id")).rows;
    const characters = (await db.query("SELECT * FROM characters ORDER BY id")).rows;
    return { accounts, characters };
  } finally {
    await db.end();
  }
}

/** Rewrites a file of an export and its manifest entry, as if the export had been written so. */
function rewrite(dir: string, file: string, text: string, lines: number) {
  writeFileSync(join(dir, file), text);
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const entry = manifest.tables.find((t: { file: string }) => t.file === file);
  entry.sha256 = createHash("sha256").update(text).digest("hex");
  entry.rows = lines;
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
}

describe("realm-data export and import", () => {
  let source: string;
  let target: string;
  const exportDir = join(scratch, "export");

  beforeAll(async () => {
    source = await freshDatabase();
    target = await freshDatabase();
    await addPlayers(source, ["Ada", "Bors", "Ærwen"]);
  });

  it("exports every account and character, 0600, with a manifest of counts and hashes", () => {
    const run = tool("export", "--database-url", source, "--out", exportDir, "--json");
    expect(run.code, run.output).toBe(0);
    const manifest = JSON.parse(readFileSync(join(exportDir, "manifest.json"), "utf8"));
    expect(manifest.tables.map((t: { name: string; rows: number }) => [t.name, t.rows])).toEqual([
      ["accounts", 3],
      ["characters", 6],
    ]);
    expect(manifest.migrations.applied).toBeGreaterThan(0);
    for (const file of ["manifest.json", "accounts.ndjson", "characters.ndjson"]) {
      expect(statSync(join(exportDir, file)).mode & 0o777, file).toBe(0o600);
    }
    expect(JSON.parse(run.stdout).rows).toBe(9);
    const again = tool("export", "--database-url", source, "--out", exportDir);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/is not empty/);
  });

  it("imports into another database row for row, then refuses a second import without --merge", async () => {
    const run = tool("import", "--database-url", target, "--from", exportDir);
    expect(run.code, run.output).toBe(0);
    expect(await rows(target)).toEqual(await rows(source));
    const again = tool("import", "--database-url", target, "--from", exportDir);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/already has accounts.*--merge/);
  });

  it("with --merge, adds the new players and skips the ids already there", async () => {
    await addPlayers(source, ["Cai"]);
    const later = join(scratch, "later");
    expect(tool("export", "--database-url", source, "--out", later).code).toBe(0);
    const run = tool("import", "--database-url", target, "--from", later, "--merge", "--json");
    expect(run.code, run.output).toBe(0);
    expect(JSON.parse(run.stdout).tables).toEqual([
      { name: "accounts", inserted: 1, skipped: 3 },
      { name: "characters", inserted: 2, skipped: 6 },
    ]);
    expect(await rows(target)).toEqual(await rows(source));
  });

  it("refuses a tampered file, naming it, before writing anything", async () => {
    const tampered = join(scratch, "tampered");
    cpSync(exportDir, tampered, { recursive: true });
    const file = join(tampered, "characters.ndjson");
    writeFileSync(file, readFileSync(file, "utf8").replace('"level":3', '"level":99'));
    const empty = await freshDatabase();
    const run = tool("import", "--database-url", empty, "--from", tampered);
    expect(run.code).toBe(1);
    expect(run.output).toContain("characters.ndjson does not match its SHA-256");
    expect((await rows(empty)).accounts).toEqual([]);
  });

  it("stops at a malformed line with file:line and rolls back that batch", async () => {
    const broken = join(scratch, "broken");
    cpSync(exportDir, broken, { recursive: true });
    const lines = readFileSync(join(broken, "characters.ndjson"), "utf8").trimEnd().split("\n");
    lines.splice(2, 0, '{"id": "half a row",');
    rewrite(broken, "characters.ndjson", `${lines.join("\n")}\n`, lines.length);
    const empty = await freshDatabase();
    const run = tool("import", "--database-url", empty, "--from", broken);
    expect(run.code).toBe(1);
    expect(run.output).toContain("characters.ndjson:3: not a JSON line");
    expect(run.output).not.toMatch(/^imported/m);
    const after = await rows(empty);
    expect(after.accounts).toHaveLength(3); // an earlier table's batches stay, and the message says so
    expect(run.output).toMatch(/the 3 rows written before that stay in the database/);
    expect(after.characters).toEqual([]);
  });

  it("rolls back a batch Postgres refuses, naming its lines", async () => {
    const wrong = join(scratch, "wrong");
    cpSync(exportDir, wrong, { recursive: true });
    const text = readFileSync(join(wrong, "characters.ndjson"), "utf8").replace('"str":5', '"str":"strong"');
    rewrite(wrong, "characters.ndjson", text, 6);
    const empty = await freshDatabase();
    const run = tool("import", "--database-url", empty, "--from", wrong);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/characters\.ndjson lines 1–6: invalid input syntax for type integer.*rolled back/);
    expect((await rows(empty)).characters).toEqual([]);
  });
});
