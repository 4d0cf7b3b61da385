import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { countAuth, countRequest } from "../../../shared/metrics/gateway";
import { type GatewayVariables, gatewayCounters } from "../context";

/** Account routes whose outcomes /metrics counts (leviathan_auth_total), by route pattern. */
const AUTH_ACTIONS: Record<string, string> = {
  "/auth/register": "register",
  "/auth/login": "login",
  "/auth/refresh": "refresh",
  "/auth/logout": "logout",
  "/play/ticket": "ticket",
};

/**
 * Counts every answered request by its route pattern (never the raw path: a scan of random URLs
 * must not grow the label set), method and status, with its time, and account outcomes by the
 * error code the answer carried (set by the app's error handler).
 */
export function httpMetrics(): MiddlewareHandler<{ Variables: GatewayVariables }> {
  return async function httpMetricsMiddleware(c, next) {
    const started = performance.now();
    await next();
    const pattern = routePath(c, -1);
    // Only the catch-all middleware matched: a client asset, or nothing at all.
    const route = pattern === "*" || pattern === "/*" || pattern === "" ? "other" : pattern;
    countRequest(gatewayCounters, route, c.req.method, c.res.status, performance.now() - started);
    const action = AUTH_ACTIONS[route];
    if (action)
      countAuth(gatewayCounters, action, c.res.status < 400 ? "ok" : (c.get("errorCode") ?? `http_${c.res.status}`));
  };
}
