import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";

describe("backoffDelay", () => {
  it("doubles its ceiling per attempt and stays between half the ceiling and the ceiling", () => {
    expect(backoffDelay(1, () => 0)).toBe(125);
    expect(backoffDelay(1, () => 1)).toBe(250);
    expect(backoffDelay(3, () => 0)).toBe(500);
    expect(backoffDelay(3, () => 1)).toBe(1000);
  });

  it("never exceeds the maximum, however many attempts", () => {
    expect(backoffDelay(50, () => 1, { maxMs: 5000 })).toBe(5000);
    expect(backoffDelay(1_000_000, () => 0.5)).toBeLessThanOrEqual(10_000);
  });

  it("spreads clients dropped together (jitter)", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, random)));
    expect(delays.size).toBeGreaterThan(30);
  });
});
