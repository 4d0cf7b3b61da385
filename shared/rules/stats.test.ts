import { describe, expect, it } from "vitest";
import type { EffectState, Modifier } from "../mud/types";
import {
  type Attributes,
  applyXp,
  type CharacterProgress,
  clampPools,
  deriveStats,
  levelForXp,
  MAX_LEVEL,
  MAX_XP,
  statDiff,
  visibleStats,
  xpForLevel,
} from "./stats";

const warrior: Attributes = { str: 14, dex: 9, int: 5, vit: 12 };
const item = (...modifiers: Modifier[]) => ({ modifiers });
const effect = (kind: EffectState["kind"], stat: EffectState["stat"], magnitude: number): EffectState => ({
  name: `${kind}-${stat}`,
  kind,
  stat,
  magnitude,
  duration_ticks: 10,
  interval_ticks: 1,
  source: "test",
  remaining_ticks: 10,
});

describe("deriveStats", () => {
  it("derives pools and attack from attributes and level when nothing modifies them", () => {
    // maxHp 20 + 5·12, maxMp 10 + 4·5, attack ⌊14/2⌋.
    expect(deriveStats({ attributes: warrior, level: 1 })).toEqual({
      str: 14,
      dex: 9,
      int: 5,
      vit: 12,
      maxHp: 80,
      maxMp: 30,
      attack: 7,
      defense: 0,
    });
    const level5 = deriveStats({ attributes: warrior, level: 5 });
    expect([level5.maxHp, level5.maxMp]).toEqual([80 + 4 * 8, 30 + 4 * 5]);
  });

  it("feeds modified attributes into max hp and attack", () => {
    const stats = deriveStats({
      attributes: warrior,
      level: 1,
      equipped: [item({ stat: "vit", flat: 2 }), item({ stat: "str", flat: 4 }, { stat: "attack", flat: 3 })],
    });
    expect(stats.vit).toBe(14);
    expect(stats.maxHp).toBe(20 + 5 * 14);
    expect(stats.str).toBe(18);
    expect(stats.attack).toBe(9 + 3);
  });

  it("adds flat bonuses before applying percentages", () => {
    const stats = deriveStats({
      attributes: { ...warrior, str: 10 },
      level: 1,
      equipped: [item({ stat: "str", percent: 50 }), item({ stat: "str", flat: 10 })],
    });
    expect(stats.str).toBe(30); // (10 + 10) × 1.5, not 10 × 1.5 + 10
  });

  it("adds percentages together rather than compounding them", () => {
    const stats = deriveStats({
      attributes: { ...warrior, str: 50 },
      level: 1,
      equipped: [item({ stat: "str", percent: 10 }), item({ stat: "str", percent: 10 })],
    });
    expect(stats.str).toBe(60); // 50 × 1.2; compounding would give 60.5 → 61
  });

  it("gives the same result whatever order equipment is listed in", () => {
    const gear = [
      item({ stat: "maxHp", percent: 10 }),
      item({ stat: "vit", flat: 3 }, { stat: "defense", flat: 4 }),
      item({ stat: "defense", percent: 25 }),
    ];
    const forward = deriveStats({ attributes: warrior, level: 3, equipped: gear });
    expect(deriveStats({ attributes: warrior, level: 3, equipped: [...gear].reverse() })).toEqual(forward);
    expect(forward.defense).toBe(5); // 4 × 1.25
    expect(forward.maxHp).toBe(Math.round((20 + 5 * 15 + 16) * 1.1));
  });

  it("applies buffs as flat bonuses and debuffs as flat penalties, whatever the sign of magnitude", () => {
    const stats = deriveStats({
      attributes: warrior,
      level: 1,
      effects: [effect("buff", "str", 4), effect("debuff", "dex", 3), effect("debuff", "int", -2)],
    });
    expect([stats.str, stats.dex, stats.int]).toEqual([18, 6, 3]);
  });

  it("ignores dots, hots and stat-less effects when deriving stats", () => {
    const plain = deriveStats({ attributes: warrior, level: 2 });
    const withOthers = deriveStats({
      attributes: warrior,
      level: 2,
      effects: [effect("dot", undefined, 5), effect("hot", undefined, 5), effect("buff", undefined, 9)],
    });
    expect(withOthers).toEqual(plain);
  });

  it("adds natural armour to defense", () => {
    expect(deriveStats({ attributes: warrior, level: 1, baseDefense: 4 }).defense).toBe(4);
    expect(deriveStats({ attributes: warrior, level: 1, baseDefense: -4 }).defense).toBe(0);
  });

  it("clamps to sane minimums however hard a stat is debuffed", () => {
    const stats = deriveStats({
      attributes: warrior,
      level: 1,
      equipped: [
        item({ stat: "vit", flat: -100 }),
        item({ stat: "str", percent: -250 }),
        item({ stat: "int", flat: -50 }, { stat: "maxMp", flat: -500 }),
        item({ stat: "attack", flat: -20 }, { stat: "defense", flat: -20 }),
      ],
    });
    expect(stats).toMatchObject({ vit: 1, str: 1, int: 1, maxMp: 0, attack: 0, defense: 0 });
    expect(stats.maxHp).toBe(25); // 20 + 5·1: the minimum vitality still counts
  });

  it("is NaN-safe: garbage inputs yield finite, in-range numbers", () => {
    const stats = deriveStats({
      attributes: { str: Number.NaN, dex: Number.POSITIVE_INFINITY, int: "9" as unknown as number, vit: 10 },
      level: Number.NaN,
      equipped: [
        item({ stat: "vit", flat: Number.NaN, percent: Number.NaN }),
        item({ stat: "bogus" as "str", flat: 99 }),
      ],
      baseDefense: Number.NaN,
    });
    for (const value of Object.values(stats)) expect(Number.isFinite(value)).toBe(true);
    expect(stats).toMatchObject({ str: 1, dex: 1, int: 1, vit: 10, maxHp: 70, defense: 0 });
  });
});

describe("experience", () => {
  it("follows 50·L·(L−1): each level L→L+1 costs 100·L", () => {
    expect([1, 2, 3, 4, 5, 10].map(xpForLevel)).toEqual([0, 100, 300, 600, 1000, 4500]);
    for (let level = 1; level < MAX_LEVEL; level++) {
      expect(xpForLevel(level + 1) - xpForLevel(level)).toBe(100 * level);
    }
  });

  it("finds the level for a total", () => {
    expect([0, 99, 100, 299, 300, 4499, 4500].map(levelForXp)).toEqual([1, 1, 2, 2, 3, 9, 10]);
    expect(levelForXp(MAX_XP)).toBe(MAX_LEVEL);
    expect(levelForXp(Number.NaN)).toBe(1);
  });

  const fresh: CharacterProgress = { attributes: warrior, level: 1, xp: 0, hp: 10, mp: 5 };

  it("adds xp without a level-up and leaves the pools alone", () => {
    expect(applyXp(fresh, 99)).toEqual({ state: { ...fresh, xp: 99 }, levelUps: [] });
  });

  it("levels up several times at once, in order, and refills hp and mp", () => {
    const { state, levelUps } = applyXp(fresh, 650);
    expect(levelUps).toEqual([2, 3, 4]);
    expect(state).toEqual({ attributes: warrior, level: 4, xp: 650, hp: 80 + 3 * 8, mp: 30 + 3 * 5 });
  });

  it("refills to the maximum including gear", () => {
    const { state } = applyXp(fresh, 100, { equipped: [item({ stat: "maxHp", flat: 20 })] });
    expect(state.hp).toBe(80 + 8 + 20);
  });

  it("continues from a partly earned level", () => {
    const { state, levelUps } = applyXp({ ...fresh, level: 2, xp: 250 }, 60);
    expect(levelUps).toEqual([3]);
    expect(state.xp).toBe(310);
  });

  it("never loses experience: negative and NaN amounts change nothing", () => {
    for (const amount of [-500, Number.NaN, 0, Number.NEGATIVE_INFINITY]) {
      expect(applyXp({ ...fresh, level: 3, xp: 400 }, amount)).toEqual({
        state: { ...fresh, level: 3, xp: 400 },
        levelUps: [],
      });
    }
  });

  it("stops at the maximum level and caps the stored total", () => {
    const { state, levelUps } = applyXp(fresh, 1e15);
    expect(state.level).toBe(MAX_LEVEL);
    expect(state.xp).toBe(MAX_XP);
    expect(levelUps).toHaveLength(MAX_LEVEL - 1);
    expect(applyXp(state, 1000).levelUps).toEqual([]);
  });
});

describe("visible stats and diffs", () => {
  const stats = deriveStats({ attributes: warrior, level: 2 });
  const sheet = visibleStats({ hp: 50, mp: 20, level: 2, xp: 150 }, stats);

  it("uses the wire's snake_case names", () => {
    expect(sheet).toEqual({
      hp: 50,
      max_hp: 88,
      mp: 20,
      max_mp: 35,
      level: 2,
      xp: 150,
      str: 14,
      dex: 9,
      int: 5,
      vit: 12,
      attack: 7,
      defense: 0,
    });
  });

  it("returns exactly the changed fields as a stat_update payload", () => {
    const after = { ...sheet, hp: 10, max_hp: 20, level: 3 };
    expect(JSON.stringify(statDiff(sheet, after))).toBe('{"hp":10,"max_hp":20,"level":3}');
    expect(statDiff(sheet, { ...sheet })).toEqual({});
  });

  it("reports only vit and max_hp when a vitality ring goes on", () => {
    const ringed = deriveStats({ attributes: warrior, level: 2, equipped: [item({ stat: "vit", flat: 2 })] });
    expect(statDiff(sheet, visibleStats({ hp: 50, mp: 20, level: 2, xp: 150 }, ringed))).toEqual({
      vit: 14,
      max_hp: 98,
    });
  });

  it("reports a level-up's level, xp and refilled pools", () => {
    const before: CharacterProgress = { attributes: warrior, level: 1, xp: 90, hp: 30, mp: 30 };
    const { state } = applyXp(before, 20);
    const diff = statDiff(
      visibleStats(before, deriveStats(before)),
      visibleStats(state, deriveStats({ attributes: state.attributes, level: state.level })),
    );
    expect(diff).toEqual({ hp: 88, max_hp: 88, mp: 35, max_mp: 35, level: 2, xp: 110 });
  });

  it("clamps pools to a lowered maximum and to zero", () => {
    expect(clampPools({ hp: 120, mp: -3, level: 1 }, stats)).toEqual({ hp: 88, mp: 0, level: 1 });
    expect(clampPools({ hp: Number.NaN, mp: 5 }, stats)).toEqual({ hp: 0, mp: 5 });
  });
});
