/**
 * Answers each validated client message. The switch is exhaustive over the closed set of
 * protocol message types; game commands plug in through a registry behind `command`.
 */
import type { CharacterSnapshot } from "../../shared/protocol/character";
import type { ProtocolError } from "../../shared/protocol/errors";
import type { ClientMessage } from "../../shared/protocol/messages";
import { PROTOCOL_VERSION } from "../../shared/protocol/version";
import { createRng, seedFromString } from "../../shared/sim/rng";
import { nameSkeleton } from "../../shared/text/names";
import { chatEngine } from "../../shared/zone/chat";
import { isOutcome } from "../../shared/zone/engine";
import { COMMIT } from "./internal";
import { deliver, type SessionAttachment, send, type ZonePort } from "./sessions";
import type { ZoneDurableObject } from "./zone";

/** How many chat lines a newcomer receives in `welcome`. */
export const RECENT_SAID_IN_WELCOME = 20;

/**
 * Sends a typed error to this session only and counts it; the socket stays open. The log gets the
 * socket's first refusal and then summaries (durable/zone/flood.ts), not a line per frame.
 */
export function reject(
  zone: ZoneDurableObject,
  port: ZonePort,
  session: SessionAttachment,
  error: ProtocolError,
): void {
  zone.metrics.countError(error.code);
  zone.guards.logRefusal(port, { zone: zone.zoneId, sessionId: session.sessionId }, error, Date.now());
  send(port, { type: "error", ...error });
}

export function handleClientMessage(
  zone: ZoneDurableObject,
  port: ZonePort,
  session: SessionAttachment,
  message: ClientMessage,
  now: number,
): void {
  switch (message.type) {
    case "hello": {
      if (message.protocol !== PROTOCOL_VERSION) {
        reject(zone, port, session, {
          code: "protocol_mismatch",
          field: "protocol",
          message: `this server speaks protocol ${PROTOCOL_VERSION}; you sent ${message.protocol}. Update the client.`,
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
      // A character's name is its own; only guests choose one at hello.
      const greeted = {
        ...session,
        name: session.character ? session.name : (message.name ?? session.name),
        helloed: true,
      };
      zone.sessions.set(port, greeted);
      const { snapshot } = zone;
      send(port, {
        type: "welcome",
        protocol: PROTOCOL_VERSION,
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
      // A field zone's crowd is told through snapshots, within view radius: a zone-wide `joined`
      // would cost N sends per arrival (N² for a crowd joining).
      if (!zone.field)
        zone.sessions.broadcast({ type: "joined", sessionId: greeted.sessionId, name: greeted.name }, port);
      if (zone.mud) zone.mud.deliver(zone.sessions, zone.mud.join(greeted));
      zone.field?.join(port, greeted);
      return;
    }
    case "ping":
      send(port, { type: "pong", id: message.id, tick: zone.snapshot.clock.tick, serverTime: now });
      return;
    case "say": {
      if (!requireHello(zone, port, session)) return;
      const said = chatEngine.receive(zone.snapshot.sim, session, message, zone.snapshot.clock.tick);
      if (!isOutcome(said)) {
        reject(zone, port, session, said);
        return;
      }
      zone.snapshot = { ...zone.snapshot, sim: said.state };
      // Committed before the broadcast: the output gate releases it only once the line is durable.
      zone[COMMIT]((store, at) => {
        for (const { message: line } of said.out) if (line.type === "said") store.appendSaid(line, zone.snapshot, at);
      });
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
    case "command": {
      if (!requireHello(zone, port, session)) return;
      if (zone.field) {
        fieldConsole(zone, port, session, message.line, now);
        return;
      }
      if (!zone.mud) {
        send(port, { type: "info", text: "This zone is only a place to talk: use say and who here." });
        return;
      }
      if (!zone.mud.enqueue(session, message.line)) {
        reject(zone, port, session, { code: "rate_limited", message: "wait for your last commands to finish" });
      }
      return;
    }
    case "input":
    case "cast":
    case "ack":
    case "resync": {
      if (!requireHello(zone, port, session)) return;
      if (!zone.field) {
        reject(zone, port, session, {
          code: "unsupported",
          field: "type",
          message: `${message.type} is for field zones (such as test-area); ${zone.zoneId} is not one`,
        });
        return;
      }
      const problem = zone.field.receive(port, session, message, now);
      if (problem) reject(zone, port, session, problem);
      return;
    }
    default: {
      const unreachable: never = message;
      throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
    }
  }
}

function publicCharacter({ accountId: _account, version: _version, roles: _roles, ...visible }: CharacterSnapshot) {
  return visible;
}

/** The GM console of a field zone: spawn, clear, reset, set, stats. */
function fieldConsole(
  zone: ZoneDurableObject,
  port: ZonePort,
  session: SessionAttachment,
  line: string,
  now: number,
): void {
  const field = zone.field;
  if (!field) return;
  const rng = createRng(seedFromString(`${zone.zoneId}:${zone.snapshot.clock.tick}:${line}`));
  const result = field.gm(session, line, rng);
  if (!result) {
    reject(zone, port, session, { code: "unsupported", field: "line", message: "this zone has no GM console" });
    return;
  }
  if (result === "forbidden") {
    const message = "only game masters may change the zone; help and stats are open to everyone";
    reject(zone, port, session, { code: "forbidden", field: "line", message });
    return;
  }
  if (result.kind === "error") {
    reject(zone, port, session, { code: "invalid", field: "line", message: result.message });
    return;
  }
  if (result.kind === "stats") {
    const window = zone.metrics.consoleWindow;
    const summary = { ...window.summary(now), entities: field.entityCount(), tickRate: zone.tickRateHz };
    if (result.reset) window.reset(now);
    send(port, {
      type: "info",
      text: `tick p50 ${summary.tickP50Ms} ms, p99 ${summary.tickP99Ms} ms over ${summary.ticks} ticks; ${summary.entities} entities; ${summary.bytesPerPlayerPerSecond} B/s per player`,
      payload: summary,
    });
    return;
  }
  zone.log.log("info", "field.gm", { zone: zone.zoneId, sessionId: session.sessionId, line });
  send(port, { type: "info", text: result.reply });
  // Settings may have changed: everyone gets the map again (its size, rates and view radius).
  if (result.remapped) field.announce(zone.sessions);
}

/** Whether a greeted session here shows `name` or a look-alike of it (same skeleton, docs/accounts.md#names). */
function nameShownHere(zone: ZoneDurableObject, name: string): boolean {
  const wanted = nameSkeleton(name);
  return zone.sessions.helloed().some((other) => nameSkeleton(other.name) === wanted);
}

function requireHello(zone: ZoneDurableObject, port: ZonePort, session: SessionAttachment): boolean {
  if (session.helloed) return true;
  reject(zone, port, session, { code: "hello_required", message: 'send {"type":"hello","protocol":1} first' });
  return false;
}
