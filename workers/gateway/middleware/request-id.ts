import type { MiddlewareHandler } from "hono";
import type { GatewayVariables } from "../context";

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Gives each request an id (a sane incoming `x-request-id` is kept) and echoes it in the response. */
export function requestId(): MiddlewareHandler<{ Variables: GatewayVariables }> {
  return async function requestIdMiddleware(c, next) {
    const incoming = c.req.header("x-request-id");
    const id = incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    // A 101 upgrade response has immutable headers; the id is logged by the zone instead.
    if (c.res.status !== 101) c.res.headers.set("x-request-id", id);
  };
}
