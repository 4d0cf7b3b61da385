import { Hono } from "hono";
import packageJson from "../../../package.json";
import { directoryObjectName } from "../../../shared/config";
import { renderPrometheus } from "../../../shared/metrics/prometheus";
import { PROTOCOL_VERSION } from "../../../shared/protocol/version";
import { gatewayCounters, realmConfig } from "../context";
import type { Env } from "../env";

/** Prometheus text: realm totals from the directory, this isolate's HTTP, account and Postgres counters, the build. */
export const metricsRoutes = new Hono<{ Bindings: Env }>().get("/metrics", async (c) => {
  const { realm } = realmConfig(c.env);
  const metrics = await c.env.DIRECTORY.getByName(directoryObjectName(realm)).metrics();
  const build = { version: packageJson.version, protocol: PROTOCOL_VERSION };
  return c.text(renderPrometheus(metrics, gatewayCounters, build), 200, {
    "content-type": "text/plain; version=0.0.4; charset=utf-8",
  });
});
