/**
 * The zone's own simulation for the walking skeleton: a tick counter, a chat log sequence and
 * weather that drifts on a seeded Markov chain. Pure: time and randomness come in through `ctx`.
 * Later issues hang rooms, NPCs and effects off the same `stepZone` entry point.
 */

import { WEATHERS, type Weather } from "../protocol/enums";
import type { Rng } from "./rng";

// Weather is a protocol enumeration; re-exported for the simulation's users.
export { WEATHERS, type Weather };

/** Weather is reconsidered every this many ticks (10 s at the default 10 Hz). */
export const WEATHER_PERIOD_TICKS = 100;

/** For each weather, the weathers it may turn into next (staying put is always possible). */
const WEATHER_NEXT: Record<Weather, readonly Weather[]> = {
  clear: ["clear", "clear", "cloudy", "fog"],
  cloudy: ["clear", "cloudy", "rain"],
  rain: ["cloudy", "rain", "storm"],
  storm: ["rain", "storm"],
  fog: ["clear", "fog", "cloudy"],
};

export interface ZoneSimState {
  tick: number;
  weather: Weather;
  /** Id the next said line will get. */
  nextSaidId: number;
}

export interface SimContext {
  /** Epoch milliseconds at which this tick is due (not the wall clock when it ran). */
  now: number;
  tick: number;
  rng: Rng;
}

export type ZoneEvent = { type: "weather"; weather: Weather; tick: number };

export const initialZoneState = (): ZoneSimState => ({ tick: 0, weather: "clear", nextSaidId: 1 });

/** Advances the zone by exactly one tick, numbered `ctx.tick`. */
export function stepZone(state: ZoneSimState, ctx: SimContext): { state: ZoneSimState; events: ZoneEvent[] } {
  const events: ZoneEvent[] = [];
  let weather = state.weather;
  if (ctx.tick % WEATHER_PERIOD_TICKS === 0) {
    const options = WEATHER_NEXT[weather];
    const pick = options[ctx.rng.int(0, options.length - 1)] ?? weather;
    if (pick !== weather) {
      weather = pick;
      events.push({ type: "weather", weather, tick: ctx.tick });
    }
  }
  return { state: { ...state, tick: ctx.tick, weather }, events };
}

/** Reserves the id for a new said line. */
export function nextSaid(state: ZoneSimState): { state: ZoneSimState; id: number } {
  return { state: { ...state, nextSaidId: state.nextSaidId + 1 }, id: state.nextSaidId };
}
