/**
 * Answers each validated client message. The switch is exhaustive over the closed set of
 * protocol message types: the base protocol every zone speaks (hello, ping, say, who) is answered
 * here, everything else goes to the zone's engine (shared/zone/engine.ts).
 */
import { languageOf, SOURCE_LANGUAGE } from "../../shared/i18n/languages";
import { observe } from "../../shared/metrics/histogram";
import type { CharacterSnapshot } from "../../shared/protocol/character";
import type { ProtocolError } from "../../shared/protocol/errors";
import type { ClientMessage } from "../../shared/protocol/messages";
import { PROTOCOL_VERSION, SUPPORTED_PROTOCOLS, snapshotEncodingFor } from "../../shared/protocol/version";
import { nameSkeleton } from "../../shared/text/names";
import { chat } from "../../shared/zone/chat";
import type { ZoneHost } from "./host";
import { isPartyLine } from "./party";
import { deliver, type SessionAttachment, send, type ZonePort } from "./sessions";

/** How many chat lines a newcomer receives in `welcome`. */
export const RECENT_SAID_IN_WELCOME = 20;

/**
 * Sends a typed error to this session only and counts it; the socket stays open. The log gets the
 * socket's first refusal and then summaries (durable/zone/flood.ts), not a line per frame.
 */
export function reject(zone: ZoneHost, port: ZonePort, session: SessionAttachment, error: ProtocolError): void {
  zone.metrics.countError(error.code);
  zone.guards.logRefusal(port, { zone: zone.zoneId, sessionId: session.sessionId }, error, Date.now());
  send(port, { type: "error", ...error });
}

export function handleClientMessage(
  zone: ZoneHost,
  port: ZonePort,
  session: SessionAttachment,
  message: ClientMessage,
  now: number,
): void {
  switch (message.type) {
    case "hello": {
      if (!SUPPORTED_PROTOCOLS.includes(message.protocol)) {
        reject(zone, port, session, {
          code: "protocol_mismatch",
          field: "protocol",
          message: `this server speaks protocols ${SUPPORTED_PROTOCOLS.join(" and ")} (newest ${PROTOCOL_VERSION}); you sent ${message.protocol}. Update the client.`,
        });
        return;
      }
      if (session.helloed) {
        reject(zone, port, session, {
          code: "invalid",
          field: "type",
          message: "hello was already accepted on this socket",
        });
        return;
      }
      // A guest may not take a name, or a look-alike of one, that someone here already shows.
      if (!session.character && message.name !== undefined && nameShownHere(zone, message.name)) {
        reject(zone, port, session, {
          code: "invalid",
          field: "name",
          message: "someone in this zone has that name, or one that looks like it; choose another",
        });
        return;
      }
      const language = languageOf(message.language);
      // A character's name is its own; only guests choose one at hello.
      const greeted = {
        ...session,
        name: session.character ? session.name : (message.name ?? session.name),
        helloed: true,
        ...(snapshotEncodingFor(message.protocol, message.snapshots) === "binary" ? { binary: true as const } : {}),
        // Any tag is accepted: one the realm has no catalogue for plays in English (docs/protocol.md).
        ...(language !== SOURCE_LANGUAGE ? { language } : {}),
      };
      zone.sessions.set(port, greeted);
      const { snapshot } = zone;
      send(port, {
        type: "welcome",
        protocol: message.protocol,
        snapshots: greeted.binary ? "binary" : "json",
        language,
        sessionId: greeted.sessionId,
        name: greeted.name,
        zone: snapshot.zoneId,
        realm: snapshot.realm,
        tickRate: zone.tickRateHz,
        tick: snapshot.clock.tick,
        weather: snapshot.sim.weather,
        recent: zone.store.recentSaid(RECENT_SAID_IN_WELCOME),
        character: session.character && publicCharacter(session.character),
      });
      // Some kinds tell their crowd through their own output instead (a field's snapshots, within view radius).
      if (zone.engine.announcesPresence)
        zone.sessions.broadcast({ type: "joined", sessionId: greeted.sessionId, name: greeted.name }, port);
      zone.apply(zone.engine.admit(zone.engineSession(greeted)));
      // A character handed over to this zone: how long from taking it over to this welcome.
      const handedOver = session.character && zone.transfers.welcome(session.character.id, now);
      if (handedOver !== undefined) observe(zone.metrics.handoffMs, handedOver);
      return;
    }
    case "ping":
      send(port, { type: "pong", id: message.id, tick: zone.snapshot.clock.tick, serverTime: now });
      return;
    case "say": {
      if (!requireHello(zone, port, session)) return;
      const said = chat.say(zone.snapshot.sim, session, message, zone.snapshot.clock.tick);
      zone.snapshot = { ...zone.snapshot, sim: said.state };
      // Committed before the broadcast: the output gate releases it only once the line is durable.
      zone.commit((store, at) => store.appendSaid(said.line, zone.snapshot, at));
      deliver(zone.sessions, said.out);
      return;
    }
    case "who":
      if (!requireHello(zone, port, session)) return;
      send(port, {
        type: "who",
        players: zone.sessions.helloed().map((s) => ({ sessionId: s.sessionId, name: s.name })),
      });
      return;
    case "command":
    case "input":
    case "cast":
    case "ack":
    case "resync": {
      if (!requireHello(zone, port, session)) return;
      // Parties are the realm's, not the zone kind's: answered here in every zone (party.ts).
      if (message.type === "command" && zone.parties && isPartyLine(message.line)) {
        void zone.parties.handle(port, session, message.line);
        return;
      }
      const refused = zone.receive(session, message, now);
      if (refused) reject(zone, port, session, refused);
      return;
    }
    default: {
      const unreachable: never = message;
      throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
    }
  }
}

/** What a player is shown of its own character: not its account, row version, roles or login family. */
function publicCharacter({
  accountId: _account,
  version: _version,
  roles: _roles,
  fam: _fam,
  ...visible
}: CharacterSnapshot) {
  return visible;
}

/** Whether a greeted session here shows `name` or a look-alike of it (same skeleton, docs/accounts.md#names). */
function nameShownHere(zone: ZoneHost, name: string): boolean {
  const wanted = nameSkeleton(name);
  return zone.sessions.helloed().some((other) => nameSkeleton(other.name) === wanted);
}

function requireHello(zone: ZoneHost, port: ZonePort, session: SessionAttachment): boolean {
  if (session.helloed) return true;
  reject(zone, port, session, { code: "hello_required", message: 'send {"type":"hello","protocol":1} first' });
  return false;
}
