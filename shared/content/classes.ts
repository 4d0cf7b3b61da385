/**
 * Playable classes as data. A content pack may add more by extending this registry; the
 * character routes only accept ids found here.
 */
export interface ClassDefinition {
  id: string;
  name: string;
  description: string;
  /** Base attributes before the starting roll adds 0–3 to each. */
  base: { str: number; dex: number; int: number; vit: number };
}

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
    description: "Steel and stamina: the front line of every party.",
    base: { str: 14, dex: 9, int: 5, vit: 12 },
  },
};

export const CLASS_IDS = Object.keys(CLASSES);

/** Where new characters enter the world. */
export const STARTING_ZONE = "start";
