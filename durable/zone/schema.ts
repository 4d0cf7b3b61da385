/** The zone's own SQLite schema (one database per zone Durable Object). */
import { integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row (id = 1): the zone's clock and simulation state as of the last flush. */
export const zoneState = sqliteTable("zone_state", {
  id: integer("id").primaryKey(),
  zoneId: text("zone_id").notNull(),
  realm: text("realm").notNull(),
  tick: integer("tick").notNull(),
  lastTargetAt: real("last_target_at").notNull(),
  rngState: integer("rng_state").notNull(),
  weather: text("weather").notNull(),
  nextSaidId: integer("next_said_id").notNull(),
  /** An instance nobody is in, and nothing is owed by: since when (it is discarded after a while). */
  emptySince: integer("empty_since"),
  updatedAt: integer("updated_at").notNull(),
});

/** Everything said in the zone, committed before it is broadcast. */
export const saidLog = sqliteTable("said_log", {
  id: integer("id").primaryKey(),
  tick: integer("tick").notNull(),
  sessionId: text("session_id").notNull(),
  name: text("name").notNull(),
  text: text("text").notNull(),
  createdAt: integer("created_at").notNull(),
});

/**
 * Character writes owed to Postgres. A row stays until Postgres accepts it, so an outage or an
 * eviction loses nothing; `seq` tells a write that finished apart from a newer one queued since.
 */
export const characterWrites = sqliteTable("character_writes", {
  characterId: text("character_id").primaryKey(),
  /** The Postgres row version this write expects to replace. */
  version: integer("version").notNull(),
  state: text("state", { mode: "json" }).notNull(),
  seq: integer("seq").notNull(),
  attempts: integer("attempts").notNull(),
  nextAttemptAt: integer("next_attempt_at").notNull(),
  /**
   * Attempts sent with no answer yet (the connection dropped, or the process died, after sending):
   * the version they expected and the states they carried. Postgres may have committed one of
   * them. Cleared once an attempt is answered.
   */
  sentVersion: integer("sent_version"),
  sentStates: text("sent_states", { mode: "json" }),
});

/**
 * The state of the zone's engine (shared/zone/engine.ts), one versioned JSON row per kind, written
 * atomically: a MUD zone's world (rooms' items, NPCs, players), a field zone's players, enemies,
 * missiles and settings. The host stores it without reading it; the kind's engine reads it back.
 */
export const engineState = sqliteTable("engine_state", {
  kind: text("kind").primaryKey(),
  state: text("state", { mode: "json" }).notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Characters this zone took out of its world to hand over to another zone, until the other zone
 * has taken them (docs/architecture.md, "Travel and hand-off"). The traveller (versioned JSON)
 * holds everything the character had here; a row outlives a crash, and is sent again until the
 * target answers.
 */
export const transfers = sqliteTable("transfers", {
  transferId: text("transfer_id").primaryKey(),
  characterId: text("character_id").notNull(),
  traveller: text("traveller", { mode: "json" }).notNull(),
  attempts: integer("attempts").notNull(),
  nextAttemptAt: integer("next_attempt_at").notNull(),
});

/** Travellers this zone took from others, by transfer id: a hand-off sent again is taken once. */
export const arrivals = sqliteTable("arrivals", {
  transferId: text("transfer_id").primaryKey(),
  characterId: text("character_id").notNull(),
  acceptedAt: integer("accepted_at").notNull(),
  /** When the character's session said hello here after the hand-off (null until then). */
  welcomedAt: integer("welcomed_at"),
});

/**
 * Characters with a session in this zone and what their write-back needs that the world does not
 * hold (the version Postgres expects, play time, attributes). A row outlives a crash that kills the
 * sockets, so the restarted zone can still write the character back and let it go (roster.ts).
 */
export const zoneCharacters = sqliteTable("zone_characters", {
  characterId: text("character_id").primaryKey(),
  /** The CharacterSnapshot the session plays, as of its last known version. */
  character: text("character", { mode: "json" }).notNull(),
  connectedAt: integer("connected_at").notNull(),
  /** Set while the character is linkdead: its connection dropped, and it stays in the world until then (epoch ms). */
  linkdeadUntil: integer("linkdead_until"),
});

/**
 * Stored payloads that no longer read (a corrupt row, or one written by newer code), kept aside
 * with the reason instead of being half-loaded or lost: `source` names the row (an engine's
 * state such as `mud_world` or `field_world`, `character_writes`, `zone_characters`), `key` its id there (docs/architecture.md,
 * "Versioned state").
 */
export const zoneQuarantine = sqliteTable("zone_quarantine", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  source: text("source").notNull(),
  key: text("key").notNull(),
  /** The stored text as it was found (it may not even be JSON). */
  payload: text("payload"),
  reason: text("reason").notNull(),
  quarantinedAt: integer("quarantined_at").notNull(),
});

/**
 * Audit entries of GM commands (docs/admin.md, "GM commands in MUD zones") owed to Postgres
 * `audit_log`: a row stays until Postgres takes it, so an outage or an eviction loses none, and
 * the tick that ran the command never waits for Postgres.
 */
export const auditWrites = sqliteTable("audit_writes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** The GM's account, when its session has one (a guest GM's has none). */
  accountId: text("account_id"),
  event: text("event").notNull(),
  detail: text("detail", { mode: "json" }).notNull(),
  /** When the command ran (epoch ms): the audit row's time, however late it lands. */
  createdAt: integer("created_at").notNull(),
  attempts: integer("attempts").notNull(),
  nextAttemptAt: integer("next_attempt_at").notNull(),
});

/**
 * The zone's latest input recording (docs/replay.md): one row (id = 1) saying whether one runs,
 * ended or was lost with the process, and why; its JSON is kept in `recording_parts`, split so no
 * row passes the storage's row size.
 */
export const recordings = sqliteTable("recordings", {
  id: integer("id").primaryKey(),
  /** `running`, `finished` or `lost` (the zone restarted while it ran). */
  status: text("status").notNull(),
  seconds: integer("seconds").notNull(),
  startedAt: integer("started_at").notNull(),
  endsAt: integer("ends_at").notNull(),
  finishedAt: integer("finished_at"),
  /** Why it ended (the span ran out, its size bound, the engine replaced). */
  reason: text("reason"),
  chars: integer("chars"),
});

/** The latest recording's JSON text, in order by `part`. */
export const recordingParts = sqliteTable("recording_parts", {
  part: integer("part").primaryKey(),
  body: text("body").notNull(),
});
