/** Accounts and the security audit log. */
import { eq, sql } from "drizzle-orm";
import type { Role } from "../auth/jwt";
import { err, ok, type Result } from "../result";
import { normalizeName } from "../text/names";
import type { Database } from "./client";
import { isUniqueViolation } from "./errors";
import { accounts, auditLog } from "./schema";

export type Account = typeof accounts.$inferSelect;

/**
 * Creates an account under the NFKC-normalized username. `username_taken` when another account's
 * username is the same whatever its case, or looks the same: Postgres computes the confusable
 * skeleton into a unique column (docs/accounts.md#names), so `adrnin` is refused beside `admin`.
 */
export async function createAccount(
  db: Database,
  input: { username: string; passwordHash: string; roles?: Role[] },
): Promise<Result<Account, "username_taken">> {
  try {
    const [row] = await db
      .insert(accounts)
      .values({
        username: normalizeName(input.username),
        passwordHash: input.passwordHash,
        roles: input.roles ?? ["player"],
      })
      .returning();
    return ok(row as Account);
  } catch (error) {
    if (isUniqueViolation(error)) return err("username_taken");
    throw error;
  }
}

/**
 * Case-insensitive lookup of the normalized username (usernames are unique on lower(username)).
 * Not by skeleton: a look-alike of a username is a different, unregistrable, username.
 */
export async function findAccountByUsername(db: Database, username: string): Promise<Account | undefined> {
  const wanted = normalizeName(username);
  const [row] = await db.select().from(accounts).where(sql`lower(${accounts.username}) = lower(${wanted})`).limit(1);
  return row;
}

export async function findAccountById(db: Database, id: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return row;
}

export async function setRoles(db: Database, id: string, roles: Role[]): Promise<void> {
  await db.update(accounts).set({ roles, updatedAt: new Date() }).where(eq(accounts.id, id));
}

export type AuditEvent =
  | "register"
  | "login"
  | "login_failed"
  | "refresh"
  | "refresh_reuse"
  | "logout"
  | "character_created"
  | "character_deleted"
  /** A GM command run in a MUD zone, written by the zone (durable/zone/audit.ts). */
  | "gm_command"
  /** An admin asked a zone to record, or downloaded a recording (workers/gateway/routes/admin-recordings.ts). */
  | "recording_requested"
  | "recording_downloaded";

export async function audit(
  db: Database,
  entry: { event: AuditEvent; accountId?: string | null; ip?: string | null; detail?: Record<string, unknown> },
): Promise<void> {
  await db.insert(auditLog).values({
    event: entry.event,
    accountId: entry.accountId ?? null,
    ip: entry.ip ?? null,
    detail: entry.detail ?? {},
  });
}
