/**
 * The zone's records of hand-offs (docs/architecture.md, "Travel and hand-off"): travellers it took
 * out of its world and has not yet handed over (sent again until the target answers, surviving a
 * crash), and travellers it took from other zones (so a hand-off sent twice is taken once).
 */
import { and, eq, isNull, lt } from "drizzle-orm";
import { readTraveller, type Traveller, writeTraveller } from "../../shared/world/traveller";
import { rawJson, readStored, type ZoneQuarantine } from "./quarantine";
import { arrivals, transfers } from "./schema";
import type { ZoneDb } from "./store";

/** How long a zone remembers a traveller it took (a duplicate hand-off arrives within seconds). */
const ARRIVALS_KEPT_MS = 24 * 3600_000;

export class TransferLog {
  constructor(
    private readonly db: ZoneDb,
    private readonly quarantine: ZoneQuarantine,
  ) {}

  /** A traveller taken out of this zone's world, owed to its target; due at once. */
  record(traveller: Traveller, now: number): void {
    const { transferId, character } = traveller;
    const row = { transferId, characterId: character.id, traveller: writeTraveller(traveller), attempts: 0 };
    this.db
      .insert(transfers)
      .values({ ...row, nextAttemptAt: now })
      .run();
  }

  get(transferId: string): { traveller: Traveller; attempts: number } | undefined {
    return this.read(this.rows().where(eq(transfers.transferId, transferId)).get());
  }

  /** The transfer of a character still owed to another zone, if any. */
  outboundFor(characterId: string): Traveller | undefined {
    return this.read(this.rows().where(eq(transfers.characterId, characterId)).get())?.traveller;
  }

  /** Transfers due for another attempt at `now`. */
  due(now: number): string[] {
    // Asked every flush: a fixed statement, not a query built anew (durable/zone/store.ts).
    return this.db.$client.sql
      .exec<{ id: string }>("SELECT transfer_id AS id FROM transfers WHERE next_attempt_at <= ?", now)
      .toArray()
      .map((r) => r.id);
  }

  /** How many travellers this zone still owes to other zones (hand-offs not yet accepted). */
  owed(): number {
    // Asked every report: a fixed statement, not a query built anew (durable/zone/store.ts).
    return this.db.$client.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM transfers").one().n;
  }

  /** When the next attempt is due, or null with nothing owed. */
  nextAttemptAt(): number | null {
    return this.db.$client.sql.exec<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM transfers").one().at;
  }

  retryLater(transferId: string, attempts: number, at: number): void {
    this.db.update(transfers).set({ attempts, nextAttemptAt: at }).where(eq(transfers.transferId, transferId)).run();
  }

  /** The traveller goes to another zone than first asked (an instance of it: docs/architecture.md, "Parties and instances"). */
  reroute(transferId: string, traveller: Traveller): void {
    this.db
      .update(transfers)
      .set({ traveller: writeTraveller(traveller) })
      .where(eq(transfers.transferId, transferId))
      .run();
  }

  /** The hand-off resolved (taken by the target, or given back here). */
  remove(transferId: string): void {
    this.db.delete(transfers).where(eq(transfers.transferId, transferId)).run();
  }

  /** Whether this zone already took the traveller of `transferId`. */
  hasArrived(transferId: string): boolean {
    return this.db.select().from(arrivals).where(eq(arrivals.transferId, transferId)).get() !== undefined;
  }

  /** This zone took a traveller; old records are pruned. */
  recordArrival(transferId: string, characterId: string, now: number): void {
    this.db
      .delete(arrivals)
      .where(lt(arrivals.acceptedAt, now - ARRIVALS_KEPT_MS))
      .run();
    this.db.insert(arrivals).values({ transferId, characterId, acceptedAt: now }).run();
  }

  /**
   * The character's session said hello here: how long since this zone took it over, for a
   * hand-off not yet welcomed (once per hand-off), else undefined.
   */
  welcome(characterId: string, now: number): number | undefined {
    const open = and(eq(arrivals.characterId, characterId), isNull(arrivals.welcomedAt));
    const row = this.db.select().from(arrivals).where(open).get();
    if (!row) return undefined;
    this.db.update(arrivals).set({ welcomedAt: now }).where(open).run();
    return Math.max(0, now - row.acceptedAt);
  }

  private rows() {
    const { transferId, characterId, attempts } = transfers;
    return this.db
      .select({ transferId, characterId, attempts, traveller: rawJson(transfers.traveller) })
      .from(transfers);
  }

  /** A stored transfer, or, when its traveller no longer reads, kept aside (never half-handed over). */
  private read(row: { transferId: string; attempts: number; traveller: string | null } | undefined) {
    if (!row) return undefined;
    const read = readStored(row.traveller, readTraveller, "transfers.traveller");
    if (read.ok) return { traveller: read.value, attempts: row.attempts };
    this.quarantine.refuse("transfers", row.transferId, row.traveller, read.error, Date.now());
    this.remove(row.transferId);
    return undefined;
  }
}
