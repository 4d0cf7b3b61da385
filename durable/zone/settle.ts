/**
 * Settling a zone that (re)loaded: the characters its roster (roster.ts) held whose sockets died
 * with the process are written back, let go and leave the engine's world, so nobody sees, targets
 * or fights a ghost.
 */
import type { ZoneHost } from "./host";
import { queueCharacter } from "./players";
import type { SessionAttachment } from "./sessions";

/** What settling needs of the zone. */
export type SettlingZone = Pick<
  ZoneHost,
  | "sessions"
  | "roster"
  | "writer"
  | "engine"
  | "engineSession"
  | "withCharacterView"
  | "apply"
  | "log"
  | "zoneId"
  | "linkdead"
>;

/**
 * After the zone (re)loads, before it serves anything: every character it held without a socket
 * now (its process died with its sockets) is queued for write-back with the world's view of it,
 * removed from the roster and released in the directory; every player without a greeted socket
 * leaves the engine's world (a MUD's rooms, a field). Idempotent: a second load finds nothing left to settle. Never
 * throws: a zone that cannot settle still serves, and says why.
 */
export async function settleAbsentCharacters(
  zone: SettlingZone,
  /** When the zone last saved its state before this load: the lost sessions' play time counts to then. */
  lastAliveAt: number,
  /** Tells the directory the character no longer plays in this zone. */
  release: (characterId: string) => Promise<void>,
): Promise<void> {
  const { sessions, roster, writer, engine, log, zoneId } = zone;
  const released: string[] = [];
  try {
    const withSocket = new Set(sessions.entries().map(([, s]) => zone.engineSession(s).playerId));
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
    const now = Date.now();
    const lingering: SessionAttachment[] = [];
    for (const { character, connectedAt, linkdeadUntil } of roster.all()) {
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
      // Linkdead and still within its grace: it stays in the world, to be resumed or let go then.
      if (linkdeadUntil !== null && linkdeadUntil > now) {
        zone.linkdead.set(character.id, { session: lost, until: linkdeadUntil });
        lingering.push(lost);
        continue;
      }
      // The engine's view (room, pools, level, position) is newer than the snapshot it came in with.
      const state = zone.withCharacterView(lost);
      queueCharacter(writer, state, Math.max(connectedAt, lastAliveAt));
      roster.remove(character.id);
      released.push(character.id);
    }
    // Only now may bodies leave: the write-back above read them. Settling is committed at once.
    const present = [...sessions.helloed(), ...lingering].map((s) => zone.engineSession(s));
    const settled = engine.settle(present);
    zone.apply({ ...settled, critical: true });
  } catch (cause) {
    log.log("error", "zone.settle_failed", { zone: zoneId, cause: String(cause) });
  }
  if (!released.length) return;
  log.log("warn", "zone.characters_settled", { zone: zoneId, characters: released.length });
  for (const id of released) await release(id).catch(() => {});
  void writer.drain(Date.now());
}
