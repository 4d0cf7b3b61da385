/**
 * The redeemed-ticket ledger in the directory's SQLite: a ticket id can be redeemed once.
 * Rows are kept until the ticket would have expired anyway, then pruned.
 */
export type TicketStorage = { sql: Pick<SqlStorage, "exec"> };

export class TicketLedger {
  constructor(private readonly storage: TicketStorage) {
    storage.sql.exec("CREATE TABLE IF NOT EXISTS redeemed_tickets (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
  }

  /** True the first time `jti` is redeemed, false on every replay. */
  redeem(jti: string, expiresAtMs: number, now: number): boolean {
    this.storage.sql.exec("DELETE FROM redeemed_tickets WHERE expires_at < ?", now);
    const cursor = this.storage.sql.exec(
      "INSERT INTO redeemed_tickets (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING RETURNING jti",
      jti,
      expiresAtMs,
    );
    return cursor.toArray().length === 1;
  }

  /** Whether `jti` was redeemed already (a look that spends nothing). */
  isRedeemed(jti: string): boolean {
    return this.storage.sql.exec("SELECT 1 FROM redeemed_tickets WHERE jti = ?", jti).toArray().length > 0;
  }

  /**
   * Gives a redeemed ticket back, for a redemption the server could not complete (the zone was
   * full or failed): only a successful upgrade, or the client's own fault, spends a ticket.
   */
  restore(jti: string): void {
    this.storage.sql.exec("DELETE FROM redeemed_tickets WHERE jti = ?", jti);
  }
}
