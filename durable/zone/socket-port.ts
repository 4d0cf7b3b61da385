/**
 * The workerd adapter of the session port (shared/net/port.ts): a hibernatable WebSocket behind
 * the typed interface the zone's session logic and engines use. One port per socket, so a port
 * can key the zone's tables as the socket did.
 */
import { assertSendableCloseCode } from "../../shared/net/port";
import type { ServerMessage } from "../../shared/protocol/messages";
import type { SessionAttachment, ZonePort } from "./sessions";

class WebSocketPort implements ZonePort {
  constructor(private readonly socket: WebSocket) {}

  send(message: ServerMessage): void {
    this.sendText(JSON.stringify(message));
  }

  sendText(frame: string): void {
    try {
      this.socket.send(frame);
    } catch {
      // A socket mid-close: its close handler tidies up.
    }
  }

  sendBinary(frame: Uint8Array): void {
    try {
      this.socket.send(frame);
    } catch {
      // A socket mid-close: its close handler tidies up.
    }
  }

  close(code: number, reason: string): void {
    // Checked before the platform sees it: a reserved code would throw there, or close nothing.
    assertSendableCloseCode(code);
    try {
      this.socket.close(code, reason);
    } catch {
      // Already closing.
    }
  }

  attachment(): SessionAttachment | null {
    return this.socket.deserializeAttachment() as SessionAttachment | null;
  }

  setAttachment(attachment: SessionAttachment): void {
    this.socket.serializeAttachment(attachment);
  }
}

const ports = new WeakMap<WebSocket, ZonePort>();

/** The port of `socket`: the same object every time for the same socket. */
export function portFor(socket: WebSocket): ZonePort {
  let port = ports.get(socket);
  if (!port) {
    port = new WebSocketPort(socket);
    ports.set(socket, port);
  }
  return port;
}
