/**
 * The audit of GM commands (docs/admin.md, "GM commands in MUD zones"): each entry is logged at
 * once, queued in the zone's SQLite in the same turn (so an outage or an eviction loses none), and
 * sent to Postgres `audit_log` in the background, as character writes are (character-writes.ts):
 * the tick that ran the command never waits for Postgres. An outage leaves the rows for a retry
 * with backoff. An entry Postgres refuses outright (bad data, not an outage) is retried a few
 * times and then dropped with an error line that carries the whole entry; nothing leaves the queue
 * unlogged. Delivery is at least once: an attempt whose answer was lost is sent again.
 */
import { asc, eq, lte } from "drizzle-orm";
import { type DatabaseSettings, DatabaseUnavailableError, withDatabase } from "../../shared/db/client";
import { sqlState } from "../../shared/db/errors";
import { auditLog } from "../../shared/db/schema";
import type { Logger } from "../../shared/log";
import type { GmAudit } from "../../shared/zone/engine";
import { retryDelayMs } from "./character-writes";
import { rawJson, readStored, type ZoneQuarantine } from "./quarantine";
import { auditWrites } from "./schema";
import type { ZoneDb } from "./store";

/** Refusals by Postgres itself (not outages) before an entry is dropped, logged whole. */
const MAX_REFUSALS = 5;
/** Entries sent per pass; the rest wait for the next (GM commands are rare: this is a bound, not a rate). */
const BATCH = 100;

/** One audit entry, as `audit_log` stores it. */
export interface AuditEntry {
  /** The GM's account; null for a session without one (a guest GM, GM_CONSOLE_FOR_GUESTS). */
  accountId: string | null;
  event: string;
  detail: Record<string, unknown>;
  /** When it happened (epoch ms): the row's `created_at`, however late it lands. */
  createdAt: number;
}

export class AuditWriter {
  private draining: Promise<void> | undefined;

  constructor(
    private readonly db: ZoneDb,
    private readonly settings: DatabaseSettings | undefined,
    private readonly log: Logger,
    private readonly quarantine: ZoneQuarantine,
  ) {}

  /** Queues an entry for Postgres (a local write: it never waits on the network). */
  enqueue(entry: AuditEntry, now: number): void {
    this.db
      .insert(auditWrites)
      .values({ ...entry, attempts: 0, nextAttemptAt: now })
      .run();
  }

  /** Entries not yet in Postgres. */
  queued(): number {
    return this.db.$client.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM audit_writes").one().n;
  }

  /** When the next attempt is due, or null with nothing queued (or no database configured). */
  nextAttemptAt(): number | null {
    if (!this.settings) return null;
    return this.db.$client.sql.exec<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM audit_writes").one()
      .at;
  }

  /** Sends every due entry; concurrent calls share one pass. */
  drain(now: number): Promise<void> {
    this.draining ??= this.drainOnce(now).finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainOnce(now: number): Promise<void> {
    if (!this.settings) return;
    const due = this.db
      .select({
        id: auditWrites.id,
        accountId: auditWrites.accountId,
        event: auditWrites.event,
        detail: rawJson(auditWrites.detail),
        createdAt: auditWrites.createdAt,
        attempts: auditWrites.attempts,
      })
      .from(auditWrites)
      .where(lte(auditWrites.nextAttemptAt, now))
      .orderBy(asc(auditWrites.id))
      .limit(BATCH)
      .all();
    const rows = due.flatMap((row) => {
      const detail = readStored(row.detail, readDetail, "audit_writes.detail");
      if (detail.ok) return [{ ...row, detail: detail.value }];
      // Kept aside whole (and logged by the quarantine): it is not lost, and it blocks nothing.
      this.quarantine.refuse("audit_writes", String(row.id), row.detail, detail.error, now);
      this.remove(row.id);
      return [];
    });
    if (rows.length === 0) return;
    let sent = 0;
    try {
      await withDatabase(this.settings, async (db) => {
        for (const row of rows) {
          const { id, accountId, event, detail, createdAt } = row;
          const values = { accountId, event, detail, createdAt: new Date(createdAt) };
          try {
            await db.insert(auditLog).values(values);
          } catch (error) {
            const state = sqlState(error);
            if (state === "23503" && accountId) {
              // The account is gone (deleted meanwhile): the entry still stands, naming it in detail.
              await db.insert(auditLog).values({ ...values, accountId: null, detail: { ...detail, accountId } });
            } else if (state?.startsWith("22") || state?.startsWith("23")) {
              this.refused(row, String(error), now);
              sent++;
              continue;
            } else throw error;
          }
          this.remove(id);
          sent++;
        }
      });
    } catch (error) {
      const level = error instanceof DatabaseUnavailableError ? "warn" : "error";
      const waiting = rows.slice(sent);
      this.log.log(level, "gm.audit_deferred", { pending: waiting.length, cause: String(error) });
      for (const row of waiting) this.retryLater(row.id, row.attempts + 1, now);
    }
  }

  /** Postgres refused the entry itself: retried a few times, then dropped with the whole entry logged. */
  private refused(row: { id: number; attempts: number } & AuditEntry, reason: string, now: number): void {
    const attempts = row.attempts + 1;
    if (attempts < MAX_REFUSALS) {
      this.log.log("warn", "gm.audit_refused", { id: row.id, attempts, reason });
      this.retryLater(row.id, attempts, now);
      return;
    }
    const { accountId, event, detail, createdAt } = row;
    const entry = { accountId, event, detail: JSON.stringify(detail), createdAt };
    this.log.log("error", "gm.audit_dropped", { reason, attempts, ...entry });
    this.remove(row.id);
  }

  private remove(id: number): void {
    this.db.delete(auditWrites).where(eq(auditWrites.id, id)).run();
  }

  private retryLater(id: number, attempts: number, now: number): void {
    this.db
      .update(auditWrites)
      .set({ attempts, nextAttemptAt: now + retryDelayMs(attempts) })
      .where(eq(auditWrites.id, id))
      .run();
  }
}

/**
 * GM commands an engine reported: each logged now (`gm.command`) and queued for Postgres under the
 * GM's account (`accountOf`; null for a session without one), then sent in the background.
 */
export function recordGmCommands(
  zone: { zoneId: string; log: Logger; audits: AuditWriter },
  entries: readonly GmAudit[],
  accountOf: (playerId: string) => string | null,
): void {
  const now = Date.now();
  for (const { gm, gmName, command, target, detail, tick } of entries) {
    const accountId = accountOf(gm);
    const record = { zone: zone.zoneId, tick, gm, gmName, command, ...(target ? { target } : {}), detail };
    // Log fields are flat: the detail goes in as its JSON text.
    const line = { ...record, detail: JSON.stringify(detail), accountId };
    zone.log.log("info", "gm.command", line);
    try {
      zone.audits.enqueue({ accountId, event: "gm_command", detail: record, createdAt: now }, now);
    } catch (cause) {
      // The zone's own SQLite refused it: the log line above is then its only record, and says so.
      zone.log.log("error", "gm.audit_dropped", { ...line, cause: String(cause) });
    }
  }
  void zone.audits.drain(now);
}

/** A stored entry's detail: a JSON object. */
function readDetail(raw: unknown) {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw)
    ? ({ ok: true, value: raw as Record<string, unknown> } as const)
    : ({ ok: false, error: "audit_writes.detail: not an object" } as const);
}
