import { Hono } from "hono";
import { clusterOverview, objectsOf } from "../../../durable/cluster/placements";
import { clusterRouter } from "../../../durable/cluster/routed-env";
import packageJson from "../../../package.json";
import { directoryObjectName, zoneObjectName } from "../../../shared/config";
import { withDatabase } from "../../../shared/db/client";
import { renderClusterMetrics, renderPrometheus } from "../../../shared/metrics/prometheus";
import { PROTOCOL_VERSION } from "../../../shared/protocol/version";
import { gatewayCounters, realmConfig } from "../context";
import type { Env } from "../env";

const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * Prometheus text: realm totals from the directory, this isolate's HTTP, account and Postgres
 * counters, the build, and on a node of a cluster the nodes' leases and placements.
 */
export const metricsRoutes = new Hono<{ Bindings: Env }>().get("/metrics", async (c) => {
  const { realm } = realmConfig(c.env);
  const directory = c.env.DIRECTORY.getByName(directoryObjectName(realm));
  const build = { version: packageJson.version, protocol: PROTOCOL_VERSION };
  const router = clusterRouter(c.env);
  if (!router) {
    return c.text(renderPrometheus(await directory.metrics(), gatewayCounters, build), 200, {
      "content-type": CONTENT_TYPE,
    });
  }
  // While the directory moves between nodes its figures are missing, but the membership is not:
  // that is when the cluster's alerts must still see it.
  const metrics = await directory
    .metrics()
    .catch(() => ({ realm, connectionCap: 0, connectionsRefusedTotal: 0, zones: [] }));
  // A node of a cluster renders the zones it owns (so sums over nodes count each zone once), the
  // realm's cap where the directory lives, and the membership every node sees alike.
  const { overview, mine } = await withDatabase(router.settings.database, async (db) => ({
    overview: await clusterOverview(db, realm),
    mine: await objectsOf(db, realm, router.settings.nodeId),
  }));
  const zones = mine.get("ZONES") ?? new Set<string>();
  const text =
    renderPrometheus(
      { ...metrics, zones: metrics.zones.filter((zone) => zones.has(zoneObjectName(realm, zone.zoneId))) },
      gatewayCounters,
      build,
      { realmWide: mine.get("DIRECTORY")?.has(directoryObjectName(realm)) ?? false },
    ) + renderClusterMetrics(realm, overview.nodes, overview.unsettled);
  return c.text(text, 200, {
    "content-type": CONTENT_TYPE,
  });
});
