import { describe, expect, it } from "vitest";
import {
  type ClockConfig,
  type ClockState,
  catchUpStops,
  intervalMs,
  planAdvance,
  planCatchUp,
  planWake,
  startClock,
  tickDueAt,
} from "./clock";

const T0 = 1_700_000_000_000;
const TEN_HZ: ClockConfig = { rateHz: 10, maxCatchUpTicks: 600 };

describe("planAdvance", () => {
  it("plans nothing before one interval has passed", () => {
    const clock = startClock(T0);
    for (const now of [T0 - 5_000, T0, T0 + 1, T0 + 50, T0 + 99.9]) {
      const plan = planAdvance(clock, now, TEN_HZ);
      expect(plan.ticks).toEqual([]);
      expect(plan.skipped).toBe(0);
      expect(plan.lateMs).toBe(0);
      expect(plan.next).toBe(clock);
      expect(plan.nextTargetAt).toBe(T0 + 100);
    }
  });

  it("plans the first tick exactly when it is due", () => {
    const plan = planAdvance(startClock(T0), T0 + 100, TEN_HZ);
    expect(plan.ticks).toEqual([1]);
    expect(plan.lateMs).toBe(0);
    expect(plan.next).toEqual({ tick: 1, lastTargetAt: T0 + 100 });
    expect(plan.nextTargetAt).toBe(T0 + 200);
  });

  it("plans exactly the due ticks, numbered on from the stored tick", () => {
    const clock: ClockState = { tick: 41, lastTargetAt: T0 };
    const plan = planAdvance(clock, T0 + 350, TEN_HZ);
    expect(plan.ticks).toEqual([42, 43, 44]);
    expect(plan.skipped).toBe(0);
    expect(plan.next).toEqual({ tick: 44, lastTargetAt: T0 + 300 });
    expect(plan.nextTargetAt).toBe(T0 + 400);
    expect(plan.lateMs).toBe(50);
  });

  it("is idempotent: re-planning with the returned clock at the same now runs nothing", () => {
    const first = planAdvance(startClock(T0), T0 + 1_234, TEN_HZ);
    expect(first.ticks).toHaveLength(12);
    const again = planAdvance(first.next, T0 + 1_234, TEN_HZ);
    expect(again.ticks).toEqual([]);
    expect(again.skipped).toBe(0);
    expect(again.next).toEqual(first.next);
    expect(again.nextTargetAt).toBe(first.nextTargetAt);
  });

  it("never runs a tick twice when a timer and an alarm race over the same span", () => {
    let clock = startClock(T0);
    const ran: number[] = [];
    // Two callers see slightly different clocks; both advance the same stored state.
    for (const now of [T0 + 100, T0 + 100, T0 + 180, T0 + 205, T0 + 205, T0 + 199, T0 + 420]) {
      const plan = planAdvance(clock, now, TEN_HZ);
      ran.push(...plan.ticks);
      clock = plan.next;
    }
    expect(ran).toEqual([1, 2, 3, 4]);
  });

  it("does not drift: targets advance from the previous target, not from the late wake-up", () => {
    let clock = startClock(T0);
    const interval = intervalMs(TEN_HZ);
    let wake = T0;
    const lateness = [0, 7, 93, 40, 1, 99, 250, 13, 0, 64];
    for (let i = 0; i < 1_000; i++) {
      const plan = planAdvance(clock, wake, TEN_HZ);
      clock = plan.next;
      const sinceStart = clock.lastTargetAt - T0;
      expect(sinceStart % interval).toBe(0);
      expect(sinceStart / interval).toBe(clock.tick);
      expect(plan.lateMs).toBeGreaterThanOrEqual(0);
      expect(plan.lateMs).toBeLessThan(interval);
      // Sleep until the next target, then wake up late by a varying amount.
      wake = plan.nextTargetAt + (lateness[i % lateness.length] as number);
    }
    // No tick was lost to the late wake-ups: the tick count tracks elapsed time exactly.
    const final = planAdvance(clock, wake, TEN_HZ);
    expect(final.next.tick).toBe(Math.floor((wake - T0) / interval));
    expect(final.next.lastTargetAt).toBe(T0 + final.next.tick * interval);
  });

  it("keeps the schedule at a rate whose interval is not a whole number of ms", () => {
    const config: ClockConfig = { rateHz: 3, maxCatchUpTicks: 600 };
    let clock = startClock(0);
    for (let second = 1; second <= 3_600; second++) {
      clock = planAdvance(clock, second * 1000 + 5, config).next;
    }
    expect(clock.tick).toBe(3 * 3_600);
    expect(clock.lastTargetAt).toBeCloseTo(3_600_000, 3);
  });

  it("bounds catch-up after a long gap and reports the skipped ticks", () => {
    const clock: ClockState = { tick: 10, lastTargetAt: T0 };
    // One hour asleep at 10 Hz: 36,000 ticks due, 600 may run.
    const plan = planAdvance(clock, T0 + 3_600_000 + 30, TEN_HZ);
    expect(plan.ticks).toHaveLength(600);
    expect(plan.ticks[0]).toBe(11);
    expect(plan.ticks.at(-1)).toBe(610);
    expect(plan.skipped).toBe(36_000 - 600);
    expect(plan.next).toEqual({ tick: 610, lastTargetAt: T0 + 3_600_000 });
    expect(plan.nextTargetAt).toBe(T0 + 3_600_100);
    expect(plan.lateMs).toBe(30);
    // The skipped span is not replayed on the next call.
    expect(planAdvance(plan.next, T0 + 3_600_030, TEN_HZ).ticks).toEqual([]);
  });

  it("runs at least one tick even if catch-up is configured to zero", () => {
    const plan = planAdvance(startClock(T0), T0 + 1_000, { rateHz: 10, maxCatchUpTicks: 0 });
    expect(plan.ticks).toEqual([1]);
    expect(plan.skipped).toBe(9);
  });

  it("reports lateMs as the delay of the newest due tick", () => {
    const clock = startClock(T0);
    expect(planAdvance(clock, T0 + 100, TEN_HZ).lateMs).toBe(0);
    expect(planAdvance(clock, T0 + 137, TEN_HZ).lateMs).toBe(37);
    expect(planAdvance(clock, T0 + 299, TEN_HZ).lateMs).toBe(99);
    expect(planAdvance(clock, T0 + 300, TEN_HZ).lateMs).toBe(0);
  });

  it("treats a clock that went backwards as nothing due", () => {
    const clock: ClockState = { tick: 5, lastTargetAt: T0 };
    const plan = planAdvance(clock, T0 - 10_000, TEN_HZ);
    expect(plan.ticks).toEqual([]);
    expect(plan.next).toEqual(clock);
  });
});

describe("clock helpers", () => {
  it("derives the interval from the rate and starts with the first tick one interval out", () => {
    expect(intervalMs({ rateHz: 20, maxCatchUpTicks: 1 })).toBe(50);
    expect(startClock(T0)).toEqual({ tick: 0, lastTargetAt: T0 });
    expect(planAdvance(startClock(T0), T0, { rateHz: 20, maxCatchUpTicks: 1 }).nextTargetAt).toBe(T0 + 50);
  });
});

describe("catching up a zone nobody watched", () => {
  it("plans every due tick as one span, with the same clock planAdvance would reach unbounded", () => {
    const clock: ClockState = { tick: 10, lastTargetAt: T0 };
    const now = T0 + 3_600_000 + 30;
    const span = planCatchUp(clock, now, TEN_HZ);
    const unbounded = planAdvance(clock, now, { rateHz: 10, maxCatchUpTicks: 1e9 });
    expect(span).toEqual({
      from: 10,
      to: 36_010,
      lateMs: 30,
      next: unbounded.next,
      nextTargetAt: unbounded.nextTargetAt,
    });
    expect(planCatchUp(span.next, now, TEN_HZ)).toMatchObject({ from: 36_010, to: 36_010, next: span.next });
  });

  it("wakes when the next event's tick is due, or earlier for what is owed", () => {
    const clock: ClockState = { tick: 100, lastTargetAt: T0 };
    expect(tickDueAt(clock, 700, TEN_HZ)).toBe(T0 + 60_000);
    expect(planWake(clock, 700, null, TEN_HZ)).toBe(T0 + 60_000);
    expect(planWake(clock, 700, T0 + 5_000, TEN_HZ)).toBe(T0 + 5_000);
    expect(planWake(clock, 700, T0 + 90_000, TEN_HZ)).toBe(T0 + 60_000);
    expect(planWake(clock, undefined, null, TEN_HZ)).toBeNull();
    expect(planWake(clock, undefined, T0 + 1, TEN_HZ)).toBe(T0 + 1);
    // An event at or before the clock's tick is owed now.
    expect(planWake(clock, 90, null, TEN_HZ)).toBe(T0);
    // At 20 Hz, 72,000 ticks are an hour.
    expect(planWake({ tick: 0, lastTargetAt: T0 }, 72_000, null, { rateHz: 20 })).toBe(T0 + 3_600_000);
  });

  it("stops at each source's events, asked after each stop, then at the end", () => {
    const events = [5, 5, 12, 40];
    const asked: number[] = [];
    const engine = (after: number) => {
      asked.push(after);
      return events.find((t) => t > after);
    };
    const weather = (after: number) => (Math.floor(after / 10) + 1) * 10;
    expect([...catchUpStops(0, 35, [engine, weather])]).toEqual([5, 10, 12, 20, 30, 35]);
    expect(asked).toEqual([0, 5, 10, 12, 20, 30]);
    expect([...catchUpStops(7, 7, [engine])]).toEqual([]);
    expect([...catchUpStops(0, 3, [])]).toEqual([3]);
    // A source answering the past still moves on.
    expect([...catchUpStops(0, 3, [() => 0])]).toEqual([1, 2, 3]);
  });
});
