/**
 * Fixed-bucket histogram, JSON-safe so a zone can ship it to the directory as is.
 * Buckets are upper bounds (le) in the unit of the observed values; counts are per bucket,
 * not cumulative, with one extra slot for values above the last bound.
 */
export interface Histogram {
  bounds: number[];
  counts: number[];
  sum: number;
  count: number;
}

export function createHistogram(bounds: readonly number[]): Histogram {
  return { bounds: [...bounds], counts: new Array(bounds.length + 1).fill(0), sum: 0, count: 0 };
}

export function observe(histogram: Histogram, value: number): void {
  // NaN and negatives count as 0; +Infinity lands in the overflow bucket without poisoning the sum.
  if (value === Number.POSITIVE_INFINITY) {
    histogram.counts[histogram.bounds.length] = (histogram.counts[histogram.bounds.length] ?? 0) + 1;
    histogram.count += 1;
    return;
  }
  const v = Number.isFinite(value) ? Math.max(0, value) : 0;
  let i = histogram.bounds.findIndex((bound) => v <= bound);
  if (i === -1) i = histogram.bounds.length;
  histogram.counts[i] = (histogram.counts[i] ?? 0) + 1;
  histogram.sum += v;
  histogram.count += 1;
}

/**
 * Upper bound of the bucket holding quantile `q` (0–1); Infinity when it falls past the last
 * bound, 0 when empty. Coarse by design: good enough for p50/p99 on a dashboard.
 */
export function quantile(histogram: Histogram, q: number): number {
  if (histogram.count === 0) return 0;
  // Rank at least 1: q = 0 means the smallest observation, not "before the first bucket".
  const rank = Math.max(1, Math.ceil(q * histogram.count));
  let seen = 0;
  for (let i = 0; i < histogram.counts.length; i++) {
    seen += histogram.counts[i] ?? 0;
    if (seen >= rank) return histogram.bounds[i] ?? Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}

/** Tick duration buckets, milliseconds. */
export const TICK_DURATION_BOUNDS_MS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250] as const;
/** Tick lateness buckets, milliseconds. */
export const TICK_LATENESS_BOUNDS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000] as const;
/** An HTTP request from arrival to answer, or one request's use of Postgres, milliseconds. */
export const REQUEST_DURATION_BOUNDS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000] as const;
/** Hand-off of a character between zones, from the target taking it over to its session's welcome there. */
export const HANDOFF_BOUNDS_MS = [10, 25, 50, 100, 150, 250, 500, 1000, 2500, 10_000] as const;
