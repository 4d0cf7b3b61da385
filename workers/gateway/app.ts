/** The edge gateway: request ids, health, metrics and the WebSocket route to zones. */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { ObjectUnavailableError } from "../../durable/cluster/router";
import { DatabaseUnavailableError } from "../../shared/db/client";
import { createLogger } from "../../shared/log";
import { countHttpError, type GatewayVariables } from "./context";
import type { Env } from "./env";
import { httpMetrics } from "./middleware/http-metrics";
import { requestId } from "./middleware/request-id";
import { accountRoutes } from "./routes/accounts";
import { adminRoutes } from "./routes/admin";
import { adminContentRoutes } from "./routes/admin-content";
import { adminRecordingRoutes } from "./routes/admin-recordings";
import { characterRoutes } from "./routes/characters";
import { clientAsset } from "./routes/client";
import { healthRoutes } from "./routes/health";
import { metricsRoutes } from "./routes/metrics";
import { nodeRoutes } from "./routes/node";
import { playRoutes } from "./routes/play";
import { type ErrorCause, fail } from "./validate";

/**
 * Largest request body any route reads. Checked before anything parses it (Content-Length first,
 * then counted while streaming), so a huge body costs the gateway at most this much memory.
 */
export const MAX_BODY_BYTES = 16 * 1024;

export function createApp() {
  const app = new Hono<{ Bindings: Env; Variables: GatewayVariables }>();
  app.use("*", requestId());
  app.use("*", httpMetrics());
  // Calls between nodes carry their own size limit and signature (routes/node.ts).
  app.route("/_node", nodeRoutes);
  // The builder API takes a whole content pack in an import: its own body limit, after the admin's token.
  app.route("/admin/content", adminContentRoutes);
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw fail(413, "payload_too_large", `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.route("/", healthRoutes);
  app.route("/", metricsRoutes);
  app.route("/", playRoutes);
  app.route("/auth", accountRoutes);
  app.route("/characters", characterRoutes);
  // Before the admin routes: its routes check the admin's token themselves, once.
  app.route("/admin", adminRecordingRoutes);
  app.route("/admin", adminRoutes);

  app.notFound(async (c) => {
    const asset = await clientAsset(c);
    if (asset) return asset;
    countHttpError("not_found");
    return c.json({ error: "not_found", message: `no route for ${c.req.method} ${c.req.path}` }, 404);
  });

  app.onError((error, c) => {
    const id = c.get("requestId");
    const logger = createLogger("warn", { component: "gateway" });
    if (error instanceof DatabaseUnavailableError) {
      countHttpError("database_unavailable");
      c.set("errorCode", "database_unavailable");
      logger.log("warn", "database.unavailable", { requestId: id, path: c.req.path, cause: error.message });
      return c.json(
        {
          error: "database_unavailable",
          message: "the account database is unreachable right now; try again shortly",
          requestId: id,
        },
        503,
        { "Retry-After": "5" },
      );
    }
    if (error instanceof ObjectUnavailableError) {
      countHttpError("zone_unavailable");
      c.set("errorCode", "zone_unavailable");
      return c.json(
        {
          error: "zone_unavailable",
          message: "that part of the realm is moving to another server; try again in a few seconds",
          requestId: id,
        },
        503,
        { "Retry-After": String(error.retryAfterSeconds) },
      );
    }
    if (error instanceof HTTPException) {
      const cause = error.cause as ErrorCause | string | undefined;
      const code = typeof cause === "string" ? cause : (cause?.code ?? `http_${error.status}`);
      const field = typeof cause === "object" ? cause.field : undefined;
      countHttpError(code);
      c.set("errorCode", code);
      const response = c.json({ error: code, message: error.message, field, requestId: id }, error.status);
      for (const [k, v] of error.getResponse().headers)
        if (k.toLowerCase() === "retry-after") response.headers.set(k, v);
      return response;
    }
    countHttpError("internal");
    c.set("errorCode", "internal");
    logger.log("error", "request.failed", {
      requestId: id,
      path: c.req.path,
      cause: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return c.json({ error: "internal", message: "the gateway hit an unexpected error", requestId: id }, 500);
  });
  return app;
}
