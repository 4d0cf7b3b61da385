/**
 * A field zone's settings: their defaults and the bounds both a content pack (shared/content) and
 * the GM console's `set` (shared/field/gm.ts) hold them to. No imports but types, so the content
 * validator can read these without loading the content it validates.
 */
import type { FieldSettings } from "./types";

/** What a field zone's definition leaves out. */
export const DEFAULT_FIELD_SETTINGS: FieldSettings = {
  width: 1200,
  height: 800,
  tickHz: 20,
  snapshotHz: 20,
  viewRadius: 500,
  playerSpeed: 160,
  snapshotBytes: 1200,
};

/**
 * Inclusive bounds of each setting. Rates are whole hertz: the step counts seconds as every
 * `tickHz` ticks (mana regeneration), which a fractional rate would skip.
 */
export const FIELD_SETTING_LIMITS: Readonly<Record<keyof FieldSettings, { min: number; max: number; whole?: true }>> = {
  width: { min: 200, max: 20000 },
  height: { min: 200, max: 20000 },
  tickHz: { min: 1, max: 60, whole: true },
  snapshotHz: { min: 1, max: 60, whole: true },
  viewRadius: { min: 50, max: 5000 },
  playerSpeed: { min: 10, max: 1000 },
  snapshotBytes: { min: 200, max: 65536, whole: true },
};
