import { describe, expect, it } from "vitest";
import { createHistogram, observe, quantile, TICK_DURATION_BOUNDS_MS, TICK_LATENESS_BOUNDS_MS } from "./histogram";

describe("histogram", () => {
  it("starts empty with one slot per bound plus one for overflow", () => {
    expect(createHistogram([1, 5, 10])).toEqual({ bounds: [1, 5, 10], counts: [0, 0, 0, 0], sum: 0, count: 0 });
  });

  it("copies its bounds so the caller's array cannot change it", () => {
    const bounds = [1, 2];
    const histogram = createHistogram(bounds);
    bounds.push(3);
    expect(histogram.bounds).toEqual([1, 2]);
  });

  it("puts each value in the first bucket whose upper bound holds it (bounds inclusive)", () => {
    const histogram = createHistogram([1, 5, 10]);
    for (const value of [0, 1, 1.0001, 5, 7, 10, 10.5, 999]) observe(histogram, value);
    expect(histogram.counts).toEqual([2, 2, 2, 2]);
    expect(histogram.count).toBe(8);
    expect(histogram.sum).toBeCloseTo(0 + 1 + 1.0001 + 5 + 7 + 10 + 10.5 + 999, 9);
  });

  it("clamps negative, NaN and -Infinity to 0 rather than corrupting the sum", () => {
    const histogram = createHistogram([1, 5]);
    for (const value of [-3, Number.NaN, Number.NEGATIVE_INFINITY]) observe(histogram, value);
    expect(histogram.counts).toEqual([3, 0, 0]);
    expect(histogram.sum).toBe(0);
    expect(histogram.count).toBe(3);
  });

  it("counts +Infinity in the overflow bucket without making the sum infinite", () => {
    const histogram = createHistogram([1, 5]);
    observe(histogram, 2);
    observe(histogram, Number.POSITIVE_INFINITY);
    expect(histogram.counts).toEqual([0, 1, 1]);
    expect(histogram.sum).toBe(2);
    expect(histogram.count).toBe(2);
  });

  it("stays JSON-safe so a zone can ship it as is", () => {
    const histogram = createHistogram(TICK_LATENESS_BOUNDS_MS);
    observe(histogram, 3);
    observe(histogram, 7000);
    expect(JSON.parse(JSON.stringify(histogram))).toEqual(histogram);
  });
});

describe("quantile", () => {
  it("is 0 for an empty histogram", () => {
    expect(quantile(createHistogram([1, 2]), 0.5)).toBe(0);
  });

  it("returns the upper bound of the bucket holding the quantile", () => {
    const histogram = createHistogram([1, 5, 10, 50]);
    // 90 fast values, 9 medium, 1 slow.
    for (let i = 0; i < 90; i++) observe(histogram, 0.5);
    for (let i = 0; i < 9; i++) observe(histogram, 8);
    observe(histogram, 40);
    expect(quantile(histogram, 0.5)).toBe(1);
    expect(quantile(histogram, 0.9)).toBe(1);
    expect(quantile(histogram, 0.91)).toBe(10);
    expect(quantile(histogram, 0.99)).toBe(10);
    expect(quantile(histogram, 1)).toBe(50);
  });

  it("is Infinity when the quantile falls past the last bound", () => {
    const histogram = createHistogram([1, 5]);
    observe(histogram, 0.5);
    observe(histogram, 100);
    expect(quantile(histogram, 0.5)).toBe(1);
    expect(quantile(histogram, 0.99)).toBe(Number.POSITIVE_INFINITY);
  });

  it("gives the smallest observation's bucket for q = 0, not an empty first bucket", () => {
    const histogram = createHistogram([1, 5, 10]);
    observe(histogram, 7);
    observe(histogram, 9);
    expect(quantile(histogram, 0)).toBe(10);
  });
});

describe("bucket layouts", () => {
  it.each([
    ["tick duration", TICK_DURATION_BOUNDS_MS],
    ["tick lateness", TICK_LATENESS_BOUNDS_MS],
  ])("%s bounds increase strictly", (_, bounds) => {
    for (let i = 1; i < bounds.length; i++) expect(bounds[i]).toBeGreaterThan(bounds[i - 1] as number);
  });
});
