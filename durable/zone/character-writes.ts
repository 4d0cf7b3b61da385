/**
 * Character write-back from a zone to Postgres. Writes are queued in the zone's SQLite first
 * (so an outage or eviction loses nothing), then sent with the version they expect; Postgres
 * refuses a stale one (optimistic concurrency), and an outage just leaves the row for a retry
 * with backoff. A queued write never expects a version older than one the zone knows of, and an
 * attempt whose answer was lost is recognized if it did land (docs/decisions.md D11).
 */
import { and, eq, lte, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import {
  type CharacterState,
  readCharacterState,
  sameCharacterState,
  saveCharacterState,
} from "../../shared/db/characters";
import { type Database, type DatabaseSettings, DatabaseUnavailableError, withDatabase } from "../../shared/db/client";
import {
  readCharacterWriteState,
  readSentStates,
  writeCharacterWriteState,
  writeSentStates,
} from "../../shared/db/persisted";
import type { Logger } from "../../shared/log";
import type { OwedWrite } from "../../shared/world/traveller";
import { rawJson, readStored, type ZoneQuarantine } from "./quarantine";
import { characterWrites } from "./schema";

const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];
/** Unanswered attempts remembered per write; more in a row would mean Postgres is not answering at all. */
const MAX_UNANSWERED = 8;

export interface PendingWrite {
  characterId: string;
  version: number;
  state: CharacterState;
}

/** A queued row as read: its state and its unanswered attempts' states validated (versioned JSON). */
interface QueuedRow {
  characterId: string;
  version: number;
  state: CharacterState;
  seq: number;
  attempts: number;
  sentVersion: number | null;
  /** The states of attempts sent and never answered (`sent_states`). */
  sentStates: CharacterState[];
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
    /** Where a queued write that no longer reads is kept, unsent. */
    private readonly quarantine: ZoneQuarantine,
    /** Told the new version after each accepted write, so live sessions keep writing on top of it. */
    private readonly onWritten: (characterId: string, version: number) => void,
  ) {}

  /**
   * Queues the newest state of a character. An already queued write keeps its expected version,
   * unless `write` knows a newer one (Postgres has moved past the queued version, which can then
   * never land): a write never goes out expecting a version older than one known here.
   */
  enqueue(write: PendingWrite, now: number): void {
    this.db
      .insert(characterWrites)
      .values({ ...write, state: writeCharacterWriteState(write.state), seq: 1, attempts: 0, nextAttemptAt: now })
      .onConflictDoUpdate({
        target: characterWrites.characterId,
        set: {
          state: writeCharacterWriteState(write.state),
          version: sql`max(${characterWrites.version}, ${write.version})`,
          seq: sqlIncrement(),
          nextAttemptAt: now,
        },
      })
      .run();
  }

  /**
   * The character left for another zone: its queued write, with the attempts sent and never
   * answered, goes with it and leaves this queue (the other zone owes it now). Null with none.
   * Called inside the transaction that takes the character out of this zone.
   */
  handOver(characterId: string): OwedWrite | null {
    const row = this.row(characterId);
    if (!row) return null;
    this.db.delete(characterWrites).where(eq(characterWrites.characterId, characterId)).run();
    return { version: row.version, state: row.state, sentStates: unansweredStates(row) };
  }

  /**
   * Owes the write another zone handed over with the character (`state` is the newest state), with
   * its unanswered attempts, so a lost one that landed is still recognized (see `send`). It replaces
   * any write queued here before: the character was elsewhere since.
   */
  takeOver(
    characterId: string,
    owed: Pick<OwedWrite, "version" | "sentStates">,
    state: CharacterState,
    now: number,
  ): void {
    const sent = owed.sentStates.length ? owed.sentStates : null;
    const values = {
      characterId,
      version: owed.version,
      state: writeCharacterWriteState(state),
      seq: 1,
      attempts: 0,
      nextAttemptAt: now,
      sentVersion: sent ? owed.version : null,
      sentStates: sent ? writeSentStates(sent) : null,
    };
    this.db
      .insert(characterWrites)
      .values(values)
      .onConflictDoUpdate({ target: characterWrites.characterId, set: values })
      .run();
  }

  /** The queued state of a character, which is newer than what Postgres holds. */
  pending(characterId: string): PendingWrite | undefined {
    const row = this.row(characterId);
    return row ? { characterId, version: row.version, state: row.state } : undefined;
  }

  /**
   * What this zone holds of a character that is newer than `read` (what the gateway read from
   * Postgres): the queued state, or else the last write that landed here after that read. A queued
   * write expecting an older version than the one read was overtaken (the character was written
   * from another zone meanwhile): resuming from it would lose everything since, and it could never
   * land, so it is dropped, unless what was read is its own lost attempt (see `lostAttemptLanded`).
   */
  newerThan(characterId: string, read: CharacterState & { version: number }): PendingWrite | undefined {
    const row = this.row(characterId);
    if (row && row.version < read.version && lostAttemptLanded(row, read)) {
      this.rebase(characterId, read.version);
      return { characterId, version: read.version, state: row.state };
    }
    if (row && row.version >= read.version) return this.pending(characterId);
    if (row) {
      this.log.log("warn", "character.stale_write_dropped", {
        characterId,
        queuedVersion: row.version,
        readVersion: read.version,
      });
      this.db.delete(characterWrites).where(eq(characterWrites.characterId, characterId)).run();
    }
    const landed = this.landed.get(characterId);
    return landed && landed.version > read.version ? landed : undefined;
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
    const due = this.rows()
      .where(lte(characterWrites.nextAttemptAt, now))
      .all()
      .flatMap((stored) => {
        const row = this.read(stored);
        return row ? [row] : [];
      });
    if (due.length === 0 || !this.settings) return;
    try {
      await withDatabase(this.settings, async (db) => {
        for (const row of due) {
          // Handed over to another zone since this pass read it: that zone owes it now.
          if (!this.row(row.characterId)) continue;
          const result = await this.send(db, row);
          if (result.ok) {
            const { characterId } = row;
            this.landed.set(characterId, {
              characterId,
              version: result.value.version,
              state: row.state,
            });
            this.settle(row.characterId, row.seq, result.value.version);
            this.onWritten(row.characterId, result.value.version);
          } else {
            // Someone wrote a newer version (or deleted the character): never overwrite it. A row
            // queued meanwhile with a newer expected version is another write, and stays.
            this.log.log("error", "character.write_refused", { characterId: row.characterId, reason: result.error });
            this.db
              .delete(characterWrites)
              .where(and(eq(characterWrites.characterId, row.characterId), lte(characterWrites.version, row.version)))
              .run();
          }
        }
      });
    } catch (error) {
      const level = error instanceof DatabaseUnavailableError ? "warn" : "error";
      this.log.log(level, "character.write_deferred", { pending: due.length, cause: String(error) });
      for (const row of due) this.retryLater(row.characterId, row.attempts + 1, now);
    }
  }

  /**
   * Sends one queued write. What is sent is recorded first: if the answer is lost (the connection
   * drops, or the process dies, after Postgres committed), a later attempt meets a conflict, and
   * finding one of those states one version up tells it the lost attempt landed, so it writes on
   * top of it instead of being refused for its own write.
   */
  private async send(db: Database, row: QueuedRow) {
    const { state } = row;
    const unanswered = unansweredStates(row);
    this.db
      .update(characterWrites)
      .set({ sentVersion: row.version, sentStates: writeSentStates([...unanswered, state].slice(-MAX_UNANSWERED)) })
      .where(eq(characterWrites.characterId, row.characterId))
      .run();
    const result = await saveCharacterState(db, row.characterId, row.version, state);
    if (result.ok || result.error !== "conflict" || !unanswered.length) return result;
    const stored = await readCharacterState(db, row.characterId);
    if (!stored || !lostAttemptLanded(row, stored)) return result;
    this.log.log("warn", "character.lost_write_found", { characterId: row.characterId, version: stored.version });
    return saveCharacterState(db, row.characterId, stored.version, state);
  }

  /** A write landed: drop the row, or, if a newer state was queued meanwhile, rebase it. */
  private settle(characterId: string, seq: number, version: number): void {
    const row = this.row(characterId);
    if (!row) return;
    if (row.seq === seq) this.db.delete(characterWrites).where(eq(characterWrites.characterId, characterId)).run();
    else this.rebase(characterId, version);
  }

  /** The queued state now expects `version`; no attempt at it was sent yet. */
  private rebase(characterId: string, version: number): void {
    this.db
      .update(characterWrites)
      .set({ version, sentVersion: null, sentStates: null })
      .where(eq(characterWrites.characterId, characterId))
      .run();
  }

  private row(characterId: string): QueuedRow | undefined {
    const stored = this.rows().where(eq(characterWrites.characterId, characterId)).get();
    return stored && this.read(stored);
  }

  /** The queue's rows with their JSON columns as stored text, read by `read`. */
  private rows() {
    const { characterId, version, seq, attempts, sentVersion } = characterWrites;
    const columns = { characterId, version, seq, attempts, sentVersion };
    return this.db
      .select({ ...columns, state: rawJson(characterWrites.state), sentStates: rawJson(characterWrites.sentStates) })
      .from(characterWrites);
  }

  /**
   * A stored row, validated; a row whose state or attempts no longer read is kept aside unsent (it
   * could write anything into Postgres) and leaves the queue, so it blocks no newer write.
   */
  private read(stored: ReturnType<ReturnType<typeof this.rows>["all"]>[number]): QueuedRow | undefined {
    const state = readStored(stored.state, readCharacterWriteState, "character_writes.state");
    const sent = readStored(stored.sentStates, readSentStates, "character_writes.sent_states");
    if (state.ok && sent.ok) return { ...stored, state: state.value, sentStates: sent.value };
    const reason = state.ok ? (sent.ok ? "" : sent.error) : state.error;
    const text = state.ok ? stored.sentStates : stored.state;
    this.quarantine.refuse("character_writes", stored.characterId, text, reason, Date.now());
    this.db.delete(characterWrites).where(eq(characterWrites.characterId, stored.characterId)).run();
    return undefined;
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

/** The states of the row's attempts at its current version that were sent and never answered. */
function unansweredStates(row: QueuedRow): CharacterState[] {
  return row.sentVersion === row.version ? row.sentStates : [];
}

/**
 * Whether Postgres (`stored`) holds, one version up, exactly the state of one of the row's
 * unanswered attempts: that attempt landed (they all expected the same version, so only one can).
 */
function lostAttemptLanded(row: QueuedRow, stored: CharacterState & { version: number }): boolean {
  return stored.version === row.version + 1 && unansweredStates(row).some((sent) => sameCharacterState(stored, sent));
}

function sqlIncrement() {
  return sql`${characterWrites.seq} + 1`;
}
