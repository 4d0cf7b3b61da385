/**
 * A field zone as the zone stores it (`field_world`, docs/decisions.md D16): the field's state,
 * the map from character (or guest session) to the short entity id its player has here, and what
 * the field keeps of its players besides their bodies (shared/field/holdings.ts), in one versioned
 * JSON row validated with zod when it is read. Version 0 is the row written before rows carried a
 * version (`{ state, entities }`); version 1 adds `v: 1`; version 2 adds `holdings` and `arrivals`
 * (docs/architecture.md, "Versioned state").
 */
import { z } from "zod";
import { AttributesSchema, EffectStateSchema, QuestsSchema, ReputationSchema } from "../mud/persisted";
import { MODIFIABLE, SLOTS } from "../mud/types";
import { readVersioned, type VersionedSpec, writeVersioned } from "../persist/versioned";
import { CharacterSnapshot } from "../protocol/character";
import type { Result } from "../result";
import type { CarriedItem } from "../world/traveller";
import type { Belongings, PendingArrival } from "./holdings";
import { DEFAULT_FIELD_SETTINGS } from "./settings";
import type { FieldEnemy, FieldPlayer, FieldState, Missile } from "./types";

const VecSchema = z.object({ x: z.number(), y: z.number() });

const ModifierSchema = z.object({
  stat: z.enum(MODIFIABLE),
  flat: z.number().optional(),
  percent: z.number().optional(),
});

const FieldPlayerSchema: z.ZodType<FieldPlayer> = z.object({
  id: z.string(),
  name: z.string(),
  pos: VecSchema,
  move: VecSchema,
  aim: VecSchema.nullable(),
  classId: z.string(),
  level: z.number().int(),
  xp: z.number(),
  attributes: AttributesSchema,
  equipped: z.array(z.object({ modifiers: z.array(ModifierSchema) })),
  effects: z.array(EffectStateSchema),
  hp: z.number(),
  maxHp: z.number(),
  mp: z.number(),
  maxMp: z.number(),
  power: z.number(),
  might: z.number(),
  skills: z.array(z.string()),
  readyAt: z.record(z.string(), z.number()),
  cast: z.object({ skill: z.string(), completesAt: z.number(), targetId: z.string().optional() }).nullable(),
  invulnerableUntil: z.number(),
  respawnAt: z.number().nullable(),
  lastInputSeq: z.number(),
});

const FieldEnemySchema: z.ZodType<FieldEnemy> = z.object({
  id: z.string(),
  template: z.string(),
  name: z.string(),
  pos: VecSchema,
  home: VecSchema,
  hp: z.number(),
  maxHp: z.number(),
  state: z.enum(["idle", "pursue", "windup", "attack", "recover", "return"]),
  stateUntil: z.number(),
  targetId: z.string().nullable(),
  telegraph: z
    .object({ shape: z.literal("circle"), x: z.number(), y: z.number(), r: z.number(), hitsAt: z.number() })
    .nullable(),
  resident: z.boolean().optional(),
});

const MissileSchema: z.ZodType<Missile> = z.object({
  id: z.string(),
  ownerId: z.string(),
  source: z.string().optional(),
  pos: VecSchema,
  vel: VecSchema,
  damage: z.number(),
  expiresAt: z.number(),
});

/** A field's whole state (shared/field/types.ts `FieldState`). */
export const FieldStateSchema: z.ZodType<FieldState> = z.object({
  zoneId: z.string(),
  tick: z.number().int(),
  settings: z.object({
    width: z.number(),
    height: z.number(),
    tickHz: z.number().positive(),
    snapshotHz: z.number().positive(),
    viewRadius: z.number(),
    playerSpeed: z.number(),
    // Saved before the setting existed: the default.
    snapshotBytes: z.number().int().positive().default(DEFAULT_FIELD_SETTINGS.snapshotBytes),
  }),
  obstacles: z.array(z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() })),
  spawn: VecSchema,
  players: z.record(z.string(), FieldPlayerSchema),
  enemies: z.record(z.string(), FieldEnemySchema),
  missiles: z.record(z.string(), MissileSchema),
  respawns: z.array(z.object({ template: z.string(), at: VecSchema, dueAt: z.number() })),
  nextId: z.number().int(),
});

const CarriedItemSchema: z.ZodType<CarriedItem> = z.object({
  templateId: z.string().min(1),
  slot: z.enum(SLOTS).optional(),
  durability: z.number().optional(),
  inside: z.number().int().min(0).optional(),
});

const PendingArrivalSchema: z.ZodType<PendingArrival> = z.object({
  transferId: z.string().min(1),
  character: CharacterSnapshot,
  effects: z.array(EffectStateSchema),
  place: z.string().min(1).optional(),
});

/** What a `field_world` row holds: the field, each player's entity id, and its holdings and pending arrival. */
export interface SavedField extends Belongings {
  state: FieldState;
  /** Character or guest session id → the short entity id its player has in this field. */
  entities: Record<string, string>;
}

const SavedFieldSchema: z.ZodType<SavedField> = z.object({
  state: FieldStateSchema,
  entities: z.record(z.string(), z.string()),
  holdings: z.record(z.string(), z.array(CarriedItemSchema)),
  arrivals: z.record(z.string(), PendingArrivalSchema),
  // Added without a new version: a field saved before quests holds no one's quests or standing.
  journals: z
    .record(
      z.string(),
      z.object({
        quests: QuestsSchema.optional(),
        reputation: ReputationSchema.optional(),
        triggersDone: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/** Version 1 → 2: a field from before items and hand-offs holds nothing and expects nobody. */
export function upgradeFieldV1(row: unknown): unknown {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return row;
  return { ...row, holdings: {}, arrivals: {} };
}

/** How a `field_world` row is read: version 0 (unversioned) upgrades to 1 unchanged but for `v`, then to 2. */
export const FIELD_WORLD_ROW: VersionedSpec<SavedField> = {
  name: "field_world",
  current: 2,
  upgrades: [(row) => row, upgradeFieldV1],
  schema: SavedFieldSchema,
};

/** Reads a stored `field_world` payload: the field at the current version, or why it was refused. */
export function readSavedField(raw: unknown): Result<SavedField, string> {
  return readVersioned(FIELD_WORLD_ROW, raw);
}

/** The payload to store for a field: its state and entity map with the schema version. */
export function writeSavedField(saved: SavedField): { v: number } & SavedField {
  return writeVersioned(FIELD_WORLD_ROW, saved);
}
