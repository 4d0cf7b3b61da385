/**
 * A player's WebSocket arriving at its zone (forwarded by the gateway with the character it plays):
 * the directory admits it, an older session of the same character here is displaced, and the
 * directory is asked where else the character plays so that zone lets it go (one live session per
 * character, docs/decisions.md D11).
 */
import { zoneObjectName } from "../../shared/config";
import { type DepartingZone, detachDisplaced, type ZoneExits } from "./departure";
import type { HandOffs } from "./handoff";
import type { ZoneHost } from "./host";
import { characterFromRequest, displaceCharacter, withPendingState } from "./players";
import type { SessionAttachment, ZonePort } from "./sessions";

/** What accepting a connection needs of the zone object. */
export interface Acceptor {
  /** Accepts the server end of a new pair (hibernatable) and returns its port. */
  accept(server: WebSocket): ZonePort;
  /** The zone object holding `zoneId` in this realm, to tell it a character left for here. */
  zone(name: string): { kickCharacter(characterId: string): Promise<unknown> };
}

export async function acceptConnection(
  host: ZoneHost & DepartingZone,
  exits: ZoneExits,
  acceptor: Acceptor,
  request: Request,
  handoffs: HandOffs,
): Promise<Response> {
  const { log, zoneId, sessions } = host;
  if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
    return Response.json({ error: "upgrade_required", message: "expected a WebSocket upgrade" }, { status: 426 });
  }
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  let character = characterFromRequest(request);
  if (character instanceof Error) {
    log.log("error", "connect.bad_character", { zone: zoneId, requestId, cause: character.message });
    return Response.json({ error: "bad_request", message: "malformed session" }, { status: 400 });
  }
  // A character this zone is still handing over lives nowhere yet: finish that first, and send the
  // client back through the gateway, which then finds it where it went (its ticket is not spent).
  const owed = character && handoffs.owedFor(character.id);
  if (owed) {
    await handoffs.deliver(owed.transferId);
    const message = `${owed.character.name} is on the way to ${owed.to.zoneId}; try again in a moment`;
    return Response.json({ error: "travelling", message }, { status: 503, headers: { "Retry-After": "1" } });
  }
  const admission = await exits.directory().admit(zoneId);
  if (!admission.ok) {
    log.log("warn", "connect.refused", { zone: zoneId, requestId, reason: admission.reason });
    return Response.json(
      { error: "server_full", message: admission.reason },
      { status: 503, headers: { "Retry-After": "5" } },
    );
  }
  const now = Date.now();
  if (character) {
    // Queue what an older session of this character has so far, then resume from the newest state.
    for (const port of sessions.socketsOf(character.id)) host.queueSession(port, now);
    character = withPendingState(character, host.writer);
  }
  // An empty zone first catches up the time nobody was here, exactly, before anyone sees it.
  if (sessions.size === 0) host.advance(now);
  const { 0: client, 1: server } = new WebSocketPair();
  const port = acceptor.accept(server);
  const sessionId = crypto.randomUUID();
  const session: SessionAttachment = {
    v: 1,
    sessionId,
    name: character?.name ?? `guest-${sessionId.slice(0, 4)}`,
    helloed: false,
    connectedAt: now,
    requestId,
    character,
  };
  sessions.set(port, session);
  if (character) {
    // Back within its grace: the character is in the world still, and this session resumes it.
    host.linkdead.delete(character.id);
    host.roster.admit(character, now);
    await claimCharacter(host, exits, acceptor, character.id, port);
  }
  host.cadence.start();
  log.log("info", "connect", { zone: zoneId, sessionId, requestId, players: sessions.size });
  return new Response(null, { status: 101, webSocket: client });
}

/** One live session per character: displace any here, and ask the directory where else it plays. */
async function claimCharacter(
  host: ZoneHost & DepartingZone,
  exits: ZoneExits,
  acceptor: Acceptor,
  characterId: string,
  keep: ZonePort,
): Promise<void> {
  for (const port of displaceCharacter(host.sessions, characterId, keep)) detachDisplaced(host, exits, port, keep);
  const previous = await exits
    .directory()
    .claimCharacter(characterId, host.zoneId)
    .catch(() => null);
  if (!previous) return;
  try {
    await acceptor.zone(zoneObjectName(host.config.realm, previous)).kickCharacter(characterId);
  } catch (cause) {
    host.log.log("warn", "character.kick_failed", { characterId, cause: String(cause) });
  }
}
