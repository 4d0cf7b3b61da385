/**
 * The characters a zone holds, kept in its SQLite so that a crash that kills every socket does not
 * leave them behind as ghosts. On load the zone settles each character it held whose socket is gone:
 * its state is queued for Postgres (docs/decisions.md D11), the directory lets it go, and it leaves
 * the world, so nobody sees, targets or fights it.
 */
import { eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { readRosterCharacter, writeRosterCharacter } from "../../shared/db/persisted";
import type { CharacterSnapshot } from "../../shared/protocol/character";
import { rawJson, readStored, type ZoneQuarantine } from "./quarantine";
import { zoneCharacters } from "./schema";

export interface RosterEntry {
  character: CharacterSnapshot;
  connectedAt: number;
  /** While linkdead: until when the character stays in the world without a connection. */
  linkdeadUntil: number | null;
}

/** A roster row that no longer reads, with its stored text and why (roster rows are versioned JSON). */
export interface UnreadableEntry {
  characterId: string;
  text: string | null;
  reason: string;
}

export class CharacterRoster {
  constructor(
    private readonly db: DrizzleSqliteDODatabase,
    /** Where a row that no longer reads is kept when it is removed. */
    readonly quarantine: ZoneQuarantine,
  ) {}

  /** A session of this character opened here; the newest one's snapshot is kept (no longer linkdead). */
  admit(character: CharacterSnapshot, connectedAt: number): void {
    const values = {
      characterId: character.id,
      character: writeRosterCharacter(character),
      connectedAt,
      linkdeadUntil: null,
    };
    this.db
      .insert(zoneCharacters)
      .values(values)
      .onConflictDoUpdate({ target: zoneCharacters.characterId, set: values })
      .run();
  }

  /** A write landed: the character's next write expects `version`. */
  adoptVersion(characterId: string, version: number): void {
    const entry = this.get(characterId);
    if (!entry) return;
    this.db
      .update(zoneCharacters)
      .set({ character: writeRosterCharacter({ ...entry.character, version }) })
      .where(eq(zoneCharacters.characterId, characterId))
      .run();
  }

  /** The character's connection dropped: it stays in the world, linkdead, until `until`. */
  linkdead(character: CharacterSnapshot, connectedAt: number, until: number): void {
    this.admit(character, connectedAt);
    this.db
      .update(zoneCharacters)
      .set({ linkdeadUntil: until })
      .where(eq(zoneCharacters.characterId, character.id))
      .run();
  }

  /** The character's last session here closed (its state is queued). */
  remove(characterId: string): void {
    this.db.delete(zoneCharacters).where(eq(zoneCharacters.characterId, characterId)).run();
  }

  get(characterId: string): RosterEntry | undefined {
    const row = this.rows().where(eq(zoneCharacters.characterId, characterId)).get();
    const read = row && readRow(row);
    return read?.ok ? read.value : undefined;
  }

  all(): RosterEntry[] {
    return this.rows()
      .all()
      .flatMap((row) => {
        const read = readRow(row);
        return read.ok ? [read.value] : [];
      });
  }

  /** The rows that no longer read (`all` skips them), with why. */
  unreadable(): UnreadableEntry[] {
    return this.rows()
      .all()
      .flatMap((row) => {
        const read = readRow(row);
        return read.ok ? [] : [{ characterId: row.characterId, text: row.character, reason: read.error }];
      });
  }

  private rows() {
    const { characterId, connectedAt, linkdeadUntil } = zoneCharacters;
    return this.db
      .select({ characterId, connectedAt, linkdeadUntil, character: rawJson(zoneCharacters.character) })
      .from(zoneCharacters);
  }
}

/** A stored row as an entry, or why it no longer reads (it is then of no use to anyone). */
function readRow(row: { character: string | null; connectedAt: number; linkdeadUntil: number | null }) {
  const read = readStored(row.character, readRosterCharacter, "zone_characters.character");
  if (!read.ok) return read;
  const { connectedAt, linkdeadUntil } = row;
  return { ok: true as const, value: { character: read.value, connectedAt, linkdeadUntil } };
}
