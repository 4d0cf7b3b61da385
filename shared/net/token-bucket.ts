/**
 * Token bucket for per-session flood control. Pure: the caller passes `now` and keeps the state.
 */
export interface TokenBucket {
  tokens: number;
  updatedAt: number;
}

export interface BucketConfig {
  /** Burst size. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export const fullBucket = (config: BucketConfig, now: number): TokenBucket => ({
  tokens: config.capacity,
  updatedAt: now,
});

/** Takes one token if there is one. A clock that went backwards refills nothing. */
export function takeToken(
  bucket: TokenBucket,
  config: BucketConfig,
  now: number,
): { allowed: boolean; bucket: TokenBucket } {
  const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
  const tokens = Math.min(config.capacity, bucket.tokens + elapsed * config.refillPerSecond);
  // Never move the refill mark back: after a backwards step, the span up to the old mark was
  // already credited, and would be credited again when the clock caught up.
  const updatedAt = Math.max(bucket.updatedAt, now);
  if (tokens < 1) return { allowed: false, bucket: { tokens, updatedAt } };
  return { allowed: true, bucket: { tokens: tokens - 1, updatedAt } };
}
