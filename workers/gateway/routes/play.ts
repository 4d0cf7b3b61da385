import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ZONE_ID_PATTERN, zoneObjectName } from "../../../shared/config";
import { createLogger } from "../../../shared/log";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";

/** Zone a guest lands in when the URL names none. */
export const DEFAULT_ZONE = "start";

/**
 * `GET /ws?zone=<id>`: a guest WebSocket into a zone (accounts and tickets replace guests later).
 * The zone answers the upgrade itself (and refuses it with 503 when the realm is full).
 */
export const playRoutes = new Hono<{ Bindings: Env; Variables: GatewayVariables }>().get("/ws", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new HTTPException(426, { message: "GET /ws must be a WebSocket upgrade", cause: "upgrade_required" });
  }
  const zoneId = c.req.query("zone") ?? DEFAULT_ZONE;
  if (!ZONE_ID_PATTERN.test(zoneId)) {
    throw new HTTPException(400, {
      message: "zone must be 1–64 characters of a-z, 0-9, _ and -, starting with a letter or digit",
      cause: "invalid_zone",
    });
  }
  const config = realmConfig(c.env);
  const headers = new Headers(c.req.raw.headers);
  headers.set("x-request-id", c.get("requestId"));
  const stub = c.env.ZONES.getByName(zoneObjectName(config.realm, zoneId));
  const response = await stub.fetch(new Request(c.req.raw.url, { headers }));
  if (response.status !== 101) {
    createLogger(config.logLevel, { component: "gateway" }).log("warn", "connect.refused", {
      requestId: c.get("requestId"),
      zone: zoneId,
      status: response.status,
    });
    // Responses from a stub have immutable headers; copy so middleware can add its own.
    return new Response(response.body, response);
  }
  return response;
});
