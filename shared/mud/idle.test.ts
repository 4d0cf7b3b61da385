import { describe, expect, it } from "vitest";
import { catchUpStops, earliestTick } from "../sim/clock";
import { createRng, type Rng } from "../sim/rng";
import { chat } from "../zone/chat";
import { npcStats } from "./actors";
import { MudEngine } from "./engine";
import { WANDER_TICKS } from "./fight";
import { joinPlayer, leavePlayer } from "./step";
import { startContent } from "./testing";
import type { EffectState } from "./types";
import { createWorld, type MudWorld } from "./world";

const content = startContent();
const KINDS = ["buff", "debuff", "dot", "hot"] as const;

/** A world nobody is online in, with NPCs dead (respawns pending), under effects, scheduled or not to wander. */
function idleWorld(seed: number): MudWorld {
  const r = createRng(seed);
  let world = createWorld(content, (t) => npcStats(t).maxHp, r);
  const away = { classId: "warrior", attributes: { str: 10, dex: 10, int: 10, vit: 10 }, level: 3, xp: 0 };
  world = joinPlayer(world, content, { ...away, id: "away", name: "Away", hp: 20, mp: 5 }).world;
  world = leavePlayer(world, content, "away").world;
  const effect = (): EffectState => {
    const duration = r.int(1, 300);
    const kind = KINDS[r.int(0, 3)] as EffectState["kind"];
    return {
      name: `e${r.int(0, 3)}`,
      kind,
      duration_ticks: duration,
      interval_ticks: r.int(0, 12),
      magnitude: r.int(0, 15),
      ...(kind === "buff" || kind === "debuff" ? { stat: r.next() < 0.5 ? "maxHp" : "vit" } : {}),
      source: r.next() < 0.5 ? "away" : "potion",
      remaining_ticks: r.int(-1, duration + 2),
    } as EffectState;
  };
  // The offline player's own effects are frozen while it is away.
  (world.players.away as { effects: EffectState[] }).effects = [effect()];
  world.tick = r.int(0, 500);
  for (const npc of Object.values(world.npcs)) {
    const roll = r.next();
    if (roll < 0.35) Object.assign(npc, { hp: 0, respawnAtTick: world.tick + r.int(-5, 3_000) });
    else if (roll < 0.7) npc.effects = Array.from({ length: r.int(1, 3) }, effect);
    if (npc.respawnAtTick === null) npc.hp = r.int(0, npc.hp + 5);
    if (r.next() < 0.2) npc.targetId = "away";
    if (content.npcs[npc.templateId]?.wanders && r.next() < 0.6) npc.wanderAtTick = world.tick + r.int(-3, 80);
  }
  return world;
}

const engineOf = (world: MudWorld) => new MudEngine(content, structuredClone(world));
const saved = (engine: MudEngine) => JSON.stringify(engine.serialize());

/** Steps every tick up to `toTick`, as the host does for an occupied zone. */
function stepTo(engine: MudEngine, toTick: number, rng: Rng) {
  for (let tick = engine.world.tick + 1; tick <= toTick; tick++) engine.step({ tick, now: tick * 100, rng });
}

describe("a MUD zone nobody watches", () => {
  it("fastForward(t) leaves exactly the world and RNG that stepping every tick to t leaves (40 seeds)", () => {
    let respawns = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const world = idleWorld(seed);
      const span = createRng(seed * 7919).int(0, 3_000);
      const to = world.tick + span;
      const [stepped, skipped] = [engineOf(world), engineOf(world)];
      const [a, b] = [createRng(seed), createRng(seed)];
      stepTo(stepped, to, a);
      const outcome = skipped.fastForward(to, { rng: b, now: to * 100 });
      expect(outcome.critical).toBe(false);
      expect(saved(skipped), `seed ${seed}`).toBe(saved(stepped));
      expect(b.state(), `seed ${seed}`).toBe(a.state());
      expect(skipped.world.tick).toBe(to);
      respawns += Object.values(world.npcs).filter((n) => n.respawnAtTick !== null && n.respawnAtTick <= to).length;
    }
    // The spans crossed dozens of respawns, several in some worlds.
    expect(respawns).toBeGreaterThan(30);
  }, 60_000);

  it("fastForward in uneven stretches ends where one call ends", () => {
    for (let seed = 100; seed < 120; seed++) {
      const world = idleWorld(seed);
      const to = world.tick + 2_500;
      const [whole, pieces] = [engineOf(world), engineOf(world)];
      const [a, b] = [createRng(seed), createRng(seed)];
      whole.fastForward(to, { rng: a, now: 0 });
      const cuts = createRng(seed);
      while (pieces.world.tick < to)
        pieces.fastForward(Math.min(to, pieces.world.tick + cuts.int(1, 400)), { rng: b, now: 0 });
      expect(saved(pieces)).toBe(saved(whole));
      expect(b.state()).toBe(a.state());
    }
  });

  it("nothing but effect countdowns happens before nextEventTick, and the RNG is never drawn there", () => {
    for (let seed = 200; seed < 215; seed++) {
      const engine = engineOf(idleWorld(seed));
      const rng = createRng(seed);
      const end = engine.world.tick + 1_500;
      while (engine.world.tick < end) {
        const tick = engine.world.tick;
        const next = engine.nextEventTick(tick);
        expect(next === undefined || next > tick).toBe(true);
        const view = (w: MudWorld) =>
          JSON.stringify(
            Object.values(w.npcs).map(({ roomId, respawnAtTick, wanderAtTick, targetId }) => [
              roomId,
              respawnAtTick,
              wanderAtTick,
              targetId,
            ]),
          );
        const [before, drawn] = [view(engine.world), rng.state()];
        engine.step({ tick: tick + 1, now: 0, rng });
        if (next === undefined || next > tick + 1) {
          expect(view(engine.world)).toBe(before);
          expect(rng.state()).toBe(drawn);
        }
      }
    }
  }, 60_000);

  it("schedules respawns, wanders and effects, and nothing for a world at rest", () => {
    const world = createWorld(content, (t) => npcStats(t).maxHp, createRng(1));
    const rest = engineOf(world);
    // Wanderers not yet scheduled draw their schedule on the next tick.
    expect(rest.nextEventTick(0)).toBe(1);
    rest.fastForward(1, { rng: createRng(3), now: 0 });
    const wanderers = Object.values(rest.world.npcs).filter((n) => content.npcs[n.templateId]?.wanders);
    expect(wanderers.length).toBeGreaterThan(0);
    for (const n of wanderers) {
      expect(n.wanderAtTick).toBeGreaterThanOrEqual(1 + WANDER_TICKS.min);
      expect(n.wanderAtTick).toBeLessThanOrEqual(1 + WANDER_TICKS.max);
    }
    expect(rest.nextEventTick(1)).toBe(Math.min(...wanderers.map((n) => n.wanderAtTick as number)));
    // Without wanderers, nothing is scheduled; a death schedules its respawn, an effect its pulses and end.
    const still = structuredClone(world);
    for (const [id, n] of Object.entries(still.npcs)) if (content.npcs[n.templateId]?.wanders) delete still.npcs[id];
    const quiet = engineOf(still);
    expect(quiet.nextEventTick(0)).toBeUndefined();
    const [first, second] = Object.values(quiet.world.npcs) as [MudWorld["npcs"][string], MudWorld["npcs"][string]];
    Object.assign(first, { hp: 0, respawnAtTick: 600 });
    expect(quiet.nextEventTick(0)).toBe(600);
    expect(quiet.nextEventTick(700)).toBe(701);
    second.effects = [
      {
        name: "burn",
        kind: "dot",
        duration_ticks: 30,
        interval_ticks: 10,
        magnitude: 1,
        source: "x",
        remaining_ticks: 30,
      },
    ];
    expect(quiet.nextEventTick(0)).toBe(10);
    second.effects = [
      {
        name: "ward",
        kind: "buff",
        stat: "vit",
        duration_ticks: 90,
        interval_ticks: 1,
        magnitude: 2,
        source: "x",
        remaining_ticks: 40,
      },
    ];
    expect(quiet.nextEventTick(0)).toBe(40);
    // An hour at 10 Hz in one call: the respawn happened, the buff ran out.
    quiet.fastForward(36_000, { rng: createRng(1), now: 0 });
    expect(quiet.world.tick).toBe(36_000);
    expect(first.respawnAtTick).toBe(600);
    expect(quiet.world.npcs[first.id]?.respawnAtTick).toBeNull();
    expect(quiet.world.npcs[second.id]?.effects).toEqual([]);
    expect(quiet.nextEventTick(36_000)).toBeUndefined();
  });

  it("the host's recipe (stopping at the chat layer's weather ticks) equals stepping both every tick", () => {
    for (let seed = 300; seed < 312; seed++) {
      const world = idleWorld(seed);
      const to = world.tick + 4_000;
      const [stepped, skipped] = [engineOf(world), engineOf(world)];
      const [a, b] = [createRng(seed), createRng(seed)];
      let simA = { ...chat.initial(), tick: world.tick };
      let simB = simA;
      for (let tick = world.tick + 1; tick <= to; tick++) {
        const ctx = { tick, now: tick * 100, rng: a };
        simA = chat.step(simA, ctx).state;
        stepped.step(ctx);
      }
      // Only what draws besides the engine needs stops: the engine runs its own events up to each.
      const sources = [(t: number) => chat.nextEventTick(t)];
      let stops = 0;
      for (const stop of catchUpStops(world.tick, to, sources)) {
        const ctx = { now: stop * 100, rng: b };
        // The engine's events before the stop draw first; then the stop's tick: weather, then the engine.
        skipped.fastForward(stop - 1, ctx);
        simB = chat.fastForward(simB, stop, ctx).state;
        skipped.fastForward(stop, ctx);
        stops++;
      }
      expect(saved(skipped)).toBe(saved(stepped));
      expect(simB).toEqual(simA);
      expect(b.state()).toBe(a.state());
      expect(stops).toBeLessThan(4_000 / 5);
      expect(earliestTick(undefined, 5, 3)).toBe(3);
    }
  }, 60_000);
});
