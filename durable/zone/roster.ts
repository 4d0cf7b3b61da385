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
import { mudPlayerId } from "./mud";
import { queueCharacter } from "./players";
import { rawJson, readStored, type ZoneQuarantine } from "./quarantine";
import { zoneCharacters } from "./schema";
import type { SessionAttachment } from "./sessions";
import type { ZoneDurableObject } from "./zone";

export interface RosterEntry {
  character: CharacterSnapshot;
  connectedAt: number;
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

  /** A session of this character opened here; the newest one's snapshot is kept. */
  admit(character: CharacterSnapshot, connectedAt: number): void {
    const values = { characterId: character.id, character: writeRosterCharacter(character), connectedAt };
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
    const { characterId, connectedAt } = zoneCharacters;
    return this.db
      .select({ characterId, connectedAt, character: rawJson(zoneCharacters.character) })
      .from(zoneCharacters);
  }
}

/** A stored row as an entry, or why it no longer reads (it is then of no use to anyone). */
function readRow(row: { character: string | null; connectedAt: number }) {
  const read = readStored(row.character, readRosterCharacter, "zone_characters.character");
  return read.ok ? { ok: true as const, value: { character: read.value, connectedAt: row.connectedAt } } : read;
}

/** What settling needs of the zone. */
export type SettlingZone = Pick<
  ZoneDurableObject,
  "sessions" | "roster" | "writer" | "mud" | "field" | "log" | "zoneId"
>;

/**
 * After the zone (re)loads, before it serves anything: every character it held without a socket
 * now (its process died with its sockets) is queued for write-back with the world's view of it,
 * removed from the roster and released in the directory; every player without a greeted socket
 * leaves the MUD world or the field. Idempotent: a second load finds nothing left to settle. Never
 * throws: a zone that cannot settle still serves, and says why.
 */
export async function settleAbsentCharacters(
  zone: SettlingZone,
  /** When the zone last saved its state before this load: the lost sessions' play time counts to then. */
  lastAliveAt: number,
  /** Tells the directory the character no longer plays in this zone. */
  release: (characterId: string) => Promise<void>,
): Promise<void> {
  const { sessions, roster, writer, mud, field, log, zoneId } = zone;
  const released: string[] = [];
  try {
    const withSocket = new Set(sessions.entries().map(([, s]) => mudPlayerId(s)));
    // A row that no longer parses has nothing to write back; kept, it would hold the character
    // here for good. One with a live socket is rewritten from that session.
    for (const { characterId, text, reason } of roster.unreadable()) {
      const live = sessions.entries().find(([, s]) => s.character?.id === characterId)?.[1];
      if (live?.character) {
        roster.admit(live.character, live.connectedAt);
        continue;
      }
      log.log("error", "zone.roster_unreadable", { zone: zoneId, characterId, reason });
      roster.quarantine.keep("zone_characters", characterId, text, reason, Date.now());
      roster.remove(characterId);
      released.push(characterId);
    }
    for (const { character, connectedAt } of roster.all()) {
      if (withSocket.has(character.id)) continue;
      const lost: SessionAttachment = {
        v: 1,
        sessionId: `restored-${character.id}`,
        name: character.name,
        helloed: true,
        connectedAt,
        requestId: "restore",
        character,
      };
      // The world's view (room, pools, level, position) is newer than the snapshot it came in with.
      const state = mud?.withWorldState(lost) ?? field?.withFieldState(lost) ?? lost;
      queueCharacter(writer, state, Math.max(connectedAt, lastAliveAt));
      roster.remove(character.id);
      released.push(character.id);
    }
    // Only now may bodies leave: the write-back above read them.
    field?.reconcile(sessions);
    if (mud) {
      mud.deliver(sessions, mud.leaveAbsent(new Set(sessions.helloed().map(mudPlayerId))));
      mud.saveIfDirty(Date.now());
    }
  } catch (cause) {
    log.log("error", "zone.settle_failed", { zone: zoneId, cause: String(cause) });
  }
  if (!released.length) return;
  log.log("warn", "zone.characters_settled", { zone: zoneId, characters: released.length });
  for (const id of released) await release(id).catch(() => {});
  void writer.drain(Date.now());
}
