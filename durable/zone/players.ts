/**
 * What a zone does for sessions that play a character: one live session per character, the
 * character's state as the zone sees it, and handing that state to the write-back queue.
 */
import type { CharacterState } from "../../shared/db/characters";
import { CHARACTER_HEADER, CharacterSnapshot } from "../../shared/protocol/character";
import type { CharacterWriter } from "./character-writes";
import { type SessionAttachment, type SessionTable, send, type ZonePort } from "./sessions";

/** Close code for a session displaced by a newer login of the same character. */
export const SESSION_REPLACED_CLOSE = 4001;

/** Reads the character the gateway attached to an upgrade; undefined for guests, error if mangled. */
export function characterFromRequest(request: Request): CharacterSnapshot | undefined | Error {
  const raw = request.headers.get(CHARACTER_HEADER);
  if (!raw) return undefined;
  try {
    const parsed = CharacterSnapshot.safeParse(JSON.parse(decodeURIComponent(raw)));
    return parsed.success ? parsed.data : new Error(`bad character snapshot: ${parsed.error.issues[0]?.message}`);
  } catch (cause) {
    return new Error("character header is not JSON", { cause });
  }
}

/**
 * A returning player resumes from the newest state this zone holds: a queued (not yet written) one,
 * or a write that landed after the gateway read the character for the ticket; never from a queued
 * write older than what the gateway read (the writer drops that one).
 */
export function withPendingState(character: CharacterSnapshot, writer: CharacterWriter): CharacterSnapshot {
  const newer = writer.newerThan(character.id, character);
  return newer ? { ...character, ...newer.state, version: newer.version } : character;
}

/** The character's state as of `now`: play time accrues while the session is open. */
export function currentState(
  session: Pick<SessionAttachment, "character" | "connectedAt">,
  now: number,
): CharacterState | undefined {
  const c = session.character;
  if (!c) return undefined;
  return {
    level: c.level,
    xp: c.xp,
    hp: c.hp,
    mp: c.mp,
    zoneId: c.zoneId,
    roomId: c.roomId,
    x: c.x,
    y: c.y,
    playSeconds: c.playSeconds + Math.max(0, Math.floor((now - session.connectedAt) / 1000)),
  };
}

/**
 * Queues a write of the session's character as of `now`; false for guests, and for a character this
 * zone is handing over (its write went with it: see `CharacterWriter.enqueue`).
 */
export function queueCharacter(writer: CharacterWriter, session: SessionAttachment, now: number): boolean {
  const state = currentState(session, now);
  if (!state || !session.character) return false;
  return writer.enqueue({ characterId: session.character.id, version: session.character.version, state }, now);
}

/** Queues a write of every connected character's state. */
export function queueAll(sessions: SessionTable, writer: CharacterWriter, now: number): number {
  let queued = 0;
  for (const [, session] of sessions.entries()) if (queueCharacter(writer, session, now)) queued++;
  return queued;
}

/**
 * Closes every other session of `characterId` here, telling it why, and returns their sockets: the
 * caller detaches them at once, since a close handshake may take long or never finish.
 */
export function displaceCharacter(sessions: SessionTable, characterId: string, keep?: ZonePort): ZonePort[] {
  const displaced: ZonePort[] = [];
  for (const port of sessions.socketsOf(characterId)) {
    if (port === keep) continue;
    send(port, {
      type: "error",
      code: "session_replaced",
      message: "this character logged in from another session; this one is closed",
    });
    port.close(SESSION_REPLACED_CLOSE, "logged in elsewhere");
    displaced.push(port);
  }
  return displaced;
}

/** After a write landed, live sessions of that character build on the new version. */
export function adoptVersion(sessions: SessionTable, characterId: string, version: number): void {
  for (const port of sessions.socketsOf(characterId)) {
    const session = sessions.get(port);
    if (session?.character) sessions.set(port, { ...session, character: { ...session.character, version } });
  }
}
