/**
 * Login throttling: failed passwords slow down whoever keeps failing, never the owner.
 *
 * Failures are counted per (username, client address), per (username, device token) and per
 * username across untrusted clients. Each count allows a few free failures, then requires a wait
 * since the last failure that doubles with every further failure, up to a cap. An attempt that
 * presents a device token from an earlier successful login (or comes from an address that logged
 * in before) is judged only by its own device's count, so a stranger's failures elsewhere cannot
 * keep the owner out. Policy and figures: docs/accounts.md ("Login throttling").
 *
 * Pure: the caller passes `now` and keeps the map.
 */

export interface FailureCount {
  failures: number;
  lastFailureAt: number;
}

export interface ThrottlePolicy {
  /** Failures allowed before any wait. */
  free: number;
  /** Wait after the first failure beyond `free`; doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A count with no failure for this long is forgotten. */
  forgetAfterMs: number;
}

const HOUR = 3_600_000;

/** One client (an address or a device) guessing one username. */
export const CLIENT_POLICY: ThrottlePolicy = {
  free: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 24 * HOUR,
};
/**
 * Everyone without a device token guessing one username: more free failures (many honest users
 * share an address), a short cap, so an owner on a new device waits at most a minute per try.
 */
export const USERNAME_POLICY: ThrottlePolicy = {
  free: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  forgetAfterMs: 24 * HOUR,
};

/** Milliseconds until `count` allows another attempt (0: now). */
export function waitMs(count: FailureCount | undefined, policy: ThrottlePolicy, now: number): number {
  if (!count || now - count.lastFailureAt >= policy.forgetAfterMs || count.failures < policy.free) return 0;
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, count.failures - policy.free));
  return Math.max(0, count.lastFailureAt + delay - now);
}

/** The count after one more failure at `now`. */
export function addFailure(count: FailureCount | undefined, policy: ThrottlePolicy, now: number): FailureCount {
  const live = count && now - count.lastFailureAt < policy.forgetAfterMs ? count.failures : 0;
  return { failures: live + 1, lastFailureAt: Math.max(now, count?.lastFailureAt ?? now) };
}

/** Keys of one login attempt. `client` is the device key when the attempt carries a valid token. */
export interface LoginKeys {
  /** `device:<id>` or `addr:<ip>`; undefined when the attempt has neither (no trusted address). */
  client: string | undefined;
  username: string;
  /** The attempt comes from a known device (or address): the username-wide count does not apply. */
  trusted: boolean;
}

export interface LoginVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
  /** Which count refused: the client's own, or the username-wide one for untrusted clients. */
  by?: "client" | "username";
}

// The username is whatever the client typed: encoded, so no username can spell another's key.
const clientKey = (k: LoginKeys) => (k.client ? `login:${encodeURIComponent(k.username)}:${k.client}` : undefined);
const usernameKeyOf = (k: LoginKeys) => `login:${encodeURIComponent(k.username)}:*`;

/**
 * May this attempt check its password now? An allowed attempt is charged as a failure at once,
 * before the password is checked, so attempts racing in parallel each see the ones before them
 * (`settleLogin` refunds it when it succeeds or never reached a verdict). Checked before the
 * password is, so a throttled guess learns nothing.
 */
export function beginLogin(
  counts: Map<string, FailureCount>,
  keys: LoginKeys,
  now: number,
  scale: ThrottleScale = DEFAULT_SCALE,
): LoginVerdict {
  const own = clientKey(keys);
  const clientPolicy = scaled(CLIENT_POLICY, scale);
  const usernamePolicy = scaled(USERNAME_POLICY, scale);
  const clientWait = own ? waitMs(counts.get(own), clientPolicy, now) : 0;
  if (clientWait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(clientWait / 1000), by: "client" };
  if (!keys.trusted) {
    const wait = waitMs(counts.get(usernameKeyOf(keys)), usernamePolicy, now);
    if (wait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000), by: "username" };
  }
  if (own) counts.set(own, addFailure(counts.get(own), clientPolicy, now));
  if (!keys.trusted) counts.set(usernameKeyOf(keys), addFailure(counts.get(usernameKeyOf(keys)), usernamePolicy, now));
  return { allowed: true, retryAfterSeconds: 0 };
}

/**
 * Settles an allowed attempt: a failure stays charged; a success clears the client's count and
 * refunds the username-wide charge; an attempt that never reached a verdict (the database was
 * down) is refunded in full.
 */
export function settleLogin(
  counts: Map<string, FailureCount>,
  keys: LoginKeys,
  outcome: "succeeded" | "failed" | "aborted",
): void {
  if (outcome === "failed") return;
  const own = clientKey(keys);
  if (own) {
    if (outcome === "succeeded") counts.delete(own);
    else refund(counts, own);
  }
  if (!keys.trusted) refund(counts, usernameKeyOf(keys));
}

function refund(counts: Map<string, FailureCount>, key: string): void {
  const count = counts.get(key);
  if (!count) return;
  if (count.failures <= 1) counts.delete(key);
  else counts.set(key, { ...count, failures: count.failures - 1 });
}

/**
 * Stretches the waits (not the free failures): tests use a long base so their verdicts do not
 * depend on how fast a loaded machine answers; operators may too.
 */
export interface ThrottleScale {
  baseDelayMs: number;
}
const DEFAULT_SCALE: ThrottleScale = { baseDelayMs: CLIENT_POLICY.baseDelayMs };
function scaled(policy: ThrottlePolicy, scale: ThrottleScale): ThrottlePolicy {
  if (scale.baseDelayMs === policy.baseDelayMs) return policy;
  return { ...policy, baseDelayMs: scale.baseDelayMs, maxDelayMs: Math.max(policy.maxDelayMs, scale.baseDelayMs) };
}

/** Most counts kept: beyond it the oldest are dropped (memory stays bounded under a flood of names). */
export const MAX_LOGIN_COUNTS = 200_000;

/** Drops counts that would be forgotten anyway, so memory follows the number of active guessers. */
export function pruneLogins(counts: Map<string, FailureCount>, now: number, max = MAX_LOGIN_COUNTS): void {
  const longest = Math.max(CLIENT_POLICY.forgetAfterMs, USERNAME_POLICY.forgetAfterMs);
  for (const [key, count] of counts) if (now - count.lastFailureAt >= longest) counts.delete(key);
  // Still too many: drop the oldest inserted (a Map iterates in insertion order).
  for (const key of counts.keys()) {
    if (counts.size <= max) break;
    counts.delete(key);
  }
}
