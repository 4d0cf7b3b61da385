/** Shared fixtures for the item tests: a small template set and frozen item maps. */
import type { ItemMap, ItemResult, TemplateMap } from "./items";
import type { ItemInstance, ItemLocation, ItemTemplate } from "./types";

const template = (id: string, over: Partial<ItemTemplate>): ItemTemplate => ({
  id,
  name: `a ${id}`,
  keywords: [id],
  type: "junk",
  modifiers: [],
  description: "",
  ...over,
});

export const T: TemplateMap = {
  sword: template("sword", {
    type: "weapon",
    slot: "weapon",
    damage: { min: 2, max: 6 },
    modifiers: [{ stat: "attack", flat: 2 }],
  }),
  dagger: template("dagger", { type: "weapon", slot: "weapon", damage: { min: 1, max: 4 } }),
  helm: template("helm", { type: "armour", slot: "head", modifiers: [{ stat: "defense", flat: 1 }] }),
  potion: template("potion", { type: "potion" }),
  coin: template("coin", {}),
  bag: template("bag", { type: "container", capacity: 2 }),
  chest: template("chest", { type: "container", capacity: 3 }),
  amulet: template("amulet", { type: "armour", slot: "neck", unique: true, name: "the amulet of Yendor" }),
};

export const inRoom = (roomId: string): ItemLocation => ({ kind: "room", roomId });
export const carried = (ownerId: string): ItemLocation => ({ kind: "inventory", ownerId });
export const inside = (containerId: string): ItemLocation => ({ kind: "container", containerId });

export function world(entries: [string, string, ItemLocation][]): ItemMap {
  return deepFreeze(
    Object.fromEntries(entries.map(([id, templateId, location]) => [id, { id, templateId, location }])) as Record<
      string,
      ItemInstance
    >,
  );
}

/** Frozen inputs make any mutation by an operation throw (modules run in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export function value(result: ItemResult) {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}
export const code = (result: ItemResult) => (result.ok ? "ok" : result.error.code);
