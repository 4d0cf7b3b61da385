/** Character creation rules: starting attributes rolled from the seeded RNG, derived pools. */
import type { ClassDefinition } from "../content/classes";
import type { Rng } from "./rng";

export interface Attributes {
  str: number;
  dex: number;
  int: number;
  vit: number;
}

/** Adds 0–3 to each base attribute: the same seed always rolls the same character. */
export function rollStartingAttributes(definition: ClassDefinition, rng: Rng): Attributes {
  const { base } = definition;
  return {
    str: base.str + rng.int(0, 3),
    dex: base.dex + rng.int(0, 3),
    int: base.int + rng.int(0, 3),
    vit: base.vit + rng.int(0, 3),
  };
}

/** Maximum hit points and mana for a level (the curve grows with later issues). */
export function derivedPools(attributes: Attributes, level: number): { maxHp: number; maxMp: number } {
  return {
    maxHp: 20 + attributes.vit * 5 + (level - 1) * 8,
    maxMp: 10 + attributes.int * 4 + (level - 1) * 5,
  };
}
