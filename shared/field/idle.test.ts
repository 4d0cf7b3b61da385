import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../sim/rng";
import { FIELD_KIND, type FieldEngine } from "./engine";
import { fieldInMotion } from "./idle";
import type { FieldState } from "./types";

const fresh = () => FIELD_KIND.create("test-area", createRng(1)) as FieldEngine;

/** An empty Test Area with enemies dead (respawns pending), away from home or mid-attack, and missiles in flight. */
function idleField(seed: number): FieldState {
  const r = createRng(seed);
  const s = structuredClone(fresh().state);
  s.tick = r.int(0, 1_000);
  for (const e of Object.values(s.enemies)) {
    const roll = r.next();
    if (roll < 0.4) {
      delete s.enemies[e.id];
      s.respawns.push({ template: e.template, at: e.home, dueAt: s.tick + r.int(-3, 6_000) });
    } else if (roll < 0.7) {
      const states = ["pursue", "windup", "attack", "recover", "return"] as const;
      Object.assign(e, {
        state: states[r.int(0, 4)],
        stateUntil: s.tick + r.int(0, 30),
        targetId: "gone",
        pos: { x: e.pos.x + r.int(-200, 200), y: e.pos.y + r.int(-200, 200) },
        hp: r.int(1, e.maxHp),
      });
    }
  }
  for (let i = 0; i < r.int(0, 3); i++) {
    const id = `m${s.nextId++}`;
    s.missiles[id] = {
      id,
      ownerId: "gone",
      source: "magic-missile",
      pos: { x: r.int(0, 1_200), y: r.int(0, 800) },
      vel: { x: r.int(-20, 20), y: r.int(-20, 20) },
      damage: r.int(5, 200),
      expiresAt: s.tick + r.int(1, 60),
    };
  }
  return s;
}

function engineOf(state: FieldState): FieldEngine {
  const engine = fresh();
  engine.state = structuredClone(state);
  return engine;
}

function stepTo(engine: FieldEngine, toTick: number, rng: Rng) {
  for (let tick = engine.state.tick + 1; tick <= toTick; tick++) engine.step({ tick, now: tick * 50, rng });
}

const saved = (engine: FieldEngine) => JSON.stringify(engine.serialize());

describe("a field zone nobody plays in", () => {
  it("fastForward(t) leaves exactly the field and RNG that stepping every tick to t leaves (40 seeds)", () => {
    let respawned = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const state = idleField(seed);
      const to = state.tick + createRng(seed * 31).int(0, 8_000);
      const [stepped, skipped] = [engineOf(state), engineOf(state)];
      const [a, b] = [createRng(seed), createRng(seed)];
      stepTo(stepped, to, a);
      skipped.fastForward(to, { rng: b, now: to * 50 });
      expect(saved(skipped), `seed ${seed}`).toBe(saved(stepped));
      expect(b.state()).toBe(a.state());
      expect(skipped.state.tick).toBe(to);
      respawned += state.respawns.filter((r) => r.dueAt <= to).length;
    }
    expect(respawned).toBeGreaterThan(20);
  }, 60_000);

  it("settles, then wakes only for respawns; an hour at 20 Hz ends with every enemy home", () => {
    const engine = engineOf(idleField(5));
    const start = engine.state.tick;
    engine.fastForward(start + 72_000, { rng: createRng(1), now: 0 });
    expect(engine.state.tick).toBe(start + 72_000);
    expect(fieldInMotion(engine.state)).toBe(false);
    expect(engine.state.respawns).toEqual([]);
    expect(Object.keys(engine.state.enemies)).toHaveLength(3);
    expect(engine.nextEventTick(engine.state.tick)).toBeUndefined();
    // A death schedules its respawn; a due one is next tick; a body present means every tick.
    engine.state.respawns.push({ template: "wisp", at: { x: 10, y: 10 }, dueAt: engine.state.tick + 300 });
    expect(engine.nextEventTick(engine.state.tick)).toBe(engine.state.tick + 300);
    expect(engine.nextEventTick(engine.state.tick + 400)).toBe(engine.state.tick + 401);
  });
});
