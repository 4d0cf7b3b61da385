/**
 * Exact figures over a recent window: tick durations (p50/p99 by sorting the kept samples) and
 * snapshot bytes per player per second. Zones keep one window that resets at each report to the
 * directory (for /metrics) and one the GM console resets on demand (for benchmarks).
 */

/** Samples kept per window: ten minutes at 20 Hz. Older ones are dropped first. */
const MAX_SAMPLES = 12_000;

export interface WindowSummary {
  windowSeconds: number;
  ticks: number;
  tickP50Ms: number;
  tickP99Ms: number;
  tickMaxMs: number;
  snapshots: number;
  bytes: number;
  /** Mean number of players a snapshot round went to. */
  players: number;
  bytesPerPlayerPerSecond: number;
}

/** The value at quantile `q` (0–1) of sorted samples, nearest rank; 0 when empty. */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

export class MeasureWindow {
  private samples: number[] = [];
  private snapshots = 0;
  private bytes = 0;
  private recipients = 0;

  constructor(private since: number) {}

  recordTick(ms: number): void {
    if (this.samples.length >= MAX_SAMPLES) this.samples.shift();
    this.samples.push(Number.isFinite(ms) && ms > 0 ? ms : 0);
  }

  /** One snapshot round: `bytes` sent in all to `players` sessions. */
  recordSnapshot(bytes: number, players: number): void {
    this.snapshots += 1;
    this.bytes += bytes;
    this.recipients += players;
  }

  summary(now: number): WindowSummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const windowSeconds = Math.max(0.001, (now - this.since) / 1000);
    const players = this.snapshots ? this.recipients / this.snapshots : 0;
    const round = (n: number) => Math.round(n * 1000) / 1000;
    return {
      windowSeconds: round(windowSeconds),
      ticks: sorted.length,
      tickP50Ms: round(nearestRank(sorted, 0.5)),
      tickP99Ms: round(nearestRank(sorted, 0.99)),
      tickMaxMs: round(sorted.at(-1) ?? 0),
      snapshots: this.snapshots,
      bytes: this.bytes,
      players: round(players),
      bytesPerPlayerPerSecond: players ? Math.round(this.bytes / players / windowSeconds) : 0,
    };
  }

  reset(now: number): void {
    this.samples = [];
    this.snapshots = 0;
    this.bytes = 0;
    this.recipients = 0;
    this.since = now;
  }
}
