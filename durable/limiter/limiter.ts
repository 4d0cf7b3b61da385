/**
 * Rate limiter for a realm's auth and ticket routes (`<realm>:limiter`): request windows per key,
 * and failed-login counts for login throttling (docs/accounts.md). Counts live in memory: an
 * eviction forgets them, which errs on the side of letting a request through rather than locking
 * a player out.
 */
import { DurableObject } from "cloudflare:workers";
import {
  beginLogin,
  type FailureCount,
  type LoginKeys,
  type LoginVerdict,
  pruneLogins,
  settleLogin,
  type ThrottleScale,
} from "../../shared/auth/login-throttle";
import { hit, type LimitCheck, prune, type WindowCount } from "./window";

const PRUNE_EVERY = 1000;

export class RateLimiterDurableObject extends DurableObject<Cloudflare.Env> {
  private readonly windows = new Map<string, WindowCount>();
  private readonly logins = new Map<string, FailureCount>();
  private calls = 0;

  /** RPC before the limiter moves to another node of a cluster: its counts are in memory and start over there. */
  prepareToMove(): Record<string, never> {
    return {};
  }

  /** RPC once the limiter has moved: drops this instance. */
  abandon(): void {
    this.ctx.abort("the limiter moved to another node");
  }

  /** RPC from the node the limiter moved to. */
  wake(): Record<string, never> {
    return {};
  }

  /** Charges one request to every key, or refuses with how long to wait. */
  check(keys: { key: string; limit: number }[], windowMs: number): LimitCheck {
    const now = Date.now();
    this.maybePrune(now, windowMs);
    return hit(this.windows, keys, windowMs, now);
  }

  /** May this login attempt check its password now? An allowed one is charged until settled. */
  beginLogin(keys: LoginKeys, scale?: ThrottleScale): LoginVerdict {
    const now = Date.now();
    this.maybePrune(now, 60_000);
    return beginLogin(this.logins, keys, now, scale);
  }

  /** Settles an allowed attempt: failed (stays charged), succeeded, or aborted (refunded). */
  settleLogin(keys: LoginKeys, outcome: "succeeded" | "failed" | "aborted"): void {
    settleLogin(this.logins, keys, outcome);
  }

  private maybePrune(now: number, windowMs: number): void {
    if (++this.calls % PRUNE_EVERY !== 0) return;
    prune(this.windows, windowMs, now);
    pruneLogins(this.logins, now);
  }
}
