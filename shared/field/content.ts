/**
 * Field zones and enemy templates by id. They are content: the Arcane Realms pack defines them as
 * JSON beside its MUD zones (shared/content/arcane-realms; docs/content.md), validated like the
 * rest of the pack, and read from it the first time one is asked for. Another pack adds its own
 * with `registerFieldContent`. The pack's item templates and loot tables are looked up here too:
 * what a player wears counts in its sheet, and enemies drop loot from the pack's tables.
 */
import { loadArcaneRealms } from "../content/arcane-realms";
import type { ItemTemplate, LootTable } from "../mud/types";
import type { EnemyTemplate } from "./enemy";
import type { FieldZoneDefinition } from "./zones";

const zones = new Map<string, FieldZoneDefinition>();
const enemies = new Map<string, EnemyTemplate>();
const items = new Map<string, ItemTemplate>();
const lootTables = new Map<string, LootTable>();
let seeded = false;

/** Reads the starter pack once; Maps, so a wire id like "constructor" names nothing. */
function seed(): void {
  if (seeded) return;
  seeded = true;
  const pack = loadArcaneRealms();
  for (const zone of pack.fieldZones) zones.set(zone.id, zone);
  for (const template of pack.fieldEnemies) enemies.set(template.id, template);
  for (const template of pack.items) items.set(template.id, template);
  for (const table of pack.lootTables) lootTables.set(table.id, table);
}

/** The field zone named `zoneId`: a zone id found here runs as a field zone. */
export function fieldZone(zoneId: string): FieldZoneDefinition | undefined {
  seed();
  return zones.get(zoneId);
}

/** The enemy template named `id`. */
export function enemyTemplate(id: string): EnemyTemplate | undefined {
  seed();
  return enemies.get(id);
}

/** The pack's item template named `id` (what a carried item is, and what it adds to a sheet when worn). */
export function itemTemplate(id: string): ItemTemplate | undefined {
  seed();
  return items.get(id);
}

/** The pack's loot table named `id`. */
export function lootTable(id: string): LootTable | undefined {
  seed();
  return lootTables.get(id);
}

/** Ids of every enemy template, in the order they were defined. */
export function enemyTemplateIds(): string[] {
  seed();
  return [...enemies.keys()];
}

/**
 * Adds another pack's field zones and enemy templates (validated by `validateContentPack` first).
 * An id already taken is refused rather than replaced.
 */
export function registerFieldContent(content: {
  fieldZones?: readonly FieldZoneDefinition[];
  fieldEnemies?: readonly EnemyTemplate[];
}): void {
  seed();
  for (const zone of content.fieldZones ?? [])
    if (zones.has(zone.id)) throw new Error(`field zone "${zone.id}" is already registered`);
  for (const template of content.fieldEnemies ?? [])
    if (enemies.has(template.id)) throw new Error(`enemy template "${template.id}" is already registered`);
  for (const zone of content.fieldZones ?? []) zones.set(zone.id, zone);
  for (const template of content.fieldEnemies ?? []) enemies.set(template.id, template);
}
