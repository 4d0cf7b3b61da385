/**
 * Checks that make revocation reach live access: an access token is stateless for 15 minutes, so
 * every route that reads Postgres anyway also asks whether the login behind the token still stands.
 */
import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { Database } from "./client";
import { accounts, auditLog, refreshTokens } from "./schema";

export type SessionProblem = "revoked" | "disabled" | "unknown_account";

/**
 * Whether the login family `familyId` of `accountId` is still live and the account enabled.
 * One query: the account row joined with any revoked token of the family.
 */
export async function checkLoginFamily(
  db: Database,
  accountId: string,
  familyId: string,
): Promise<SessionProblem | undefined> {
  const [row] = await db
    .select({
      disabled: accounts.disabled,
      revoked: sql<boolean>`exists (select 1 from ${refreshTokens} where ${and(
        eq(refreshTokens.familyId, familyId),
        eq(refreshTokens.accountId, accountId),
        isNotNull(refreshTokens.revokedAt),
      )})`,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .limit(1);
  if (!row) return "unknown_account";
  if (row.disabled) return "disabled";
  if (row.revoked) return "revoked";
  return undefined;
}

/** Has `accountId` logged in successfully from `ip` since `since`? (Known addresses skip the username-wide login throttle.) */
export async function loggedInFrom(db: Database, accountId: string, ip: string, since: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.accountId, accountId),
        eq(auditLog.event, "login"),
        eq(auditLog.ip, ip),
        gt(auditLog.createdAt, since),
      ),
    )
    .limit(1);
  return row !== undefined;
}
