import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../../sim/rng";
import { npcStats } from "../actors";
import { MudEngine } from "../engine";
import { joinPlayer, leavePlayer } from "../step";
import { startContent } from "../testing";
import { createWorld, type MudWorld, type ZoneContent } from "../world";

/** The start zone with timers that matter while it is empty, and one that only speaks. */
function timedContent(): ZoneContent {
  const content = structuredClone(startContent());
  content.zone.triggers = [
    {
      id: "rats",
      on: { event: "timer", everyTicks: 97, offsetTicks: 13 },
      if: [{ type: "chance", percent: 60 }],
      do: [{ type: "spawn-npc", npc: "well-rat", room: "smithy", count: 2 }],
    },
    {
      id: "gate-shut",
      on: { event: "timer", everyTicks: 41 },
      if: [{ type: "exit-is", room: "village-square", exit: "south", state: "open" }],
      do: [{ type: "close-exit", room: "village-square", exit: "south" }],
    },
    {
      id: "gate-open",
      on: { event: "timer", everyTicks: 53, offsetTicks: 7 },
      do: [{ type: "open-exit", room: "village-square", exit: "south" }],
    },
    {
      id: "first-bell",
      on: { event: "timer", everyTicks: 500, offsetTicks: 499 },
      once: "ever",
      do: [{ type: "message", to: "zone", text: "A bell tolls." }],
    },
    { id: "chatter", on: { event: "timer", everyTicks: 2 }, do: [{ type: "message", to: "zone", text: "Wind." }] },
  ];
  return content;
}

function idleWorld(content: ZoneContent, seed: number): MudWorld {
  let world = createWorld(content, (t) => npcStats(t).maxHp, createRng(seed));
  const away = { classId: "warrior", attributes: { str: 10, dex: 10, int: 10, vit: 10 }, level: 3, xp: 0 };
  world = joinPlayer(world, content, { ...away, id: "away", name: "Away", hp: 20, mp: 5 }).world;
  world = leavePlayer(world, content, "away").world;
  world.tick = createRng(seed).int(0, 400);
  return world;
}

const saved = (engine: MudEngine) => JSON.stringify(engine.serialize());

function stepTo(engine: MudEngine, toTick: number, rng: Rng) {
  for (let tick = engine.world.tick + 1; tick <= toTick; tick++) engine.step({ tick, now: tick * 100, rng });
}

describe("timer triggers in a zone nobody watches", () => {
  it("fastForward leaves the world and RNG that stepping every tick leaves (spawns, exits, once)", () => {
    const content = timedContent();
    let spawned = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const world = idleWorld(content, seed);
      const to = world.tick + 1_500 + seed * 37;
      const [stepped, skipped] = [
        new MudEngine(content, structuredClone(world)),
        new MudEngine(content, structuredClone(world)),
      ];
      const [a, b] = [createRng(seed), createRng(seed)];
      stepTo(stepped, to, a);
      skipped.fastForward(to, { rng: b, now: to * 100 });
      expect(saved(skipped), `seed ${seed}`).toBe(saved(stepped));
      expect(b.state()).toBe(a.state());
      spawned += Object.values(skipped.world.npcs).filter((n) => n.transient).length;
      expect(skipped.world.triggerState?.["first-bell"]).toEqual({ fired: true });
    }
    expect(spawned).toBeGreaterThan(0);
  }, 60_000);

  it("reports the next timer that matters, and skips one that only speaks", () => {
    const content = timedContent();
    const world = createWorld(content, (t) => npcStats(t).maxHp, createRng(1));
    for (const [id, n] of Object.entries(world.npcs)) if (content.npcs[n.templateId]?.wanders) delete world.npcs[id];
    const engine = new MudEngine(content, world);
    // "chatter" fires every 2 ticks but changes nothing with nobody online: the gate's 41 comes first.
    expect(engine.nextEventTick(0)).toBe(7);
    expect(engine.nextEventTick(7)).toBe(13);
    expect(engine.nextEventTick(13)).toBe(41);
    const quiet = structuredClone(content);
    quiet.zone.triggers = quiet.zone.triggers?.filter((t) => t.id === "chatter");
    expect(new MudEngine(quiet, structuredClone(world)).nextEventTick(0)).toBeUndefined();
  });
});
