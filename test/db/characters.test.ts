/**
 * Character persistence rules on a real Postgres: versioned writes (no lost update, no stale
 * overwrite), the per-account limit under concurrency, and names unique on their confusable
 * skeleton (computed by Postgres, the same as shared/text/names.ts computes it).
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createAccount } from "../../shared/db/accounts";
import {
  type CharacterState,
  createCharacter,
  type NewCharacter,
  readCharacterState,
  sameCharacterState,
  saveCharacterState,
} from "../../shared/db/characters";
import { type DatabaseSettings, withDatabase } from "../../shared/db/client";
import { SKELETON_ENTRIES } from "../../shared/text/confusables";
import { nameSkeleton } from "../../shared/text/names";

let settings: DatabaseSettings;
beforeAll(() => {
  settings = { url: inject("databaseUrl"), driver: "pg", connectTimeoutMs: 5000 };
});

const unique = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 10)}`;

async function newAccountWithCharacter() {
  return withDatabase(settings, async (db) => {
    const account = await createAccount(db, { username: unique("acct"), passwordHash: "x" });
    if (!account.ok) throw new Error(account.error);
    const character = await createCharacter(
      db,
      account.value.id,
      { name: unique("Ch"), class: "mage", str: 1, dex: 1, int: 1, vit: 1, hp: 10, mp: 10, zoneId: "start" },
      5,
    );
    if (!character.ok) throw new Error(character.error);
    return { accountId: account.value.id, character: character.value };
  });
}

const state = (playSeconds: number): CharacterState => ({
  level: 1,
  xp: playSeconds,
  hp: 10,
  mp: 10,
  zoneId: "start",
  roomId: null,
  x: 0,
  y: 0,
  playSeconds,
});

describe("versioned character writes", () => {
  it("lets exactly one of two concurrent writers of the same version win; the other gets conflict", async () => {
    const { character } = await newAccountWithCharacter();
    const [a, b] = await Promise.all([
      withDatabase(settings, (db) => saveCharacterState(db, character.id, 1, state(100))),
      withDatabase(settings, (db) => saveCharacterState(db, character.id, 1, state(200))),
    ]);
    const outcomes = [a, b].map((r) => (r.ok ? "ok" : r.error)).sort();
    expect(outcomes).toEqual(["conflict", "ok"]);
    const winner = a.ok ? 100 : 200;
    const row = await withDatabase(settings, async (db) => {
      const { characters } = await import("../../shared/db/schema");
      const { eq } = await import("drizzle-orm");
      return (await db.select().from(characters).where(eq(characters.id, character.id)))[0];
    });
    expect(row?.version).toBe(2);
    expect(row?.playSeconds).toBe(winner); // the loser did not overwrite it
  });

  it("refuses a stale writer after a newer write, and reports a deleted character as not_found", async () => {
    const { character } = await newAccountWithCharacter();
    const first = await withDatabase(settings, (db) => saveCharacterState(db, character.id, 1, state(5)));
    expect(first).toEqual({ ok: true, value: { version: 2 } });
    const stale = await withDatabase(settings, (db) => saveCharacterState(db, character.id, 1, state(1)));
    expect(stale).toEqual({ ok: false, error: "conflict" });
    const next = await withDatabase(settings, (db) => saveCharacterState(db, character.id, 2, state(9)));
    expect(next).toEqual({ ok: true, value: { version: 3 } });
    const missing = await withDatabase(settings, (db) =>
      saveCharacterState(db, "00000000-0000-4000-8000-000000000000", 1, state(1)),
    );
    expect(missing).toEqual({ ok: false, error: "not_found" });
  });

  it("reads back a written state that compares equal to what was sent, positions at 4-byte float precision", async () => {
    const { character } = await newAccountWithCharacter();
    const sent = { ...state(7), roomId: "lantern-inn", x: 0.1 + 0.2, y: -1234.56789 };
    await withDatabase(settings, (db) => saveCharacterState(db, character.id, 1, sent));
    const stored = await withDatabase(settings, (db) => readCharacterState(db, character.id));
    expect(stored).toMatchObject({ version: 2, playSeconds: 7, roomId: "lantern-inn" });
    expect(stored?.x).not.toBe(sent.x); // Postgres keeps a 4-byte float…
    expect(sameCharacterState(stored as CharacterState, sent)).toBe(true); // …and that still counts as the same
    expect(sameCharacterState(stored as CharacterState, { ...sent, playSeconds: 8 })).toBe(false);
    expect(sameCharacterState(stored as CharacterState, { ...sent, x: 0.31 })).toBe(false);
    expect(await withDatabase(settings, (db) => readCharacterState(db, "00000000-0000-4000-8000-000000000000"))).toBe(
      undefined,
    );
  });

  it("holds the per-account limit when many creations race", async () => {
    const { accountId } = await newAccountWithCharacter(); // already owns 1 of 5
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        withDatabase(settings, (db) =>
          createCharacter(
            db,
            accountId,
            { name: unique(`R${i}`), class: "warrior", str: 1, dex: 1, int: 1, vit: 1, hp: 1, mp: 1, zoneId: "start" },
            5,
          ),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    expect(results.filter((r) => !r.ok && r.error === "limit_reached")).toHaveLength(4);
  });
});

describe("names unique on their confusable skeleton", () => {
  /** Random lowercase letters that no confusable folds together, so reruns never collide. */
  const tag = () => Array.from({ length: 8 }, () => "abcdefghjkpqtwxyz"[Math.floor(Math.random() * 17)]).join("");
  const mage = (name: string): NewCharacter => ({
    name,
    class: "mage",
    str: 1,
    dex: 1,
    int: 1,
    vit: 1,
    hp: 10,
    mp: 10,
    zoneId: "start",
  });

  async function create(name: string) {
    return withDatabase(settings, async (db) => {
      const account = await createAccount(db, { username: `acct${tag()}`, passwordHash: "x" });
      if (!account.ok) throw new Error(account.error);
      return createCharacter(db, account.value.id, mage(name), 5);
    });
  }

  it("refuses Mеrlin with a Cyrillic е once Merlin exists: name_taken", async () => {
    const suffix = tag();
    expect((await create(`Merlin${suffix}`)).ok).toBe(true);
    expect(await create(`M\u0435rlin${suffix}`)).toEqual({ ok: false, error: "name_taken" });
    expect(await create(`MERL1N${suffix}`)).toEqual({ ok: false, error: "name_taken" });
    expect(await create(`Merl\u200Bin${suffix}`)).toEqual({ ok: true, value: expect.anything() }); // validation's job, not the index's
  });

  it("stores the NFKC form, with the skeleton Postgres computed", async () => {
    const suffix = tag();
    const created = await create(`Ｓｉｒ  Ｋａｙ${suffix}`);
    expect(created.ok && created.value.name).toBe(`Sir Kay${suffix}`);
    expect(created.ok && created.value.nameSkeleton).toBe(nameSkeleton(`Sir Kay${suffix}`));
  });

  it("refuses usernames that look alike: admin then adrnin is username_taken", async () => {
    const suffix = tag();
    const register = (username: string) =>
      withDatabase(settings, (db) => createAccount(db, { username, passwordHash: "x" }));
    expect((await register(`admin${suffix}`)).ok).toBe(true);
    expect(await register(`adrnin${suffix}`)).toEqual({ ok: false, error: "username_taken" });
    expect(await register(`ADMlN${suffix}`)).toEqual({ ok: false, error: "username_taken" });
    expect((await register(`adnim${suffix}`)).ok).toBe(true);
  });

  it("computes in SQL exactly the skeleton the TypeScript computes, for every table entry", async () => {
    const sources = SKELETON_ENTRIES.split(" ").map((entry) =>
      String.fromCodePoint(Number.parseInt(entry.split(">")[0] ?? "", 16)),
    );
    const names = [
      ...sources.map((c) => `a${c}b`),
      ...sources.map((c) => c.repeat(2)),
      "  Sir   Lancelot  ",
      "Ｍｅｒｌｉｎ",
      "Zoe\u0308",
      "Nguyễn Văn",
      "M\u0435rlin",
      "ΑΒΕ",
      "Сора",
      "rn_m-0O1lI",
    ];
    const rows = await withDatabase(settings, async (db) => {
      const result = await db.execute(
        sql`SELECT n, name_skeleton_v1(n) AS s FROM json_array_elements_text(${JSON.stringify(names)}::json) WITH ORDINALITY AS t(n, i) ORDER BY i`,
      );
      return (result as unknown as { rows: { n: string; s: string }[] }).rows;
    });
    expect(rows.map((r) => r.n)).toEqual(names);
    const mismatches = rows.filter((r) => r.s !== nameSkeleton(r.n));
    expect(mismatches).toEqual([]);
  });
});
