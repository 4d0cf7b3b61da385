/**
 * Base and derived stats, experience and levels, and the player-visible stat sheet: the part of the
 * character rulebook (docs/decisions.md, D23) every zone kind derives a character from. Pure
 * functions over plain data: a zone recomputes a character's stats whenever its level, equipment
 * or effects change, and sends only what changed (`statDiff`) as a `stat_update` payload.
 *
 * Order of calculation, for every stat: base value, plus the sum of all `flat` modifiers, times
 * (1 + the sum of all `percent` modifiers / 100), rounded to the nearest integer, then clamped to
 * `STAT_LIMITS`. Percent modifiers add up rather than compound (+10% and +10% is +20%), so the
 * order equipment is put on never matters. Attributes are computed first because the pools and
 * attack are built from the *modified* attributes: a +2 vit ring also raises max hp.
 */
import type { Attributes, EffectState, ModifiableStat, Modifier } from "../mud/types";
import { effectModifiers } from "./effects";

// A data-model type, defined with the others the rules read (shared/mud/types.ts).
export type { Attributes };

/** Maximum hit points and mana from (modified) attributes and level, before pool modifiers. */
export function derivedPools(attributes: Attributes, level: number): { maxHp: number; maxMp: number } {
  return {
    maxHp: 20 + attributes.vit * 5 + (level - 1) * 8,
    maxMp: 10 + attributes.int * 4 + (level - 1) * 5,
  };
}

/** Every stat an item or effect can change, after those changes. */
export type DerivedStats = Record<ModifiableStat, number>;

/** Inclusive bounds each derived stat is clamped to; a cursed ring cannot take vit below 1. */
export const STAT_LIMITS: Readonly<Record<ModifiableStat, { min: number; max: number }>> = {
  str: { min: 1, max: 10_000 },
  dex: { min: 1, max: 10_000 },
  int: { min: 1, max: 10_000 },
  vit: { min: 1, max: 10_000 },
  maxHp: { min: 1, max: 1_000_000 },
  maxMp: { min: 0, max: 1_000_000 },
  attack: { min: 0, max: 100_000 },
  defense: { min: 0, max: 100_000 },
};

export const MAX_LEVEL = 50;
/** Experience is stored in a Postgres `integer`; stop well short of its 2³¹−1 ceiling. */
export const MAX_XP = 2_000_000_000;

/** What stats are derived from. Item templates and effects are optional: an NPC has no gear. */
export interface StatInputs {
  attributes: Attributes;
  level: number;
  /** Templates of the items the holder has equipped (only `modifiers` is read). */
  equipped?: readonly { modifiers: readonly Modifier[] }[];
  /** Active effects; buffs and debuffs with a `stat` contribute modifiers. */
  effects?: readonly EffectState[];
  /** Natural armour before items (an NPC template's `armour`); 0 for characters. */
  baseDefense?: number;
}

/** `value` if it is a finite number, otherwise `fallback`: stored or wire data may hold anything. */
export function finite(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** A level as an integer in 1..MAX_LEVEL (NaN and garbage become 1). */
export const sanitizeLevel = (level: unknown) => clamp(Math.floor(finite(level, 1)), 1, MAX_LEVEL);

/** Sums every modifier per stat; non-finite amounts count as 0. */
function totals(modifiers: Iterable<Modifier>): Map<ModifiableStat, { flat: number; percent: number }> {
  const sums = new Map<ModifiableStat, { flat: number; percent: number }>();
  for (const m of modifiers) {
    if (!(m.stat in STAT_LIMITS)) continue;
    const sum = sums.get(m.stat) ?? { flat: 0, percent: 0 };
    sum.flat += finite(m.flat, 0);
    sum.percent += finite(m.percent, 0);
    sums.set(m.stat, sum);
  }
  return sums;
}

/** Computes every derived stat (see the module comment for the order of calculation). */
export function deriveStats(input: StatInputs): DerivedStats {
  const modifiers: Modifier[] = [];
  for (const item of input.equipped ?? []) modifiers.push(...(item.modifiers ?? []));
  modifiers.push(...effectModifiers(input.effects ?? []));
  const sums = totals(modifiers);
  const apply = (stat: ModifiableStat, base: number) => {
    const sum = sums.get(stat) ?? { flat: 0, percent: 0 };
    // A −150% debuff zeroes the stat (then the minimum applies) instead of making it negative.
    const multiplier = Math.max(0, 1 + sum.percent / 100);
    const { min, max } = STAT_LIMITS[stat];
    return clamp(Math.round((finite(base, 0) + sum.flat) * multiplier), min, max);
  };
  const a = input.attributes;
  const str = apply("str", a?.str);
  const dex = apply("dex", a?.dex);
  const int = apply("int", a?.int);
  const vit = apply("vit", a?.vit);
  const pools = derivedPools({ str, dex, int, vit }, sanitizeLevel(input.level));
  return {
    str,
    dex,
    int,
    vit,
    maxHp: apply("maxHp", pools.maxHp),
    maxMp: apply("maxMp", pools.maxMp),
    // Melee power: half of strength, then weapon and buff bonuses.
    attack: apply("attack", Math.floor(str / 2)),
    defense: apply("defense", Math.max(0, finite(input.baseDefense, 0))),
  };
}

/**
 * Total experience needed to reach `level` from level 1: 50·L·(L−1), so level 2 needs 100, level 3
 * needs 300, level 4 needs 600, and going from L to L+1 costs 100·L.
 */
export function xpForLevel(level: number): number {
  const l = sanitizeLevel(level);
  return 50 * l * (l - 1);
}

/** The level a total of `xp` experience reaches (capped at MAX_LEVEL). */
export function levelForXp(xp: number): number {
  const total = Math.max(0, finite(xp, 0));
  let level = 1;
  while (level < MAX_LEVEL && total >= xpForLevel(level + 1)) level++;
  return level;
}

/** A character's persistent progression: what the `characters` row stores. */
export interface CharacterProgress {
  attributes: Attributes;
  level: number;
  /** Total experience earned, never reduced. */
  xp: number;
  hp: number;
  mp: number;
}

export interface XpResult {
  state: CharacterProgress;
  /** Each level reached, in order (`[3, 4]` when one kill takes a level-2 character to 4). */
  levelUps: number[];
}

/**
 * Adds experience. Non-positive or non-finite amounts change nothing (experience is never lost).
 * Any level-up refills hp and mp to the new maxima, computed with `gear` (equipment and effects)
 * so a character wearing a +hp amulet is filled to the amulet-boosted maximum.
 */
export function applyXp(
  state: CharacterProgress,
  amount: number,
  gear: Omit<StatInputs, "attributes" | "level"> = {},
): XpResult {
  const gained = Math.floor(finite(amount, 0));
  const level = sanitizeLevel(state.level);
  const before = clamp(Math.floor(finite(state.xp, 0)), 0, MAX_XP);
  const xp = gained > 0 ? Math.min(MAX_XP, before + gained) : before;
  const levelUps: number[] = [];
  // Only ever upwards: a stored level above what the xp implies (a GM grant) is kept.
  for (let next = level + 1; next <= MAX_LEVEL && xp >= xpForLevel(next); next++) levelUps.push(next);
  const newLevel = levelUps.at(-1) ?? level;
  if (levelUps.length === 0) return { state: { ...state, level, xp }, levelUps };
  const stats = deriveStats({ ...gear, attributes: state.attributes, level: newLevel });
  return { state: { ...state, level: newLevel, xp, hp: stats.maxHp, mp: stats.maxMp }, levelUps };
}

/** Keeps hp and mp within 0..max after a maximum fell (an amulet taken off, a buff expired). */
export function clampPools<T extends { hp: number; mp: number }>(state: T, stats: DerivedStats): T {
  return {
    ...state,
    hp: clamp(Math.round(finite(state.hp, 0)), 0, stats.maxHp),
    mp: clamp(Math.round(finite(state.mp, 0)), 0, stats.maxMp),
  };
}

/** The stat sheet a player sees, with the wire's snake_case names. */
export interface VisibleStats {
  hp: number;
  max_hp: number;
  mp: number;
  max_mp: number;
  level: number;
  xp: number;
  str: number;
  dex: number;
  int: number;
  vit: number;
  attack: number;
  defense: number;
}

/** The sheet's keys in display order. */
export const VISIBLE_KEYS = [
  "hp",
  "max_hp",
  "mp",
  "max_mp",
  "level",
  "xp",
  "str",
  "dex",
  "int",
  "vit",
  "attack",
  "defense",
] as const satisfies readonly (keyof VisibleStats)[];

/** Builds the visible sheet from the stored pools and progression plus freshly derived stats. */
export function visibleStats(state: Pick<CharacterProgress, "hp" | "mp" | "level" | "xp">, stats: DerivedStats) {
  return {
    hp: finite(state.hp, 0),
    max_hp: stats.maxHp,
    mp: finite(state.mp, 0),
    max_mp: stats.maxMp,
    level: sanitizeLevel(state.level),
    xp: finite(state.xp, 0),
    str: stats.str,
    dex: stats.dex,
    int: stats.int,
    vit: stats.vit,
    attack: stats.attack,
    defense: stats.defense,
  } satisfies VisibleStats;
}

/**
 * Exactly the fields that differ between two sheets, with their new values: the payload of a
 * `stat_update` event (`{"hp":10,"max_hp":20,"level":3}`). Empty when nothing changed, so the
 * caller can skip sending.
 */
export function statDiff(before: VisibleStats, after: VisibleStats): Partial<VisibleStats> {
  const diff: Partial<VisibleStats> = {};
  for (const key of VISIBLE_KEYS) if (before[key] !== after[key]) diff[key] = after[key];
  return diff;
}
