/**
 * Zone persistence over the DO's SQLite through drizzle. Takes only the storage shape it uses,
 * so the same code runs against any `{ sql, transactionSync }` implementation.
 */
import { desc, eq, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { SaidEvent } from "../../shared/protocol/messages";
import type { ClockState } from "../../shared/sim/clock";
import { WEATHERS, type Weather, type ZoneSimState } from "../../shared/sim/zone";
import migrations from "./migrations/migrations.js";
import { engineState, saidLog, zoneState } from "./schema";

export type ZoneStorage = Pick<DurableObjectStorage, "sql" | "transactionSync">;

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
  readonly db;

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
      if (keepFrom > 0) this.db.delete(saidLog).where(lt(saidLog.id, keepFrom)).run();
    });
  }

  /** Appends a said line together with the state that reserved its id, atomically. */
  appendSaid(line: SaidEvent, snapshot: ZoneSnapshot, now: number): void {
    this.storage.transactionSync(() => {
      this.db
        .insert(saidLog)
        .values({
          id: line.id,
          tick: line.tick,
          sessionId: line.sessionId,
          name: line.name,
          text: line.text,
          createdAt: now,
        })
        .run();
      this.writeState(snapshot, now);
    });
  }

  /**
   * The stored state of the zone's engine of `kind` as the text it was written as (text that is no
   * JSON cannot throw here; the caller reads it), or undefined when there is none yet.
   */
  engineState(kind: string): string | null | undefined {
    const row = this.db
      .select({ state: sql<string | null>`${engineState.state}` })
      .from(engineState)
      .where(eq(engineState.kind, kind))
      .get();
    return row?.state;
  }

  /** Writes the engine's state payload (shared/zone/engine.ts `serialize`). */
  saveEngineState(kind: string, payload: { v: number }, now: number): void {
    const values = { kind, state: payload, updatedAt: now };
    this.db.insert(engineState).values(values).onConflictDoUpdate({ target: engineState.kind, set: values }).run();
  }

  /** The newest `limit` said lines, oldest first. */
  recentSaid(limit: number): SaidEvent[] {
    const rows = this.db.select().from(saidLog).orderBy(desc(saidLog.id)).limit(limit).all();
    return rows.reverse().map((row) => ({
      type: "said",
      id: row.id,
      tick: row.tick,
      sessionId: row.sessionId,
      name: row.name,
      text: row.text,
    }));
  }

  private writeState(snapshot: ZoneSnapshot, now: number): void {
    const values = {
      id: 1,
      zoneId: snapshot.zoneId,
      realm: snapshot.realm,
      tick: snapshot.clock.tick,
      lastTargetAt: snapshot.clock.lastTargetAt,
      rngState: snapshot.rngState,
      weather: snapshot.sim.weather,
      nextSaidId: snapshot.sim.nextSaidId,
      emptySince: snapshot.emptySince ?? null,
      updatedAt: now,
    };
    this.db.insert(zoneState).values(values).onConflictDoUpdate({ target: zoneState.id, set: values }).run();
  }
}
