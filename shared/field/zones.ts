/**
 * Field zones as data: a pack's `fields/<zone-id>.json` (docs/content.md). A zone id found among
 * them runs as a field zone (continuous space, real time) instead of a chat or MUD zone. The Test
 * Area is the sandbox: its GM console (spawn, reset, set, stats) is open, which no other zone has.
 */
import type { FieldSettings, Rect, Vec } from "./types";

export interface FieldZoneDefinition {
  id: string;
  name: string;
  /** What the zone is, for players and maps. */
  description?: string;
  settings: FieldSettings;
  obstacles: Rect[];
  spawn: Vec;
  /** Enemies placed when the zone starts or is reset; each respawns a while after it dies. */
  enemies: { template: string; at: Vec }[];
  /** Whether the zone has a GM console (its changing commands still need a GM; shared/field/gm.ts). */
  gm: boolean;
}

export { DEFAULT_FIELD_SETTINGS } from "./settings";
