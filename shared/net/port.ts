/**
 * The session port: the small, typed face of a client connection that engines and session logic
 * talk to instead of the platform's socket (docs/architecture.md, "Zones"). The zone's workerd
 * adapter wraps a hibernatable WebSocket (durable/zone/socket-port.ts); tests use `MemoryPort`.
 */
import type { ServerMessage } from "../protocol/messages";

/** One client connection as a zone sees it: messages out, a close, and per-connection data. */
export interface SessionPort<A> {
  /** Sends one message; a connection already closing drops it rather than failing the zone. */
  send(message: ServerMessage): void;
  /** Sends a frame serialized once for many connections (a broadcast, a snapshot). */
  sendText(frame: string): void;
  /** Sends a binary frame (protocol 2's snapshots); dropped like the others when closing. */
  sendBinary(frame: Uint8Array): void;
  /** Closes the connection. A code no endpoint may send (`assertSendableCloseCode`) throws instead. */
  close(code: number, reason: string): void;
  /** The data kept with the connection (it survives hibernation), or null before any was set. */
  attachment(): A | null;
  setAttachment(attachment: A): void;
}

/**
 * Close codes that only report what happened and may never be sent in a close frame (RFC 6455
 * 7.4.1: no status, abnormal closure, TLS failure).
 */
export const UNSENDABLE_CLOSE_CODES: readonly number[] = [1005, 1006, 1015];

/** Throws for a close code an endpoint may not send: the reserved ones, or one outside 1000–4999. */
export function assertSendableCloseCode(code: number): void {
  if (!Number.isInteger(code) || code < 1000 || code > 4999 || UNSENDABLE_CLOSE_CODES.includes(code)) {
    throw new RangeError(`close code ${code} may not be sent (reserved, or outside 1000–4999)`);
  }
}

/** A close reason may hold at most 123 bytes of UTF-8 (RFC 6455 5.5: a control frame's 125 less the code). */
export const MAX_CLOSE_REASON_BYTES = 123;
