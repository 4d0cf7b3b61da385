/**
 * Refresh tokens: opaque random strings, stored only as SHA-256. Each use rotates the token
 * within its family; presenting an already-used token means it leaked, so the whole family
 * (every session descended from that login) is revoked.
 */
import { and, eq, isNull } from "drizzle-orm";
import { randomBytes, sha256, toBase64Url } from "../auth/encoding";
import { err, ok, type Result } from "../result";
import type { Database } from "./client";
import { refreshTokens } from "./schema";

export const REFRESH_TTL_SECONDS = 30 * 24 * 3600;

export type RefreshError = "invalid" | "expired" | "reused";

export async function issueRefreshToken(
  db: Database,
  accountId: string,
  now: Date,
  familyId: string = crypto.randomUUID(),
): Promise<string> {
  const token = toBase64Url(randomBytes(32));
  await db.insert(refreshTokens).values({
    accountId,
    familyId,
    tokenHash: await sha256(token),
    expiresAt: new Date(now.getTime() + REFRESH_TTL_SECONDS * 1000),
  });
  return token;
}

/** Spends `token` and returns its successor, atomically (row lock on the presented token). */
export async function rotateRefreshToken(
  db: Database,
  token: string,
  now: Date,
): Promise<Result<{ accountId: string; token: string; familyId: string }, RefreshError>> {
  const hash = await sha256(token);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hash)).for("update").limit(1);
    if (!row || row.revokedAt) return err("invalid");
    if (row.usedAt) {
      await tx
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
      return err("reused");
    }
    if (row.expiresAt.getTime() <= now.getTime()) return err("expired");
    await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.id, row.id));
    const next = toBase64Url(randomBytes(32));
    await tx.insert(refreshTokens).values({
      accountId: row.accountId,
      familyId: row.familyId,
      tokenHash: await sha256(next),
      expiresAt: new Date(now.getTime() + REFRESH_TTL_SECONDS * 1000),
    });
    return ok({ accountId: row.accountId, token: next, familyId: row.familyId });
  });
}

/** Logout: revokes the family of `token`. Unknown tokens are ignored (logout is idempotent). */
export async function revokeFamilyOf(db: Database, token: string, now: Date): Promise<string | undefined> {
  const [row] = await db
    .select({ familyId: refreshTokens.familyId, accountId: refreshTokens.accountId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256(token)))
    .limit(1);
  if (!row) return undefined;
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, row.familyId), isNull(refreshTokens.revokedAt)));
  return row.accountId;
}
