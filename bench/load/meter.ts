/**
 * What the virtual players measure while a load run goes on: durations kept whole (percentiles
 * are exact), the last second's replies apart for the per-second series, and counts by name.
 */
import type { Percentiles } from "./result";

/** Exact percentiles (nearest rank) of `values`. */
export function percentiles(values: readonly number[]): Percentiles {
  if (!values.length) return { count: 0, p50: null, p95: null, p99: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    count: sorted.length,
    p50: round(rank(50)),
    p95: round(rank(95)),
    p99: round(rank(99)),
    max: round(sorted.at(-1) as number),
  };
}

export class Meter {
  readonly rtt: number[] = [];
  readonly handoff: number[] = [];
  readonly join: number[] = [];
  /** The SDK's ping to pong: the zone answers it without game logic, the floor under every reply. */
  readonly ping: number[] = [];
  readonly errors: Record<string, number> = {};
  sent = 0;
  received = 0;
  connectsAttempted = 0;
  connectsSucceeded = 0;
  /** Players welcomed and not dropped right now. */
  online = 0;
  private window: number[] = [];
  private sentMark = 0;
  private receivedMark = 0;

  reply(ms: number): void {
    this.rtt.push(ms);
    this.window.push(ms);
  }

  error(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  /** The second just ended: its replies' p99 and frames each way; starts the next second. */
  lap(): { rttP99Ms: number | null; sent: number; received: number } {
    const rttP99Ms = percentiles(this.window).p99;
    const lap = { rttP99Ms, sent: this.sent - this.sentMark, received: this.received - this.receivedMark };
    this.window = [];
    this.sentMark = this.sent;
    this.receivedMark = this.received;
    return lap;
  }
}
