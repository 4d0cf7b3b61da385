/**
 * Character write-back from a zone to Postgres. Writes are queued in the zone's SQLite first
 * (so an outage or eviction loses nothing), then sent with the version they expect; Postgres
 * refuses a stale one (optimistic concurrency), and an outage just leaves the row for a retry
 * with backoff. A queued write never expects a version older than one the zone knows of, and an
 * attempt whose answer was lost is recognized if it did land (docs/decisions.md D11). A character
 * handed over to another zone is that zone's to write from then on (D26): this zone queues nothing
 * more for it, and an attempt of its that was still in flight neither settles nor retries anything
 * here (its state went with the character, among the unanswered attempts).
 */
import { and, eq, lte, sql } from "drizzle-orm";
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
import { characterWrites, transfers } from "./schema";
import type { ZoneDb } from "./store";

const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

/** How long a zone waits before sending a failed write to Postgres again, after `attempts` tries (audit.ts too). */
export const retryDelayMs = (attempts: number): number =>
  BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)] as number;
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
  /** Writes put back for a later attempt since the zone started (/metrics). */
  retriesTotal = 0;
  /**
   * The last write Postgres accepted for each character, with the version it got. A ticket the
   * gateway read just before that write landed carries the older version; a session resumes from
   * this instead (see `newerThan`). In memory: the race it covers lasts one round trip.
   */
  private readonly landed = new Map<string, PendingWrite>();
  /**
   * How often each character was handed over from here (`handOver`). An attempt compares it before
   * and after its round trip: a change means the character left meanwhile, taking the write (and this
   * attempt's state, as unanswered) with it, so the answer is the new zone's business, not this one's.
   * In memory: an attempt in flight does not outlive the process either.
   */
  private readonly handOvers = new Map<string, number>();

  constructor(
    private readonly db: ZoneDb,
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
   * never land): a write never goes out expecting a version older than one known here. Nothing is
   * queued for a character this zone is handing over (its transfer is recorded): its session may
   * still be open until the target answers, but its write went with it, and one sent from here would
   * race the target's with an older state. False when nothing was queued.
   */
  enqueue(write: PendingWrite, now: number): boolean {
    if (
      this.db
        .select({ id: transfers.transferId })
        .from(transfers)
        .where(eq(transfers.characterId, write.characterId))
        .get()
    ) {
      this.log.log("debug", "character.write_skipped_travelling", { characterId: write.characterId });
      return false;
    }
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
    return true;
  }

  /**
   * The character left for another zone: its queued write, with the attempts sent and never
   * answered, goes with it and leaves this queue (the other zone owes it now). Null with none.
   * Called inside the transaction that takes the character out of this zone.
   */
  handOver(characterId: string): OwedWrite | null {
    this.handOvers.set(characterId, this.handOversOf(characterId) + 1);
    // What landed from here is no news to anyone once the character is elsewhere.
    this.landed.delete(characterId);
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
   * `read.zoneId` is where the gateway routed the character (a ticket's zone), not what Postgres
   * holds, so it takes no part in recognizing an attempt: after a hand-off the attempt the source
   * still had in flight names the source's zone, and the ticket names this one.
   */
  newerThan(characterId: string, read: CharacterState & { version: number }): PendingWrite | undefined {
    const row = this.row(characterId);
    if (row && row.version < read.version && lostAttemptLanded(row, read, { anyZone: true })) {
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

  /** How many characters have a write queued. */
  queued(): number {
    // Asked every flush and report: a fixed statement, not a query built anew (durable/zone/store.ts).
    return this.db.$client.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM character_writes").one().n;
  }

  /** When the next retry is due, or null with nothing queued (or no database configured). */
  nextAttemptAt(): number | null {
    // Without a database there is nothing to retry against: keep the rows, schedule nothing.
    if (!this.settings) return null;
    return this.db.$client.sql
      .exec<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM character_writes")
      .one().at;
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
        for (const { characterId } of due) {
          // What is queued now, not what this pass read: an earlier send may have taken long. None
          // means it was handed over to another zone since (or landed): that zone owes it now.
          const row = this.row(characterId);
          if (!row) continue;
          const handOvers = this.handOversOf(characterId);
          const { result, expected } = await this.send(db, row, handOvers);
          if (this.handOversOf(characterId) !== handOvers) {
            // The character left during the round trip, with this attempt among its unanswered ones:
            // the zone that holds it recognizes it if it landed, and writes its newer state either way.
            const outcome = result.ok ? `landed as version ${result.value.version}` : result.error;
            this.log.log("info", "character.write_superseded", { characterId, expected, outcome });
          } else if (result.ok) {
            this.landed.set(characterId, { characterId, version: result.value.version, state: row.state });
            this.settle(characterId, row.seq, result.value.version);
            this.onWritten(characterId, result.value.version);
          } else {
            // Someone wrote a newer version (or deleted the character): never overwrite it. A row
            // queued meanwhile with a newer expected version is another write, and stays.
            this.log.log("error", "character.write_refused", { characterId, reason: result.error });
            this.db
              .delete(characterWrites)
              .where(and(eq(characterWrites.characterId, characterId), lte(characterWrites.version, expected)))
              .run();
          }
        }
      });
    } catch (error) {
      const level = error instanceof DatabaseUnavailableError ? "warn" : "error";
      this.log.log(level, "character.write_deferred", { pending: due.length, cause: String(error) });
      for (const row of due) this.retryLater(row.characterId, row.attempts + 1, now);
      this.retriesTotal += due.length;
    }
  }

  /**
   * Sends one queued write. What is sent is recorded first: if the answer is lost (the connection
   * drops, or the process dies, after Postgres committed), a later attempt meets a conflict, and
   * finding one of those states one version up tells it the lost attempt landed, so it writes on
   * top of it instead of being refused for its own write. That second attempt is recorded the same
   * way (the row now expects the found version), so its own lost answer is recognized in turn. Not
   * when the character was handed over meanwhile (`handOvers` changed): the zone holding it writes.
   * Returns the answer and the version the last attempt expected.
   */
  private async send(db: Database, row: QueuedRow, handOvers: number) {
    const { characterId, state } = row;
    const unanswered = unansweredStates(row);
    this.recordAttempt(characterId, row.version, [...unanswered, state]);
    const result = await saveCharacterState(db, characterId, row.version, state);
    if (result.ok || result.error !== "conflict" || !unanswered.length) return { result, expected: row.version };
    const stored = await readCharacterState(db, characterId);
    if (!stored || !lostAttemptLanded(row, stored)) return { result, expected: row.version };
    this.log.log("warn", "character.lost_write_found", { characterId, version: stored.version });
    if (this.handOversOf(characterId) !== handOvers) return { result, expected: row.version };
    this.recordAttempt(characterId, stored.version, [state]);
    return { result: await saveCharacterState(db, characterId, stored.version, state), expected: stored.version };
  }

  /** Before an attempt is sent: the queued write expects `version`, and `states` were sent at it unanswered. */
  private recordAttempt(characterId: string, version: number, states: CharacterState[]): void {
    const sentStates = writeSentStates(states.slice(-MAX_UNANSWERED));
    this.db
      .update(characterWrites)
      .set({ version, sentVersion: version, sentStates })
      .where(eq(characterWrites.characterId, characterId))
      .run();
  }

  private handOversOf(characterId: string): number {
    return this.handOvers.get(characterId) ?? 0;
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
    this.db
      .update(characterWrites)
      .set({ attempts, nextAttemptAt: now + retryDelayMs(attempts) })
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
function lostAttemptLanded(
  row: QueuedRow,
  stored: CharacterState & { version: number },
  { anyZone = false } = {},
): boolean {
  if (stored.version !== row.version + 1) return false;
  return unansweredStates(row).some((sent) =>
    sameCharacterState(anyZone ? { ...stored, zoneId: sent.zoneId } : stored, sent),
  );
}

function sqlIncrement() {
  return sql`${characterWrites.seq} + 1`;
}
