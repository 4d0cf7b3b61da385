/**
 * The gateway's own counters (one set per isolate, rendered at /metrics by prometheus.ts): HTTP
 * requests by route pattern and status with their time, account outcomes, Postgres sessions.
 * Routes are patterns (`/characters/:id`), never raw paths, so the label set stays small.
 */
import { createHistogram, observe, REQUEST_DURATION_BOUNDS_MS } from "./histogram";
import type { GatewayCounters } from "./prometheus";

export function createGatewayCounters(): GatewayCounters {
  return {
    httpErrorsByCode: {},
    httpRequests: new Map(),
    httpDurationMs: new Map(),
    authOutcomes: new Map(),
    databaseMs: createHistogram(REQUEST_DURATION_BOUNDS_MS),
    databaseErrors: 0,
  };
}

/** One answered request: `route` its pattern, `ms` from arrival to answer. */
export function countRequest(counters: GatewayCounters, route: string, method: string, status: number, ms: number) {
  const key = `${route} ${method} ${status}`;
  const entry = counters.httpRequests.get(key);
  if (entry) entry.count++;
  else counters.httpRequests.set(key, { route, method, status: String(status), count: 1 });
  let histogram = counters.httpDurationMs.get(route);
  if (!histogram) {
    histogram = createHistogram(REQUEST_DURATION_BOUNDS_MS);
    counters.httpDurationMs.set(route, histogram);
  }
  observe(histogram, ms);
}

/** An account request's outcome: `ok`, or the error code it was answered with. */
export function countAuth(counters: GatewayCounters, action: string, outcome: string) {
  const key = `${action} ${outcome}`;
  const entry = counters.authOutcomes.get(key);
  if (entry) entry.count++;
  else counters.authOutcomes.set(key, { action, outcome, count: 1 });
}

/** One request's session with Postgres, and whether it failed. */
export function countDatabase(counters: GatewayCounters, ms: number, failed: boolean) {
  observe(counters.databaseMs, ms);
  if (failed) counters.databaseErrors++;
}
