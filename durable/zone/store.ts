/**
 * Zone persistence over the DO's SQLite. The schema and its migrations are drizzle's; the writes
 * and reads a zone makes every second (state, engine payload, chat log) are fixed SQL statements
 * run directly, because building each query through drizzle cost more CPU than the SQLite work
 * itself (docs/performance.md, "Where an occupied zone's time goes"). Takes only the storage shape
 * it uses, so the same code runs against any `{ sql, transactionSync }` implementation.
 */
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { SaidEvent } from "../../shared/protocol/messages";
import type { ClockState } from "../../shared/sim/clock";
import { WEATHERS, type Weather, type ZoneSimState } from "../../shared/sim/zone";
import migrations from "./migrations/migrations.js";
import { zoneState } from "./schema";

/** The statements the zone runs every second; column names are those of ./schema.ts. */
const WRITE_STATE = `INSERT INTO zone_state (id, zone_id, realm, tick, last_target_at, rng_state, weather, next_said_id, empty_since, updated_at)
  VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET zone_id = excluded.zone_id, realm = excluded.realm, tick = excluded.tick,
    last_target_at = excluded.last_target_at, rng_state = excluded.rng_state, weather = excluded.weather,
    next_said_id = excluded.next_said_id, empty_since = excluded.empty_since, updated_at = excluded.updated_at`;
const PRUNE_SAID = "DELETE FROM said_log WHERE id < ?";
const APPEND_SAID = "INSERT INTO said_log (id, tick, session_id, name, text, created_at) VALUES (?, ?, ?, ?, ?, ?)";
const READ_ENGINE_STATE = "SELECT state FROM engine_state WHERE kind = ?";
const WRITE_ENGINE_STATE = `INSERT INTO engine_state (kind, state, updated_at) VALUES (?, ?, ?)
  ON CONFLICT (kind) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`;
const RECENT_SAID = "SELECT id, tick, session_id, name, text FROM said_log ORDER BY id DESC LIMIT ?";

export type ZoneStorage = Pick<DurableObjectStorage, "sql" | "transactionSync">;

/** The zone's drizzle database, with the storage under it for the fixed statements run every second. */
export type ZoneDb = ReturnType<typeof drizzle<Record<string, never>, DurableObjectStorage>>;

/** Everything a zone needs to resume exactly where its last flush left it. */
export interface ZoneSnapshot {
  zoneId: string;
  realm: string;
  clock: ClockState;
  rngState: number;
  sim: ZoneSimState;
  /** An empty instance: since when nobody was in it and nothing was owed (docs/architecture.md, "Parties and instances"). */
  emptySince?: number | null;
}

/** How many said lines a zone keeps; older ones are pruned at flush time. */
export const SAID_LOG_KEEP = 5000;

export class ZoneStore {
  readonly db: ZoneDb;

  constructor(private readonly storage: ZoneStorage) {
    this.db = drizzle(storage as DurableObjectStorage);
  }

  /** Brings the schema up to date; run inside blockConcurrencyWhile before any other access. */
  async migrate(): Promise<void> {
    await migrate(this.db, migrations);
  }

  load(): ZoneSnapshot | undefined {
    const row = this.db.select().from(zoneState).get();
    if (!row) return undefined;
    const weather = (WEATHERS as readonly string[]).includes(row.weather) ? (row.weather as Weather) : "clear";
    return {
      zoneId: row.zoneId,
      realm: row.realm,
      clock: { tick: row.tick, lastTargetAt: row.lastTargetAt },
      rngState: row.rngState,
      sim: { tick: row.tick, weather, nextSaidId: row.nextSaidId },
      ...(row.emptySince !== null ? { emptySince: row.emptySince } : {}),
    };
  }

  /** Runs `write` as one transaction: all of its statements land, or none (it must not call `save` or `appendSaid`). */
  transaction<T>(write: () => T): T {
    return this.storage.transactionSync(write);
  }

  /** Writes the snapshot (and prunes the chat log) in one transaction. */
  save(snapshot: ZoneSnapshot, now: number): void {
    this.storage.transactionSync(() => {
      this.writeState(snapshot, now);
      const keepFrom = snapshot.sim.nextSaidId - SAID_LOG_KEEP;
      if (keepFrom > 0) this.storage.sql.exec(PRUNE_SAID, keepFrom);
    });
  }

  /** Appends a said line together with the state that reserved its id, atomically. */
  appendSaid(line: SaidEvent, snapshot: ZoneSnapshot, now: number): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(APPEND_SAID, line.id, line.tick, line.sessionId, line.name, line.text, now);
      this.writeState(snapshot, now);
    });
  }

  /**
   * The stored state of the zone's engine of `kind` as the text it was written as (text that is no
   * JSON cannot throw here; the caller reads it), or undefined when there is none yet.
   */
  engineState(kind: string): string | null | undefined {
    const row = this.storage.sql.exec<{ state: string | null }>(READ_ENGINE_STATE, kind).toArray()[0];
    return row?.state;
  }

  /** Writes the engine's state payload (shared/zone/engine.ts `serialize`). */
  saveEngineState(kind: string, payload: { v: number }, now: number): void {
    this.storage.sql.exec(WRITE_ENGINE_STATE, kind, JSON.stringify(payload), now);
  }

  /** The newest `limit` said lines, oldest first. */
  recentSaid(limit: number): SaidEvent[] {
    const rows = this.storage.sql
      .exec<{ id: number; tick: number; session_id: string; name: string; text: string }>(RECENT_SAID, limit)
      .toArray();
    return rows.reverse().map((row) => ({
      type: "said",
      id: row.id,
      tick: row.tick,
      sessionId: row.session_id,
      name: row.name,
      text: row.text,
    }));
  }

  private writeState(snapshot: ZoneSnapshot, now: number): void {
    this.storage.sql.exec(
      WRITE_STATE,
      snapshot.zoneId,
      snapshot.realm,
      snapshot.clock.tick,
      snapshot.clock.lastTargetAt,
      snapshot.rngState,
      snapshot.sim.weather,
      snapshot.sim.nextSaidId,
      snapshot.emptySince ?? null,
      now,
    );
  }
}
