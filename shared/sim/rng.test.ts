import { describe, expect, it } from "vitest";
import { createRng, seedFromString } from "./rng";

const take = (seed: number, n: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe("createRng", () => {
  it("gives the same stream for the same seed", () => {
    expect(take(12345, 1_000)).toEqual(take(12345, 1_000));
  });

  it("gives different streams for different seeds", () => {
    const a = take(1, 100);
    const b = take(2, 100);
    expect(a.filter((value, i) => value === b[i])).toHaveLength(0);
  });

  it("keeps the stream of a persisted seed stable across releases", () => {
    // A zone persists its RNG state; changing the generator would change every stored world's future.
    const rng = createRng(42);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(rng.state()).toBe(1199730185);
  });

  it("resumes exactly from its saved state", () => {
    const whole = createRng(777);
    const expected = Array.from({ length: 50 }, () => whole.next());
    const first = createRng(777);
    const head = Array.from({ length: 20 }, () => first.next());
    // The state survives a JSON round trip, as it does when a zone writes it to SQLite.
    const saved = JSON.parse(JSON.stringify({ rng: first.state() })) as { rng: number };
    const resumed = createRng(saved.rng);
    const tail = Array.from({ length: 30 }, () => resumed.next());
    expect([...head, ...tail]).toEqual(expected);
  });

  it("normalises seeds to unsigned 32 bits", () => {
    expect(take(-1, 10)).toEqual(take(0xffffffff, 10));
    expect(take(2 ** 32 + 5, 10)).toEqual(take(5, 10));
    expect(createRng(-1).state()).toBe(0xffffffff);
  });

  it("returns floats in [0, 1) that spread over the whole range", () => {
    const values = take(99, 20_000);
    const deciles = new Array(10).fill(0);
    for (const v of values) deciles[Math.floor(v * 10)] += 1;
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    // Each tenth of the range gets its share (2,000 expected), within a generous margin.
    for (const count of deciles) expect(Math.abs(count - 2_000)).toBeLessThan(200);
  });

  it("returns integers in [min, max] inclusive, hitting both ends", () => {
    const rng = createRng(2024);
    const seen = new Set<number>();
    for (let i = 0; i < 5_000; i++) seen.add(rng.int(-2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(createRng(5).int(7, 7)).toBe(7);
  });
});

describe("seedFromString", () => {
  it("is 32-bit FNV-1a, so a zone's seed never changes between releases", () => {
    // Published FNV-1a 32-bit test vectors.
    expect(seedFromString("")).toBe(0x811c9dc5);
    expect(seedFromString("a")).toBe(0xe40c292c);
    expect(seedFromString("foobar")).toBe(0xbf9cf968);
  });

  it("gives each zone name its own unsigned 32-bit seed", () => {
    const names = ["local:zone:start", "local:zone:start2", "eu:zone:start", "local:zone:Start", "local:zone:forest"];
    const seeds = names.map(seedFromString);
    expect(new Set(seeds).size).toBe(names.length);
    for (const seed of seeds) {
      expect(Number.isInteger(seed)).toBe(true);
      expect(seed).toBeGreaterThanOrEqual(0);
      expect(seed).toBeLessThan(2 ** 32);
    }
    expect(seedFromString("local:zone:start")).toBe(seedFromString("local:zone:start"));
  });
});
