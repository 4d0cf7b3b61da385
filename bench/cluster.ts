/**
 * `npm run bench:cluster` (bench/README.md): a clustered realm on this machine — a fresh Postgres
 * and `--nodes` workerd nodes started as an operator starts them (docs/selfhost.md) — loaded with
 * `--players` guests spread over `--zones` instances of Lanternmere, joining through every node's
 * gateway in turn (as a proxy would spread them). Reports each node's CPU and memory, where the
 * zones were placed, the Postgres load, and the players' reply and ping round trips: the per-node
 * figures the sizing table in docs/performance.md is built from.
 */
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrateDatabase } from "../scripts/lib/migrate.mjs";
import { startPostgres } from "../scripts/lib/postgres.mjs";
import { build } from "../selfhost/workerd.mjs";
import { ClusterNode } from "../test/support/cluster";
import { onShutdown, tempDir } from "./lib/process";
import { machine } from "./lib/report";
import { runLoad } from "./load/run";
import { Scenario } from "./load/scenario";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "3" },
    players: { type: "string", default: "600" },
    zones: { type: "string", default: "60" },
    "ramp-seconds": { type: "string", default: "60" },
    "hold-seconds": { type: "string", default: "60" },
    mix: { type: "string", default: "play" },
  },
});
const nodeCount = Number(values.nodes);
const players = Number(values.players);
const zones = Number(values.zones);
const ramp = Number(values["ramp-seconds"]);
const hold = Number(values["hold-seconds"]);
if (
  ![nodeCount, players, zones, ramp, hold].every((n) => Number.isInteger(n) && n > 0) ||
  nodeCount > 26 ||
  (values.mix !== "play" && values.mix !== "idle")
) {
  console.error(
    "usage: npm run bench:cluster -- [--nodes 3 (1-26)] [--players 600] [--zones 60] [--ramp-seconds 60] [--hold-seconds 60] [--mix play|idle]",
  );
  process.exit(2);
}
const log = (line: string) => process.stderr.write(`bench:cluster: ${line}\n`);

async function postgresLoad(url: string): Promise<{ commits: number; rowsWritten: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT xact_commit::float8 AS commits, (tup_inserted + tup_updated + tup_deleted)::float8 AS rows FROM pg_stat_database WHERE datname = current_database()",
    );
    return { commits: rows[0].commits, rowsWritten: rows[0].rows };
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), "leviathan-bench-cluster-"));
  chmodSync(root, 0o755); // as root, the postgres user must reach its data directory
  tempDir(root, true);
  log("Postgres…");
  const database = await startPostgres({ dataDir: join(root, "pg") });
  const databaseUrl = database.url;
  await migrateDatabase(databaseUrl);
  log("building the Worker…");
  const dist = build(join(root, "dist"));
  const nodes: ClusterNode[] = [];
  // Nodes run in process groups of their own: stopped here however the run ends, never left behind.
  const stopAll = async () => {
    for (const node of nodes.splice(0)) await node.kill();
    await database.stop();
    tempDir(root, false);
  };
  onShutdown(stopAll);
  try {
    return await measure(databaseUrl, dist, root, nodes);
  } finally {
    await stopAll();
  }
}

async function measure(databaseUrl: string, dist: string, root: string, nodes: ClusterNode[]): Promise<number> {
  for (let i = 0; i < nodeCount; i++) {
    const id = String.fromCharCode(97 + i);
    log(`node ${id}…`);
    nodes.push(
      await ClusterNode.start(id, {
        REALM: "bench",
        DATABASE_URL: databaseUrl,
        JWT_SECRET: "bench-secret-that-is-long-enough-0123456789",
        NODE_SECRET: "bench-node-secret-that-is-long-enough-0123",
        LEVIATHAN_DATA_ROOT: join(root, "nodes"),
        LEVIATHAN_DIST_DIR: dist,
        ALLOW_GUESTS: "true",
        MAX_CONNECTIONS: "19000",
        AUTH_RATE_PER_IP: "1000000",
        TICKET_RATE_PER_ACCOUNT: "1000000",
        LOG_LEVEL: "warn",
      }),
    );
  }
  const scenario = Scenario.parse({
    name: `cluster-${nodeCount}x${players}`,
    stages: [
      { kind: "ramp", players, seconds: ramp },
      { kind: "hold", seconds: hold },
      { kind: "ramp-down", seconds: 5 },
    ],
    behaviours: values.mix === "idle" ? { idle: 1 } : { idle: 1, wander: 4, chat: 2, fight: 1, travel: 1 },
    guests: { zone: "start", instances: zones },
    maxConcurrentJoins: 64,
  });
  const gateways = nodes.map((n) => n.baseUrl);
  const pgBefore = await postgresLoad(databaseUrl);
  const result = await runLoad(scenario, {
    target: gateways[0] as string,
    gateways,
    progress: (p) => {
      if (p.t % 10 === 0) log(`${p.t}/${p.total} s: ${p.online}/${p.target} online, rtt p99 ${p.rttP99Ms ?? "—"} ms`);
    },
  });
  const pgAfter = await postgresLoad(databaseUrl);
  const placed = await placementsByNode(databaseUrl);
  const seconds = result.durationSeconds;
  const peak = Math.max(0, ...result.samples.map((s) => s.players));
  const workerds = result.nodes.filter((n) => n.source === "proc" && (n.cpuSeconds ?? 0) > 0);
  const mb = (bytes: number | null) => (bytes === null ? "—" : String(Math.round(bytes / 2 ** 20)));
  console.log(
    [
      `bench:cluster — ${nodeCount} nodes on one machine (${machine().cores} cores), ${players} guests over ${zones} zones (${values.mix}), through every node's gateway in turn`,
      "",
      `Players online (peak) ${peak}; connected ${result.connects.succeeded}/${result.connects.attempted}; reply p50/p99 ${result.rttMs.p50}/${result.rttMs.p99} ms; ping p99 ${result.pingMs?.p99 ?? "—"} ms; hand-off p50/p99 ${result.handoffMs.p50}/${result.handoffMs.p99} ms; generator lag p99 ${result.generatorLagP99Ms} ms.`,
      `Objects placed per node: ${[...placed].map(([node, n]) => `${node} ${n}`).join(", ")}.`,
      `Postgres over the run: ${Math.round((pgAfter.commits - pgBefore.commits) / seconds)} commits/s, ${Math.round((pgAfter.rowsWritten - pgBefore.rowsWritten) / seconds)} rows written/s.`,
      "",
      "| workerd process | CPU % of a core | RSS MB | peak RSS MB |",
      "| --- | ---: | ---: | ---: |",
      ...workerds.map((n) => `| ${n.name} | ${n.cpuPercent ?? "—"} | ${mb(n.rssBytes)} | ${mb(n.peakRssBytes)} |`),
    ].join("\n"),
  );
  console.log(
    JSON.stringify({
      bench: "cluster",
      nodes: nodeCount,
      players,
      zones,
      mix: values.mix,
      machine: machine(),
      peakOnline: peak,
      connects: result.connects,
      rttMs: result.rttMs,
      pingMs: result.pingMs,
      handoffMs: result.handoffMs,
      placed: Object.fromEntries(placed),
      postgres: {
        commitsPerSecond: (pgAfter.commits - pgBefore.commits) / seconds,
        rowsWrittenPerSecond: (pgAfter.rowsWritten - pgBefore.rowsWritten) / seconds,
      },
      workerds,
      errors: result.errors,
    }),
  );
  return result.connects.succeeded > 0 ? 0 : 1;
}

async function placementsByNode(url: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT node_id, count(*)::int AS n FROM object_placements GROUP BY node_id ORDER BY node_id",
    );
    return new Map(rows.map((r) => [r.node_id as string, r.n as number]));
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench:cluster: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
