/**
 * In-runtime tests of a zone reading the versioned JSON rows of its SQLite (docs/architecture.md,
 * "Versioned state"): rows written before versions existed (version 0) are resumed from; a row
 * that does not read is set aside in `zone_quarantine` with one error line, never half-loaded.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { zoneObjectName } from "../../shared/config";
import type { CharacterState } from "../../shared/db/characters";
import migrations from "./migrations/migrations.js";
import { fieldOf, mudOf } from "./testing";

const stubFor = (zoneId: string) => env.ZONES.getByName(zoneObjectName("local", zoneId));
const rows = (state: DurableObjectState, query: string, ...params: unknown[]) => [
  ...state.storage.sql.exec(query, ...params),
];

/** A fresh zone object over the same storage, as after a restart, once it has loaded. */
async function reload(state: DurableObjectState) {
  const { ZoneDurableObject } = await import("./zone");
  const revived = new ZoneDurableObject(state, env);
  await state.blockConcurrencyWhile(async () => {});
  return revived;
}

/** The zone's error lines so far, parsed. */
const errorLines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => JSON.parse(String(line)));

const queued: CharacterState = {
  level: 2,
  xp: 120,
  hp: 50,
  mp: 20,
  zoneId: "start",
  roomId: "village-square",
  x: 0,
  y: 0,
  playSeconds: 30,
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a zone resuming from rows written before they carried a version", () => {
  it("resumes a world zone from a version-0 MUD world row, and writes it back at version 1", async () => {
    await runInDurableObject(stubFor("start"), async (zone, state) => {
      const world = structuredClone(mudOf(zone).world);
      const entryRoom = mudOf(zone).content.zone.entryRoom;
      if (!world || !entryRoom) throw new Error("start is a world zone");
      // An item moved and the id counter advanced, stored as the old code wrote it: no `v`.
      const [itemId] = Object.keys(world.items);
      const item = world.items[itemId as string];
      if (!item) throw new Error("the start zone places items");
      world.items[item.id] = { ...item, location: { kind: "room", roomId: entryRoom } };
      world.nextId += 100;
      state.storage.sql.exec("UPDATE engine_state SET state = ? WHERE kind = 'mud'", JSON.stringify(world));
      const revived = await reload(state);
      expect(mudOf(revived).world).toEqual(world);
      revived.host.store.saveEngineState("mud", mudOf(revived).serialize(), Date.now());
      const [row] = rows(state, "SELECT state FROM engine_state WHERE kind = 'mud'");
      expect(JSON.parse(String(row?.state))).toEqual({ v: 1, ...world });
      expect(rows(state, "SELECT source FROM zone_quarantine")).toEqual([]);
    });
  });

  it("resumes a field zone from a version-0 field row", async () => {
    await runInDurableObject(stubFor("test-area"), async (zone, state) => {
      const field = structuredClone(fieldOf(zone).state);
      if (!field) throw new Error("test-area is a field zone");
      const saved = { state: { ...field, settings: { ...field.settings, tickHz: 10, snapshotHz: 5 } }, entities: {} };
      state.storage.sql.exec(
        "INSERT OR REPLACE INTO engine_state (kind, state, updated_at) VALUES ('field', ?, ?)",
        JSON.stringify(saved),
        Date.now(),
      );
      const revived = await reload(state);
      expect(revived.host.tickRateHz).toBe(10);
      expect(fieldOf(revived).state).toEqual(saved.state);
    });
  });

  it("reads a version-0 queued character write, and writes newer ones at version 1", async () => {
    const id = crypto.randomUUID();
    await runInDurableObject(stubFor("queue-v0"), async (zone, state) => {
      state.storage.sql.exec(
        "INSERT INTO character_writes (character_id, version, state, seq, attempts, next_attempt_at) VALUES (?, 3, ?, 1, 0, ?)",
        id,
        JSON.stringify(queued),
        Date.now() + 3_600_000,
      );
      expect(zone.host.writer.pending(id)).toEqual({ characterId: id, version: 3, state: queued });
      zone.host.writer.enqueue({ characterId: id, version: 3, state: { ...queued, playSeconds: 40 } }, Date.now());
      const [row] = rows(state, "SELECT state FROM character_writes WHERE character_id = ?", id);
      expect(JSON.parse(String(row?.state))).toEqual({ v: 1, ...queued, playSeconds: 40 });
    });
  });
});

describe("a zone refusing a row that does not read", () => {
  it("sets a corrupt MUD world aside with one error line and starts the world from content", async () => {
    const errors = vi.spyOn(console, "error");
    await runInDurableObject(stubFor("start"), async (zone, state) => {
      const fresh = structuredClone(mudOf(zone).world);
      state.storage.sql.exec("UPDATE engine_state SET state = ? WHERE kind = 'mud'", '{"zoneId":"start","items":');
      const revived = await reload(state);
      expect(mudOf(revived).world.items).toEqual(fresh?.items);
      expect(rows(state, "SELECT source, key, payload, reason FROM zone_quarantine")).toEqual([
        { source: "mud_world", key: "mud", payload: '{"zoneId":"start","items":', reason: "mud_world: not JSON" },
      ]);
    });
    const refused = errorLines(errors).filter((line) => line.event === "zone.row_refused");
    expect(refused).toEqual([expect.objectContaining({ source: "mud_world", reason: "mud_world: not JSON" })]);
  });

  it("sets a field row of a newer version aside, naming why, and starts the field from content", async () => {
    await runInDurableObject(stubFor("test-area"), async (_zone, state) => {
      state.storage.sql.exec(
        "INSERT OR REPLACE INTO engine_state (kind, state, updated_at) VALUES ('field', ?, ?)",
        JSON.stringify({ v: 9, state: {}, entities: {} }),
        Date.now(),
      );
      const revived = await reload(state);
      expect(fieldOf(revived).state.tick).toBe(0);
      expect(rows(state, "SELECT source, reason FROM zone_quarantine")).toEqual([
        { source: "field_world", reason: "field_world: version 9 is newer than this code reads (2)" },
      ]);
    });
  });

  it("keeps a corrupt queued write aside, unsent, and out of the queue", async () => {
    const id = crypto.randomUUID();
    await runInDurableObject(stubFor("queue-corrupt"), async (zone, state) => {
      const corrupt = JSON.stringify({ ...queued, hp: "full" });
      state.storage.sql.exec(
        "INSERT INTO character_writes (character_id, version, state, seq, attempts, next_attempt_at) VALUES (?, 1, ?, 1, 0, ?)",
        id,
        corrupt,
        Date.now(),
      );
      expect(zone.host.writer.pending(id)).toBeUndefined();
      expect(rows(state, "SELECT character_id FROM character_writes")).toEqual([]);
      const [kept] = rows(state, "SELECT source, key, payload, reason FROM zone_quarantine");
      expect(kept).toEqual({ source: "character_writes", key: id, payload: corrupt, reason: expect.any(String) });
      expect(String(kept?.reason)).toMatch(/^character_writes\.state: hp: /);
    });
  });
});

describe("a zone whose SQLite predates the engine_state table", () => {
  it("moves a MUD world and a field stored in their own tables into engine_state, keeping them whole", async () => {
    await runInDurableObject(stubFor("start"), async (zone, state) => {
      const world = structuredClone(mudOf(zone).world);
      world.nextId += 7;
      // The zone's SQLite as the previous schema left it: the world in `mud_world`, a field row beside it.
      state.storage.sql.exec("DROP TABLE engine_state");
      state.storage.sql.exec(
        "CREATE TABLE mud_world (id integer PRIMARY KEY NOT NULL, state text NOT NULL, updated_at integer NOT NULL)",
      );
      state.storage.sql.exec(
        "CREATE TABLE field_world (id integer PRIMARY KEY NOT NULL, state text NOT NULL, updated_at integer NOT NULL)",
      );
      state.storage.sql.exec("INSERT INTO mud_world VALUES (1, ?, 5)", JSON.stringify({ v: 1, ...world }));
      state.storage.sql.exec("INSERT INTO field_world VALUES (1, ?, 6)", '{"v":1,"field":"kept as stored"}');
      const moving = migrations.migrations.m0007 ?? "";
      for (const statement of moving.split("--> statement-breakpoint")) state.storage.sql.exec(statement);
      expect(rows(state, "SELECT kind, updated_at FROM engine_state ORDER BY kind")).toEqual([
        { kind: "field", updated_at: 6 },
        { kind: "mud", updated_at: 5 },
      ]);
      const [field] = rows(state, "SELECT state FROM engine_state WHERE kind = 'field'");
      expect(field?.state).toBe('{"v":1,"field":"kept as stored"}');
      const tables = rows(state, "SELECT name FROM sqlite_master WHERE name IN ('mud_world', 'field_world')");
      expect(tables).toEqual([]);
      expect(mudOf(await reload(state)).world).toEqual(world);
    });
  });
});
