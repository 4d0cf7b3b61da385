/**
 * A player's game socket as `npm run bench:handoff` drives it (its HTTP calls go through the
 * client SDK's RealmApi): one socket at a time, every frame timestamped on arrival (so a wait that
 * starts late still reads when its frame came), every wait bounded. The SDK's RealmSession is not
 * used for the socket on purpose: it follows a `travel` by itself, closing the old socket at once,
 * while the bench times each step of the hand-off (the close 4003, the open, the welcome) as it
 * happens. Plus the small numeric helpers the report needs:
 * exact percentiles of client samples and a reader for the `leviathan_handoff_ms` histograms of
 * `/metrics`.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { openSocket } from "../targets/leviathan-bot";

export type Frame = { type: string; [key: string]: unknown };
/** A frame and when it arrived (`performance.now()`). */
export interface Received {
  frame: Frame;
  at: number;
}

/** One game socket: frames queued with their arrival time, waits matched in order. */
export class GameSocket {
  private readonly queued: Received[] = [];
  private readonly waiters: { match: (f: Frame) => boolean; resolve: (r: Received) => void }[] = [];
  /** Resolves with the close code, and when it came. */
  readonly closed: Promise<{ code: number; at: number }>;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const at = performance.now();
      const frame = JSON.parse(data.toString()) as Frame;
      const i = this.waiters.findIndex((w) => w.match(frame));
      if (i >= 0) this.waiters.splice(i, 1)[0]?.resolve({ frame, at });
      else {
        this.queued.push({ frame, at });
        // Other players' comings and goings pile up unread: keep the newest.
        if (this.queued.length > 1_000) this.queued.splice(0, 500);
      }
    });
    this.closed = new Promise((resolve) => socket.once("close", (code) => resolve({ code, at: performance.now() })));
    // A late error (reset) surfaces as the close above; never as an unhandled event.
    socket.on("error", () => undefined);
  }

  /** Opens a socket (no compression); rejects on refusal (with the HTTP status and body) or after `timeoutMs`. */
  static async open(url: string, timeoutMs: number): Promise<GameSocket> {
    return new GameSocket(await openSocket(url, timeoutMs, { checkUtf8: true }));
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The first queued or future frame for which `match` holds, with its arrival time; bounded. */
  next(match: (f: Frame) => boolean, timeoutMs: number, what: string): Promise<Received> {
    const i = this.queued.findIndex((r) => match(r.frame));
    if (i >= 0) return Promise.resolve(this.queued.splice(i, 1)[0] as Received);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (r: Received) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const seen = this.queued.map((r) => r.frame.type).join(",");
        reject(new Error(`no ${what} within ${timeoutMs} ms (queued: ${seen || "none"})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  nextOfType(type: string, timeoutMs: number): Promise<Received> {
    return this.next((f) => f.type === type || f.type === "error", timeoutMs, `"${type}" frame`).then((r) => {
      if (r.frame.type === "error" && type !== "error") throw new Error(`error frame: ${JSON.stringify(r.frame)}`);
      return r;
    });
  }

  /** Waits (bounded) for the close; a clean goodbye first when `goodbye`. */
  async close(goodbye: boolean, timeoutMs: number): Promise<{ code: number; at: number }> {
    if (goodbye && this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, "bye");
    const timer = new Promise<{ code: number; at: number }>((resolve) =>
      setTimeout(() => {
        this.socket.terminate();
        resolve({ code: -1, at: performance.now() });
      }, timeoutMs).unref(),
    );
    return Promise.race([this.closed, timer]);
  }

  terminate(): void {
    this.socket.terminate();
  }
}

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Nearest-rank percentiles of client samples (ms, one decimal). */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const count = sorted.length;
  if (count === 0)
    return { count, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  const at = (q: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))] as number;
  return {
    count,
    p50: round1(at(0.5)),
    p95: round1(at(0.95)),
    p99: round1(at(0.99)),
    max: round1(sorted[count - 1] as number),
    mean: round1(sorted.reduce((a, b) => a + b, 0) / count),
  };
}

/** One zone's `leviathan_handoff_ms`: cumulative bucket counts by upper bound, sum and count. */
export interface HandoffHistogram {
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

/** The `leviathan_handoff_ms` histogram of every zone in a `/metrics` text. */
export function parseHandoffHistograms(text: string): Map<string, HandoffHistogram> {
  const zones = new Map<string, HandoffHistogram>();
  const of = (zone: string) => {
    let h = zones.get(zone);
    if (!h) {
      h = { buckets: new Map(), sum: 0, count: 0 };
      zones.set(zone, h);
    }
    return h;
  };
  for (const line of text.split("\n")) {
    const m = /^leviathan_handoff_ms_(bucket|sum|count)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m) continue;
    const [, kind, labelText = "", valueText = ""] = m;
    const zone = /zone="([^"]*)"/.exec(labelText)?.[1] ?? "";
    const value = Number(valueText);
    const h = of(zone);
    if (kind === "bucket") {
      const le = /le="([^"]*)"/.exec(labelText)?.[1] ?? "";
      h.buckets.set(le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), value);
    } else if (kind === "sum") h.sum = value;
    else h.count = value;
  }
  return zones;
}

/** `after` minus `before` (what a run added), summed over `zones`. */
export function handoffDelta(
  before: Map<string, HandoffHistogram>,
  after: Map<string, HandoffHistogram>,
  zones: readonly string[],
): HandoffHistogram {
  const total: HandoffHistogram = { buckets: new Map(), sum: 0, count: 0 };
  for (const zone of zones) {
    const a = after.get(zone);
    if (!a) continue;
    const b = before.get(zone);
    for (const [le, n] of a.buckets) {
      total.buckets.set(le, (total.buckets.get(le) ?? 0) + n - (b?.buckets.get(le) ?? 0));
    }
    total.sum += a.sum - (b?.sum ?? 0);
    total.count += a.count - (b?.count ?? 0);
  }
  return total;
}

/**
 * Quantiles of a histogram as the upper bound of the bucket holding them (what Prometheus'
 * buckets allow; `histogram_quantile` would interpolate inside the bucket instead). Max is the
 * bound of the highest non-empty bucket. Mean is exact (sum / count).
 */
export function summarizeHistogram(h: HandoffHistogram): Summary {
  const bounds = [...h.buckets.keys()].sort((a, b) => a - b);
  const at = (q: number) => {
    const rank = Math.max(1, Math.ceil(q * h.count));
    return bounds.find((le) => (h.buckets.get(le) ?? 0) >= rank) ?? Number.NaN;
  };
  const max = bounds.find((le) => (h.buckets.get(le) ?? 0) >= h.count) ?? Number.NaN;
  if (h.count === 0)
    return { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  return { count: h.count, p50: at(0.5), p95: at(0.95), p99: at(0.99), max, mean: round1(h.sum / h.count) };
}
