/**
 * An instance's life (docs/architecture.md, "Parties and instances"): once nobody is in it, its
 * world holds no character and it owes nothing, it waits INSTANCE_IDLE_SECONDS (600 by default)
 * with its alarm set, then starts over from its content; a zone that is no instance, or an
 * instance that still holds a character, is kept.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { zoneObjectName } from "../../shared/config";
import { mudOf } from "./testing";

const stubFor = (zoneId: string) => env.ZONES.getByName(zoneObjectName("local", zoneId));
const IDLE_MS = 600_000;

describe("an empty instance", () => {
  it("waits out the idle time with its alarm set, then starts over from its content", async () => {
    await runInDurableObject(stubFor("well-depths~p-idle1"), async (zone, state) => {
      const fresh = structuredClone(mudOf(zone).world);
      mudOf(zone).world = { ...mudOf(zone).world, nextId: fresh.nextId + 50 };
      const before = Date.now();
      await zone.host.sleep();
      const since = zone.host.snapshot.emptySince ?? 0;
      expect(since).toBeGreaterThanOrEqual(before);
      expect(await state.storage.getAlarm()).toBe(since + IDLE_MS);
      expect(mudOf(zone).world.nextId).toBe(fresh.nextId + 50);

      zone.host.snapshot = { ...zone.host.snapshot, emptySince: Date.now() - IDLE_MS - 1 };
      await zone.host.sleep();
      expect(mudOf(zone).world.nextId).toBe(fresh.nextId);
      expect(zone.host.snapshot.emptySince ?? null).toBeNull();
      const [row] = [...state.storage.sql.exec("SELECT state FROM engine_state WHERE kind = 'mud'")];
      expect(JSON.parse(String(row?.state)).nextId).toBe(fresh.nextId);
    });
  });

  it("is kept while its world holds a character, and a zone that is no instance is never discarded", async () => {
    await runInDurableObject(stubFor("well-depths~p-idle2"), async (zone) => {
      const world = mudOf(zone).world;
      const someone = {
        id: "6f1c2a52-8a53-4c62-9d07-1d2b0c7e4a99",
        name: "Sleeper",
        classId: "warrior",
        attributes: { str: 8, dex: 5, int: 3, vit: 7 },
        level: 2,
        xp: 10,
        hp: 20,
        mp: 5,
        roomId: "sunken-stair",
        effects: [],
        targetId: null,
        resting: false,
        nextSwingTick: 0,
        online: false,
      };
      mudOf(zone).world = { ...world, players: { ...world.players, [someone.id]: someone }, nextId: world.nextId + 7 };
      zone.host.snapshot = { ...zone.host.snapshot, emptySince: Date.now() - IDLE_MS - 1 };
      await zone.host.sleep();
      expect(mudOf(zone).world.players[someone.id]).toBeDefined();
      expect(mudOf(zone).world.nextId).toBe(world.nextId + 7);
      expect(zone.host.snapshot.emptySince ?? null).toBeNull();
    });
    await runInDurableObject(stubFor("well-depths"), async (zone) => {
      const nextId = mudOf(zone).world.nextId + 3;
      mudOf(zone).world = { ...mudOf(zone).world, nextId };
      zone.host.snapshot = { ...zone.host.snapshot, emptySince: Date.now() - IDLE_MS - 1 };
      await zone.host.sleep();
      expect(mudOf(zone).world.nextId).toBe(nextId);
    });
  });
});

describe("a zone nobody watches", () => {
  it("respawns a creature that died an hour ago when it next runs, in one exact catch-up", async () => {
    const stub = stubFor("start~idle-respawn");
    const { npcId, dueTick } = await runInDurableObject(stub, async (zone, state) => {
      const engine = mudOf(zone);
      const [id, npc] = Object.entries(engine.world.npcs)[0] as [string, (typeof engine.world.npcs)[string]];
      const tick = zone.host.snapshot.clock.tick;
      // Killed just now, due back in five minutes; then the zone sits empty for an hour.
      const due = tick + 3000;
      engine.world = { ...engine.world, npcs: { ...engine.world.npcs, [id]: { ...npc, hp: 0, respawnAtTick: due } } };
      zone.host.snapshot = { ...zone.host.snapshot, clock: { tick, lastTargetAt: Date.now() - 3600_000 } };
      await state.storage.setAlarm(Date.now());
      return { npcId: id, dueTick: due };
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (zone) => {
      const npc = mudOf(zone).world.npcs[npcId];
      expect(zone.host.snapshot.clock.tick).toBeGreaterThan(dueTick);
      expect(npc?.respawnAtTick).toBeNull();
      expect(npc?.hp).toBeGreaterThan(0);
      expect(mudOf(zone).world.tick).toBe(zone.host.snapshot.clock.tick);
    });
  });
});
