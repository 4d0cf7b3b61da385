/** Accounts and the security audit log. */
import { eq, sql } from "drizzle-orm";
import type { Role } from "../auth/jwt";
import { err, ok, type Result } from "../result";
import type { Database } from "./client";
import { isUniqueViolation } from "./errors";
import { accounts, auditLog } from "./schema";

export type Account = typeof accounts.$inferSelect;

export async function createAccount(
  db: Database,
  input: { username: string; passwordHash: string; roles?: Role[] },
): Promise<Result<Account, "username_taken">> {
  try {
    const [row] = await db
      .insert(accounts)
      .values({ username: input.username, passwordHash: input.passwordHash, roles: input.roles ?? ["player"] })
      .returning();
    return ok(row as Account);
  } catch (error) {
    if (isUniqueViolation(error)) return err("username_taken");
    throw error;
  }
}

/** Case-insensitive lookup (usernames are unique on lower(username)). */
export async function findAccountByUsername(db: Database, username: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(sql`lower(${accounts.username}) = lower(${username})`).limit(1);
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
  | "character_deleted";

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
