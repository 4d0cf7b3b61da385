import { describe, expect, it } from "vitest";
import { stateHash } from "./hash";
import { createRng, seedFromString } from "./rng";
import {
  initialZoneState,
  nextSaid,
  stepZone,
  WEATHER_PERIOD_TICKS,
  WEATHERS,
  type Weather,
  type ZoneEvent,
  type ZoneSimState,
} from "./zone";

const T0 = 1_700_000_000_000;

interface Run {
  state: ZoneSimState;
  rngState: number;
  events: ZoneEvent[];
  saidIds: number[];
  /** Weather after each tick, index 0 = tick 1. */
  weathers: Weather[];
}

/**
 * Drives a zone the way the zone object does: numbered ticks with their due times, plus chat
 * lines reserved between ticks (the inputs). Starts from `from`, or a fresh zone.
 */
function run(seed: number, ticks: number, saysAtTick: (tick: number) => number, from?: Run): Run {
  const rng = createRng(from?.rngState ?? seed);
  let state = from?.state ?? initialZoneState();
  const events = [...(from?.events ?? [])];
  const saidIds = [...(from?.saidIds ?? [])];
  const weathers = [...(from?.weathers ?? [])];
  const first = state.tick + 1;
  for (let tick = first; tick < first + ticks; tick++) {
    const result = stepZone(state, { now: T0 + tick * 100, tick, rng });
    state = result.state;
    events.push(...result.events);
    weathers.push(state.weather);
    for (let i = 0; i < saysAtTick(tick); i++) {
      const said = nextSaid(state);
      state = said.state;
      saidIds.push(said.id);
    }
  }
  return { state, rngState: rng.state(), events, saidIds, weathers };
}

const chatty = (tick: number) => (tick % 7 === 0 ? 2 : tick % 13 === 0 ? 1 : 0);
const hashOf = (r: Run) => stateHash({ sim: r.state, rng: r.rngState, events: r.events, said: r.saidIds });

describe("zone simulation replay", () => {
  it("gives the same state hash for the same seed and the same inputs", () => {
    const seed = seedFromString("local:zone:start");
    const a = run(seed, 10_000, chatty);
    const b = run(seed, 10_000, chatty);
    expect(hashOf(a)).toBe(hashOf(b));
    expect(a.state.tick).toBe(10_000);
    expect(a.events.length).toBeGreaterThan(0);
  });

  it("gives a different weather history for a different seed", () => {
    const a = run(seedFromString("local:zone:start"), 10_000, chatty);
    const b = run(seedFromString("local:zone:forest"), 10_000, chatty);
    expect(a.weathers).not.toEqual(b.weathers);
    expect(a.events).not.toEqual(b.events);
    expect(hashOf(a)).not.toBe(hashOf(b));
  });

  it("changes the hash when the inputs differ under the same seed", () => {
    const seed = 31337;
    expect(hashOf(run(seed, 2_000, chatty))).not.toBe(hashOf(run(seed, 2_000, (t) => (t === 500 ? 1 : 0))));
  });

  it("resumes from persisted state exactly as if it had never stopped", () => {
    const seed = seedFromString("eu:zone:harbour");
    const whole = run(seed, 10_000, chatty);
    const half = run(seed, 4_321, chatty);
    // What the zone writes to SQLite and reads back after eviction.
    const restored = JSON.parse(JSON.stringify(half)) as Run;
    const resumed = run(seed, 10_000 - 4_321, chatty, restored);
    expect(hashOf(resumed)).toBe(hashOf(whole));
    expect(resumed.weathers).toEqual(whole.weathers);
  });

  it("numbers said lines consecutively from 1, independent of the weather", () => {
    const r = run(5, 1_000, chatty);
    expect(r.saidIds).toEqual(Array.from({ length: r.saidIds.length }, (_, i) => i + 1));
    expect(r.state.nextSaidId).toBe(r.saidIds.length + 1);
  });
});

describe("stepZone", () => {
  it("changes weather only on WEATHER_PERIOD_TICKS boundaries and emits an event exactly when it changes", () => {
    const rng = createRng(seedFromString("local:zone:start"));
    let state = initialZoneState();
    let changes = 0;
    for (let tick = 1; tick <= 10_000; tick++) {
      const before = state.weather;
      const result = stepZone(state, { now: T0 + tick * 100, tick, rng });
      state = result.state;
      if (tick % WEATHER_PERIOD_TICKS !== 0) {
        expect(state.weather).toBe(before);
        expect(result.events).toEqual([]);
      } else if (state.weather !== before) {
        changes += 1;
        expect(result.events).toEqual([{ type: "weather", weather: state.weather, tick }]);
      } else {
        expect(result.events).toEqual([]);
      }
    }
    // 100 boundaries in 10,000 ticks: weather does change, but not at every boundary.
    expect(changes).toBeGreaterThan(10);
    expect(changes).toBeLessThan(100);
  });

  it("draws from the RNG only on weather ticks", () => {
    const rng = createRng(9);
    let state = initialZoneState();
    const start = rng.state();
    for (let tick = 1; tick < WEATHER_PERIOD_TICKS; tick++) state = stepZone(state, { now: T0, tick, rng }).state;
    expect(rng.state()).toBe(start);
    stepZone(state, { now: T0, tick: WEATHER_PERIOD_TICKS, rng });
    expect(rng.state()).not.toBe(start);
  });

  it("visits every weather over a long run and never leaves the known set", () => {
    const r = run(seedFromString("local:zone:start"), 50_000, () => 0);
    expect(new Set(r.weathers)).toEqual(new Set(WEATHERS));
  });

  it("never turns a storm straight into clear skies", () => {
    const r = run(77, 30_000, () => 0);
    for (let i = 1; i < r.weathers.length; i++) {
      if (r.weathers[i - 1] === "storm") expect(r.weathers[i]).not.toBe("clear");
      if (r.weathers[i - 1] === "clear") expect(r.weathers[i]).not.toBe("storm");
    }
  });

  it("records the tick number and keeps the chat sequence", () => {
    const state: ZoneSimState = { tick: 41, weather: "fog", nextSaidId: 17 };
    const result = stepZone(state, { now: T0, tick: 42, rng: createRng(1) });
    expect(result.state).toEqual({ tick: 42, weather: "fog", nextSaidId: 17 });
    expect(state.tick).toBe(41);
  });

  it("starts clear at tick 0 with the first said id 1", () => {
    expect(initialZoneState()).toEqual({ tick: 0, weather: "clear", nextSaidId: 1 });
    const said = nextSaid(initialZoneState());
    expect(said.id).toBe(1);
    expect(said.state.nextSaidId).toBe(2);
  });
});
