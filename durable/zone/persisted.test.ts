/**
 * In-runtime tests of a zone reading the versioned JSON rows of its SQLite (docs/architecture.md,
 * "Versioned state"): rows written before versions existed (version 0) are resumed from; a row
 * that does not read is set aside in `zone_quarantine` with one error line, never half-loaded.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { zoneObjectName } from "../../shared/config";
import type { CharacterState } from "../../shared/db/characters";

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
      const world = structuredClone(zone.mud?.world);
      const entryRoom = zone.mud?.content.zone.entryRoom;
      if (!world || !entryRoom) throw new Error("start is a world zone");
      // An item moved and the id counter advanced, stored as the old code wrote it: no `v`.
      const [itemId] = Object.keys(world.items);
      const item = world.items[itemId as string];
      if (!item) throw new Error("the start zone places items");
      world.items[item.id] = { ...item, location: { kind: "room", roomId: entryRoom } };
      world.nextId += 100;
      state.storage.sql.exec("UPDATE mud_world SET state = ? WHERE id = 1", JSON.stringify(world));
      const revived = await reload(state);
      expect(revived.mud?.world).toEqual(world);
      revived.mud?.save(Date.now());
      const [row] = rows(state, "SELECT state FROM mud_world WHERE id = 1");
      expect(JSON.parse(String(row?.state))).toEqual({ v: 1, ...world });
      expect(rows(state, "SELECT source FROM zone_quarantine")).toEqual([]);
    });
  });

  it("resumes a field zone from a version-0 field row", async () => {
    await runInDurableObject(stubFor("test-area"), async (zone, state) => {
      const field = structuredClone(zone.field?.state);
      if (!field) throw new Error("test-area is a field zone");
      const saved = { state: { ...field, settings: { ...field.settings, tickHz: 10, snapshotHz: 5 } }, entities: {} };
      state.storage.sql.exec(
        "INSERT OR REPLACE INTO field_world (id, state, updated_at) VALUES (1, ?, ?)",
        JSON.stringify(saved),
        Date.now(),
      );
      const revived = await reload(state);
      expect(revived.tickRateHz).toBe(10);
      expect(revived.field?.state).toEqual(saved.state);
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
      expect(zone.writer.pending(id)).toEqual({ characterId: id, version: 3, state: queued });
      zone.writer.enqueue({ characterId: id, version: 3, state: { ...queued, playSeconds: 40 } }, Date.now());
      const [row] = rows(state, "SELECT state FROM character_writes WHERE character_id = ?", id);
      expect(JSON.parse(String(row?.state))).toEqual({ v: 1, ...queued, playSeconds: 40 });
    });
  });
});

describe("a zone refusing a row that does not read", () => {
  it("sets a corrupt MUD world aside with one error line and starts the world from content", async () => {
    const errors = vi.spyOn(console, "error");
    await runInDurableObject(stubFor("start"), async (zone, state) => {
      const fresh = structuredClone(zone.mud?.world);
      state.storage.sql.exec("UPDATE mud_world SET state = ? WHERE id = 1", '{"zoneId":"start","items":');
      const revived = await reload(state);
      expect(revived.mud?.world.items).toEqual(fresh?.items);
      expect(rows(state, "SELECT source, key, payload, reason FROM zone_quarantine")).toEqual([
        { source: "mud_world", key: "1", payload: '{"zoneId":"start","items":', reason: "mud_world: not JSON" },
      ]);
    });
    const refused = errorLines(errors).filter((line) => line.event === "zone.row_refused");
    expect(refused).toEqual([expect.objectContaining({ source: "mud_world", reason: "mud_world: not JSON" })]);
  });

  it("sets a field row of a newer version aside, naming why, and starts the field from content", async () => {
    await runInDurableObject(stubFor("test-area"), async (_zone, state) => {
      state.storage.sql.exec(
        "INSERT OR REPLACE INTO field_world (id, state, updated_at) VALUES (1, ?, ?)",
        JSON.stringify({ v: 9, state: {}, entities: {} }),
        Date.now(),
      );
      const revived = await reload(state);
      expect(revived.field?.state.tick).toBe(0);
      expect(rows(state, "SELECT source, reason FROM zone_quarantine")).toEqual([
        { source: "field_world", reason: "field_world: version 9 is newer than this code reads (1)" },
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
      expect(zone.writer.pending(id)).toBeUndefined();
      expect(rows(state, "SELECT character_id FROM character_writes")).toEqual([]);
      const [kept] = rows(state, "SELECT source, key, payload, reason FROM zone_quarantine");
      expect(kept).toEqual({ source: "character_writes", key: id, payload: corrupt, reason: expect.any(String) });
      expect(String(kept?.reason)).toMatch(/^character_writes\.state: hp: /);
    });
  });
});
