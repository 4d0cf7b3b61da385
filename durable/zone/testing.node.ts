/**
 * Helpers for the Node tests of the zone's session logic: sessions on in-memory ports
 * (shared/net/memory-port.ts) and a logger that keeps its lines.
 */
import type { LogLevel } from "../../shared/config";
import type { LogFields, Logger } from "../../shared/log";
import { MemoryPort } from "../../shared/net/memory-port";
import type { SessionAttachment } from "./sessions";

/** A session's attachment, greeted unless told otherwise. */
export function session(name: string, over: Partial<SessionAttachment> = {}): SessionAttachment {
  return {
    v: 1,
    sessionId: `session-${name}`,
    name,
    helloed: true,
    connectedAt: 0,
    requestId: `request-${name}`,
    ...over,
  };
}

/** A port carrying `attachment`, as a connection the runtime still holds after hibernation. */
export const portWith = (attachment?: SessionAttachment) => new MemoryPort<SessionAttachment>(attachment);

/** A character snapshot as the gateway hands it over. */
export { character } from "../../shared/protocol/character.fixtures";

/** A logger that keeps every line instead of printing it. */
export class KeptLog implements Logger {
  readonly lines: ({ level: LogLevel; event: string } & LogFields)[] = [];

  log(level: LogLevel, event: string, fields: LogFields = {}): void {
    this.lines.push({ level, event, ...fields });
  }
}
