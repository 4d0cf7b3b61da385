/**
 * Stored payloads that no longer read are kept aside here, never half-loaded and never silently
 * dropped: a corrupt MUD world or field is set aside and the zone starts that engine from content;
 * a corrupt queued character write is kept and not sent (docs/architecture.md, "Versioned state").
 */
import { sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { Logger } from "../../shared/log";
import { err, type Result } from "../../shared/result";
import { zoneQuarantine } from "./schema";

/** The rows whose payloads a zone may set aside: an engine's state (by its kind's `stateName`) or the zone's own. */
export type QuarantineSource = string;

/** A JSON column as the driver returns it (text), so that text which is no JSON cannot throw in a select. */
export const rawJson = (column: Parameters<typeof sql>[1]) => sql<string | null>`${column}`;

/** Parses stored JSON text, then reads it with `read`; the error says what is wrong. */
export function readStored<T>(
  text: string | null,
  read: (raw: unknown) => Result<T, string>,
  name: string,
): Result<T, string> {
  if (text === null) return read(null);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err(`${name}: not JSON`);
  }
  return read(raw);
}

export class ZoneQuarantine {
  constructor(
    private readonly db: DrizzleSqliteDODatabase,
    private readonly log: Logger,
    private readonly zoneId: () => string,
  ) {}

  /** Keeps `text` aside with the reason, and says so in one error line naming the row. */
  refuse(source: QuarantineSource, key: string, text: string | null, reason: string, now: number): void {
    this.keep(source, key, text, reason, now);
    this.log.log("error", "zone.row_refused", { zone: this.zoneId(), source, key, reason });
  }

  /** Keeps `text` aside with the reason, for a caller that logs the refusal itself. */
  keep(source: QuarantineSource, key: string, text: string | null, reason: string, now: number): void {
    this.db.insert(zoneQuarantine).values({ source, key, payload: text, reason, quarantinedAt: now }).run();
  }

  /** What was set aside, oldest first (for tests and operators). */
  entries() {
    return this.db
      .select({ source: zoneQuarantine.source, key: zoneQuarantine.key, reason: zoneQuarantine.reason })
      .from(zoneQuarantine)
      .all();
  }
}
