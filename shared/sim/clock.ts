/**
 * The zone clock as pure arithmetic. A zone stores the number of its last tick and the time that
 * tick was *due* (its target), never the time it happened to run; the next target is always
 * previous target + interval, so a late wake-up does not push every later tick back (no drift).
 */

export interface ClockState {
  /** Number of the last tick that ran. */
  tick: number;
  /** Epoch milliseconds at which that tick was due. */
  lastTargetAt: number;
}

export interface ClockConfig {
  rateHz: number;
  /** Most ticks one advance may simulate; older due ticks are skipped so a long gap stays cheap. */
  maxCatchUpTicks: number;
}

export interface AdvancePlan {
  /** Tick numbers to simulate now, in order. */
  ticks: number[];
  /** Due ticks dropped because the backlog exceeded `maxCatchUpTicks`. */
  skipped: number;
  /** How late the newest due tick is at `now`, in ms (0 when nothing is due). */
  lateMs: number;
  /** Clock after the planned ticks have run. */
  next: ClockState;
  /** When the following tick is due. */
  nextTargetAt: number;
}

/** A clock's rate, with or without its catch-up bound. */
export type ClockRate = Pick<ClockConfig, "rateHz"> & Partial<ClockConfig>;

export const intervalMs = (config: ClockRate) => 1000 / config.rateHz;

/** Starts a clock whose first tick is due one interval after `now`. */
export function startClock(now: number): ClockState {
  return { tick: 0, lastTargetAt: now };
}

/**
 * Plans the ticks due at `now`. Idempotent: planning again with the returned clock and the same
 * `now` yields no ticks, so a timer and an alarm racing to advance the zone cannot double-tick.
 */
export function planAdvance(clock: ClockState, now: number, config: ClockConfig): AdvancePlan {
  const interval = intervalMs(config);
  const due = Math.max(0, Math.floor((now - clock.lastTargetAt) / interval));
  if (due === 0) {
    return { ticks: [], skipped: 0, lateMs: 0, next: clock, nextTargetAt: clock.lastTargetAt + interval };
  }
  const run = Math.min(due, Math.max(1, config.maxCatchUpTicks));
  const skipped = due - run;
  const ticks = Array.from({ length: run }, (_, i) => clock.tick + 1 + i);
  const lastTargetAt = clock.lastTargetAt + due * interval;
  return {
    ticks,
    skipped,
    lateMs: now - lastTargetAt,
    next: { tick: clock.tick + run, lastTargetAt },
    nextTargetAt: lastTargetAt + interval,
  };
}

/** When tick `tick` is (or was) due on this clock's schedule: targets advance from the stored target. */
export function tickDueAt(clock: ClockState, tick: number, config: ClockRate): number {
  return clock.lastTargetAt + (tick - clock.tick) * intervalMs(config);
}

/**
 * Every tick due at `now`, as one span with no catch-up limit, for a zone that fast-forwards
 * (shared/zone/engine.ts, `fastForward`) instead of stepping: ticks `from + 1 … to` are due (none
 * when `to === from`). Idempotent like `planAdvance`, and `next`, `nextTargetAt` and `lateMs` are
 * what `planAdvance` would give with an unbounded `maxCatchUpTicks`.
 */
export interface CatchUpPlan {
  /** The last tick that ran before. */
  from: number;
  /** The last tick due now. */
  to: number;
  lateMs: number;
  next: ClockState;
  nextTargetAt: number;
}

export function planCatchUp(clock: ClockState, now: number, config: ClockRate): CatchUpPlan {
  const interval = intervalMs(config);
  const due = Math.max(0, Math.floor((now - clock.lastTargetAt) / interval));
  if (due === 0)
    return { from: clock.tick, to: clock.tick, lateMs: 0, next: clock, nextTargetAt: clock.lastTargetAt + interval };
  const lastTargetAt = clock.lastTargetAt + due * interval;
  return {
    from: clock.tick,
    to: clock.tick + due,
    lateMs: now - lastTargetAt,
    next: { tick: clock.tick + due, lastTargetAt },
    nextTargetAt: lastTargetAt + interval,
  };
}

/**
 * When an empty zone's alarm should next fire: when the first tick with something scheduled
 * (`eventTick`, from the engine's and the chat layer's `nextEventTick`) is due, or at `owedAt` (a
 * character write or hand-off owed) if that is earlier; null when neither is set. An event tick at
 * or before the clock's tick is owed now (`lastTargetAt`).
 */
export function planWake(
  clock: ClockState,
  eventTick: number | undefined,
  owedAt: number | null,
  config: ClockRate,
): number | null {
  const eventAt = eventTick === undefined ? null : tickDueAt(clock, Math.max(eventTick, clock.tick), config);
  if (eventAt === null) return owedAt;
  return owedAt === null ? eventAt : Math.min(eventAt, owedAt);
}

/** The earliest of several `nextEventTick` answers (undefined when none has an event). */
export function earliestTick(...ticks: (number | undefined)[]): number | undefined {
  let first: number | undefined;
  for (const t of ticks) if (t !== undefined && (first === undefined || t < first)) first = t;
  return first;
}

/**
 * Where a catch-up from tick `from` to `to` must stop so that what draws on the zone's one RNG
 * besides the engine (the chat layer's weather) draws in the order per-tick stepping would: each
 * tick in `from + 1 … to` at which one of `sources` (each a `nextEventTick`, asked after the
 * previous stop has run) has an event, then `to` itself. At each stop the host brings the engine
 * to the tick before it (`fastForward(stop - 1)`: its events in between draw first), then runs the
 * stop's tick as a tick runs: the sources' part (the weather), then the engine's
 * (`fastForward(stop)`). Lazy: consume it in order. An answer at or before the current stop
 * counts as the next tick, so it always ends.
 */
export function* catchUpStops(
  from: number,
  to: number,
  sources: readonly ((afterTick: number) => number | undefined)[],
): Generator<number, void, undefined> {
  let at = from;
  while (at < to) {
    let stop = to;
    for (const source of sources) {
      const t = source(at);
      if (t !== undefined) stop = Math.min(stop, Math.max(t, at + 1));
    }
    yield stop;
    at = stop;
  }
}
