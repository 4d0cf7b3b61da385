/**
 * Rate limiter for a realm's auth and ticket routes (`<realm>:limiter`). Counts live in memory:
 * an eviction forgets at most one window of history, which errs on the side of letting a
 * request through rather than locking a player out.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../workers/gateway/env";
import { hit, type LimitCheck, prune, type WindowCount } from "./window";

const PRUNE_EVERY = 1000;

export class RateLimiterDurableObject extends DurableObject<Env> {
  private readonly windows = new Map<string, WindowCount>();
  private calls = 0;

  /** Charges one request to every key, or refuses with how long to wait. */
  check(keys: { key: string; limit: number }[], windowMs: number): LimitCheck {
    const now = Date.now();
    if (++this.calls % PRUNE_EVERY === 0) prune(this.windows, windowMs, now);
    return hit(this.windows, keys, windowMs, now);
  }
}
