/**
 * Field zones as data: a pack's `fields/<zone-id>.json` (docs/content.md). A zone id found among
 * them runs as a field zone (continuous space, real time) instead of a chat or MUD zone. The Test
 * Area is the sandbox: its GM console (spawn, reset, set, stats) is open, which no other zone has.
 */
import type { FieldSettings, Rect, Vec } from "./types";

/** A region of the map that leads out of the zone: a body that walks into it leaves for `to`. */
export interface FieldExit extends Rect {
  /** `zone-id:place`: a room of a MUD zone, or a named place of another field zone. */
  to: string;
}

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
  /** Named points where travellers from other zones enter (`portal`); an unknown name enters at the spawn. */
  places?: Record<string, Vec>;
  /** Regions whose crossing hands the player over to another zone. */
  exits?: FieldExit[];
  /** Players it holds before travellers go to a new instance of it (docs/architecture.md, "Parties and instances"). */
  capacity?: number;
}

export { DEFAULT_FIELD_SETTINGS } from "./settings";
