import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../sim/rng";
import { critChance, damageRange, hitChance, resolveAttack, UNARMED } from "./combat";

const fighter = (dex: number, attack = 7, defense = 0, int = 5) => ({ dex, attack, defense, int });
const sword = { damage: { min: 2, max: 6 } };

/** An Rng that replays fixed draws, to pin the formula at exact points. */
function scripted(draws: number[]): Rng {
  let i = 0;
  const next = () => {
    const value = draws[i++];
    if (value === undefined) throw new Error("ran out of scripted draws");
    return value;
  };
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)), state: () => i };
}

describe("chances", () => {
  it("hit: 75% at equal dex, 2% per point, clamped to 5%–95%", () => {
    expect(hitChance(10, 10)).toBeCloseTo(0.75);
    expect(hitChance(15, 10)).toBeCloseTo(0.85);
    expect(hitChance(10, 15)).toBeCloseTo(0.65);
    expect(hitChance(20, 10)).toBeCloseTo(0.95);
    expect(hitChance(90, 10)).toBe(0.95);
    expect(hitChance(10, 45)).toBe(0.05);
    expect(hitChance(Number.NaN, 0)).toBeCloseTo(0.75);
  });

  it("crit: 5% up to dex 10, +0.5% per point above, at most 25%", () => {
    expect(critChance(4)).toBe(0.05);
    expect(critChance(10)).toBe(0.05);
    expect(critChance(30)).toBeCloseTo(0.15);
    expect(critChance(50)).toBeCloseTo(0.25);
    expect(critChance(500)).toBe(0.25);
  });

  it("reads a damage range NaN-safely, never negative, min ≤ max", () => {
    expect(damageRange(undefined)).toEqual(UNARMED.damage);
    expect(damageRange({ damage: { min: 9, max: 3 } })).toEqual({ min: 3, max: 9 });
    expect(damageRange({ damage: { min: Number.NaN, max: -4 } })).toEqual({ min: 0, max: 0 });
  });
});

describe("resolveAttack on a fixed seed", () => {
  // Seed 42 draws 0.601, 0.448, 0.852 (rng.test.ts).
  it("hits for roll + attack − defense: 0.601 < 75% hits, 0.448 ≥ 5% no crit, 2 + ⌊0.852·5⌋ = 6", () => {
    const rng = createRng(42);
    expect(resolveAttack(fighter(10, 7), fighter(10, 0, 3), sword, rng)).toEqual({
      hit: true,
      crit: false,
      damage: 10,
    });
    const after = createRng(42);
    for (let i = 0; i < 3; i++) after.next();
    expect(rng.state()).toBe(after.state());
  });

  it("misses when the hit roll is above the chance, and still draws three numbers", () => {
    const rng = createRng(42);
    // 55% against a dex-20 defender: 0.601 misses.
    expect(resolveAttack(fighter(10), fighter(20), sword, rng)).toEqual({ hit: false, crit: false, damage: 0 });
    const after = createRng(42);
    for (let i = 0; i < 3; i++) after.next();
    expect(rng.state()).toBe(after.state());
  });

  it("doubles damage on a crit", () => {
    // hit 0.1, crit 0.01 < 5%, roll 2 + ⌊0.5·5⌋ = 4: (4 + 7 − 3) × 2.
    expect(resolveAttack(fighter(10, 7), fighter(10, 0, 3), sword, scripted([0.1, 0.01, 0.5]))).toEqual({
      hit: true,
      crit: true,
      damage: 16,
    });
  });

  it("does at least 1 damage on a hit, 2 on a crit, against any armour", () => {
    const wall = fighter(10, 0, 500);
    expect(resolveAttack(fighter(10), wall, sword, scripted([0.1, 0.9, 0.99]))).toEqual({
      hit: true,
      crit: false,
      damage: 1,
    });
    expect(resolveAttack(fighter(10), wall, sword, scripted([0.1, 0.01, 0.99]))).toEqual({
      hit: true,
      crit: true,
      damage: 2,
    });
  });

  it("uses ⌊int/2⌋ instead of attack for spells", () => {
    const mage = fighter(10, 99, 0, 21);
    const bolt = { damage: { min: 3, max: 3 } };
    expect(resolveAttack(mage, fighter(10), bolt, scripted([0.1, 0.9, 0.5]), "spell").damage).toBe(3 + 10);
    expect(resolveAttack(mage, fighter(10), bolt, scripted([0.1, 0.9, 0.5]), "melee").damage).toBe(3 + 99);
  });

  it("fights unarmed for 1–2", () => {
    const seen = new Set<number>();
    const rng = createRng(5);
    for (let i = 0; i < 500; i++) {
      const r = resolveAttack(fighter(30, 0), fighter(10), undefined, rng);
      if (r.hit && !r.crit) seen.add(r.damage);
    }
    expect([...seen].sort()).toEqual([1, 2]);
  });

  it("replays identically from the same seed", () => {
    const play = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 1_000 }, (_, i) => resolveAttack(fighter(8 + (i % 9)), fighter(12), sword, rng));
    };
    expect(play(99)).toEqual(play(99));
    expect(play(99)).not.toEqual(play(100));
  });
});

describe("resolveAttack statistically", () => {
  const N = 20_000;
  const pairs: [number, number][] = [
    [10, 10],
    [16, 10],
    [10, 16],
    [30, 10],
    [10, 40],
    [25, 24],
  ];

  it("hits at the formula's rate (±2%) across dex pairings", () => {
    for (const [a, d] of pairs) {
      const rng = createRng(1000 + a * 100 + d);
      let hits = 0;
      for (let i = 0; i < N; i++) if (resolveAttack(fighter(a), fighter(d), sword, rng).hit) hits++;
      expect(Math.abs(hits / N - hitChance(a, d)), `dex ${a} vs ${d}`).toBeLessThan(0.02);
    }
  });

  it("crits at the formula's rate among hits (±2%)", () => {
    for (const dex of [10, 30, 60]) {
      const rng = createRng(dex);
      let hits = 0;
      let crits = 0;
      for (let i = 0; i < N; i++) {
        const r = resolveAttack(fighter(dex), fighter(10), sword, rng);
        if (r.hit) hits++;
        if (r.crit) crits++;
      }
      expect(Math.abs(crits / hits - critChance(dex)), `dex ${dex}`).toBeLessThan(0.02);
    }
  });

  it("keeps every hit within [roll range + attack − defense], reaching both ends", () => {
    const rng = createRng(31337);
    const normal = new Set<number>();
    for (let i = 0; i < N; i++) {
      const r = resolveAttack(fighter(12, 5), fighter(10, 0, 2), sword, rng);
      if (!r.hit) {
        expect(r).toEqual({ hit: false, crit: false, damage: 0 });
        continue;
      }
      if (r.crit) {
        expect(r.damage % 2).toBe(0);
        expect(r.damage / 2).toBeGreaterThanOrEqual(5);
        expect(r.damage / 2).toBeLessThanOrEqual(9);
      } else normal.add(r.damage);
    }
    expect([...normal].sort((x, y) => x - y)).toEqual([5, 6, 7, 8, 9]); // 2..6 + 5 − 2
  });
});
