/**
 * A character on its way from one zone to another (docs/architecture.md, "Travel and hand-off"):
 * everything the source zone held of it — the character with its pools, level and place, its
 * effects with their remaining ticks, what it carries and wears, and the write to Postgres the
 * source still owed — in one versioned payload that the source keeps until the target has taken it,
 * and the target stores when it does. Items travel as templates: each zone numbers its own item
 * instances, so the target gives them new ids.
 */
import { z } from "zod";
import { CharacterStateSchema } from "../db/persisted";
import { EffectStateSchema, QuestsSchema, ReputationSchema } from "../mud/persisted";
import { type EffectState, SLOTS, type Slot } from "../mud/types";
import type { QuestProgress } from "../mud/world";
import { readVersioned, type VersionedSpec, writeVersioned } from "../persist/versioned";
import { CharacterSnapshot } from "../protocol/character";
import type { Result } from "../result";

/** Where a traveller goes: a zone, and a place there its content names (a room; a named point in a field). */
export interface Destination {
  zoneId: string;
  place?: string;
  /** `party`: a private instance of the zone for the traveller's party (an instanced exit). */
  instance?: "party";
}

/** Reads `zone-id:place` (an exit's target in content); a bare id names a place in `zoneId`. */
export function destinationOf(target: string, zoneId: string): Destination {
  const colon = target.indexOf(":");
  if (colon < 0) return { zoneId, place: target };
  const place = target.slice(colon + 1);
  return { zoneId: target.slice(0, colon), ...(place ? { place } : {}) };
}

/**
 * An item a traveller carries: worn in `slot`, or in its pack; `inside` is the index (in the same
 * list) of the carried container it lies in.
 */
export interface CarriedItem {
  templateId: string;
  slot?: Slot;
  durability?: number;
  inside?: number;
}

/** What travels with a character besides its snapshot. */
export interface Carried {
  effects: EffectState[];
  items: CarriedItem[];
  /** Quest progress by quest id (shared/mud/quests.ts); absent when it has none. */
  quests?: Record<string, QuestProgress>;
  /** Standing by faction id (shared/mud/factions.ts); absent when it has none. */
  reputation?: Record<string, number>;
  /** The `once: "per-player"` triggers it fired, as `zone-id/trigger-id` (shared/mud/triggers); absent when none. */
  triggersDone?: string[];
}

/** A player leaving its zone, as an engine reports it: the host hands it over (shared/zone/engine.ts). */
export interface Departure {
  playerId: string;
  to: Destination;
}

/** The write to Postgres the source still owed for the character (docs/decisions.md D11), handed over with it. */
export interface OwedWrite {
  version: number;
  state: z.infer<typeof CharacterStateSchema>;
  /** States of attempts sent and never answered: one of them may have landed. */
  sentStates: z.infer<typeof CharacterStateSchema>[];
}

export interface Traveller {
  /** The hand-off's idempotency key: a target takes a traveller once, however often it is sent. */
  transferId: string;
  from: string;
  to: Destination;
  /** When the source took the character out of its world (epoch ms). */
  departedAt: number;
  /** The character as the source held it last (pools, level, xp, place), and the version its next write expects. */
  character: CharacterSnapshot;
  carried: Carried;
  write: OwedWrite | null;
  /**
   * Set once the source asked the realm directory which instance of `to.zoneId` takes it
   * (docs/architecture.md, "Parties and instances"): from then on every attempt goes to that same zone.
   */
  routed?: true;
}

const CarriedItemSchema: z.ZodType<CarriedItem> = z.object({
  templateId: z.string().min(1),
  slot: z.enum(SLOTS).optional(),
  durability: z.number().optional(),
  inside: z.number().int().min(0).optional(),
});

export const CarriedSchema: z.ZodType<Carried> = z.object({
  effects: z.array(EffectStateSchema),
  items: z.array(CarriedItemSchema),
  quests: QuestsSchema.optional(),
  reputation: ReputationSchema.optional(),
  triggersDone: z.array(z.string().max(140)).max(10_000).optional(),
});

export const DestinationSchema: z.ZodType<Destination> = z.object({
  zoneId: z.string().min(1),
  place: z.string().min(1).optional(),
  instance: z.literal("party").optional(),
});

const TravellerSchema: z.ZodType<Traveller> = z.object({
  transferId: z.string().min(1),
  from: z.string().min(1),
  to: DestinationSchema,
  departedAt: z.number(),
  character: CharacterSnapshot,
  carried: CarriedSchema,
  write: z
    .object({
      version: z.number().int().min(1),
      state: CharacterStateSchema,
      sentStates: z.array(CharacterStateSchema),
    })
    .nullable(),
  routed: z.literal(true).optional(),
});

/**
 * A traveller as stored and sent between zones: version 1 is the first; version 2 may carry quests
 * and reputation, so a version 1 payload (which has neither) reads unchanged.
 */
export const TRAVELLER: VersionedSpec<Traveller> = {
  name: "traveller",
  current: 2,
  upgrades: [(row) => row, (row) => row],
  schema: TravellerSchema,
};

export const readTraveller = (raw: unknown): Result<Traveller, string> => readVersioned(TRAVELLER, raw);
export const writeTraveller = (traveller: Traveller) => writeVersioned(TRAVELLER, traveller);
