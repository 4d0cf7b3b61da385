/**
 * Loot rolls. A table is rolled `rolls` times; each roll draws one number from the seeded Rng and
 * picks "nothing" with probability nothingWeight / total, or an entry with probability
 * weight / total, where total = nothingWeight + the sum of the usable entry weights. Entries whose
 * weight is zero, negative or not a number never drop. One draw per roll, always, so the Rng
 * stream advances the same way whatever drops.
 */
import type { Rng } from "../sim/rng";
import type { LootTable } from "./types";

/** More rolls than this on one table is a content mistake, not a jackpot. */
export const MAX_LOOT_ROLLS = 100;

const weightOf = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0);

/** Item template ids that drop, in roll order (the same id may appear more than once). */
export function rollLoot(table: LootTable, rng: Rng): string[] {
  const rolls = Math.min(MAX_LOOT_ROLLS, Math.max(0, Math.floor(Number(table.rolls) || 0)));
  const nothing = weightOf(table.nothingWeight);
  const entries = (table.entries ?? []).filter((e) => weightOf(e.weight) > 0);
  const total = entries.reduce((sum, e) => sum + e.weight, nothing);
  const drops: string[] = [];
  for (let i = 0; i < rolls; i++) {
    const r = rng.next() * total;
    if (total <= 0 || r < nothing) continue;
    let cumulative = nothing;
    // The last usable entry catches r within rounding of total.
    let picked = entries.at(-1);
    for (const entry of entries) {
      cumulative += entry.weight;
      if (r < cumulative) {
        picked = entry;
        break;
      }
    }
    if (picked) drops.push(picked.item);
  }
  return drops;
}

/** Probability of each item per roll, for tools and tests: the formula `rollLoot` samples. */
export function dropChances(table: LootTable): Map<string, number> {
  const nothing = weightOf(table.nothingWeight);
  const entries = (table.entries ?? []).filter((e) => weightOf(e.weight) > 0);
  const total = entries.reduce((sum, e) => sum + e.weight, nothing);
  const chances = new Map<string, number>();
  if (total <= 0) return chances;
  for (const e of entries) chances.set(e.item, (chances.get(e.item) ?? 0) + e.weight / total);
  return chances;
}
