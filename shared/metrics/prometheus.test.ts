import { describe, expect, it } from "vitest";
import { countAuth, countDatabase, countRequest, createGatewayCounters } from "./gateway";
import type { Histogram } from "./histogram";
import { renderClusterMetrics, renderPrometheus } from "./prometheus";
import type { RealmMetrics, ZoneReport } from "./report";

const histogram = (bounds: number[], counts: number[], sum: number): Histogram => ({
  bounds,
  counts,
  sum,
  count: counts.reduce((a, b) => a + b, 0),
});

function zone(zoneId: string, overrides: Partial<ZoneReport>): ZoneReport {
  return {
    zoneId,
    players: 0,
    tick: 0,
    tickRateHz: 10,
    ticksTotal: 0,
    ticksSkippedTotal: 0,
    tickDurationMs: histogram([1, 5], [0, 0, 0], 0),
    tickLatenessMs: histogram([10], [0, 0], 0),
    handoffMs: histogram([100], [0, 0], 0),
    commandsByType: {},
    errorsByCode: {},
    entities: 0,
    bytesSentTotal: 0,
    recent: { tickP50Ms: 0, tickP99Ms: 0, bytesPerPlayerPerSecond: 0 },
    reportedAt: 0,
    ...overrides,
  };
}

describe("renderPrometheus", () => {
  it("renders a small realm exactly: sorted zones, cumulative buckets, +Inf, sums and counts", () => {
    const metrics: RealmMetrics = {
      realm: "local",
      connectionCap: 5000,
      connectionsRefusedTotal: 3,
      // Deliberately out of order: the output is sorted by zone id.
      zones: [
        zone("market", {
          players: 2,
          tick: 120,
          ticksSkippedTotal: 4,
          tickDurationMs: histogram([1, 5], [3, 1, 2], 12.34567),
          tickLatenessMs: histogram([10], [5, 1], 20),
          handoffMs: histogram([100], [2, 1], 240),
          commandsByType: { say: 5, hello: 2 },
          errorsByCode: { rate_limited: 1 },
          entities: 40,
          bytesSentTotal: 123456,
          recent: { tickP50Ms: 0.8, tickP99Ms: 2.5, bytesPerPlayerPerSecond: 1500 },
        }),
        zone("forest", { players: 1, tick: 7, commandsByType: { ping: 1 } }),
      ],
    };
    const text = renderPrometheus(metrics, {
      ...createGatewayCounters(),
      httpErrorsByCode: { server_full: 2, invalid_zone: 1 },
    });
    // The gateway's own families follow the realm's (next test).
    expect(text.slice(0, text.indexOf("# HELP leviathan_http_requests_total"))).toBe(
      [
        "# HELP leviathan_connected_players WebSocket sessions attached to zones.",
        "# TYPE leviathan_connected_players gauge",
        'leviathan_connected_players{realm="local"} 3',
        "# HELP leviathan_zone_players WebSocket sessions attached to each zone.",
        "# TYPE leviathan_zone_players gauge",
        'leviathan_zone_players{realm="local",zone="forest"} 1',
        'leviathan_zone_players{realm="local",zone="market"} 2',
        "# HELP leviathan_connection_cap Most concurrent sessions the realm accepts.",
        "# TYPE leviathan_connection_cap gauge",
        'leviathan_connection_cap{realm="local"} 5000',
        "# HELP leviathan_connections_refused_total Upgrades refused because the cap was reached.",
        "# TYPE leviathan_connections_refused_total counter",
        'leviathan_connections_refused_total{realm="local"} 3',
        "# HELP leviathan_commands_total Client messages received, by type.",
        "# TYPE leviathan_commands_total counter",
        'leviathan_commands_total{realm="local",zone="forest",type="ping"} 1',
        'leviathan_commands_total{realm="local",zone="market",type="hello"} 2',
        'leviathan_commands_total{realm="local",zone="market",type="say"} 5',
        "# HELP leviathan_errors_total Errors sent to clients or answered by the gateway, by code.",
        "# TYPE leviathan_errors_total counter",
        'leviathan_errors_total{realm="local",zone="market",code="rate_limited"} 1',
        'leviathan_errors_total{realm="local",zone="",code="invalid_zone"} 1',
        'leviathan_errors_total{realm="local",zone="",code="server_full"} 2',
        "# HELP leviathan_zone_tick Number of the zone's last tick.",
        "# TYPE leviathan_zone_tick gauge",
        'leviathan_zone_tick{realm="local",zone="forest"} 7',
        'leviathan_zone_tick{realm="local",zone="market"} 120',
        "# HELP leviathan_zone_ticks_skipped_total Due ticks dropped by bounded catch-up.",
        "# TYPE leviathan_zone_ticks_skipped_total counter",
        'leviathan_zone_ticks_skipped_total{realm="local",zone="forest"} 0',
        'leviathan_zone_ticks_skipped_total{realm="local",zone="market"} 4',
        "# HELP leviathan_tick_duration_ms Time spent simulating one tick, milliseconds.",
        "# TYPE leviathan_tick_duration_ms histogram",
        'leviathan_tick_duration_ms_bucket{realm="local",zone="forest",le="1"} 0',
        'leviathan_tick_duration_ms_bucket{realm="local",zone="forest",le="5"} 0',
        'leviathan_tick_duration_ms_bucket{realm="local",zone="forest",le="+Inf"} 0',
        'leviathan_tick_duration_ms_sum{realm="local",zone="forest"} 0',
        'leviathan_tick_duration_ms_count{realm="local",zone="forest"} 0',
        'leviathan_tick_duration_ms_bucket{realm="local",zone="market",le="1"} 3',
        'leviathan_tick_duration_ms_bucket{realm="local",zone="market",le="5"} 4',
        'leviathan_tick_duration_ms_bucket{realm="local",zone="market",le="+Inf"} 6',
        'leviathan_tick_duration_ms_sum{realm="local",zone="market"} 12.346',
        'leviathan_tick_duration_ms_count{realm="local",zone="market"} 6',
        "# HELP leviathan_tick_lateness_ms How late a tick ran after it was due, milliseconds.",
        "# TYPE leviathan_tick_lateness_ms histogram",
        'leviathan_tick_lateness_ms_bucket{realm="local",zone="forest",le="10"} 0',
        'leviathan_tick_lateness_ms_bucket{realm="local",zone="forest",le="+Inf"} 0',
        'leviathan_tick_lateness_ms_sum{realm="local",zone="forest"} 0',
        'leviathan_tick_lateness_ms_count{realm="local",zone="forest"} 0',
        'leviathan_tick_lateness_ms_bucket{realm="local",zone="market",le="10"} 5',
        'leviathan_tick_lateness_ms_bucket{realm="local",zone="market",le="+Inf"} 6',
        'leviathan_tick_lateness_ms_sum{realm="local",zone="market"} 20',
        'leviathan_tick_lateness_ms_count{realm="local",zone="market"} 6',
        "# HELP leviathan_handoff_ms Characters handed over to the zone: from the zone taking one over to its session's welcome there, milliseconds.",
        "# TYPE leviathan_handoff_ms histogram",
        'leviathan_handoff_ms_bucket{realm="local",zone="forest",le="100"} 0',
        'leviathan_handoff_ms_bucket{realm="local",zone="forest",le="+Inf"} 0',
        'leviathan_handoff_ms_sum{realm="local",zone="forest"} 0',
        'leviathan_handoff_ms_count{realm="local",zone="forest"} 0',
        'leviathan_handoff_ms_bucket{realm="local",zone="market",le="100"} 2',
        'leviathan_handoff_ms_bucket{realm="local",zone="market",le="+Inf"} 3',
        'leviathan_handoff_ms_sum{realm="local",zone="market"} 240',
        'leviathan_handoff_ms_count{realm="local",zone="market"} 3',
        "# HELP leviathan_zone_tick_recent_ms Tick time quantiles over the zone's last report window (~2 s).",
        "# TYPE leviathan_zone_tick_recent_ms gauge",
        'leviathan_zone_tick_recent_ms{realm="local",zone="forest",quantile="0.5"} 0',
        'leviathan_zone_tick_recent_ms{realm="local",zone="forest",quantile="0.99"} 0',
        'leviathan_zone_tick_recent_ms{realm="local",zone="market",quantile="0.5"} 0.8',
        'leviathan_zone_tick_recent_ms{realm="local",zone="market",quantile="0.99"} 2.5',
        "# HELP leviathan_zone_entities Entities the zone simulates (field zones: players, enemies, missiles).",
        "# TYPE leviathan_zone_entities gauge",
        'leviathan_zone_entities{realm="local",zone="forest"} 0',
        'leviathan_zone_entities{realm="local",zone="market"} 40',
        "# HELP leviathan_zone_snapshot_bytes_total Snapshot bytes sent to players.",
        "# TYPE leviathan_zone_snapshot_bytes_total counter",
        'leviathan_zone_snapshot_bytes_total{realm="local",zone="forest"} 0',
        'leviathan_zone_snapshot_bytes_total{realm="local",zone="market"} 123456',
        "# HELP leviathan_zone_snapshot_bytes_per_player_per_second Snapshot bytes per player per second over the zone's last report window.",
        "# TYPE leviathan_zone_snapshot_bytes_per_player_per_second gauge",
        'leviathan_zone_snapshot_bytes_per_player_per_second{realm="local",zone="forest"} 0',
        'leviathan_zone_snapshot_bytes_per_player_per_second{realm="local",zone="market"} 1500',
        "",
      ].join("\n"),
    );
  });

  it("escapes backslashes, double quotes and newlines in label values", () => {
    const metrics: RealmMetrics = {
      realm: 'a"b\\c\nd',
      connectionCap: 1,
      connectionsRefusedTotal: 0,
      zones: [],
    };
    const text = renderPrometheus(metrics, createGatewayCounters());
    expect(text).toContain('leviathan_connection_cap{realm="a\\"b\\\\c\\nd"} 1\n');
    // Every sample stays on one line: an unescaped newline would split it.
    for (const line of text.trimEnd().split("\n")) expect(line).toMatch(/^(# (HELP|TYPE) |leviathan_)/);
  });

  it("renders a realm with no zones as zero players with every family still declared", () => {
    const text = renderPrometheus(
      { realm: "eu", connectionCap: 10, connectionsRefusedTotal: 0, zones: [] },
      createGatewayCounters(),
    );
    expect(text).toContain('leviathan_connected_players{realm="eu"} 0\n');
    expect(text.match(/^# TYPE /gm)).toHaveLength(24);
    expect(text).not.toContain("zone=");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("leaves the realm's cap and refusals out on a node that does not hold the directory", () => {
    const realm = { realm: "eu", connectionCap: 10, connectionsRefusedTotal: 3, zones: [] };
    const text = renderPrometheus(realm, createGatewayCounters(), undefined, { realmWide: false });
    expect(text).not.toContain("leviathan_connection_cap");
    expect(text).not.toContain("leviathan_connections_refused_total");
    expect(text.match(/^# TYPE /gm)).toHaveLength(22);
    expect(renderPrometheus(realm, createGatewayCounters())).toContain(
      'leviathan_connections_refused_total{realm="eu"} 3',
    );
  });

  it("renders the gateway's requests, account outcomes, Postgres sessions, the build, write-back and hand-offs owed exactly", () => {
    const gateway = createGatewayCounters();
    countRequest(gateway, "/auth/login", "POST", 200, 12);
    countRequest(gateway, "/auth/login", "POST", 401, 3);
    countRequest(gateway, "/auth/login", "POST", 401, 30_000);
    countRequest(gateway, "other", "GET", 404, 0.5);
    countAuth(gateway, "login", "ok");
    countAuth(gateway, "login", "invalid_credentials");
    countAuth(gateway, "login", "invalid_credentials");
    countDatabase(gateway, 7, false);
    countDatabase(gateway, 2000, true);
    const metrics: RealmMetrics = {
      realm: "eu",
      connectionCap: 10,
      connectionsRefusedTotal: 0,
      zones: [zone("market", { writeBack: { pending: 2, retriesTotal: 5 }, transfersOwed: 1 }), zone("forest", {})],
    };
    const text = renderPrometheus(metrics, gateway, { version: "1.2.3", protocol: 2 });
    expect(
      text.startsWith(
        [
          "# HELP leviathan_build_info The running build: always 1, its version and protocol as labels.",
          "# TYPE leviathan_build_info gauge",
          'leviathan_build_info{realm="eu",version="1.2.3",protocol="2"} 1',
          "",
        ].join("\n"),
      ),
    ).toBe(true);
    const buckets = (name: string, labels: string, counts: number[], sum: number) => [
      ...["1", "2.5", "5", "10", "25", "50", "100", "250", "500", "1000", "2500", "10000", "+Inf"].map(
        (le, i) => `${name}_bucket{${labels}le="${le}"} ${counts[i]}`,
      ),
      `${name}_sum{${labels.replace(/,$/, "")}} ${sum}`,
      `${name}_count{${labels.replace(/,$/, "")}} ${counts.at(-1)}`,
    ];
    expect(text.slice(text.indexOf("# HELP leviathan_http_requests_total"))).toBe(
      [
        "# HELP leviathan_http_requests_total HTTP requests answered by this gateway isolate, by route, method and status.",
        "# TYPE leviathan_http_requests_total counter",
        'leviathan_http_requests_total{realm="eu",route="/auth/login",method="POST",status="200"} 1',
        'leviathan_http_requests_total{realm="eu",route="/auth/login",method="POST",status="401"} 2',
        'leviathan_http_requests_total{realm="eu",route="other",method="GET",status="404"} 1',
        "# HELP leviathan_http_request_duration_ms HTTP request time from arrival to answer, milliseconds.",
        "# TYPE leviathan_http_request_duration_ms histogram",
        ...buckets(
          "leviathan_http_request_duration_ms",
          'realm="eu",route="/auth/login",',
          [0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3],
          30015,
        ),
        ...buckets(
          "leviathan_http_request_duration_ms",
          'realm="eu",route="other",',
          [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
          0.5,
        ),
        "# HELP leviathan_auth_total Account requests by action and outcome (ok, or the error code).",
        "# TYPE leviathan_auth_total counter",
        'leviathan_auth_total{realm="eu",action="login",outcome="invalid_credentials"} 2',
        'leviathan_auth_total{realm="eu",action="login",outcome="ok"} 1',
        "# HELP leviathan_database_session_ms One request's use of Postgres, connect to release, milliseconds.",
        "# TYPE leviathan_database_session_ms histogram",
        ...buckets("leviathan_database_session_ms", 'realm="eu",', [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2], 2007),
        "# HELP leviathan_database_errors_total Requests whose Postgres session failed (unreachable, or a query error).",
        "# TYPE leviathan_database_errors_total counter",
        'leviathan_database_errors_total{realm="eu"} 1',
        "# HELP leviathan_zones Zones that reported to the directory.",
        "# TYPE leviathan_zones gauge",
        'leviathan_zones{realm="eu"} 2',
        "# HELP leviathan_writeback_pending Character writes queued in each zone for Postgres.",
        "# TYPE leviathan_writeback_pending gauge",
        'leviathan_writeback_pending{realm="eu",zone="forest"} 0',
        'leviathan_writeback_pending{realm="eu",zone="market"} 2',
        "# HELP leviathan_transfers_owed Travellers each zone took out of its world and has not yet handed over (hand-offs being retried).",
        "# TYPE leviathan_transfers_owed gauge",
        'leviathan_transfers_owed{realm="eu",zone="forest"} 0',
        'leviathan_transfers_owed{realm="eu",zone="market"} 1',
        "# HELP leviathan_writeback_retries_total Character writes each zone had to retry.",
        "# TYPE leviathan_writeback_retries_total counter",
        'leviathan_writeback_retries_total{realm="eu",zone="forest"} 0',
        'leviathan_writeback_retries_total{realm="eu",zone="market"} 5',
        "",
      ].join("\n"),
    );
  });
});

describe("renderClusterMetrics", () => {
  it("renders each node's lease, drain and objects by binding, sorted, and the objects between owners", () => {
    const text = renderClusterMetrics(
      "eu",
      [
        { node: "node-b", up: false, draining: false, objects: {} },
        { node: "node-a", up: true, draining: true, objects: { ZONES: 3, DIRECTORY: 1 } },
      ],
      2,
    );
    expect(text).toBe(
      [
        "# HELP leviathan_cluster_node_up 1 while the node's lease in Postgres is running, else 0.",
        "# TYPE leviathan_cluster_node_up gauge",
        'leviathan_cluster_node_up{realm="eu",member="node-a"} 1',
        'leviathan_cluster_node_up{realm="eu",member="node-b"} 0',
        "# HELP leviathan_cluster_node_draining 1 while the node is drained (it receives no new objects).",
        "# TYPE leviathan_cluster_node_draining gauge",
        'leviathan_cluster_node_draining{realm="eu",member="node-a"} 1',
        'leviathan_cluster_node_draining{realm="eu",member="node-b"} 0',
        "# HELP leviathan_cluster_node_objects Objects (zones, directory, limiter) each node owns.",
        "# TYPE leviathan_cluster_node_objects gauge",
        'leviathan_cluster_node_objects{realm="eu",member="node-a",namespace="DIRECTORY"} 1',
        'leviathan_cluster_node_objects{realm="eu",member="node-a",namespace="ZONES"} 3',
        "# HELP leviathan_cluster_objects_unsettled Objects moving or waiting for their new owner to copy them in (unavailable meanwhile).",
        "# TYPE leviathan_cluster_objects_unsettled gauge",
        'leviathan_cluster_objects_unsettled{realm="eu"} 2',
        "",
      ].join("\n"),
    );
  });
});
