/**
 * Playable classes as data, and character creation: a class's base attributes plus the seeded
 * starting roll. Part of the character rulebook (docs/decisions.md, D23). A content pack adds a
 * class with `registerClass`; the character routes accept only ids registered here, and a class's
 * skills are the registered skills that name it (shared/rules/skills.ts).
 */
import type { Rng } from "../sim/rng";
import type { Attributes } from "./stats";

export interface ClassDefinition {
  id: string;
  name: string;
  description: string;
  /** Base attributes before the starting roll adds 0–3 to each. */
  base: Attributes;
}

/** Every class by id. Read through `classDefinition`; extend through `registerClass`. */
export const CLASSES: Record<string, ClassDefinition> = {
  mage: {
    id: "mage",
    name: "Mage",
    description: "Bends arcane force: Magic Missile, Arcane Nova and Heal.",
    base: { str: 6, dex: 8, int: 14, vit: 8 },
  },
  warrior: {
    id: "warrior",
    name: "Warrior",
    description: "Steel and stamina, the front line of every party: Cleave.",
    base: { str: 14, dex: 9, int: 5, vit: 12 },
  },
};

/** Adds a class (a content pack's own); an id that is already taken is refused, not replaced. */
export function registerClass(definition: ClassDefinition): void {
  if (Object.hasOwn(CLASSES, definition.id)) throw new Error(`class "${definition.id}" is already registered`);
  CLASSES[definition.id] = definition;
}

/** The class named `id`; own entries only, so "constructor" or "__proto__" name no class. */
export const classDefinition = (id: string): ClassDefinition | undefined =>
  Object.hasOwn(CLASSES, id) ? CLASSES[id] : undefined;

/** Ids of every registered class, in registration order. */
export const classIds = (): string[] => Object.keys(CLASSES);

/**
 * The class a guest (a session without a character) plays, per kind of zone. A MUD guest is a
 * Warrior, who fights with the weapon in hand; a field guest is a Mage, so that the Test Area's
 * ranged sandbox and the zone benchmark's bots work without a character (docs/protocol.md).
 */
export const GUEST_CLASS = { mud: "warrior", field: "mage" } as const;

/** Where new characters enter the world. */
export const STARTING_ZONE = "start";

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
