/**
 * Skills as data, one id each, shared by every zone kind (docs/decisions.md, D23). A skill's cost,
 * cooldown, cast time and range are the same in a MUD room and in a field; what differs is only
 * the presentation of its `shape`: a field places a bolt as a flying projectile and a burst as a
 * circle around the caster, while the MUD strikes one creature or every creature in the room and
 * tells it in text (shared/mud/skills.ts and shared/field/skills.ts implement each shape).
 *
 * A content pack adds a skill with `registerSkill`: data plus one of the shapes both presentations
 * know. Aliases are the other words a player may type in the MUD (`mm`), and ids the field's wire
 * used before the ids were merged (`missile`, `nova`), which the field's `cast` still accepts.
 */
import type { EffectTemplate } from "../mud/types";

/**
 * How a skill reaches its targets:
 * - `bolt`: one enemy (field: a projectile that hits the first enemy in its path);
 * - `burst`: every enemy around the caster (field: bodies within `range` when the cast completes);
 * - `mend`: heals the caster or another player (field: instant healing within `range`);
 * - `cleave`: a melee sweep (field: enemies within `range` inside an arc towards the aim; MUD: the
 *   caster's target and others in the room, up to `mud.maxTargets`, with the wielded weapon).
 */
export type SkillShape = "bolt" | "burst" | "mend" | "cleave";

/** What adds to a skill's amount: spell power (intelligence) or melee power (attack). */
export type SkillScaling = "spell" | "melee";

export interface SkillRule {
  /** The one id of the skill, in the MUD's `cast`, the field's `cast.skill`, events and `rd`. */
  id: string;
  name: string;
  /** Other words for it: typed in the MUD, or old field ids the field's `cast` still accepts. */
  aliases: readonly string[];
  /** Classes that know it. */
  classes: readonly string[];
  description: string;
  shape: SkillShape;
  /** Mana spent when the skill takes effect (a cast that fails costs nothing). */
  manaCost: number;
  /** Time before it may be used again, counted from when it takes effect. */
  cooldownMs: number;
  /** 0 = instant. The MUD resolves every skill on the tick it is typed (docs/decisions.md, D23). */
  castMs: number;
  /** Field units: bolt, how far it flies; mend, how far the ally may be; burst, its radius; cleave, its reach. */
  range: number;
  scaling: SkillScaling;
  /** Field: damage or healing before power is added. */
  amount: number;
  /** Field: power counts this many times (healing scales harder than damage). */
  powerFactor: number;
  /** Field bolts: units per second. */
  speed?: number;
  /** Field cleaves: the arc's full width in degrees, centred on the aim. */
  arcDegrees?: number;
  /** The MUD presentation's own numbers: dice, the effect applied, how many creatures a cleave reaches. */
  mud: {
    damage?: { min: number; max: number };
    effect?: EffectTemplate;
    maxTargets?: number;
  };
}

/** Every skill by id, in registration order. Read through the functions below. */
const SKILLS: Record<string, SkillRule> = {};

/**
 * Adds a skill. Ids and aliases share one namespace (a word names one skill), so a skill whose id
 * or alias is already a word for another is refused rather than shadowing it.
 */
export function registerSkill(rule: SkillRule): void {
  for (const word of [rule.id, ...rule.aliases]) {
    const taken = resolveSkill(word);
    if (taken) throw new Error(`skill word "${word}" already names "${taken.id}"`);
  }
  SKILLS[rule.id] = rule;
}

/** Every registered skill, in registration order. */
export const allSkills = (): SkillRule[] => Object.values(SKILLS);

/** The skill named exactly by `word`: its id or an alias (own entries only; no "constructor"). */
export function resolveSkill(word: string): SkillRule | undefined {
  if (Object.hasOwn(SKILLS, word)) return SKILLS[word];
  return allSkills().find((s) => s.aliases.includes(word));
}

/** The skill named by `word` (id or alias); throws when there is none, for code that names a built-in. */
export function skillRule(word: string): SkillRule {
  const skill = resolveSkill(word);
  if (!skill) throw new Error(`no skill "${word}"`);
  return skill;
}

/**
 * What a player typed in the MUD: the id, an alias or the name in any case, else the one skill
 * whose id starts with it.
 */
export function findSkill(word: string): SkillRule | undefined {
  const lower = word.toLowerCase();
  return (
    resolveSkill(lower) ??
    allSkills().find((s) => s.name.toLowerCase() === lower) ??
    allSkills().find((s) => s.id.startsWith(lower))
  );
}

/** The ids of the skills a class knows, in registration order (none for an unknown class). */
export const skillsOf = (classId: string): string[] =>
  allSkills()
    .filter((s) => s.classes.includes(classId))
    .map((s) => s.id);

/** The Mage's three (Magic Missile, Arcane Nova, Heal) and the Warrior's Cleave. */
export const BUILT_IN_SKILLS: readonly SkillRule[] = [
  {
    id: "magic-missile",
    name: "Magic Missile",
    aliases: ["missile", "mm"],
    classes: ["mage"],
    description: "A bolt of force at one enemy, driven by intelligence.",
    shape: "bolt",
    manaCost: 8,
    cooldownMs: 500,
    castMs: 0,
    range: 600,
    scaling: "spell",
    amount: 10,
    powerFactor: 1,
    speed: 600,
    mud: { damage: { min: 3, max: 7 } },
  },
  {
    id: "arcane-nova",
    name: "Arcane Nova",
    aliases: ["nova"],
    classes: ["mage"],
    description: "A ring of force that strikes every enemy around you.",
    shape: "burst",
    manaCost: 25,
    cooldownMs: 6000,
    castMs: 300,
    range: 160,
    scaling: "spell",
    amount: 12,
    powerFactor: 1,
    mud: { damage: { min: 2, max: 5 } },
  },
  {
    id: "heal",
    name: "Heal",
    aliases: [],
    classes: ["mage"],
    description: "Mends wounds: yourself, or another player near you.",
    shape: "mend",
    manaCost: 20,
    cooldownMs: 3000,
    castMs: 1000,
    range: 350,
    scaling: "spell",
    amount: 20,
    powerFactor: 2,
    mud: { effect: { name: "Heal", kind: "hot", duration_ticks: 30, interval_ticks: 10, magnitude: 6 } },
  },
  {
    id: "cleave",
    name: "Cleave",
    aliases: [],
    classes: ["warrior"],
    description: "A sweeping blow that bites into every enemy in front of you.",
    shape: "cleave",
    manaCost: 6,
    cooldownMs: 2000,
    castMs: 0,
    range: 60,
    scaling: "melee",
    amount: 8,
    powerFactor: 1,
    arcDegrees: 120,
    mud: { maxTargets: 3 },
  },
];

for (const rule of BUILT_IN_SKILLS) registerSkill(rule);
