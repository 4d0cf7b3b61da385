/**
 * A character's sheet: everything a zone needs to know about a character to run it, derived in one
 * place from its class, attributes, level, equipment and active effects (docs/decisions.md, D23).
 * A MUD room and a field derive the same character through this, so max hp, max mana, powers and
 * skills are the same wherever it stands.
 */
import type { EffectState, Modifier } from "../mud/types";
import { type SkillRule, skillsOf } from "./skills";
import { type Attributes, type DerivedStats, deriveStats, sanitizeLevel } from "./stats";

/** What a sheet is derived from besides gear: who the character is. */
export interface CharacterBasics {
  classId: string;
  attributes: Attributes;
  level: number;
}

/** What a character wears and what acts on it. Both count in every zone kind. */
export interface Gear {
  /** Templates (or just the modifiers) of the items equipped. */
  equipped?: readonly { modifiers: readonly Modifier[] }[];
  /** Active effects; buffs and debuffs change stats. */
  effects?: readonly EffectState[];
}

export interface CharacterSheet {
  classId: string;
  level: number;
  /** Attributes, pools, attack and defense after equipment and effects. */
  stats: DerivedStats;
  /** Added to spells' damage and healing: half the derived intelligence, plus one per level above 1. */
  spellPower: number;
  /** Added to melee skills' damage: the derived attack, plus one per level above 1. */
  meleePower: number;
  /** Ids of the skills the class knows. */
  skills: string[];
}

/** Derives the sheet (see the module comment). */
export function characterSheet(basics: CharacterBasics, gear: Gear = {}): CharacterSheet {
  const level = sanitizeLevel(basics.level);
  const stats = deriveStats({
    attributes: basics.attributes,
    level,
    equipped: gear.equipped ?? [],
    effects: gear.effects ?? [],
  });
  return {
    classId: basics.classId,
    level,
    stats,
    spellPower: Math.floor(stats.int / 2) + (level - 1),
    meleePower: stats.attack + (level - 1),
    skills: skillsOf(basics.classId),
  };
}

/** The power a skill adds to its amount, on this sheet. */
export const skillPower = (
  sheet: Pick<CharacterSheet, "spellPower" | "meleePower">,
  skill: Pick<SkillRule, "scaling">,
): number => (skill.scaling === "melee" ? sheet.meleePower : sheet.spellPower);
