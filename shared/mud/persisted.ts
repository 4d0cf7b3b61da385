/**
 * The MUD world as a zone stores it (`mud_world`, docs/decisions.md D15): a versioned JSON row,
 * validated with zod when it is read. Version 0 is the unversioned world written before rows carried
 * a version; version 1 is the same world with `v: 1` (docs/architecture.md, "Versioned state").
 */
import { z } from "zod";
import { readVersioned, type VersionedSpec, writeVersioned } from "../persist/versioned";
import type { Result } from "../result";
import { type EffectState, type ItemInstance, MODIFIABLE, SLOTS } from "./types";
import type { MudNpc, MudPlayer, MudWorld, QuestProgress } from "./world";

const int = () => z.number().int();

/** Base attributes, as the rulebook defines them (shared/rules/stats.ts). */
export const AttributesSchema = z.object({ str: int(), dex: int(), int: int(), vit: int() });

/** An active effect (shared/mud/types.ts `EffectState`). */
export const EffectStateSchema: z.ZodType<EffectState> = z.object({
  name: z.string(),
  kind: z.enum(["buff", "debuff", "dot", "hot"]),
  duration_ticks: z.number(),
  interval_ticks: z.number(),
  magnitude: z.number(),
  stat: z.enum(MODIFIABLE).optional(),
  source: z.string(),
  remaining_ticks: z.number(),
});

const ItemLocationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("room"), roomId: z.string() }),
  z.object({ kind: z.literal("inventory"), ownerId: z.string() }),
  z.object({ kind: z.literal("equipped"), ownerId: z.string(), slot: z.enum(SLOTS) }),
  z.object({ kind: z.literal("container"), containerId: z.string() }),
]);

const ItemInstanceSchema: z.ZodType<ItemInstance> = z.object({
  id: z.string(),
  templateId: z.string(),
  location: ItemLocationSchema,
  durability: z.number().optional(),
});

/** A player's progress in one quest (shared/mud/world.ts `QuestProgress`). */
export const QuestProgressSchema: z.ZodType<QuestProgress> = z.object({
  step: int().min(0),
  progress: int().min(0),
  done: z.literal(true).optional(),
});

/** Quests and standing, as a player holds them and a traveller carries them (shared/mud/quests.ts, factions.ts). */
export const QuestsSchema = z.record(z.string(), QuestProgressSchema);
export const ReputationSchema = z.record(z.string(), z.number());

const MudPlayerSchema: z.ZodType<MudPlayer> = z.object({
  id: z.string(),
  name: z.string(),
  classId: z.string(),
  attributes: AttributesSchema,
  level: int(),
  xp: z.number(),
  hp: z.number(),
  mp: z.number(),
  roomId: z.string(),
  effects: z.array(EffectStateSchema),
  targetId: z.string().nullable(),
  resting: z.boolean(),
  nextSwingTick: z.number(),
  online: z.boolean(),
  skillReadyAt: z.record(z.string(), z.number()).optional(),
  guest: z.literal(true).optional(),
  linkdead: z.literal(true).optional(),
  arriving: z.literal(true).optional(),
  // Added without a new version: a row written before quests has none, which reads as none started.
  quests: QuestsSchema.optional(),
  reputation: ReputationSchema.optional(),
  triggersDone: z.array(z.string()).optional(),
});

const MudNpcSchema: z.ZodType<MudNpc> = z.object({
  id: z.string(),
  templateId: z.string(),
  roomId: z.string(),
  homeRoomId: z.string(),
  hp: z.number(),
  effects: z.array(EffectStateSchema),
  targetId: z.string().nullable(),
  nextSwingTick: z.number(),
  respawnAtTick: z.number().nullable(),
  // Added without a new version: a row written before it has no schedule and draws one (fight.ts).
  wanderAtTick: z.number().optional(),
  // Added without a new version, as the world's exitState and triggerState: older rows lack them.
  transient: z.literal(true).optional(),
  summoned: z.literal(true).optional(),
});

/** The whole world of a MUD zone (shared/mud/world.ts `MudWorld`). */
export const MudWorldSchema: z.ZodType<MudWorld> = z.object({
  zoneId: z.string(),
  tick: int(),
  players: z.record(z.string(), MudPlayerSchema),
  npcs: z.record(z.string(), MudNpcSchema),
  items: z.record(z.string(), ItemInstanceSchema),
  nextId: int(),
  exitState: z.record(z.string(), z.enum(["open", "closed", "locked"])).optional(),
  triggerState: z
    .record(
      z.string(),
      z.object({
        lastTick: z.number().optional(),
        fired: z.literal(true).optional(),
        players: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/** How a `mud_world` row is read: version 0 (unversioned) upgrades to 1 unchanged but for `v`. */
export const MUD_WORLD_ROW: VersionedSpec<MudWorld> = {
  name: "mud_world",
  current: 1,
  upgrades: [(row) => row],
  schema: MudWorldSchema,
};

/** Reads a stored `mud_world` payload: the world at the current version, or why it was refused. */
export function readMudWorld(raw: unknown): Result<MudWorld, string> {
  return readVersioned(MUD_WORLD_ROW, raw);
}

/** The payload to store for `world`: the world with its schema version. */
export function writeMudWorld(world: MudWorld): { v: number } & MudWorld {
  return writeVersioned(MUD_WORLD_ROW, world);
}
