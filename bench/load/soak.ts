/**
 * The soak verdict of a load run (bench/load/README.md, "Soak"): over the steady part of the run,
 * the least-squares slope of the servers' memory, open descriptors and queued work (character
 * writes owed to Postgres, hand-offs owed to other zones). Memory or descriptors that keep growing
 * are a leak, a queue that keeps growing is work the realm cannot keep up with: either fails the run.
 */
import type { Sample } from "./result";

export interface SoakLimits {
  /** Largest acceptable growth of the servers' resident memory, MB per hour. */
  rssMbPerHour: number;
  /** Largest acceptable growth of their open descriptors, per hour. */
  fdsPerHour: number;
  /** Largest acceptable growth of queued work, items per hour. */
  queuedPerHour: number;
}

export interface SoakVerdict {
  passed: boolean;
  /** Seconds of the run the slopes were fitted on. */
  fromSecond: number;
  toSecond: number;
  rssMbPerHour: number | null;
  fdsPerHour: number | null;
  queuedPerHour: number | null;
  failures: string[];
}

/** Least-squares slope of y over x (per unit of x); null with fewer than 3 points. */
export function slope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

const perHour = (value: number | null, scale = 1) =>
  value === null ? null : Math.round(value * 3600 * scale * 10) / 10;

/**
 * Fits the samples from `steadyFrom` (seconds; the end of the ramp up) to the start of the ramp
 * down, skipping the first tenth as warm-up.
 */
export function judgeSoak(
  samples: readonly Sample[],
  steadyFrom: number,
  steadyTo: number,
  limits: SoakLimits,
): SoakVerdict {
  const fromSecond = steadyFrom + (steadyTo - steadyFrom) / 10;
  const steady = samples.filter((s) => s.t >= fromSecond && s.t <= steadyTo);
  const series = (pick: (s: Sample) => number | null | undefined) =>
    steady.flatMap((s) => {
      const y = pick(s);
      return y === null || y === undefined ? [] : [{ x: s.t, y }];
    });
  const rssMbPerHour = perHour(slope(series((s) => s.rssBytes)), 1 / 2 ** 20);
  const fdsPerHour = perHour(slope(series((s) => s.openFds)));
  const queuedPerHour = perHour(slope(series((s) => s.queued)));
  const failures: string[] = [];
  if (rssMbPerHour !== null && rssMbPerHour > limits.rssMbPerHour)
    failures.push(`memory grows ${rssMbPerHour} MB/h (limit ${limits.rssMbPerHour})`);
  if (fdsPerHour !== null && fdsPerHour > limits.fdsPerHour)
    failures.push(`open descriptors grow ${fdsPerHour}/h (limit ${limits.fdsPerHour})`);
  if (queuedPerHour !== null && queuedPerHour > limits.queuedPerHour)
    failures.push(`queued work grows ${queuedPerHour}/h (limit ${limits.queuedPerHour})`);
  return {
    passed: failures.length === 0,
    fromSecond: Math.round(fromSecond),
    toSecond: Math.round(steadyTo),
    rssMbPerHour,
    fdsPerHour,
    queuedPerHour,
    failures,
  };
}
