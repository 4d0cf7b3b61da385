/** Fixed-window request counting, pure: the caller passes `now` and keeps the map. */

export interface WindowCount {
  windowStart: number;
  count: number;
}

export interface LimitCheck {
  allowed: boolean;
  /** Seconds until the window that refused the request resets (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * Counts one request against each key (all must have room, or none is charged) and reports
 * whether it is allowed. Keys are `{ key, limit }` pairs sharing one window length.
 */
export function hit(
  windows: Map<string, WindowCount>,
  keys: { key: string; limit: number }[],
  windowMs: number,
  now: number,
): LimitCheck {
  let retryAfterMs = 0;
  const current = keys.map(({ key, limit }) => {
    const existing = windows.get(key);
    const window = existing && now - existing.windowStart < windowMs ? existing : { windowStart: now, count: 0 };
    if (window.count >= limit) retryAfterMs = Math.max(retryAfterMs, window.windowStart + windowMs - now);
    return { key, window };
  });
  if (retryAfterMs > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  for (const { key, window } of current) windows.set(key, { windowStart: window.windowStart, count: window.count + 1 });
  return { allowed: true, retryAfterSeconds: 0 };
}

/** Drops windows that ended, so memory follows the number of active clients. */
export function prune(windows: Map<string, WindowCount>, windowMs: number, now: number): void {
  for (const [key, window] of windows) if (now - window.windowStart >= windowMs) windows.delete(key);
}
