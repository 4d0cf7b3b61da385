/**
 * A whole content pack, as validation hands it to the engines: MUD zones and the templates they
 * refer to, and field zones with their enemies. It lives with the content, above both engines'
 * data types, so neither engine's types import the other's (docs/architecture.md).
 */
import type { EnemyTemplate } from "../field/enemy";
import type { FieldZoneDefinition } from "../field/zones";
import type { FactionDef, ItemTemplate, LootTable, NpcTemplate, QuestDef, ZoneDef } from "../mud/types";

/** A whole content pack: zones plus the templates they refer to, and its field zones (shared/field). */
export interface ContentPack {
  id: string;
  name: string;
  zones: ZoneDef[];
  items: ItemTemplate[];
  npcs: NpcTemplate[];
  lootTables: LootTable[];
  fieldZones: FieldZoneDefinition[];
  fieldEnemies: EnemyTemplate[];
  /** Quests (`quests.json`, docs/content.md "Quests"). */
  quests: QuestDef[];
  /** Factions (`factions.json`, docs/content.md "Factions and reputation"). */
  factions: FactionDef[];
}
