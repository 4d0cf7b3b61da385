/**
 * Character write-back from a zone to Postgres. Writes are queued in the zone's SQLite first
 * (so an outage or eviction loses nothing), then sent with the version they expect; Postgres
 * refuses a stale one (optimistic concurrency), and an outage just leaves the row for a retry
 * with backoff.
 */
import { eq, lte, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { type CharacterState, saveCharacterState } from "../../shared/db/characters";
import { type DatabaseSettings, DatabaseUnavailableError, withDatabase } from "../../shared/db/client";
import type { Logger } from "../../shared/log";
import { characterWrites } from "./schema";

const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

export interface PendingWrite {
  characterId: string;
  version: number;
  state: CharacterState;
}

export class CharacterWriter {
  private draining: Promise<void> | undefined;
  /**
   * The last write Postgres accepted for each character, with the version it got. A ticket the
   * gateway read just before that write landed carries the older version; a session resumes from
   * this instead (see `newerThan`). In memory: the race it covers lasts one round trip.
   */
  private readonly landed = new Map<string, PendingWrite>();

  constructor(
    private readonly db: DrizzleSqliteDODatabase,
    private readonly settings: DatabaseSettings | undefined,
    private readonly log: Logger,
    /** Told the new version after each accepted write, so live sessions keep writing on top of it. */
    private readonly onWritten: (characterId: string, version: number) => void,
  ) {}

  /** Queues the newest state of a character; an already queued write keeps its expected version. */
  enqueue(write: PendingWrite, now: number): void {
    this.db
      .insert(characterWrites)
      .values({ ...write, seq: 1, attempts: 0, nextAttemptAt: now })
      .onConflictDoUpdate({
        target: characterWrites.characterId,
        set: { state: write.state, seq: sqlIncrement(), nextAttemptAt: now },
      })
      .run();
  }

  /** The queued state of a character, which is newer than what Postgres holds. */
  pending(characterId: string): PendingWrite | undefined {
    const row = this.db.select().from(characterWrites).where(eq(characterWrites.characterId, characterId)).get();
    return row ? { characterId, version: row.version, state: row.state as CharacterState } : undefined;
  }

  /**
   * What this zone holds of a character that is newer than `version` (what the gateway read from
   * Postgres): the queued state, or else the last write that landed here after that read.
   */
  newerThan(characterId: string, version: number): PendingWrite | undefined {
    const queued = this.pending(characterId);
    if (queued) return queued;
    const landed = this.landed.get(characterId);
    return landed && landed.version > version ? landed : undefined;
  }

  /** When the next retry is due, or null with nothing queued (or no database configured). */
  nextAttemptAt(): number | null {
    // Without a database there is nothing to retry against: keep the rows, schedule nothing.
    if (!this.settings) return null;
    const rows = this.db.select({ at: characterWrites.nextAttemptAt }).from(characterWrites).all();
    return rows.length ? Math.min(...rows.map((r) => r.at)) : null;
  }

  /** Sends every due write; concurrent calls share one pass. */
  drain(now: number): Promise<void> {
    this.draining ??= this.drainOnce(now).finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainOnce(now: number): Promise<void> {
    const due = this.db.select().from(characterWrites).where(lte(characterWrites.nextAttemptAt, now)).all();
    if (due.length === 0 || !this.settings) return;
    try {
      await withDatabase(this.settings, async (db) => {
        for (const row of due) {
          const result = await saveCharacterState(db, row.characterId, row.version, row.state as CharacterState);
          if (result.ok) {
            const { characterId } = row;
            this.landed.set(characterId, {
              characterId,
              version: result.value.version,
              state: row.state as CharacterState,
            });
            this.settle(row.characterId, row.seq, result.value.version);
            this.onWritten(row.characterId, result.value.version);
          } else {
            // Someone wrote a newer version (or deleted the character): never overwrite it.
            this.log.log("error", "character.write_refused", { characterId: row.characterId, reason: result.error });
            this.db.delete(characterWrites).where(eq(characterWrites.characterId, row.characterId)).run();
          }
        }
      });
    } catch (error) {
      const level = error instanceof DatabaseUnavailableError ? "warn" : "error";
      this.log.log(level, "character.write_deferred", { pending: due.length, cause: String(error) });
      for (const row of due) this.retryLater(row.characterId, row.attempts + 1, now);
    }
  }

  /** A write landed: drop the row, or, if a newer state was queued meanwhile, rebase it. */
  private settle(characterId: string, seq: number, version: number): void {
    const row = this.db.select().from(characterWrites).where(eq(characterWrites.characterId, characterId)).get();
    if (!row) return;
    if (row.seq === seq) this.db.delete(characterWrites).where(eq(characterWrites.characterId, characterId)).run();
    else this.db.update(characterWrites).set({ version }).where(eq(characterWrites.characterId, characterId)).run();
  }

  private retryLater(characterId: string, attempts: number, now: number): void {
    const delay = BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)] as number;
    this.db
      .update(characterWrites)
      .set({ attempts, nextAttemptAt: now + delay })
      .where(eq(characterWrites.characterId, characterId))
      .run();
  }
}

function sqlIncrement() {
  return sql`${characterWrites.seq} + 1`;
}
