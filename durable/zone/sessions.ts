/**
 * Per-socket session data. It lives in the socket's serialized attachment (≤ 16 KB) so it
 * survives hibernation, and in an in-memory table so a broadcast does not deserialize every
 * attachment. The `v` field lets later versions migrate old attachments.
 */

import type { Language } from "../../shared/i18n/languages";
import type { SessionPort } from "../../shared/net/port";
import type { CharacterSnapshot } from "../../shared/protocol/character";
import type { ServerMessage } from "../../shared/protocol/messages";
import { type Delivery, playerIdOf } from "../../shared/zone/engine";

export interface SessionAttachment {
  v: 1;
  sessionId: string;
  /** Chosen at `hello`; a guest name is assigned until then. */
  name: string;
  helloed: boolean;
  connectedAt: number;
  requestId: string;
  /** The character played, for ticketed sessions (guests have none). */
  character?: CharacterSnapshot;
  /** Field snapshots go to this session as binary frames (protocol 2, docs/protocol.md). */
  binary?: true;
  /** The language chosen at `hello` when it is not English (docs/protocol.md, `hello`). */
  language?: Language;
}

/** A connection of a zone: the session port carrying this session's attachment. */
export type ZonePort = SessionPort<SessionAttachment>;

export class SessionTable {
  private readonly byPort = new Map<ZonePort, SessionAttachment>();
  private readonly bySessionId = new Map<string, ZonePort>();
  /** Ports by player: a character's id, or a guest's session id (shared/zone/engine.ts `playerIdOf`). */
  private readonly byPlayer = new Map<string, Set<ZonePort>>();

  /** Rebuilds the table from the connections the runtime still holds (after hibernation or eviction). */
  constructor(ports: ZonePort[]) {
    for (const port of ports) {
      const data = port.attachment();
      if (data?.v === 1) this.index(port, data);
    }
  }

  get(port: ZonePort): SessionAttachment | undefined {
    return this.byPort.get(port);
  }

  set(port: ZonePort, session: SessionAttachment): void {
    port.setAttachment(session);
    this.index(port, session);
  }

  delete(port: ZonePort): SessionAttachment | undefined {
    const session = this.byPort.get(port);
    if (!session) return undefined;
    this.byPort.delete(port);
    this.bySessionId.delete(session.sessionId);
    const player = playerIdOf(session);
    const ports = this.byPlayer.get(player);
    ports?.delete(port);
    if (ports?.size === 0) this.byPlayer.delete(player);
    return session;
  }

  get size(): number {
    return this.byPort.size;
  }

  /** Every socket playing `playerId`, a character's id or a guest's session id (normally at most one). */
  socketsOf(playerId: string): ZonePort[] {
    return [...(this.byPlayer.get(playerId) ?? [])];
  }

  /** The socket of the session `sessionId`. */
  portOf(sessionId: string): ZonePort | undefined {
    return this.bySessionId.get(sessionId);
  }

  entries(): [ZonePort, SessionAttachment][] {
    return [...this.byPort];
  }

  helloed(): SessionAttachment[] {
    return [...this.byPort.values()].filter((s) => s.helloed);
  }

  /** Sends one message to every helloed session but `except`, serializing it once. */
  broadcast(message: ServerMessage, except?: ZonePort): void {
    this.broadcastText(JSON.stringify(message), except);
  }

  broadcastText(frame: string, except?: ZonePort): void {
    for (const [port, session] of this.byPort) {
      if (port === except || !session.helloed) continue;
      port.sendText(frame);
    }
  }

  private index(port: ZonePort, session: SessionAttachment): void {
    this.byPort.set(port, session);
    this.bySessionId.set(session.sessionId, port);
    const player = playerIdOf(session);
    const ports = this.byPlayer.get(player) ?? new Set();
    ports.add(port);
    this.byPlayer.set(player, ports);
  }
}

/**
 * Sends an engine's output to the sessions it is addressed to (shared/zone/engine.ts), each frame
 * serialized once however many receive it. Players hear only through sessions that said hello.
 */
export function deliver(sessions: SessionTable, out: readonly Delivery[]): void {
  for (const delivery of out) {
    const { to } = delivery;
    if ("bytes" in delivery) {
      // Binary frames (snapshots) are always for one session: the engine encodes them per client.
      if ("session" in to) sessions.portOf(to.session)?.sendBinary(delivery.bytes);
      continue;
    }
    const frame = "text" in delivery ? delivery.text : JSON.stringify(delivery.message);
    if ("all" in to) {
      sessions.broadcastText(frame, to.except === undefined ? undefined : sessions.portOf(to.except));
    } else if ("session" in to) {
      sessions.portOf(to.session)?.sendText(frame);
    } else {
      for (const player of to.players)
        for (const port of sessions.socketsOf(player)) if (sessions.get(port)?.helloed) port.sendText(frame);
    }
  }
}

/** Sends one message; a connection that is already closing drops it (the port's contract). */
export function send(port: ZonePort, message: ServerMessage): void {
  port.send(message);
}
