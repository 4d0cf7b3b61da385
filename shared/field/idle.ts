/**
 * A field zone nobody plays in (shared/zone/engine.ts, `nextEventTick` and `fastForward`). Bodies
 * leave the field with their sessions (engine.ts, `release`), so an unoccupied field has no
 * players, and then a tick (step.ts) changes it only while something is in motion or on a due tick:
 *
 * - a missile still in flight (it flies, and may hit and kill an enemy, until it expires);
 * - an enemy not idle (it disengages, finishes its wind-up, attack and recovery, walks home);
 * - a resident enemy's respawn falling due (`respawns[].dueAt`).
 *
 * An idle enemy with no player to notice stays exactly as it is, so every other tick changes only
 * the tick number. `fastForwardField` steps (`stepField`, no commands) every tick while something
 * moves, which content bounds (a missile's range, an enemy's way home), then only the respawn
 * ticks; no RNG is drawn unless stepping would draw it (a missile kill rolls loot only for a killer
 * still here, which an empty field has none of).
 */
import type { Rng } from "../sim/rng";
import { enemyTemplate } from "./content";
import { stepField } from "./step";
import type { FieldEvent, FieldState } from "./types";

/** Whether a tick may change more than the tick number and the due respawns: bodies, missiles or an enemy busy. */
export function fieldInMotion(state: FieldState): boolean {
  if (Object.keys(state.players).length || Object.keys(state.missiles).length) return true;
  return Object.values(state.enemies).some((e) => e.state !== "idle" && enemyTemplate(e.template) !== undefined);
}

/**
 * The first tick after `afterTick` at which the field would change beyond its tick number, stepping
 * from `state.tick` with no commands; undefined when nothing is scheduled. Exact for
 * `afterTick === state.tick`; a due respawn counts as `afterTick + 1`.
 */
export function nextFieldEvent(state: FieldState, afterTick: number): number | undefined {
  const soon = afterTick + 1;
  if (fieldInMotion(state)) return soon;
  let first: number | undefined;
  for (const r of state.respawns) first = Math.min(first ?? Number.POSITIVE_INFINITY, Math.max(soon, r.dueAt));
  return first;
}

/**
 * The field at `toTick` as `stepField` with no commands would leave it after every tick from
 * `state.tick + 1`: stepped tick by tick while in motion (always, with bodies present), and
 * otherwise only on respawn ticks. `events` are those ticks' events, in order.
 */
export function fastForwardField(
  state: FieldState,
  toTick: number,
  rng: Rng,
): { state: FieldState; events: FieldEvent[] } {
  const events: FieldEvent[] = [];
  let s = state;
  while (s.tick < toTick) {
    const event = nextFieldEvent(s, s.tick);
    if (event === undefined || event > toTick) {
      s = { ...s, tick: toTick };
      break;
    }
    const stepped = stepField(s, [], { tick: event, rng });
    s = stepped.state;
    if (stepped.events.length) events.push(...stepped.events);
  }
  return { state: s, events };
}
