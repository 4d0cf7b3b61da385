/**
 * The content pack's versions in Postgres (docs/admin.md, "Content"): read the current one, write
 * the next one with its audit row in one transaction, list and read history. A realm with no row
 * runs the pack bundled with the deployment, which the caller treats as version 0.
 */
import { and, desc, eq } from "drizzle-orm";
import type { PackFile } from "../content/edit";
import type { Database } from "./client";
import { isUniqueViolation } from "./errors";
import { auditLog, contentVersions } from "./schema";

/** One stored version of the pack. */
export interface StoredContent {
  version: number;
  packId: string;
  files: PackFile[];
  change: string;
  accountId: string | null;
  createdAt: Date;
}

/** The newest version of the realm's pack, or undefined when builders never changed it. */
export async function currentContent(db: Database, realm: string): Promise<StoredContent | undefined> {
  const [row] = await db
    .select()
    .from(contentVersions)
    .where(eq(contentVersions.realm, realm))
    .orderBy(desc(contentVersions.version))
    .limit(1);
  return row && fromRow(row);
}

/** One version of the realm's pack, or undefined. */
export async function contentVersion(db: Database, realm: string, version: number): Promise<StoredContent | undefined> {
  const [row] = await db
    .select()
    .from(contentVersions)
    .where(and(eq(contentVersions.realm, realm), eq(contentVersions.version, version)))
    .limit(1);
  return row && fromRow(row);
}

/** The history, newest first, without the files. */
export async function contentHistory(db: Database, realm: string, limit: number) {
  return db
    .select({
      version: contentVersions.version,
      packId: contentVersions.packId,
      change: contentVersions.change,
      accountId: contentVersions.accountId,
      createdAt: contentVersions.createdAt,
    })
    .from(contentVersions)
    .where(eq(contentVersions.realm, realm))
    .orderBy(desc(contentVersions.version))
    .limit(limit);
}

/** What a change writes: the next version and who made it, for the version row and the audit row. */
export interface ContentWrite {
  realm: string;
  version: number;
  packId: string;
  files: PackFile[];
  change: string;
  accountId: string;
  ip: string | null;
  /** What the audit row says beyond the version: which ids changed. */
  detail: Record<string, unknown>;
}

/**
 * Writes version `write.version` and its audit row in one transaction. Returns false when that
 * version exists already: another change got there first (the caller answers 409).
 */
export async function writeContent(db: Database, write: ContentWrite): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      await tx.insert(contentVersions).values({
        realm: write.realm,
        version: write.version,
        packId: write.packId,
        files: write.files,
        change: write.change,
        accountId: write.accountId,
      });
      await tx.insert(auditLog).values({
        event: "content_changed",
        accountId: write.accountId,
        ip: write.ip,
        detail: { realm: write.realm, version: write.version, change: write.change, ...write.detail },
      });
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

function fromRow(row: typeof contentVersions.$inferSelect): StoredContent {
  return {
    version: row.version,
    packId: row.packId,
    files: row.files,
    change: row.change,
    accountId: row.accountId,
    createdAt: row.createdAt,
  };
}
