/**
 * Attack resolution. One attack draws exactly three numbers from the seeded Rng, in this order and
 * whether or not it hits, so a replay with the same seed and inputs resolves identically and one
 * attack's outcome never shifts how many draws the next one gets:
 *  1. hit roll:  hits when `rng.next() < hitChance(attacker.dex, defender.dex)`;
 *  2. crit roll: a hit crits when `rng.next() < critChance(attacker.dex)`;
 *  3. damage:    `rng.int(weapon.min, weapon.max)`.
 * Damage on a hit is `max(1, roll + bonus − defender.defense)`, doubled on a crit, where `bonus` is
 * the attacker's `attack` for melee and ⌊int/2⌋ for spells. A miss does 0.
 */

import type { DerivedStats } from "../rules/stats";
import type { Rng } from "../sim/rng";

export const HIT_BASE = 0.75;
export const HIT_PER_DEX = 0.02;
export const HIT_MIN = 0.05;
export const HIT_MAX = 0.95;
export const CRIT_BASE = 0.05;
export const CRIT_PER_DEX = 0.005;
export const CRIT_MAX = 0.25;

/** Fists, claws: what an attack uses when the attacker wields nothing. */
export const UNARMED = { damage: { min: 1, max: 2 } } as const;

/** Anything with a damage range: a weapon template, an NPC template's `damage`, a spell. */
export interface DamageSource {
  damage?: { min: number; max: number };
}

export type AttackKind = "melee" | "spell";

export interface AttackResult {
  hit: boolean;
  crit: boolean;
  damage: number;
}

const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** 75% at equal dexterity, ±2% per point of difference, clamped to 5%–95%. */
export function hitChance(attackerDex: number, defenderDex: number): number {
  return clamp(HIT_BASE + HIT_PER_DEX * (num(attackerDex) - num(defenderDex)), HIT_MIN, HIT_MAX);
}

/** 5% at dexterity 10 or less, +0.5% per point above, at most 25% (dex 50). */
export function critChance(attackerDex: number): number {
  return clamp(CRIT_BASE + CRIT_PER_DEX * (num(attackerDex) - 10), CRIT_BASE, CRIT_MAX);
}

/** The weapon's damage range as integers with min ≤ max and min ≥ 0 (bad data cannot heal). */
export function damageRange(weapon: DamageSource | undefined): { min: number; max: number } {
  const range = weapon?.damage ?? UNARMED.damage;
  const a = Math.max(0, Math.floor(num(range.min)));
  const b = Math.max(0, Math.floor(num(range.max)));
  return { min: Math.min(a, b), max: Math.max(a, b) };
}

/** Resolves one attack (see the module comment for the formula and the Rng draws). */
export function resolveAttack(
  attacker: Pick<DerivedStats, "dex" | "int" | "attack">,
  defender: Pick<DerivedStats, "dex" | "defense">,
  weapon: DamageSource | undefined,
  rng: Rng,
  kind: AttackKind = "melee",
): AttackResult {
  const hitRoll = rng.next();
  const critRoll = rng.next();
  const range = damageRange(weapon);
  const roll = rng.int(range.min, range.max);
  const hit = hitRoll < hitChance(attacker.dex, defender.dex);
  if (!hit) return { hit: false, crit: false, damage: 0 };
  const crit = critRoll < critChance(attacker.dex);
  const bonus = kind === "spell" ? Math.floor(Math.max(0, num(attacker.int)) / 2) : Math.max(0, num(attacker.attack));
  const base = Math.max(1, roll + bonus - Math.max(0, num(defender.defense)));
  return { hit, crit, damage: crit ? base * 2 : base };
}
