/**
 * In-runtime tests of what a zone does with the characters it held when it loads again (workerd
 * via the vitest plugin, isolated storage; no Postgres here, so queued writes stay to be read).
 */
import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { directoryObjectName, zoneObjectName } from "../../shared/config";
import { CHARACTER_HEADER, type CharacterSnapshot } from "../../shared/protocol/character";
import { character as characterFor } from "./testing.node";

const stubFor = (zoneId: string) => env.ZONES.getByName(zoneObjectName("local", zoneId));
const directory = () => env.DIRECTORY.getByName(directoryObjectName("local"));
const rows = (state: DurableObjectState, query: string, ...params: unknown[]) => [
  ...state.storage.sql.exec(query, ...params),
];

/** Loads the zone again over the same storage, as after a crash, and waits for it to settle. */
async function reload(state: DurableObjectState): Promise<void> {
  const { ZoneDurableObject } = await import("./zone");
  new ZoneDurableObject(state, env);
  await state.blockConcurrencyWhile(async () => {});
}

const character = (fields: Partial<CharacterSnapshot> = {}): CharacterSnapshot =>
  characterFor(crypto.randomUUID(), { accountId: crypto.randomUUID(), name: "Roster", ...fields });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a zone settling the characters it held", () => {
  it("queues a held character's write with the newest version it knows, not an older queued one's", async () => {
    const held = character({ version: 5, playSeconds: 50 });
    await runInDurableObject(stubFor("settle-version"), async (zone, state) => {
      // A write queued at version 2 from an earlier session, and the roster's newer knowledge.
      zone.host.writer.enqueue({ characterId: held.id, version: 2, state: { ...held, playSeconds: 20 } }, Date.now());
      zone.host.roster.admit(held, Date.now());
      await reload(state);
      expect(rows(state, "SELECT version FROM character_writes WHERE character_id = ?", held.id)).toEqual([
        { version: 5 },
      ]);
      expect(rows(state, "SELECT 1 FROM zone_characters WHERE character_id = ?", held.id)).toEqual([]);
    });
  });

  it("deletes a roster row that no longer parses, says so, and lets the character go in the directory", async () => {
    const zoneId = "settle-unreadable";
    const id = crypto.randomUUID();
    const errors = vi.spyOn(console, "error");
    await runInDurableObject(stubFor(zoneId), async (_zone, state) => {
      state.storage.sql.exec(
        "INSERT INTO zone_characters (character_id, character, connected_at) VALUES (?, ?, ?)",
        id,
        JSON.stringify({ id, name: 42 }),
        Date.now(),
      );
    });
    expect(await directory().claimCharacter(id, zoneId)).toBeNull();
    await runInDurableObject(stubFor(zoneId), async (_zone, state) => {
      await reload(state);
      expect(rows(state, "SELECT character_id FROM zone_characters")).toEqual([]);
      // Kept aside with why, not lost.
      expect(rows(state, "SELECT source, key, reason FROM zone_quarantine")).toEqual([
        { source: "zone_characters", key: id, reason: expect.stringMatching(/^zone_characters\.character: /) },
      ]);
    });
    const logged = errors.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(logged).toContainEqual(
      expect.objectContaining({ event: "zone.roster_unreadable", characterId: id, reason: expect.any(String) }),
    );
    // Released: no zone holds it now, so claiming it elsewhere displaces nobody.
    expect(await directory().claimCharacter(id, "elsewhere")).toBeNull();
  });

  it("rewrites a roster row that no longer parses from the character's live session, and keeps it", async () => {
    const zoneId = "settle-unreadable-live";
    const playing = character({ name: "Living" });
    // The upgrade as the gateway forwards it after redeeming a ticket.
    const response = await stubFor(zoneId).fetch("http://zone/", {
      headers: { Upgrade: "websocket", [CHARACTER_HEADER]: encodeURIComponent(JSON.stringify(playing)) },
    });
    expect(response.status).toBe(101);
    const ws = response.webSocket as WebSocket;
    ws.accept();
    await runInDurableObject(stubFor(zoneId), async (_zone, state) => {
      state.storage.sql.exec("UPDATE zone_characters SET character = ? WHERE character_id = ?", "{}", playing.id);
      await reload(state);
      const [row] = rows(state, "SELECT character FROM zone_characters WHERE character_id = ?", playing.id);
      expect(JSON.parse(String(row?.character))).toEqual({ v: 1, ...playing });
    });
    ws.close(1000, "bye");
  });
});
