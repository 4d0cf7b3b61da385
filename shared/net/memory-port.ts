/**
 * An in-memory session port for tests on Node: it records what was sent and how it was closed,
 * and keeps its attachment as the platform does (serialized, so a later change to the object
 * passed in is not seen). A test double of the platform's socket, not of any zone component.
 */
import type { ServerMessage } from "../protocol/messages";
import { assertSendableCloseCode, MAX_CLOSE_REASON_BYTES, type SessionPort } from "./port";

export class MemoryPort<A> implements SessionPort<A> {
  /** Every frame sent, in order, as text. */
  readonly sent: string[] = [];
  /** Every binary frame sent, in order. */
  readonly binary: Uint8Array[] = [];
  /** How the zone closed it, once it did. */
  closed: { code: number; reason: string } | null = null;
  private stored: string | null = null;

  constructor(attachment?: A) {
    if (attachment !== undefined) this.setAttachment(attachment);
  }

  send(message: ServerMessage): void {
    this.sendText(JSON.stringify(message));
  }

  sendText(frame: string): void {
    // A closing socket drops what is sent to it, as the platform's does.
    if (!this.closed) this.sent.push(frame);
  }

  sendBinary(frame: Uint8Array): void {
    if (!this.closed) this.binary.push(frame);
  }

  close(code: number, reason: string): void {
    assertSendableCloseCode(code);
    if (new TextEncoder().encode(reason).length > MAX_CLOSE_REASON_BYTES) {
      throw new RangeError(`close reason longer than ${MAX_CLOSE_REASON_BYTES} bytes`);
    }
    this.closed ??= { code, reason };
  }

  attachment(): A | null {
    return this.stored === null ? null : (JSON.parse(this.stored) as A);
  }

  setAttachment(attachment: A): void {
    this.stored = JSON.stringify(attachment);
  }

  /** The frames sent so far, parsed. */
  messages(): { type: string; [key: string]: unknown }[] {
    return this.sent.map((frame) => JSON.parse(frame));
  }
}
