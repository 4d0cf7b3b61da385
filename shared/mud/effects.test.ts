import { describe, expect, it } from "vitest";
import {
  applyEffect,
  DEFAULT_REGEN_INTERVAL_TICKS,
  type EffectEvent,
  effectModifiers,
  type Pools,
  regenAmounts,
  removeEffect,
  type TickContext,
  tickEffects,
} from "./effects";
import type { EffectState, EffectTemplate } from "./types";

const burn = (duration: number, interval: number, magnitude = 4): EffectTemplate => ({
  name: "burn",
  kind: "dot",
  duration_ticks: duration,
  interval_ticks: interval,
  magnitude,
});
const mend: EffectTemplate = { name: "mend", kind: "hot", duration_ticks: 4, interval_ticks: 1, magnitude: 5 };
const might: EffectTemplate = {
  name: "might",
  kind: "buff",
  duration_ticks: 2,
  interval_ticks: 1,
  magnitude: 3,
  stat: "str",
};

// In combat: no regeneration muddies the counts.
const fight = (tick: number): TickContext => ({ tick, inCombat: true, vit: 10, int: 10 });

/** Runs `ticks` ticks from tick 1 and gathers everything that happened. */
function run(effects: EffectState[], pools: Pools, ticks: number, ctx: (tick: number) => TickContext = fight) {
  let state = { effects, hp: pools.hp, mp: pools.mp };
  const events: EffectEvent[] = [];
  for (let tick = 1; tick <= ticks; tick++) {
    const next = tickEffects(state.effects, { ...pools, hp: state.hp, mp: state.mp }, ctx(tick));
    state = next;
    events.push(...next.events);
  }
  return { ...state, events };
}

const full: Pools = { hp: 100, mp: 50, maxHp: 100, maxMp: 50 };
const hits = (events: EffectEvent[], name: string) =>
  events.filter((e): e is Extract<EffectEvent, { type: "hp_change" }> => e.type === "hp_change" && e.effect === name);

describe("applyEffect", () => {
  it("adds an effect with its full duration and announces it", () => {
    const { effects, events } = applyEffect([], burn(3, 1), "mage-1", 7);
    expect(effects).toEqual([{ ...burn(3, 1), source: "mage-1", remaining_ticks: 3 }]);
    expect(events).toEqual([
      {
        type: "effect_start",
        name: "burn",
        kind: "dot",
        source: "mage-1",
        duration_ticks: 3,
        refreshed: false,
        tick: 7,
      },
    ]);
  });

  it("refreshes the same name from the same source instead of stacking", () => {
    const first = applyEffect([], burn(5, 1), "mage-1", 0).effects;
    const worn = run(first, full, 3).effects;
    expect(worn[0]?.remaining_ticks).toBe(2);
    const { effects, events } = applyEffect(worn, burn(5, 1, 9), "mage-1", 3);
    expect(effects).toEqual([{ ...burn(5, 1, 9), source: "mage-1", remaining_ticks: 5 }]);
    expect(events[0]).toMatchObject({ type: "effect_start", refreshed: true });
  });

  it("stacks the same name from different sources", () => {
    let effects = applyEffect([], burn(2, 1), "mage-1", 0).effects;
    effects = applyEffect(effects, burn(2, 1), "mage-2", 0).effects;
    expect(effects.map((e) => e.source)).toEqual(["mage-1", "mage-2"]);
    expect(run(effects, full, 2).hp).toBe(100 - 2 * 2 * 4);
  });

  it("treats durations and intervals below one tick as one", () => {
    const { effects } = applyEffect([], { ...burn(0, -3), interval_ticks: Number.NaN }, "x", 0);
    expect(effects[0]).toMatchObject({ duration_ticks: 1, interval_ticks: 1, remaining_ticks: 1 });
  });

  it("does not change the list it was given", () => {
    const before = Object.freeze([Object.freeze({ ...burn(3, 1), source: "a", remaining_ticks: 1 })]);
    applyEffect(before, burn(3, 1), "a", 0);
    expect(before[0]?.remaining_ticks).toBe(1);
  });
});

describe("tickEffects: periodic effects", () => {
  it("a 3-tick dot with interval 1 hits exactly 3 times, then ends", () => {
    const out = run(applyEffect([], burn(3, 1), "m", 0).effects, full, 10);
    const burns = hits(out.events, "burn");
    expect(burns.map((e) => e.tick)).toEqual([1, 2, 3]);
    expect(burns.every((e) => e.amount === -4 && e.source === "m")).toBe(true);
    expect(out.hp).toBe(88);
    expect(out.effects).toEqual([]);
    expect(out.events.filter((e) => e.type === "effect_end")).toEqual([
      { type: "effect_end", name: "burn", kind: "dot", source: "m", reason: "expired", tick: 3 },
    ]);
  });

  it("interval 2 over 4 ticks hits exactly twice, on the 2nd and 4th ticks", () => {
    const burns = hits(run(applyEffect([], burn(4, 2), "m", 0).effects, full, 8).events, "burn");
    expect(burns.map((e) => e.tick)).toEqual([2, 4]);
  });

  it("hits ⌊duration / interval⌋ times for any duration and interval", () => {
    for (let duration = 1; duration <= 9; duration++) {
      for (let interval = 1; interval <= 5; interval++) {
        const out = run(applyEffect([], burn(duration, interval, 1), "m", 0).effects, full, 12);
        expect(hits(out.events, "burn"), `${duration}/${interval}`).toHaveLength(Math.floor(duration / interval));
      }
    }
  });

  it("reports the hp after each change", () => {
    const out = run(applyEffect([], burn(2, 1, 10), "m", 0).effects, { ...full, hp: 50 }, 2);
    expect(hits(out.events, "burn").map((e) => [e.amount, e.hp])).toEqual([
      [-10, 40],
      [-10, 30],
    ]);
  });

  it("never takes hp below 0, and stops reporting damage to the dead", () => {
    const out = run(applyEffect([], burn(3, 1, 25), "m", 0).effects, { ...full, hp: 30 }, 3);
    expect(hits(out.events, "burn").map((e) => e.amount)).toEqual([-25, -5]);
    expect(out.hp).toBe(0);
  });

  it("heals over time up to the maximum and no further", () => {
    const out = run(applyEffect([], mend, "cleric", 0).effects, { ...full, hp: 88 }, 4);
    expect(hits(out.events, "mend").map((e) => e.amount)).toEqual([5, 5, 2]);
    expect(out.hp).toBe(100);
  });

  it("does not heal the dead", () => {
    const out = run(applyEffect([], mend, "cleric", 0).effects, { ...full, hp: 0 }, 4, (tick) => ({
      ...fight(tick),
      inCombat: false,
    }));
    expect(out.hp).toBe(0);
    expect(out.events.filter((e) => e.type === "hp_change")).toEqual([]);
  });

  it("keeps a buff's modifier for exactly its duration", () => {
    let state = { effects: applyEffect([], might, "potion", 0).effects, hp: 100, mp: 50 };
    expect(effectModifiers(state.effects)).toEqual([{ stat: "str", flat: 3 }]);
    state = tickEffects(state.effects, { ...full }, fight(1));
    expect(effectModifiers(state.effects)).toEqual([{ stat: "str", flat: 3 }]);
    const last = tickEffects(state.effects, { ...full }, fight(2));
    expect(effectModifiers(last.effects)).toEqual([]);
    expect(last.events).toEqual([
      { type: "effect_end", name: "might", kind: "buff", source: "potion", reason: "expired", tick: 2 },
    ]);
  });

  it("ends an effect whose stored remaining count is damaged", () => {
    const broken = [{ ...burn(3, 1), source: "m", remaining_ticks: Number.NaN }];
    const out = tickEffects(broken, full, fight(1));
    expect(out.effects).toEqual([]);
    expect(out.events.map((e) => e.type)).toEqual(["effect_end"]);
  });

  it("removes effects on a cure, from one source or all", () => {
    let effects = applyEffect([], burn(5, 1), "a", 0).effects;
    effects = applyEffect(effects, burn(5, 1), "b", 0).effects;
    effects = applyEffect(effects, mend, "c", 0).effects;
    expect(removeEffect(effects, "burn", 4, "a").effects.map((e) => e.source)).toEqual(["b", "c"]);
    const all = removeEffect(effects, "burn", 4);
    expect(all.effects.map((e) => e.name)).toEqual(["mend"]);
    expect(all.events.map((e) => e.type === "effect_end" && e.reason)).toEqual(["removed", "removed"]);
  });
});

describe("tickEffects: regeneration", () => {
  const calm = (tick: number, every = 1): TickContext => ({
    tick,
    inCombat: false,
    vit: 25,
    int: 12,
    regenIntervalTicks: every,
  });

  it("restores 1 + ⌊vit/10⌋ hp and 1 + ⌊int/10⌋ mp per pulse", () => {
    expect(regenAmounts(25, 12)).toEqual({ hp: 3, mp: 2 });
    expect(regenAmounts(9, Number.NaN)).toEqual({ hp: 1, mp: 1 });
    const out = tickEffects([], { ...full, hp: 50, mp: 10 }, calm(1));
    expect([out.hp, out.mp]).toEqual([53, 12]);
    expect(out.events).toEqual([
      { type: "hp_change", amount: 3, hp: 53, source: "regen", tick: 1 },
      { type: "mp_change", amount: 2, mp: 12, source: "regen", tick: 1 },
    ]);
  });

  it("pulses only on ticks that are multiples of the interval (default 10)", () => {
    expect(DEFAULT_REGEN_INTERVAL_TICKS).toBe(10);
    const ctx = (tick: number): TickContext => ({ tick, inCombat: false, vit: 25, int: 12 });
    const out = run([], { ...full, hp: 50, mp: 10 }, 25, ctx);
    expect(out.events.filter((e) => e.type === "hp_change").map((e) => e.tick)).toEqual([10, 20]);
    expect(out.hp).toBe(56);
  });

  it("does not regenerate in combat, at full pools, or when dead", () => {
    expect(tickEffects([], { ...full, hp: 50 }, { ...calm(1), inCombat: true }).hp).toBe(50);
    expect(tickEffects([], full, calm(1)).events).toEqual([]);
    expect(tickEffects([], { ...full, hp: 0, mp: 0 }, calm(1))).toMatchObject({ hp: 0, mp: 0, events: [] });
  });

  it("stops at the maximum", () => {
    expect(tickEffects([], { ...full, hp: 99, mp: 49 }, calm(1))).toMatchObject({ hp: 100, mp: 50 });
  });

  it("still runs effects in combat", () => {
    const out = tickEffects(applyEffect([], burn(2, 1), "m", 0).effects, full, { ...calm(1), inCombat: true });
    expect(out.hp).toBe(96);
  });
});
