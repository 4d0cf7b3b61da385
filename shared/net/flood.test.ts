import { describe, expect, it } from "vitest";
import {
  echoCloseCode,
  FLOOD_CLOSE,
  FLOOD_CLOSE_CODE,
  FLOOD_CLOSE_REASON,
  type FloodState,
  flushRefusals,
  freshFloodState,
  freshRefusalLog,
  noteFloodRefusal,
  type RefusalLogLine,
  type RefusalLogState,
  recordRefusal,
} from "./flood";

/** Refusals at the given times; the index of the one that closes the socket, or -1. */
function closesAt(times: number[], config = FLOOD_CLOSE): number {
  let state: FloodState = freshFloodState();
  for (const [i, now] of times.entries()) {
    const result = noteFloodRefusal(state, config, now);
    state = result.state;
    if (result.close) return i;
  }
  return -1;
}

describe("noteFloodRefusal", () => {
  it("closes a burst at its maxRefusals-th refusal within the window", () => {
    const burst = Array.from({ length: 500 }, (_, i) => 1_000_000 + i);
    expect(closesAt(burst)).toBe(FLOOD_CLOSE.maxRefusals - 1);
  });

  it("counts refusals per window: just under the limit in each window never closes on count", () => {
    const config = { ...FLOOD_CLOSE, maxSecondsOver: Number.POSITIVE_INFINITY };
    // 99 refusals at the start of each 10-second window, for a minute.
    const times = Array.from({ length: 6 }, (_, w) =>
      Array.from({ length: 99 }, (_, i) => w * FLOOD_CLOSE.windowMs + i),
    ).flat();
    expect(closesAt(times, config)).toBe(-1);
  });

  it("closes a socket refused in each of maxSecondsOver consecutive seconds, even a few a second", () => {
    // Two refusals a second (a client a little over the rate, ignoring the errors).
    const times = Array.from({ length: 30 }, (_, s) => [s * 1000 + 100, s * 1000 + 600]).flat();
    expect(closesAt(times)).toBe(2 * (FLOOD_CLOSE.maxSecondsOver - 1));
  });

  it("starts the run of seconds over again after a second without refusals", () => {
    const run = (from: number, seconds: number) => Array.from({ length: seconds }, (_, s) => (from + s) * 1000);
    const times = [...run(0, FLOOD_CLOSE.maxSecondsOver - 1), ...run(FLOOD_CLOSE.maxSecondsOver, 9)];
    expect(closesAt(times)).toBe(-1);
  });

  it("does not count a clock that steps back as a new second or a longer run", () => {
    let state = freshFloodState();
    for (const now of [5000, 6000, 5500, 7000]) state = noteFloodRefusal(state, FLOOD_CLOSE, now).state;
    expect(state.secondsOver).toBe(3);
  });
});

describe("refusal log", () => {
  /** Records `codes` at the given times and returns the lines due. */
  function lines(events: [code: string, now: number][], state: RefusalLogState = freshRefusalLog()) {
    const out: RefusalLogLine[] = [];
    for (const [code, now] of events) {
      const result = recordRefusal(state, code, now, 60_000);
      state = result.state;
      if (result.line) out.push(result.line);
    }
    return { out, state };
  }

  it("logs a socket's first refusal in full and counts the rest silently within the interval", () => {
    const flood = Array.from({ length: 20_000 }, (_, i) => ["rate_limited", 1000 + i / 100] as [string, number]);
    const { out, state } = lines([["bad_json", 1000], ...flood]);
    expect(out).toEqual([{ kind: "first" }]);
    expect(flushRefusals(state, 2000).line).toEqual({
      kind: "summary",
      counts: { rate_limited: 20_000 },
      total: 20_000,
      sinceMs: 1000,
    });
  });

  it("writes one summary per interval, with counts by code, and starts counting afresh", () => {
    const { out } = lines([
      ["bad_json", 0],
      ["bad_json", 10_000],
      ["invalid", 20_000],
      ["bad_json", 59_999],
      ["rate_limited", 60_000],
      ["rate_limited", 70_000],
      ["rate_limited", 120_000],
    ]);
    expect(out).toEqual([
      { kind: "first" },
      { kind: "summary", counts: { bad_json: 2, invalid: 1, rate_limited: 1 }, total: 4, sinceMs: 60_000 },
      { kind: "summary", counts: { rate_limited: 2 }, total: 2, sinceMs: 60_000 },
    ]);
  });

  it("has nothing to flush at close when everything was logged", () => {
    expect(flushRefusals(freshRefusalLog(), 5).line).toBeNull();
    expect(flushRefusals(lines([["invalid", 0]]).state, 5).line).toBeNull();
  });

  it("keeps the log of a 20,000-frame flood to two lines, whatever the frames' timing", () => {
    const flood = Array.from({ length: 20_000 }, (_, i) => ["rate_limited", i] as [string, number]);
    const { out, state } = lines(flood);
    const atClose = flushRefusals(state, 20_000).line;
    expect([...out, atClose].filter(Boolean)).toHaveLength(2);
  });
});

describe("close codes", () => {
  it("closes floods with an application code and a reason that fits a close frame", () => {
    expect(FLOOD_CLOSE_CODE).toBeGreaterThanOrEqual(4000);
    expect(FLOOD_CLOSE_CODE).toBeLessThanOrEqual(4999);
    expect(new TextEncoder().encode(FLOOD_CLOSE_REASON).length).toBeLessThanOrEqual(123);
  });

  it("never echoes a reserved or unsendable code", () => {
    for (const reserved of [1005, 1006, 1015, 1004, 1001, 1011, 0, 2999, 5000])
      expect(echoCloseCode(reserved)).toBe(1000);
    for (const sendable of [1000, 3000, 4001, 4008, 4999]) expect(echoCloseCode(sendable)).toBe(sendable);
  });
});
