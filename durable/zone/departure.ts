/**
 * A session leaving its zone: its socket closed or failed, it flooded, or a newer login of its
 * character displaced it. From then on the socket is not a session: the others hear it left, its
 * body leaves the world unless another socket of the character plays it, its character is queued
 * for write-back (docs/decisions.md D11) and, with no socket of it left here, let go.
 */
import type { ZoneHost } from "./host";
import { queueCharacter, SESSION_REPLACED_CLOSE } from "./players";
import type { ZonePort } from "./sessions";

/** What a departure needs of the zone. */
export type DepartingZone = Pick<
  ZoneHost,
  | "sessions"
  | "engine"
  | "engineSession"
  | "withCharacterView"
  | "apply"
  | "guards"
  | "log"
  | "zoneId"
  | "writer"
  | "roster"
  | "config"
  | "linger"
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
  const { sessions, engine, log, zoneId } = zone;
  const removed = sessions.delete(port);
  zone.guards.forget(port, { zone: zoneId, sessionId: removed?.sessionId }, Date.now());
  if (!removed) return;
  // The engine's view of the character (level, pools, place) is what gets written back.
  const session = zone.withCharacterView(removed);
  const leaving = zone.engineSession(removed);
  if (removed.helloed && engine.announcesPresence) {
    sessions.broadcast({ type: "left", sessionId: session.sessionId, name: session.name });
  }
  // The player stays only while another socket of it plays (one that said hello, or the one that
  // displaced this socket).
  const playedElsewhere = sessions.socketsOf(leaving.playerId).some((s) => s === successor || sessions.get(s)?.helloed);
  // A dropped connection (not a goodbye, not a close this zone chose) leaves the character in the
  // world, linkdead, so a reconnect within the grace resumes it (docs/architecture.md, "Reconnect").
  const dropped = code !== 1000 && code < 4000;
  if (session.character && removed.helloed && !playedElsewhere && dropped && zone.config.reconnectGraceMs > 0) {
    const now = Date.now();
    zone.linger(session, now);
    log.log("info", "disconnect", { zone: zoneId, sessionId: session.sessionId, code, linkdead: true });
    await zone.writer.drain(now);
  } else {
    zone.apply(engine.release(leaving, !playedElsewhere));
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
