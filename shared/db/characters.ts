/** Characters: ownership, a per-account limit, and versioned writes (no lost update). */
import { and, asc, count, eq, sql } from "drizzle-orm";
import { err, ok, type Result } from "../result";
import { normalizeName } from "../text/names";
import type { Database } from "./client";
import { isUniqueViolation } from "./errors";
import { accounts, characters } from "./schema";

export type Character = typeof characters.$inferSelect;
export type NewCharacter = Pick<
  typeof characters.$inferInsert,
  "name" | "class" | "str" | "dex" | "int" | "vit" | "hp" | "mp" | "zoneId"
>;

/**
 * Creates a character under its NFKC-normalized name, within the account's limit. `name_taken`
 * when another character's name is the same whatever its case, or looks the same: Postgres
 * computes the confusable skeleton into a unique column (docs/accounts.md#names).
 */
export async function createCharacter(
  db: Database,
  accountId: string,
  input: NewCharacter,
  limitPerAccount: number,
): Promise<Result<Character, "name_taken" | "limit_reached">> {
  try {
    return await db.transaction(async (tx) => {
      // Lock the account row so two concurrent creations cannot both pass the limit check.
      await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).for("update");
      const [{ value } = { value: 0 }] = await tx
        .select({ value: count() })
        .from(characters)
        .where(eq(characters.accountId, accountId));
      if (value >= limitPerAccount) return err("limit_reached" as const);
      const [row] = await tx
        .insert(characters)
        .values({ ...input, name: normalizeName(input.name), accountId })
        .returning();
      return ok(row as Character);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return err("name_taken");
    throw error;
  }
}

export async function listCharacters(db: Database, accountId: string): Promise<Character[]> {
  return db.select().from(characters).where(eq(characters.accountId, accountId)).orderBy(asc(characters.createdAt));
}

export async function findCharacter(db: Database, accountId: string, id: string): Promise<Character | undefined> {
  const [row] = await db
    .select()
    .from(characters)
    .where(and(eq(characters.id, id), eq(characters.accountId, accountId)))
    .limit(1);
  return row;
}

export async function deleteCharacter(db: Database, accountId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(characters)
    .where(and(eq(characters.id, id), eq(characters.accountId, accountId)))
    .returning({ id: characters.id });
  return rows.length > 0;
}

/** The part of a character a zone owns while the character is in it. */
export type CharacterState = Pick<
  Character,
  "level" | "xp" | "hp" | "mp" | "zoneId" | "roomId" | "x" | "y" | "playSeconds"
>;

/** The fields of a CharacterState. */
const STATE_KEYS = ["level", "xp", "hp", "mp", "zoneId", "roomId", "x", "y", "playSeconds"] as const;

/** The zone-owned part of a character and its version, as Postgres holds them now. */
export async function readCharacterState(
  db: Database,
  id: string,
): Promise<(CharacterState & { version: number }) | undefined> {
  const [row] = await db
    .select({
      level: characters.level,
      xp: characters.xp,
      hp: characters.hp,
      mp: characters.mp,
      zoneId: characters.zoneId,
      roomId: characters.roomId,
      x: characters.x,
      y: characters.y,
      playSeconds: characters.playSeconds,
      version: characters.version,
    })
    .from(characters)
    .where(eq(characters.id, id))
    .limit(1);
  return row;
}

/**
 * Whether Postgres holds exactly `sent`: `x` and `y` are stored as 4-byte floats, so they are
 * compared at that precision.
 */
export function sameCharacterState(stored: CharacterState, sent: CharacterState): boolean {
  return STATE_KEYS.every((k) =>
    k === "x" || k === "y" ? Math.fround(stored[k]) === Math.fround(sent[k]) : stored[k] === sent[k],
  );
}

/**
 * Writes `state` only if the row is still at `expectedVersion`, and bumps the version. A writer
 * holding a stale version gets `conflict` instead of overwriting a newer write.
 */
export async function saveCharacterState(
  db: Database,
  id: string,
  expectedVersion: number,
  state: CharacterState,
): Promise<Result<{ version: number }, "conflict" | "not_found">> {
  const rows = await db
    .update(characters)
    .set({ ...state, version: sql`${characters.version} + 1`, updatedAt: new Date() })
    .where(and(eq(characters.id, id), eq(characters.version, expectedVersion)))
    .returning({ version: characters.version });
  if (rows[0]) return ok({ version: rows[0].version });
  const [exists] = await db.select({ id: characters.id }).from(characters).where(eq(characters.id, id)).limit(1);
  return err(exists ? "conflict" : "not_found");
}
