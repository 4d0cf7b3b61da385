/**
 * The realm's frames as the SDK reads them: close codes, typed frames, and a parser that accepts
 * only typed JSON objects (docs/protocol.md).
 */
import type { ServerMessage } from "../../shared/protocol/messages";
import { PROTOCOL_VERSION, type SnapshotEncoding } from "../../shared/protocol/version";

/** Close codes the realm uses (docs/protocol.md, "Closing"). */
export const CLOSE = { normal: 1000, replaced: 4001, travelled: 4003, flooding: 4008 } as const;

export type ConnectionState = "connecting" | "online" | "travelling" | "reconnecting" | "closed";

export type FrameOf<T extends string> = Extract<ServerMessage, { type: T }>;
export type Welcome = FrameOf<"welcome">;
export type GameEvent = Extract<ServerMessage, { text: string; type: string; payload?: unknown }>;

/** A text frame as the server sent it, or undefined for anything that is not a typed JSON object. */
export function parseFrame(data: unknown): ServerMessage | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const frame = JSON.parse(data) as { type?: unknown };
    return frame && typeof frame === "object" && typeof frame.type === "string" ? (frame as ServerMessage) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `hello` that opens every socket (docs/protocol.md, `hello`), with only the fields asked for:
 * JSON snapshots only when wanted (binary is the default), the language on every connection because
 * the realm does not keep it between them.
 */
export function helloFrame(options: { name?: string; snapshots?: SnapshotEncoding; language?: string }): string {
  const { name, snapshots, language } = options;
  return JSON.stringify({
    type: "hello",
    protocol: PROTOCOL_VERSION,
    ...(name ? { name } : {}),
    ...(snapshots === "json" ? { snapshots } : {}),
    ...(language ? { language } : {}),
  });
}
