/**
 * Test support: a deep copy of the Arcane Realms files with typed handles on each part, so a
 * test can break one thing and check that the validator names exactly that file and field.
 */
import type { EnemyTemplate } from "../field/enemy";
import type { FieldZoneDefinition } from "../field/zones";
import type { ItemTemplate, LootTable, NpcTemplate } from "../mud/types";
import { ARCANE_REALMS_FILES } from "./arcane-realms";
import type { AuthoredRoom, AuthoredZone } from "./references";
import { type ContentError, validateContentPack } from "./schema";

export const DIR = "shared/content/arcane-realms";
export const ITEMS = `${DIR}/items.json`;
export const NPCS = `${DIR}/npcs.json`;
export const LOOT = `${DIR}/loot.json`;
export const PACK = `${DIR}/pack.json`;
export const START = `${DIR}/zones/start.json`;
export const WOODS = `${DIR}/zones/whispering-woods.json`;
export const FIELD_ENEMIES = `${DIR}/field-enemies.json`;
export const TEST_AREA = `${DIR}/fields/test-area.json`;

export interface PackCopy {
  files: { path: string; data: unknown }[];
  pack: { id: string; name: string };
  items: ItemTemplate[];
  npcs: NpcTemplate[];
  lootTables: LootTable[];
  zone(file: string): AuthoredZone;
  room(file: string, id: string): AuthoredRoom;
  item(id: string): ItemTemplate;
  npc(id: string): NpcTemplate;
  loot(id: string): LootTable;
  /** A field zone file's data (`fields/<zone-id>.json`). */
  fieldZone(file: string): FieldZoneDefinition;
  /** An enemy template of field-enemies.json. */
  fieldEnemy(id: string): EnemyTemplate;
}

/** A fresh deep copy of the real pack. */
export function copyPack(): PackCopy {
  const files = structuredClone(ARCANE_REALMS_FILES);
  const data = (path: string) => {
    const file = files.find((f) => f.path === path);
    if (!file) throw new Error(`no file ${path} in the pack`);
    return file.data;
  };
  const find = <T extends { id: string }>(list: T[], id: string) => {
    const found = list.find((entry) => entry.id === id);
    if (!found) throw new Error(`no "${id}" in the pack`);
    return found;
  };
  const items = (data(ITEMS) as { items: ItemTemplate[] }).items;
  const npcs = (data(NPCS) as { npcs: NpcTemplate[] }).npcs;
  const lootTables = (data(LOOT) as { lootTables: LootTable[] }).lootTables;
  const zone = (file: string) => data(file) as AuthoredZone;
  return {
    files,
    pack: data(PACK) as { id: string; name: string },
    items,
    npcs,
    lootTables,
    zone,
    room: (file, id) => find(zone(file).rooms, id),
    item: (id) => find(items, id),
    npc: (id) => find(npcs, id),
    loot: (id) => find(lootTables, id),
    fieldZone: (file) => data(file) as FieldZoneDefinition,
    fieldEnemy: (id) => find((data(FIELD_ENEMIES) as { fieldEnemies: EnemyTemplate[] }).fieldEnemies, id),
  };
}

/** Where a room, item or NPC sits in its list, as the dotted path the validator reports. */
export function pathOf(list: "rooms" | "items" | "npcs" | "lootTables", id: string, file?: string): string {
  const copy = copyPack();
  const entries =
    list === "rooms"
      ? copy.zone(file ?? START).rooms
      : list === "items"
        ? copy.items
        : list === "npcs"
          ? copy.npcs
          : copy.lootTables;
  const index = entries.findIndex((entry) => entry.id === id);
  if (index < 0) throw new Error(`no "${id}" in ${list}`);
  return `${list}.${index}`;
}

/** Breaks a copy of the pack with `change` and returns what the validator says about it. */
export function errorsAfter(change: (copy: PackCopy) => void): ContentError[] {
  const copy = copyPack();
  change(copy);
  const result = validateContentPack(copy.files);
  return result.ok ? [] : result.error;
}

/** The index an entry pushed onto the end of a list gets, for the paths of appended entries. */
export function nextIndex(list: "rooms" | "items" | "npcs" | "lootTables", file = START): number {
  const copy = copyPack();
  if (list === "rooms") return copy.zone(file).rooms.length;
  return (list === "items" ? copy.items : list === "npcs" ? copy.npcs : copy.lootTables).length;
}
