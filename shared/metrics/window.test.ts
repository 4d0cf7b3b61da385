import { describe, expect, it } from "vitest";
import { MeasureWindow, nearestRank } from "./window";

describe("nearestRank", () => {
  it("picks the nearest-rank value and 0 when empty", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(sorted, 0.5)).toBe(50);
    expect(nearestRank(sorted, 0.99)).toBe(99);
    expect(nearestRank(sorted, 1)).toBe(100);
    expect(nearestRank(sorted, 0)).toBe(1);
    expect(nearestRank([], 0.5)).toBe(0);
  });
});

describe("MeasureWindow", () => {
  it("summarises ticks and bytes per player per second over its window", () => {
    const w = new MeasureWindow(1000);
    for (let i = 1; i <= 200; i++) w.recordTick(i / 10);
    // Two seconds of snapshots at 20 Hz to 4 players, 100 bytes each.
    for (let i = 0; i < 40; i++) w.recordSnapshot(400, 4);
    const s = w.summary(3000);
    expect(s).toMatchObject({ windowSeconds: 2, ticks: 200, tickP50Ms: 10, tickP99Ms: 19.8, tickMaxMs: 20 });
    expect(s).toMatchObject({ snapshots: 40, bytes: 16000, players: 4, bytesPerPlayerPerSecond: 2000 });
  });

  it("treats bad durations as 0, bounds its samples, and starts over on reset", () => {
    const w = new MeasureWindow(0);
    w.recordTick(Number.NaN);
    w.recordTick(-5);
    expect(w.summary(1000).tickMaxMs).toBe(0);
    for (let i = 0; i < 13_000; i++) w.recordTick(1);
    expect(w.summary(1000).ticks).toBe(12_000);
    w.reset(5000);
    expect(w.summary(6000)).toMatchObject({ ticks: 0, snapshots: 0, bytesPerPlayerPerSecond: 0, windowSeconds: 1 });
  });
});
