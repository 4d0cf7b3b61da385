/** The edge gateway: request ids, health, metrics and the WebSocket route to zones. */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { createLogger } from "../../shared/log";
import { countHttpError, type GatewayVariables } from "./context";
import type { Env } from "./env";
import { requestId } from "./middleware/request-id";
import { healthRoutes } from "./routes/health";
import { metricsRoutes } from "./routes/metrics";
import { playRoutes } from "./routes/play";

export function createApp() {
  const app = new Hono<{ Bindings: Env; Variables: GatewayVariables }>();
  app.use("*", requestId());
  app.route("/", healthRoutes);
  app.route("/", metricsRoutes);
  app.route("/", playRoutes);

  app.notFound((c) => {
    countHttpError("not_found");
    return c.json({ error: "not_found", message: `no route for ${c.req.method} ${c.req.path}` }, 404);
  });

  app.onError((error, c) => {
    const id = c.get("requestId");
    if (error instanceof HTTPException) {
      const code = error.cause && typeof error.cause === "string" ? error.cause : `http_${error.status}`;
      countHttpError(code);
      const response = c.json({ error: code, message: error.message, requestId: id }, error.status);
      for (const [k, v] of error.getResponse().headers)
        if (k.toLowerCase() === "retry-after") response.headers.set(k, v);
      return response;
    }
    countHttpError("internal");
    createLogger("error", { component: "gateway" }).log("error", "request.failed", {
      requestId: id,
      path: c.req.path,
      cause: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return c.json({ error: "internal", message: "the gateway hit an unexpected error", requestId: id }, 500);
  });
  return app;
}
