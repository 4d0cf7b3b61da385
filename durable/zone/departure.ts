/**
 * A session leaving its zone: its socket closed or failed, it flooded, or a newer login of its
 * character displaced it. From then on the socket is not a session: the others hear it left, its
 * body leaves the world unless another socket of the character plays it, its character is queued
 * for write-back (docs/decisions.md D11) and, with no socket of it left here, let go.
 */
import { mudPlayerId } from "./mud";
import { queueCharacter, SESSION_REPLACED_CLOSE } from "./players";
import type { ZonePort } from "./sessions";
import type { ZoneDurableObject } from "./zone";

/** What a departure needs of the zone. */
export type DepartingZone = Pick<
  ZoneDurableObject,
  "sessions" | "mud" | "field" | "guards" | "log" | "zoneId" | "writer" | "roster"
>;

/** The zone's own means a departure uses: its realm's directory, and going to sleep when empty. */
export interface ZoneExits {
  directory(): ReturnType<Cloudflare.Env["DIRECTORY"]["getByName"]>;
  sleep(): Promise<void>;
}

/**
 * Detaches `port`; a socket no longer (or never) a session is only forgotten. `successor` is the
 * socket that displaced this one: the body stays for it, and it takes the body over at hello.
 */
export async function detachSession(
  zone: DepartingZone,
  exits: ZoneExits,
  port: ZonePort,
  code: number,
  successor?: ZonePort,
): Promise<void> {
  const { sessions, mud, field, log, zoneId } = zone;
  const removed = sessions.delete(port);
  // The world's view of the character (level, pools, room) is what gets written back.
  const session = removed && (mud?.withWorldState(removed) ?? field?.withFieldState(removed) ?? removed);
  zone.guards.forget(port, { zone: zoneId, sessionId: removed?.sessionId }, Date.now());
  field?.forget(port);
  if (!session) return;
  if (session.helloed && !field) {
    sessions.broadcast({ type: "left", sessionId: session.sessionId, name: session.name });
  }
  if (session.helloed && mud && !sessions.socketsOf(mudPlayerId(session)).length) {
    mud.deliver(sessions, mud.leave(session));
  }
  // The body stays only while another socket of this character plays it (one that said hello, or
  // the one that displaced this socket).
  const playedElsewhere = sessions
    .socketsOf(mudPlayerId(session))
    .some((s) => s === successor || sessions.get(s)?.helloed);
  if (field && !playedElsewhere) field.leave(session);
  log.log("info", "disconnect", { zone: zoneId, sessionId: session.sessionId, code, players: sessions.size });
  if (session.character) {
    const now = Date.now();
    queueCharacter(zone.writer, session, now);
    // A newer socket of this character here (it displaced this one) keeps its place and its claim.
    if (!sessions.socketsOf(session.character.id).length) {
      zone.roster.remove(session.character.id);
      await exits
        .directory()
        .releaseCharacter(session.character.id, zoneId)
        .catch(() => {});
    }
    await zone.writer.drain(now);
  }
  await exits
    .directory()
    .release(zoneId)
    .catch((cause) => log.log("warn", "directory.release_failed", { zone: zoneId, cause: String(cause) }));
  if (sessions.size === 0) await exits.sleep();
}

/**
 * A socket displaced by a newer session of its character is gone for the zone at once, as a
 * flooder is: its close handshake may take long or never finish, and meanwhile it must neither act
 * nor hold the character here. Not awaited: the new session need not wait for the old one's write.
 */
export function detachDisplaced(zone: DepartingZone, exits: ZoneExits, port: ZonePort, successor?: ZonePort): void {
  detachSession(zone, exits, port, SESSION_REPLACED_CLOSE, successor).catch((cause) =>
    zone.log.log("error", "zone.detach_failed", { zone: zone.zoneId, cause: String(cause) }),
  );
}
