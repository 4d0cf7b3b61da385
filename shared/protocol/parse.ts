/**
 * Turns one raw WebSocket frame into a validated ClientMessage, or a typed ProtocolError.
 * Never throws: a zone calls this on untrusted input and answers errors to the sender only.
 */
import { err, ok, type Result } from "../result";
import type { ProtocolError } from "./errors";
import { CLIENT_MESSAGE_TYPES, ClientMessage, type ClientMessageType } from "./messages";
import { MAX_FRAME_BYTES } from "./version";

const utf8 = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** UTF-8 size of a frame without encoding it when the answer is obvious. */
function frameBytes(frame: string | ArrayBuffer): number {
  if (typeof frame !== "string") return frame.byteLength;
  // Each UTF-16 unit encodes to 1–3 bytes, so short strings need no encoding at all.
  if (frame.length * 3 <= MAX_FRAME_BYTES) return frame.length;
  return utf8.encode(frame).byteLength;
}

export function parseClientFrame(frame: string | ArrayBuffer): Result<ClientMessage, ProtocolError> {
  const bytes = frameBytes(frame);
  if (bytes > MAX_FRAME_BYTES) {
    return err({
      code: "too_large",
      message: `frame is ${bytes} bytes; the limit is ${MAX_FRAME_BYTES}`,
    });
  }
  let text: string;
  try {
    text = typeof frame === "string" ? frame : decoder.decode(frame);
  } catch {
    return err({ code: "bad_json", message: "binary frame is not valid UTF-8 JSON" });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return err({ code: "bad_json", message: `frame is not valid JSON: ${detail}` });
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return err({ code: "invalid", field: "type", message: "frame must be a JSON object with a string `type`" });
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== "string") {
    return err({ code: "invalid", field: "type", message: "`type` must be a string" });
  }
  if (!CLIENT_MESSAGE_TYPES.includes(type as ClientMessageType)) {
    return err({
      code: "unknown_command",
      message: `unknown message type "${type.slice(0, 40)}"; expected one of ${CLIENT_MESSAGE_TYPES.join(", ")}`,
    });
  }
  const fast = type === "input" ? fastInput(data as Record<string, unknown>) : undefined;
  if (fast) return ok(fast);
  const parsed = ClientMessage.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") || "type";
    return err({ code: "invalid", field, message: `${field}: ${issue?.message ?? "invalid value"}` });
  }
  return ok(parsed.data);
}

// Finite: JSON.parse reads 1e400 as Infinity, which the schema refuses.
const isPoint = (v: unknown): v is { x: number; y: number } =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  Number.isFinite((v as { x?: unknown }).x) &&
  Number.isFinite((v as { y?: unknown }).y);
const isWhole = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

/**
 * `input`, the message a field client sends up to 20 times a second, checked by hand: exactly what
 * the schema accepts, built as the schema would build it (unknown keys dropped), or undefined to
 * let the schema find and name what is wrong. The schema costs a fifth of a busy zone's time on
 * messages; shared/protocol/parse.test.ts holds the two to the same answers.
 */
function fastInput(data: Record<string, unknown>): ClientMessage | undefined {
  const { seq, move, aim, ack } = data;
  if (!isWhole(seq, 1) || !isPoint(move)) return undefined;
  if (aim !== undefined && !isPoint(aim)) return undefined;
  if (ack !== undefined && !isWhole(ack, 0)) return undefined;
  const out: ClientMessage = { type: "input", seq, move: { x: move.x, y: move.y } };
  if (aim !== undefined) out.aim = { x: aim.x, y: aim.y };
  if (ack !== undefined) out.ack = ack;
  return out;
}
