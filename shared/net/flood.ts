/**
 * What a zone does about a socket that keeps sending after it was told to slow down
 * (docs/protocol.md, Flood control; docs/decisions.md D6). Pure: the caller passes `now` and keeps
 * the state, one per socket.
 *
 * - `noteFloodRefusal` decides when to close: a socket whose frames flood control refused
 *   `maxRefusals` times within `windowMs`, or in each of `maxSecondsOver` consecutive seconds, is
 *   not slowing down, and answering it costs more than closing it.
 * - `recordRefusal` / `flushRefusals` keep the log proportional to sockets, not to frames: the
 *   first refusal of a socket is logged in full, later ones are counted by code and logged as one
 *   summary line per socket per `summaryEveryMs`, and whatever is left when the socket closes.
 */

/** WebSocket close code for a socket closed for flooding (4000–4999 are the application's). */
export const FLOOD_CLOSE_CODE = 4008;
/** Close reason sent with FLOOD_CLOSE_CODE (a close reason may hold at most 123 bytes). */
export const FLOOD_CLOSE_REASON = "flooding: kept sending past the rate limit";

export interface FloodCloseConfig {
  /** Refused frames within one window that close the socket. */
  maxRefusals: number;
  /** Length of that window, from its first refusal. */
  windowMs: number;
  /** Consecutive whole seconds, each with at least one refused frame, that close the socket. */
  maxSecondsOver: number;
}

/** 100 refusals in 10 s, or refusals in each of 10 seconds running. */
export const FLOOD_CLOSE: FloodCloseConfig = { maxRefusals: 100, windowMs: 10_000, maxSecondsOver: 10 };

export interface FloodState {
  windowStart: number;
  refusals: number;
  /** The last whole second (of `now`) with a refusal, and how many such seconds ran up to it. */
  lastSecond: number;
  secondsOver: number;
}

export const freshFloodState = (): FloodState => ({
  windowStart: Number.NEGATIVE_INFINITY,
  refusals: 0,
  lastSecond: Number.NEGATIVE_INFINITY,
  secondsOver: 0,
});

/** Counts one frame refused by flood control; `close` says the socket should be closed now. */
export function noteFloodRefusal(
  state: FloodState,
  config: FloodCloseConfig,
  now: number,
): { state: FloodState; close: boolean } {
  const fresh = now - state.windowStart >= config.windowMs || now < state.windowStart;
  const windowStart = fresh ? now : state.windowStart;
  const refusals = (fresh ? 0 : state.refusals) + 1;
  const second = Math.floor(now / 1000);
  let secondsOver = state.secondsOver;
  // A second already counted (or earlier, if the clock stepped back) changes nothing.
  if (second === state.lastSecond + 1) secondsOver += 1;
  else if (second > state.lastSecond + 1) secondsOver = 1;
  const lastSecond = Math.max(second, state.lastSecond);
  const next = { windowStart, refusals, lastSecond, secondsOver };
  return { state: next, close: refusals >= config.maxRefusals || secondsOver >= config.maxSecondsOver };
}

/** A socket's refusals not yet logged, by error code, since `since`. */
export interface RefusalLogState {
  /** Whether this socket's first refusal was logged (in full). */
  started: boolean;
  since: number;
  counts: Record<string, number>;
}

/** One summary line per socket per minute at most. */
export const REFUSAL_SUMMARY_EVERY_MS = 60_000;

export const freshRefusalLog = (): RefusalLogState => ({ started: false, since: 0, counts: {} });

/** What to log for a refusal: the refusal itself (the socket's first), a summary, or nothing. */
export type RefusalLogLine =
  | { kind: "first" }
  | { kind: "summary"; counts: Record<string, number>; total: number; sinceMs: number }
  | null;

/** Records one refusal with `code`; says whether a line is due. */
export function recordRefusal(
  state: RefusalLogState,
  code: string,
  now: number,
  summaryEveryMs = REFUSAL_SUMMARY_EVERY_MS,
): { state: RefusalLogState; line: RefusalLogLine } {
  if (!state.started) return { state: { started: true, since: now, counts: {} }, line: { kind: "first" } };
  const counts = { ...state.counts, [code]: (state.counts[code] ?? 0) + 1 };
  const counted = { ...state, counts };
  if (now - state.since < summaryEveryMs) return { state: counted, line: null };
  const flushed = flushRefusals(counted, now);
  return { state: flushed.state, line: flushed.line };
}

/** The summary of whatever is counted and not yet logged (at close, or when the interval is up). */
export function flushRefusals(
  state: RefusalLogState,
  now: number,
): { state: RefusalLogState; line: Extract<RefusalLogLine, { kind: "summary" }> | null } {
  const total = Object.values(state.counts).reduce((sum, n) => sum + n, 0);
  const next = { ...state, since: now, counts: {} };
  if (total === 0) return { state: next, line: null };
  return {
    state: next,
    line: { kind: "summary", counts: state.counts, total, sinceMs: Math.max(0, now - state.since) },
  };
}

/**
 * The close code to answer a peer's close with. 1005 (no status), 1006 (abnormal) and 1015 (TLS)
 * only report what happened and may never be sent, and the WebSocket API sends only 1000 and
 * 3000–4999: anything else is answered with 1000 (normal closure).
 */
export function echoCloseCode(received: number): number {
  return received === 1000 || (received >= 3000 && received <= 4999) ? received : 1000;
}
