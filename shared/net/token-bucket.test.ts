import { describe, expect, it } from "vitest";
import { type BucketConfig, fullBucket, type TokenBucket, takeToken } from "./token-bucket";

const FLOOD: BucketConfig = { capacity: 40, refillPerSecond: 20 };
const T0 = 1_700_000_000_000;

/** Takes `n` tokens at `now`, returning how many were allowed and the bucket afterwards. */
function takeMany(bucket: TokenBucket, n: number, now: number, config = FLOOD) {
  let allowed = 0;
  for (let i = 0; i < n; i++) {
    const result = takeToken(bucket, config, now);
    bucket = result.bucket;
    if (result.allowed) allowed += 1;
  }
  return { allowed, bucket };
}

describe("token bucket", () => {
  it("starts full", () => {
    expect(fullBucket(FLOOD, T0)).toEqual({ tokens: 40, updatedAt: T0 });
  });

  it("allows a burst of exactly the capacity, then refuses", () => {
    const { allowed, bucket } = takeMany(fullBucket(FLOOD, T0), 41, T0);
    expect(allowed).toBe(40);
    expect(takeToken(bucket, FLOOD, T0).allowed).toBe(false);
  });

  it("refills at the configured rate", () => {
    const empty = takeMany(fullBucket(FLOOD, T0), 40, T0).bucket;
    // 20 per second: one token every 50 ms.
    expect(takeToken(empty, FLOOD, T0 + 49).allowed).toBe(false);
    expect(takeToken(empty, FLOOD, T0 + 50).allowed).toBe(true);
    expect(takeMany(empty, 100, T0 + 1_000).allowed).toBe(20);
  });

  it("sustains the refill rate and no more under a steady flood", () => {
    let bucket = fullBucket(FLOOD, T0);
    let allowed = 0;
    // 100 frames a second for 10 seconds: the burst plus 20 a second get through.
    for (let ms = 0; ms < 10_000; ms += 10) {
      const result = takeToken(bucket, FLOOD, T0 + ms);
      bucket = result.bucket;
      if (result.allowed) allowed += 1;
    }
    expect(allowed).toBeGreaterThanOrEqual(40 + 20 * 9);
    expect(allowed).toBeLessThanOrEqual(40 + 20 * 10);
  });

  it("keeps fractional refill across refused attempts", () => {
    let bucket = takeMany(fullBucket(FLOOD, T0), 40, T0).bucket;
    // Refused attempts every 10 ms must not reset the 50 ms it takes to earn a token.
    for (const ms of [10, 20, 30, 40]) {
      const result = takeToken(bucket, FLOOD, T0 + ms);
      expect(result.allowed).toBe(false);
      bucket = result.bucket;
    }
    expect(takeToken(bucket, FLOOD, T0 + 50).allowed).toBe(true);
  });

  it("never holds more than its capacity after a long idle time", () => {
    const start = takeMany(fullBucket(FLOOD, T0), 10, T0).bucket;
    expect(takeMany(start, 100, T0 + 3_600_000).allowed).toBe(40);
  });

  it("refills nothing when the clock goes backwards", () => {
    const empty = takeMany(fullBucket(FLOOD, T0), 40, T0).bucket;
    expect(takeToken(empty, FLOOD, T0 - 5_000).allowed).toBe(false);
  });

  it("does not credit the same time twice after the clock went backwards and forwards again", () => {
    const empty = takeMany(fullBucket(FLOOD, T0), 40, T0).bucket;
    const afterBackwards = takeToken(empty, FLOOD, T0 - 5_000).bucket;
    // Back at T0 no real time has passed since the bucket was emptied.
    expect(takeToken(afterBackwards, FLOOD, T0).allowed).toBe(false);
    expect(takeToken(afterBackwards, FLOOD, T0 + 50).allowed).toBe(true);
  });
});
