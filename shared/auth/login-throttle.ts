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

/** May this attempt go ahead? Checked before the password is, so a throttled guess learns nothing. */
export function checkLogin(counts: Map<string, FailureCount>, keys: LoginKeys, now: number): LoginVerdict {
  const own = clientKey(keys);
  const clientWait = own ? waitMs(counts.get(own), CLIENT_POLICY, now) : 0;
  if (clientWait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(clientWait / 1000), by: "client" };
  if (!keys.trusted) {
    const wait = waitMs(counts.get(usernameKeyOf(keys)), USERNAME_POLICY, now);
    if (wait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000), by: "username" };
  }
  return { allowed: true, retryAfterSeconds: 0 };
}

/** Records the outcome: a failure counts against the client (and the username, if untrusted); a success clears the client. */
export function recordLogin(counts: Map<string, FailureCount>, keys: LoginKeys, succeeded: boolean, now: number): void {
  const own = clientKey(keys);
  if (succeeded) {
    if (own) counts.delete(own);
    return;
  }
  if (own) counts.set(own, addFailure(counts.get(own), CLIENT_POLICY, now));
  if (!keys.trusted) counts.set(usernameKeyOf(keys), addFailure(counts.get(usernameKeyOf(keys)), USERNAME_POLICY, now));
}

/** Drops counts that would be forgotten anyway, so memory follows the number of active guessers. */
export function pruneLogins(counts: Map<string, FailureCount>, now: number): void {
  const longest = Math.max(CLIENT_POLICY.forgetAfterMs, USERNAME_POLICY.forgetAfterMs);
  for (const [key, count] of counts) if (now - count.lastFailureAt >= longest) counts.delete(key);
}
