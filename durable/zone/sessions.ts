/**
 * Per-socket session data. It lives in the socket's serialized attachment (≤ 16 KB) so it
 * survives hibernation, and in an in-memory table so a broadcast does not deserialize every
 * attachment. The `v` field lets later versions migrate old attachments.
 */
import type { CharacterSnapshot } from "../../shared/protocol/character";
import type { ServerMessage } from "../../shared/protocol/messages";

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

export class SessionTable {
  private readonly bySocket = new Map<WebSocket, SessionAttachment>();

  /** Rebuilds the table from the sockets the runtime still holds (after hibernation or eviction). */
  constructor(sockets: WebSocket[]) {
    for (const ws of sockets) {
      const data = ws.deserializeAttachment() as SessionAttachment | null;
      if (data?.v === 1) this.bySocket.set(ws, data);
    }
  }

  get(ws: WebSocket): SessionAttachment | undefined {
    return this.bySocket.get(ws);
  }

  set(ws: WebSocket, session: SessionAttachment): void {
    ws.serializeAttachment(session);
    this.bySocket.set(ws, session);
  }

  delete(ws: WebSocket): SessionAttachment | undefined {
    const session = this.bySocket.get(ws);
    this.bySocket.delete(ws);
    return session;
  }

  get size(): number {
    return this.bySocket.size;
  }

  /** Every socket playing `characterId` (normally at most one). */
  socketsOf(characterId: string): WebSocket[] {
    return [...this.bySocket].filter(([, s]) => s.character?.id === characterId).map(([ws]) => ws);
  }

  entries(): [WebSocket, SessionAttachment][] {
    return [...this.bySocket];
  }

  helloed(): SessionAttachment[] {
    return [...this.bySocket.values()].filter((s) => s.helloed);
  }

  /** Sends one message to every helloed session but `except`, serializing it once. */
  broadcast(message: ServerMessage, except?: WebSocket): void {
    const frame = JSON.stringify(message);
    for (const [ws, session] of this.bySocket) {
      if (ws === except || !session.helloed) continue;
      try {
        ws.send(frame);
      } catch {
        // A socket mid-close; its close handler tidies up.
      }
    }
  }
}

/** Sends one message; a socket that is already closing is skipped rather than crashing the zone. */
export function send(ws: WebSocket, message: ServerMessage): void {
  try {
    ws.send(JSON.stringify(message));
  } catch {
    // Closing socket: nothing to do.
  }
}
