import { Hono } from "hono";
import { directoryObjectName } from "../../../shared/config";
import { renderPrometheus } from "../../../shared/metrics/prometheus";
import { gatewayCounters, realmConfig } from "../context";
import type { Env } from "../env";

/** Prometheus text: realm totals from the directory plus this isolate's HTTP error counters. */
export const metricsRoutes = new Hono<{ Bindings: Env }>().get("/metrics", async (c) => {
  const { realm } = realmConfig(c.env);
  const metrics = await c.env.DIRECTORY.getByName(directoryObjectName(realm)).metrics();
  return c.text(renderPrometheus(metrics, gatewayCounters), 200, {
    "content-type": "text/plain; version=0.0.4; charset=utf-8",
  });
});
