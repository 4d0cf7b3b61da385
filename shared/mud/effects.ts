/**
 * Timed effects (buffs, debuffs, damage and healing over time) and natural regeneration, advanced
 * one tick at a time. Pure: the zone passes the tick number and pools in and gets new state and
 * events back.
 *
 * Tick semantics. An effect applied during tick T first advances on tick T+1. Each call to
 * `tickEffects` is one tick passing: for each effect, in list order,
 *  1. its elapsed count becomes `duration_ticks − remaining_ticks + 1` (1 on its first tick);
 *  2. a dot/hot pulses when that count is a multiple of `interval_ticks` (so the first pulse comes
 *     at the end of the first interval, never on the tick it was applied);
 *  3. `remaining_ticks` drops by one, and at 0 the effect ends (`effect_end`, reason "expired").
 * So a dot of duration 3, interval 1 hits exactly 3 times; duration 4, interval 2 hits twice
 * (ticks 2 and 4); a buff of duration 5 modifies stats for exactly 5 ticks.
 * After the effects, regeneration runs (see `regenAmounts`).
 *
 * Hit points are clamped to 0..maxHp. 0 is death, which the caller handles: heals (hots and
 * regeneration) never raise hp from 0, and a dot on a corpse changes nothing.
 */
import { effectRule } from "../rules/effects";
import type { EffectKind, EffectState, EffectTemplate } from "./types";

// What each kind does to a sheet is the character rulebook's (shared/rules/effects.ts); this file
// is the MUD's clock for effects. Re-exported so existing imports keep working.
export { EFFECT_KINDS, type EffectKindRule, effectModifiers } from "../rules/effects";

export type EffectEvent =
  | {
      type: "effect_start";
      name: string;
      kind: EffectKind;
      source: string;
      duration_ticks: number;
      /** True when an effect of this name from this source was already active and was renewed. */
      refreshed: boolean;
      tick: number;
    }
  | { type: "effect_end"; name: string; kind: EffectKind; source: string; reason: "expired" | "removed"; tick: number }
  /** `source` is the effect's source for dots and hots, "regen" for regeneration. */
  | { type: "hp_change"; amount: number; hp: number; source: string; effect?: string; tick: number }
  | { type: "mp_change"; amount: number; mp: number; source: string; tick: number };

const wholeAtLeast = (value: unknown, min: number) => {
  const n = Number(value);
  return Number.isFinite(n) ? Math.max(min, Math.floor(n)) : min;
};

/**
 * Applies an effect from `source`. Re-applying the same name from the same source refreshes it
 * (new duration and magnitude, interval phase restarted) instead of stacking; the same name from a
 * different source is a separate effect. Durations and intervals below 1 tick count as 1.
 */
export function applyEffect(
  effects: readonly EffectState[],
  template: EffectTemplate,
  source: string,
  tick: number,
): { effects: EffectState[]; events: EffectEvent[] } {
  const duration = wholeAtLeast(template.duration_ticks, 1);
  const state: EffectState = {
    ...template,
    duration_ticks: duration,
    interval_ticks: wholeAtLeast(template.interval_ticks, 1),
    source,
    remaining_ticks: duration,
  };
  const index = effects.findIndex((e) => e.name === template.name && e.source === source);
  const next = [...effects];
  if (index >= 0) next[index] = state;
  else next.push(state);
  return {
    effects: next,
    events: [
      {
        type: "effect_start",
        name: state.name,
        kind: state.kind,
        source,
        duration_ticks: duration,
        refreshed: index >= 0,
        tick,
      },
    ],
  };
}

/** Ends every effect named `name` (only those from `source`, when given): a cure or dispel. */
export function removeEffect(
  effects: readonly EffectState[],
  name: string,
  tick: number,
  source?: string,
): { effects: EffectState[]; events: EffectEvent[] } {
  const matches = (e: EffectState) => e.name === name && (source === undefined || e.source === source);
  return {
    effects: effects.filter((e) => !matches(e)),
    events: effects.filter(matches).map((e) => ({
      type: "effect_end" as const,
      name: e.name,
      kind: e.kind,
      source: e.source,
      reason: "removed" as const,
      tick,
    })),
  };
}

/** Current and maximum pools of the affected character or NPC. */
export interface Pools {
  hp: number;
  mp: number;
  maxHp: number;
  maxMp: number;
}

/** At the zone's default 10 Hz, regeneration pulses once a second. */
export const DEFAULT_REGEN_INTERVAL_TICKS = 10;

export interface TickContext {
  /** Number of the tick being run. */
  tick: number;
  /** No regeneration while fighting (effects still run). */
  inCombat: boolean;
  /** Derived vitality and intelligence, which set the regeneration rate. */
  vit: number;
  int: number;
  /** Regeneration pulses on ticks that are multiples of this (default 10). */
  regenIntervalTicks?: number;
}

/** Hit points and mana restored per regeneration pulse: 1 + ⌊vit/10⌋ and 1 + ⌊int/10⌋. */
export function regenAmounts(vit: number, int: number): { hp: number; mp: number } {
  return {
    hp: 1 + Math.floor(Math.max(0, Number(vit) || 0) / 10),
    mp: 1 + Math.floor(Math.max(0, Number(int) || 0) / 10),
  };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Advances effects and regeneration by one tick (see the module comment for the exact order). */
export function tickEffects(
  effects: readonly EffectState[],
  pools: Pools,
  ctx: TickContext,
): { effects: EffectState[]; hp: number; mp: number; events: EffectEvent[] } {
  const maxHp = Math.max(0, Math.round(Number(pools.maxHp) || 0));
  const maxMp = Math.max(0, Math.round(Number(pools.maxMp) || 0));
  let hp = clamp(Math.round(Number(pools.hp) || 0), 0, maxHp);
  let mp = clamp(Math.round(Number(pools.mp) || 0), 0, maxMp);
  const events: EffectEvent[] = [];
  const kept: EffectState[] = [];
  const tick = ctx.tick;

  for (const effect of effects) {
    // Stored data may be damaged: a NaN remaining count ends the effect rather than keeping it forever.
    const remaining = Number.isFinite(effect.remaining_ticks) ? Math.floor(effect.remaining_ticks) : 0;
    const duration = wholeAtLeast(effect.duration_ticks, 1);
    const interval = wholeAtLeast(effect.interval_ticks, 1);
    const pulse = effectRule(effect.kind)?.pulse;
    if (pulse && remaining > 0 && (duration - remaining + 1) % interval === 0) {
      const delta = pulse(effect);
      // The dead are not healed back to life, and cannot lose more than they have.
      const target = hp === 0 && delta > 0 ? 0 : clamp(hp + delta, 0, maxHp);
      if (target !== hp) {
        events.push({
          type: "hp_change",
          amount: target - hp,
          hp: target,
          source: effect.source,
          effect: effect.name,
          tick,
        });
        hp = target;
      }
    }
    if (remaining - 1 > 0) kept.push({ ...effect, remaining_ticks: remaining - 1 });
    else {
      events.push({
        type: "effect_end",
        name: effect.name,
        kind: effect.kind,
        source: effect.source,
        reason: "expired",
        tick,
      });
    }
  }

  const every = wholeAtLeast(ctx.regenIntervalTicks ?? DEFAULT_REGEN_INTERVAL_TICKS, 1);
  if (!ctx.inCombat && hp > 0 && tick % every === 0) {
    const regen = regenAmounts(ctx.vit, ctx.int);
    const newHp = Math.min(maxHp, hp + regen.hp);
    if (newHp !== hp) events.push({ type: "hp_change", amount: newHp - hp, hp: newHp, source: "regen", tick });
    hp = newHp;
    const newMp = Math.min(maxMp, mp + regen.mp);
    if (newMp !== mp) events.push({ type: "mp_change", amount: newMp - mp, mp: newMp, source: "regen", tick });
    mp = newMp;
  }
  return { effects: kept, hp, mp, events };
}

/**
 * When `effects` next change by more than a countdown: counting `j = 1` for the first tick they
 * have not yet advanced on, the first `j > after` at which `tickEffects` would pulse a dot or hot
 * (whether or not hp moves) or end an effect; one already due counts as `after + 1`. Undefined for
 * no effects. On every tick before it, a call to `tickEffects` only counts `remaining_ticks` down
 * (and clamps the pools), which `countDownEffects` does for many ticks at once.
 */
export function nextEffectChange(effects: readonly EffectState[], after = 0): number | undefined {
  let first: number | undefined;
  const consider = (j: number) => {
    if (first === undefined || j < first) first = j;
  };
  for (const effect of effects) {
    const remaining = Number.isFinite(effect.remaining_ticks) ? Math.floor(effect.remaining_ticks) : 0;
    const duration = wholeAtLeast(effect.duration_ticks, 1);
    const interval = wholeAtLeast(effect.interval_ticks, 1);
    // It ends on the tick it starts with one left (or at once when damaged data left none).
    consider(Math.max(after + 1, remaining));
    if (!effectRule(effect.kind)?.pulse || remaining <= 0) continue;
    // On its j-th tick from now it has run duration − remaining + j ticks; it pulses on multiples of the interval.
    const from = after + 1;
    const j = from + mod(-(duration - remaining) - from, interval);
    if (j <= remaining) consider(j);
  }
  return first;
}

/** `ticks` ticks of `effects` during which none pulses or ends (fewer than `nextEffectChange()`): the countdown only. */
export function countDownEffects(effects: readonly EffectState[], ticks: number): EffectState[] {
  return effects.map((effect) => ({
    ...effect,
    remaining_ticks: (Number.isFinite(effect.remaining_ticks) ? Math.floor(effect.remaining_ticks) : 0) - ticks,
  }));
}

const mod = (a: number, n: number) => ((a % n) + n) % n;
