/**
 * Field zones by id, as data. A zone id found here runs as a field zone (continuous space, real
 * time) instead of a chat or MUD zone. The Test Area is the sandbox: anyone in it may use the GM
 * console (spawn, reset, set, stats), which no other zone allows.
 */
import type { FieldSettings, Rect, Vec } from "./types";

export interface FieldZoneDefinition {
  id: string;
  name: string;
  settings: FieldSettings;
  obstacles: Rect[];
  spawn: Vec;
  /** Enemies placed when the zone starts or is reset; each respawns a while after it dies. */
  enemies: { template: string; at: Vec }[];
  /** Whether the GM console is open to every player here. */
  gm: boolean;
}

export const DEFAULT_FIELD_SETTINGS: FieldSettings = {
  width: 1200,
  height: 800,
  tickHz: 20,
  snapshotHz: 20,
  viewRadius: 500,
  playerSpeed: 160,
};

export const FIELD_ZONES: Record<string, FieldZoneDefinition> = {
  "test-area": {
    id: "test-area",
    name: "Test Area",
    settings: DEFAULT_FIELD_SETTINGS,
    obstacles: [
      { x: 420, y: 180, w: 60, h: 140 },
      { x: 420, y: 480, w: 60, h: 140 },
      { x: 760, y: 360, w: 120, h: 80 },
    ],
    spawn: { x: 150, y: 400 },
    enemies: [
      { template: "golem", at: { x: 900, y: 200 } },
      { template: "golem", at: { x: 900, y: 600 } },
      { template: "wisp", at: { x: 1050, y: 400 } },
    ],
    gm: true,
  },
};

export const fieldZone = (zoneId: string): FieldZoneDefinition | undefined =>
  Object.hasOwn(FIELD_ZONES, zoneId) ? FIELD_ZONES[zoneId] : undefined;
