import { describe, expect, it } from "vitest";
import { readMudWorld, writeMudWorld } from "./persisted";
import { MudScenario } from "./testing";

/** A world with players, NPCs and items in several places, as the engine makes it. */
function playedWorld() {
  const scenario = new MudScenario(7);
  scenario.join("alice");
  scenario.join("bob", { guest: true });
  scenario.step([["alice", "east"]]);
  scenario.step([["alice", "get mug"]]);
  return scenario.world;
}

describe("the stored MUD world", () => {
  it("reads back exactly the world it wrote, at version 1", () => {
    const world = playedWorld();
    const row = JSON.parse(JSON.stringify(writeMudWorld(world)));
    expect(row.v).toBe(1);
    expect(readMudWorld(row)).toEqual({ ok: true, value: world });
  });

  it("upgrades a version-0 row (the unversioned world written before rows had versions)", () => {
    const world = playedWorld();
    const stored = JSON.parse(JSON.stringify(world));
    expect(stored).not.toHaveProperty("v");
    expect(readMudWorld(stored)).toEqual({ ok: true, value: world });
  });

  it("refuses a corrupt world with the reason, never a half-read one", () => {
    const world = JSON.parse(JSON.stringify(playedWorld()));
    const [itemId] = Object.keys(world.items);
    world.items[itemId as string].location = { kind: "nowhere" };
    const read = readMudWorld(world);
    expect(read).toEqual({ ok: false, error: expect.stringContaining(`mud_world: items.${itemId}.location`) });
    expect(readMudWorld({ v: 1, zoneId: "start" })).toEqual({
      ok: false,
      error: expect.stringMatching(/^mud_world: tick: /),
    });
  });
});

describe("the stored MUD world with trigger state", () => {
  it("keeps exit states, trigger memory and spawned NPCs, and reads rows written before them", () => {
    const world = playedWorld();
    const before = JSON.parse(JSON.stringify(writeMudWorld(world)));
    expect(before.exitState).toBeUndefined();
    expect(readMudWorld(before)).toEqual({ ok: true, value: world });
    world.exitState = { "village-square/east": "closed", "tower-steps/north": "open" };
    world.triggerState = { lever: { lastTick: 12 }, bell: { fired: true }, greet: { players: ["alice"] } };
    const npc = Object.values(world.npcs)[0];
    if (npc) npc.transient = true;
    const row = JSON.parse(JSON.stringify(writeMudWorld(world)));
    expect(readMudWorld(row)).toEqual({ ok: true, value: world });
    expect(readMudWorld({ ...row, exitState: { "village-square/east": "ajar" } }).ok).toBe(false);
  });
});
