/**
 * Per-socket session data. It lives in the socket's serialized attachment (≤ 16 KB) so it
 * survives hibernation, and in an in-memory table so a broadcast does not deserialize every
 * attachment. The `v` field lets later versions migrate old attachments.
 */

import type { SessionPort } from "../../shared/net/port";
import type { CharacterSnapshot } from "../../shared/protocol/character";
import type { ServerMessage } from "../../shared/protocol/messages";
import type { Delivery } from "../../shared/zone/engine";

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
}

/** A connection of a zone: the session port carrying this session's attachment. */
export type ZonePort = SessionPort<SessionAttachment>;

export class SessionTable {
  private readonly byPort = new Map<ZonePort, SessionAttachment>();

  /** Rebuilds the table from the connections the runtime still holds (after hibernation or eviction). */
  constructor(ports: ZonePort[]) {
    for (const port of ports) {
      const data = port.attachment();
      if (data?.v === 1) this.byPort.set(port, data);
    }
  }

  get(port: ZonePort): SessionAttachment | undefined {
    return this.byPort.get(port);
  }

  set(port: ZonePort, session: SessionAttachment): void {
    port.setAttachment(session);
    this.byPort.set(port, session);
  }

  delete(port: ZonePort): SessionAttachment | undefined {
    const session = this.byPort.get(port);
    this.byPort.delete(port);
    return session;
  }

  get size(): number {
    return this.byPort.size;
  }

  /** Every socket playing `characterId` (normally at most one). */
  socketsOf(characterId: string): ZonePort[] {
    return [...this.byPort].filter(([, s]) => s.character?.id === characterId).map(([port]) => port);
  }

  entries(): [ZonePort, SessionAttachment][] {
    return [...this.byPort];
  }

  helloed(): SessionAttachment[] {
    return [...this.byPort.values()].filter((s) => s.helloed);
  }

  /** Sends one message to every helloed session but `except`, serializing it once. */
  broadcast(message: ServerMessage, except?: ZonePort): void {
    const frame = JSON.stringify(message);
    for (const [port, session] of this.byPort) {
      if (port === except || !session.helloed) continue;
      port.sendText(frame);
    }
  }
}

/** Sends an engine's output to the sessions it is addressed to (shared/zone/engine.ts). */
export function deliver(sessions: SessionTable, out: readonly Delivery[]): void {
  for (const { to, message } of out) {
    if ("all" in to) {
      const except = to.except === undefined ? undefined : portOf(sessions, to.except);
      sessions.broadcast(message, except);
    } else {
      const port = portOf(sessions, to.session);
      if (port) send(port, message);
    }
  }
}

function portOf(sessions: SessionTable, sessionId: string): ZonePort | undefined {
  return sessions.entries().find(([, s]) => s.sessionId === sessionId)?.[0];
}

/** Sends one message; a connection that is already closing drops it (the port's contract). */
export function send(port: ZonePort, message: ServerMessage): void {
  port.send(message);
}
