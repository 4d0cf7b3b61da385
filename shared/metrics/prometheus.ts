/**
 * Renders realm metrics in the Prometheus text exposition format (version 0.0.4).
 * Pure, so the exact output is unit-tested.
 */
import type { Histogram } from "./histogram";
import type { RealmMetrics } from "./report";

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",");
  return body ? `{${body}}` : "";
}

class Exposition {
  private readonly lines: string[] = [];

  family(name: string, type: "counter" | "gauge" | "histogram", help: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    return this;
  }

  sample(name: string, labelPairs: Record<string, string>, value: number): this {
    const text = Number.isFinite(value) ? String(value) : value > 0 ? "+Inf" : "NaN";
    this.lines.push(`${name}${labels(labelPairs)} ${text}`);
    return this;
  }

  histogram(name: string, labelPairs: Record<string, string>, histogram: Histogram): this {
    let cumulative = 0;
    histogram.bounds.forEach((bound, i) => {
      cumulative += histogram.counts[i] ?? 0;
      this.sample(`${name}_bucket`, { ...labelPairs, le: String(bound) }, cumulative);
    });
    this.sample(`${name}_bucket`, { ...labelPairs, le: "+Inf" }, histogram.count);
    this.sample(`${name}_sum`, labelPairs, Number(histogram.sum.toFixed(3)));
    this.sample(`${name}_count`, labelPairs, histogram.count);
    return this;
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

/** A counter map's entries in the order of their keys (their labels joined), so output is stable. */
const sortedByKey = <T>(map: ReadonlyMap<string, T>): T[] =>
  [...map].sort(([a], [b]) => a.localeCompare(b)).map(([, entry]) => entry);

/** Gateway-local counters that live outside any zone (one set per isolate). */
export interface GatewayCounters {
  httpErrorsByCode: Record<string, number>;
  /** Requests answered, by route pattern, method and status. */
  httpRequests: Map<string, { route: string; method: string; status: string; count: number }>;
  /** Time from a request's arrival to its answer, by route pattern. */
  httpDurationMs: Map<string, Histogram>;
  /** Account requests by action (register, login, refresh, logout, ticket) and outcome (ok or the error code). */
  authOutcomes: Map<string, { action: string; outcome: string; count: number }>;
  /** Each request's session with Postgres (connect, queries, release), and the sessions that failed. */
  databaseMs: Histogram;
  databaseErrors: number;
}

/** What the running code is: its version and the newest protocol it speaks. */
export interface BuildInfo {
  version: string;
  protocol: number;
}

/**
 * `realmWide: false` leaves out the realm's connection cap and refusals: on a node of a cluster only
 * the node that holds the directory renders them, so summing over nodes counts them once (the zone
 * families are already per node there: each node renders the zones it owns).
 */
export function renderPrometheus(
  realm: RealmMetrics,
  gateway: GatewayCounters,
  build?: BuildInfo,
  options: { realmWide?: boolean } = {},
): string {
  const out = new Exposition();
  const r = { realm: realm.realm };
  if (build) {
    out.family("leviathan_build_info", "gauge", "The running build: always 1, its version and protocol as labels.");
    out.sample("leviathan_build_info", { ...r, version: build.version, protocol: String(build.protocol) }, 1);
  }
  const zones = [...realm.zones].sort((a, b) => a.zoneId.localeCompare(b.zoneId));
  const players = zones.reduce((total, zone) => total + zone.players, 0);

  out.family("leviathan_connected_players", "gauge", "WebSocket sessions attached to zones.");
  out.sample("leviathan_connected_players", r, players);
  out.family("leviathan_zone_players", "gauge", "WebSocket sessions attached to each zone.");
  for (const zone of zones) out.sample("leviathan_zone_players", { ...r, zone: zone.zoneId }, zone.players);

  if (options.realmWide !== false) {
    out.family("leviathan_connection_cap", "gauge", "Most concurrent sessions the realm accepts.");
    out.sample("leviathan_connection_cap", r, realm.connectionCap);
    out.family("leviathan_connections_refused_total", "counter", "Upgrades refused because the cap was reached.");
    out.sample("leviathan_connections_refused_total", r, realm.connectionsRefusedTotal);
  }

  out.family("leviathan_commands_total", "counter", "Client messages received, by type.");
  for (const zone of zones) {
    for (const [type, count] of Object.entries(zone.commandsByType).sort()) {
      out.sample("leviathan_commands_total", { ...r, zone: zone.zoneId, type }, count);
    }
  }

  out.family("leviathan_errors_total", "counter", "Errors sent to clients or answered by the gateway, by code.");
  for (const zone of zones) {
    for (const [code, count] of Object.entries(zone.errorsByCode).sort()) {
      out.sample("leviathan_errors_total", { ...r, zone: zone.zoneId, code }, count);
    }
  }
  for (const [code, count] of Object.entries(gateway.httpErrorsByCode).sort()) {
    out.sample("leviathan_errors_total", { ...r, zone: "", code }, count);
  }

  out.family("leviathan_zone_tick", "gauge", "Number of the zone's last tick.");
  for (const zone of zones) out.sample("leviathan_zone_tick", { ...r, zone: zone.zoneId }, zone.tick);
  out.family("leviathan_zone_ticks_skipped_total", "counter", "Due ticks dropped by bounded catch-up.");
  for (const zone of zones) {
    out.sample("leviathan_zone_ticks_skipped_total", { ...r, zone: zone.zoneId }, zone.ticksSkippedTotal);
  }

  out.family("leviathan_tick_duration_ms", "histogram", "Time spent simulating one tick, milliseconds.");
  for (const zone of zones)
    out.histogram("leviathan_tick_duration_ms", { ...r, zone: zone.zoneId }, zone.tickDurationMs);
  out.family("leviathan_tick_lateness_ms", "histogram", "How late a tick ran after it was due, milliseconds.");
  for (const zone of zones)
    out.histogram("leviathan_tick_lateness_ms", { ...r, zone: zone.zoneId }, zone.tickLatenessMs);
  out.family(
    "leviathan_handoff_ms",
    "histogram",
    "Characters handed over to the zone: from the zone taking one over to its session's welcome there, milliseconds.",
  );
  for (const zone of zones) out.histogram("leviathan_handoff_ms", { ...r, zone: zone.zoneId }, zone.handoffMs);

  out.family(
    "leviathan_zone_tick_recent_ms",
    "gauge",
    "Tick time quantiles over the zone's last report window (~2 s).",
  );
  for (const zone of zones) {
    out.sample("leviathan_zone_tick_recent_ms", { ...r, zone: zone.zoneId, quantile: "0.5" }, zone.recent.tickP50Ms);
    out.sample("leviathan_zone_tick_recent_ms", { ...r, zone: zone.zoneId, quantile: "0.99" }, zone.recent.tickP99Ms);
  }
  out.family(
    "leviathan_zone_entities",
    "gauge",
    "Entities the zone simulates (field zones: players, enemies, missiles).",
  );
  for (const zone of zones) out.sample("leviathan_zone_entities", { ...r, zone: zone.zoneId }, zone.entities);
  out.family("leviathan_zone_snapshot_bytes_total", "counter", "Snapshot bytes sent to players.");
  for (const zone of zones)
    out.sample("leviathan_zone_snapshot_bytes_total", { ...r, zone: zone.zoneId }, zone.bytesSentTotal);
  out.family(
    "leviathan_zone_snapshot_bytes_per_player_per_second",
    "gauge",
    "Snapshot bytes per player per second over the zone's last report window.",
  );
  for (const zone of zones) {
    out.sample(
      "leviathan_zone_snapshot_bytes_per_player_per_second",
      { ...r, zone: zone.zoneId },
      zone.recent.bytesPerPlayerPerSecond,
    );
  }
  out.family(
    "leviathan_http_requests_total",
    "counter",
    "HTTP requests answered by this gateway isolate, by route, method and status.",
  );
  for (const { route, method, status, count } of sortedByKey(gateway.httpRequests)) {
    out.sample("leviathan_http_requests_total", { ...r, route, method, status }, count);
  }
  out.family(
    "leviathan_http_request_duration_ms",
    "histogram",
    "HTTP request time from arrival to answer, milliseconds.",
  );
  for (const [route, histogram] of [...gateway.httpDurationMs].sort(([a], [b]) => a.localeCompare(b))) {
    out.histogram("leviathan_http_request_duration_ms", { ...r, route }, histogram);
  }
  out.family("leviathan_auth_total", "counter", "Account requests by action and outcome (ok, or the error code).");
  for (const { action, outcome, count } of sortedByKey(gateway.authOutcomes)) {
    out.sample("leviathan_auth_total", { ...r, action, outcome }, count);
  }
  out.family(
    "leviathan_database_session_ms",
    "histogram",
    "One request's use of Postgres, connect to release, milliseconds.",
  );
  out.histogram("leviathan_database_session_ms", r, gateway.databaseMs);
  out.family(
    "leviathan_database_errors_total",
    "counter",
    "Requests whose Postgres session failed (unreachable, or a query error).",
  );
  out.sample("leviathan_database_errors_total", r, gateway.databaseErrors);

  out.family("leviathan_zones", "gauge", "Zones that reported to the directory.");
  out.sample("leviathan_zones", r, zones.length);
  out.family("leviathan_writeback_pending", "gauge", "Character writes queued in each zone for Postgres.");
  for (const zone of zones)
    out.sample("leviathan_writeback_pending", { ...r, zone: zone.zoneId }, zone.writeBack?.pending ?? 0);
  out.family(
    "leviathan_transfers_owed",
    "gauge",
    "Travellers each zone took out of its world and has not yet handed over (hand-offs being retried).",
  );
  for (const zone of zones)
    out.sample("leviathan_transfers_owed", { ...r, zone: zone.zoneId }, zone.transfersOwed ?? 0);
  out.family("leviathan_writeback_retries_total", "counter", "Character writes each zone had to retry.");
  for (const zone of zones) {
    out.sample("leviathan_writeback_retries_total", { ...r, zone: zone.zoneId }, zone.writeBack?.retriesTotal ?? 0);
  }
  return out.toString();
}

/** One node of a clustered realm as the placement table sees it (docs/selfhost.md). */
export interface ClusterNodeFigures {
  node: string;
  /** Its lease is running. */
  up: boolean;
  draining: boolean;
  /** Objects it owns, by binding (ZONES, DIRECTORY, LIMITER). */
  objects: Record<string, number>;
}

/**
 * The cluster's membership and placement, rendered by every node of a clustered realm: which nodes
 * hold a lease, how many objects each owns, and how many objects are between owners right now. The
 * node a sample is about is its `member` label: `node` is what Prometheus configs put on each target
 * (the node scraped), and a scraped label of the same name would be renamed away.
 */
export function renderClusterMetrics(realm: string, nodes: ClusterNodeFigures[], unsettled: number): string {
  const out = new Exposition();
  const sorted = [...nodes].sort((a, b) => a.node.localeCompare(b.node));
  out.family("leviathan_cluster_node_up", "gauge", "1 while the node's lease in Postgres is running, else 0.");
  for (const n of sorted) out.sample("leviathan_cluster_node_up", { realm, member: n.node }, n.up ? 1 : 0);
  out.family("leviathan_cluster_node_draining", "gauge", "1 while the node is drained (it receives no new objects).");
  for (const n of sorted) out.sample("leviathan_cluster_node_draining", { realm, member: n.node }, n.draining ? 1 : 0);
  out.family("leviathan_cluster_node_objects", "gauge", "Objects (zones, directory, limiter) each node owns.");
  for (const n of sorted) {
    for (const namespace of Object.keys(n.objects).sort()) {
      out.sample("leviathan_cluster_node_objects", { realm, member: n.node, namespace }, n.objects[namespace] ?? 0);
    }
  }
  out.family(
    "leviathan_cluster_objects_unsettled",
    "gauge",
    "Objects moving or waiting for their new owner to copy them in (unavailable meanwhile).",
  );
  out.sample("leviathan_cluster_objects_unsettled", { realm }, unsettled);
  return out.toString();
}
