/**
 * Reconnect delays: exponential backoff with "full jitter" (a random delay between half the
 * exponential step and the step), so a thousand clients dropped together do not come back in one
 * wave. Pure: the random source is passed in.
 */
export interface BackoffOptions {
  /** First delay's ceiling, ms (default 250). */
  baseMs?: number;
  /** No delay exceeds this, ms (default 10 s). */
  maxMs?: number;
}

/** The delay before reconnect attempt `attempt` (1 for the first), in ms. */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 250;
  const max = options.maxMs ?? 10_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
