/**
 * What a load run measured (bench/load/README.md): the figures the final report prints as markdown
 * and JSON and the time series its plots draw. Plain data, so the report is a pure function of it.
 */

/** Percentiles of a set of durations, in milliseconds; null when nothing was measured. */
export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** One point of the run's time series, taken once a second. */
export interface Sample {
  /** Seconds since the run started. */
  t: number;
  /** Players connected (welcomed and not dropped) at that moment. */
  players: number;
  /** The players the scenario's stages asked for at that moment. */
  target: number;
  /** RTT p99 of the replies that arrived in the second before, ms; null when none did. */
  rttP99Ms: number | null;
  /** The slowest zone's tick p99 as the realm's /metrics reported it, ms; null when not read. */
  tickP99Ms: number | null;
  /** Frames the players sent in the second before. */
  sentPerSecond: number;
  /** Frames the players received in the second before. */
  receivedPerSecond: number;
  /** The servers' resident memory, summed (soak runs). */
  rssBytes?: number | null;
  /** The servers' open descriptors, summed (soak runs). */
  openFds?: number | null;
  /** Character writes owed to Postgres plus hand-offs owed to other zones, realm-wide (soak runs). */
  queued?: number | null;
  /** How late the generator's own timers ran in that second (p99, ms). */
  generatorLagP99Ms?: number;
}

/** A server process's resources over the run. */
export interface NodeFigures {
  /** workerd's pid on this machine, or the process-metrics URL it was read from. */
  name: string;
  source: "proc" | "metrics";
  /** CPU time used during the run, seconds, and as a share of one core. */
  cpuSeconds: number | null;
  cpuPercent: number | null;
  /** Resident memory at the end of the run, and its peak among the samples. */
  rssBytes: number | null;
  peakRssBytes: number | null;
}

export interface LoadResult {
  scenario: string;
  target: string;
  startedAt: string;
  durationSeconds: number;
  /** The most players the stages asked for. */
  peakTarget: number;
  connects: { attempted: number; succeeded: number; failed: number };
  /** Failures by error code (HTTP refusals, close codes as `close_<code>`, timeouts as `timeout`). */
  errors: Record<string, number>;
  /** Command sent to its reply arriving, over the whole run. */
  rttMs: Percentiles;
  /** The SDK's pings to their pongs: the same sockets' floor, with no game logic in the reply. */
  pingMs?: Percentiles;
  /** A `travel` frame to the welcome in the next zone. */
  handoffMs: Percentiles;
  /** Account flow: register, login, character, ticket, socket, welcome. */
  joinMs: Percentiles;
  messages: { sent: number; received: number; sentPerSecond: number; receivedPerSecond: number };
  behaviours: Record<string, number>;
  nodes: NodeFigures[];
  /** The worst second's event-loop lag p99 of the generator itself: when high, it was the limit. */
  generatorLagP99Ms?: number;
  samples: Sample[];
  /** The soak verdict, when the scenario asks for one. */
  soak?: import("./soak").SoakVerdict;
}
