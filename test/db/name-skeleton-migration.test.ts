/**
 * Migration 0002 (name skeletons) on a database that already has rows, as a realm upgraded from
 * an older release would: existing names get their skeleton, and look-alikes already stored make
 * the migration fail as a whole, naming them, rather than half-apply (docs/accounts.md#names).
 * Each case runs the migration files in a schema of its own on the test server.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { nameSkeleton } from "../../shared/text/names";

const MIGRATIONS = new URL("../../migrations/", import.meta.url);
/** A migration's statements, with its foreign keys pointed at the schema in use instead of `public`. */
const statements = (file: string) =>
  readFileSync(new URL(file, MIGRATIONS), "utf8")
    .replaceAll('"public".', "")
    .split("--> statement-breakpoint")
    .filter((s) => s.trim());

let client: pg.Client;
const schemas: string[] = [];

beforeAll(async () => {
  client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
});
afterAll(async () => {
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

/** A fresh schema at migration 0001 holding the given accounts, each with one character of the same name. */
async function before0002(names: string[]) {
  const schema = `skeleton_${Math.random().toString(36).slice(2, 10)}`;
  schemas.push(schema);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  for (const file of ["0000_accounts_characters.sql", "0001_character_room.sql"]) {
    for (const statement of statements(file)) await client.query(statement);
  }
  for (const name of names) {
    const { rows } = await client.query(
      "INSERT INTO accounts (username, password_hash) VALUES ($1, 'x') RETURNING id",
      [name],
    );
    await client.query(
      `INSERT INTO characters (account_id, name, class, str, dex, int, vit, hp, mp, zone_id)
       VALUES ($1, $2, 'mage', 1, 1, 1, 1, 1, 1, 'start')`,
      [rows[0].id, name],
    );
  }
}

/** Runs 0002 in one transaction, as drizzle's migrator does. */
async function migrate0002() {
  await client.query("BEGIN");
  try {
    for (const statement of statements("0002_name_skeletons.sql")) await client.query(statement);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

describe("migration 0002_name_skeletons", () => {
  it("backfills the skeleton of every existing username and character name", async () => {
    const names = ["Ｍｅｒｌｉｎ", "Sir  Lancelot", "Zoë", "admin", "Ada_1"];
    await before0002(names);
    await migrate0002();
    const accounts = await client.query("SELECT username, username_skeleton FROM accounts ORDER BY username");
    const characters = await client.query("SELECT name, name_skeleton FROM characters ORDER BY name");
    for (const row of accounts.rows) expect(row.username_skeleton).toBe(nameSkeleton(row.username));
    for (const row of characters.rows) expect(row.name_skeleton).toBe(nameSkeleton(row.name));
    expect(characters.rows).toHaveLength(names.length);
  });

  it("fails whole, naming the names that look alike, when existing rows already do", async () => {
    await before0002(["admin", "adrnin", "Kay"]);
    const failure = await migrate0002().then(
      () => undefined,
      (error: { code?: string; message?: string }) => error,
    );
    expect(failure?.code).toBe("23505");
    expect(failure?.message).toBe(
      "names that look alike must be renamed before migration 0002: usernames admin, adrnin; characters admin, adrnin",
    );
    const columns = await client.query(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name LIKE '%skeleton'",
    );
    expect(columns.rows).toEqual([]); // rolled back: nothing half-applied
  });
});
