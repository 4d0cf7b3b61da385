import { describe, expect, it } from "vitest";
import { createRng } from "../sim/rng";
import { dropChances, MAX_LOOT_ROLLS, rollLoot } from "./loot";
import type { LootTable } from "./types";

const table = (over: Partial<LootTable>): LootTable => ({ id: "t", rolls: 1, nothingWeight: 0, entries: [], ...over });

function frequencies(t: LootTable, seed: number, n: number) {
  const rng = createRng(seed);
  const counts = new Map<string, number>();
  let nothing = 0;
  for (let i = 0; i < n; i++) {
    const drops = rollLoot(t, rng);
    if (drops.length === 0) nothing++;
    for (const id of drops) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return { counts, nothing };
}

describe("rollLoot", () => {
  it("picks by weight on a fixed seed: 0.601·4, 0.448·4, 0.852·4 land on b, a, c", () => {
    const t = table({
      rolls: 3,
      nothingWeight: 1,
      entries: [
        { item: "a", weight: 1 },
        { item: "b", weight: 1 },
        { item: "c", weight: 1 },
      ],
    });
    expect(rollLoot(t, createRng(42))).toEqual(["b", "a", "c"]);
  });

  it("matches the weights over many rolls (±1%)", () => {
    const t = table({
      nothingWeight: 50,
      entries: [
        { item: "copper", weight: 30 },
        { item: "dagger", weight: 15 },
        { item: "gem", weight: 5 },
      ],
    });
    const n = 50_000;
    const { counts, nothing } = frequencies(t, 2024, n);
    expect(Math.abs(nothing / n - 0.5)).toBeLessThan(0.01);
    const expected = dropChances(t);
    expect([...expected.entries()]).toEqual([
      ["copper", 0.3],
      ["dagger", 0.15],
      ["gem", 0.05],
    ]);
    for (const [item, p] of expected) expect(Math.abs((counts.get(item) ?? 0) / n - p), item).toBeLessThan(0.01);
  });

  it("never drops entries of zero, negative or NaN weight", () => {
    const t = table({
      rolls: 2,
      nothingWeight: 1,
      entries: [
        { item: "zero", weight: 0 },
        { item: "real", weight: 1 },
        { item: "negative", weight: -10 },
        { item: "nan", weight: Number.NaN },
      ],
    });
    const { counts } = frequencies(t, 9, 20_000);
    expect([...counts.keys()]).toEqual(["real"]);
    expect(dropChances(t).get("zero")).toBeUndefined();
  });

  it("rolls the table `rolls` times: with no nothing-weight, always that many drops", () => {
    const t = table({ rolls: 4, entries: [{ item: "coin", weight: 1 }] });
    const rng = createRng(3);
    for (let i = 0; i < 100; i++) expect(rollLoot(t, rng)).toEqual(["coin", "coin", "coin", "coin"]);
  });

  it("drops nothing from an empty, weightless or zero-roll table, but still draws once per roll", () => {
    const rng = createRng(11);
    expect(rollLoot(table({ rolls: 3, nothingWeight: 0 }), rng)).toEqual([]);
    const reference = createRng(11);
    for (let i = 0; i < 3; i++) reference.next();
    expect(rng.state()).toBe(reference.state());
    expect(rollLoot(table({ rolls: 0, entries: [{ item: "x", weight: 1 }] }), createRng(1))).toEqual([]);
    expect(rollLoot(table({ rolls: Number.NaN, entries: [{ item: "x", weight: 1 }] }), createRng(1))).toEqual([]);
  });

  it("caps absurd roll counts", () => {
    const t = table({ rolls: 1e9, entries: [{ item: "x", weight: 1 }] });
    expect(rollLoot(t, createRng(1))).toHaveLength(MAX_LOOT_ROLLS);
  });

  it("adds up an item listed twice", () => {
    const t = table({
      nothingWeight: 2,
      entries: [
        { item: "x", weight: 1 },
        { item: "x", weight: 1 },
      ],
    });
    expect(dropChances(t).get("x")).toBe(0.5);
    const { counts } = frequencies(t, 5, 20_000);
    expect(Math.abs((counts.get("x") ?? 0) / 20_000 - 0.5)).toBeLessThan(0.015);
  });
});
