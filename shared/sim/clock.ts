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

export const intervalMs = (config: ClockConfig) => 1000 / config.rateHz;

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
