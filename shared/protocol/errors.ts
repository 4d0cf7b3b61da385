/**
 * Error codes a server sends in an `error` frame. The set is closed: clients switch on it,
 * and docs/protocol.md lists every code (a test keeps the two in step).
 */
export const ERROR_CODES = [
  "bad_json",
  "unknown_command",
  "invalid",
  "too_large",
  "hello_required",
  "protocol_mismatch",
  "rate_limited",
  "session_replaced",
  "unsupported",
  "forbidden",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A protocol-level failure, returned (not thrown) by the parser so callers decide what to send. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
  /** Dotted path of the offending field, for `invalid`. */
  field?: string;
}
