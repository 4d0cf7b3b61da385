/**
 * The monitoring bundle (docs/operations.md): Prometheus' config and alert rules pass promtool's
 * checks and unit tests, and every Grafana panel is valid PromQL over metrics the realm exports.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { countAuth, countDatabase, countRequest, createGatewayCounters } from "../../shared/metrics/gateway";
import {
  createHistogram,
  HANDOFF_BOUNDS_MS,
  TICK_DURATION_BOUNDS_MS,
  TICK_LATENESS_BOUNDS_MS,
} from "../../shared/metrics/histogram";
import { renderClusterMetrics, renderPrometheus } from "../../shared/metrics/prometheus";
import { renderProcessMetrics } from "../process-metrics.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "leviathan-monitoring-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function promtool(...args: string[]) {
  const run = spawnSync("promtool", args, { cwd: HERE, encoding: "utf8" });
  if (run.error) throw new Error(`promtool did not run (apt-get install prometheus): ${run.error.message}`);
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Every sample name the realm's /metrics and a node's process metrics can show. */
function exportedNames(): Set<string> {
  const gateway = createGatewayCounters();
  countRequest(gateway, "/healthz", "GET", 200, 1);
  countAuth(gateway, "login", "ok");
  countDatabase(gateway, 3, false);
  const zone = {
    zoneId: "start",
    players: 1,
    tick: 1,
    tickRateHz: 20,
    ticksTotal: 1,
    ticksSkippedTotal: 0,
    tickDurationMs: createHistogram(TICK_DURATION_BOUNDS_MS),
    tickLatenessMs: createHistogram(TICK_LATENESS_BOUNDS_MS),
    handoffMs: createHistogram(HANDOFF_BOUNDS_MS),
    commandsByType: { hello: 1 },
    errorsByCode: { bad_json: 1 },
    entities: 1,
    bytesSentTotal: 1,
    writeBack: { pending: 0, retriesTotal: 0 },
    recent: { tickP50Ms: 1, tickP99Ms: 1, bytesPerPlayerPerSecond: 1 },
    reportedAt: 0,
  };
  const realm = renderPrometheus(
    { realm: "local", connectionCap: 1, connectionsRefusedTotal: 0, zones: [zone] },
    gateway,
    { version: "0", protocol: 2 },
  );
  const process = renderProcessMetrics(
    { residentBytes: 1, openFds: 1, maxFds: 2, cpuSeconds: 1 },
    { node: "n", process: "workerd" },
  );
  const cluster = renderClusterMetrics("local", [{ node: "a", up: true, draining: false, objects: { ZONES: 1 } }], 0);
  const names = new Set(["up"]);
  for (const line of `${realm}${process}${cluster}`.split("\n")) {
    const name = /^([a-z_][a-z0-9_]*)[{ ]/.exec(line)?.[1];
    if (name) names.add(name);
  }
  return names;
}

const dashboards = readdirSync(join(HERE, "grafana/dashboards")).map((file) => ({
  file,
  json: JSON.parse(readFileSync(join(HERE, "grafana/dashboards", file), "utf8")) as {
    uid: string;
    title: string;
    panels: {
      id: number;
      title: string;
      datasource: { uid: string };
      targets: { expr: string; datasource: { uid: string } }[];
    }[];
    templating: { list: { name: string; query: { query: string } }[] };
  },
}));

/** A dashboard expression as Prometheus would get it: Grafana's variables filled in. */
const concrete = (expr: string) => expr.replaceAll("$__rate_interval", "5m").replace(/\$(\w+)/g, "x");

describe("monitoring bundle", () => {
  it("has a Prometheus config and alert rules promtool accepts", () => {
    const config = promtool("check", "config", "prometheus.yml");
    expect(config.output).toContain("SUCCESS");
    expect(config.code).toBe(0);
    const rules = promtool("check", "rules", "alerts.yml");
    expect(rules.output).toContain("SUCCESS: 9 rules found");
    expect(rules.code).toBe(0);
  });

  it("raises each alert on the series that should raise it, and no other (promtool test rules)", () => {
    const tests = promtool("test", "rules", "alerts.test.yml");
    expect(tests.output).toContain("SUCCESS");
    expect(tests.code).toBe(0);
  });

  it("alerts only on metrics the realm exports", () => {
    const names = exportedNames();
    const rules = readFileSync(join(HERE, "alerts.yml"), "utf8");
    const used = [...rules.matchAll(/\b(leviathan_[a-z0-9_]+)/g)].map((m) => m[1] as string);
    expect(used.length).toBeGreaterThan(5);
    for (const name of used) expect(names, name).toContain(name);
  });

  it("has dashboards whose every panel is valid PromQL over exported metrics, from the provisioned source", () => {
    const names = exportedNames();
    const datasource = /uid: (\S+)/.exec(
      readFileSync(join(HERE, "grafana/provisioning/datasources/prometheus.yml"), "utf8"),
    )?.[1];
    expect(dashboards.map((d) => d.file).sort()).toEqual([
      "node-detail.json",
      "realm-overview.json",
      "zone-detail.json",
    ]);
    expect(new Set(dashboards.map((d) => d.json.uid)).size).toBe(dashboards.length);
    const exprs: string[] = [];
    for (const { file, json } of dashboards) {
      expect(json.panels.length, file).toBeGreaterThan(5);
      expect(new Set(json.panels.map((p) => p.id)).size, file).toBe(json.panels.length);
      for (const panel of json.panels) {
        expect(panel.datasource.uid, `${file}: ${panel.title}`).toBe(datasource);
        expect(panel.targets.length, `${file}: ${panel.title}`).toBeGreaterThan(0);
        for (const target of panel.targets) {
          expect(target.datasource.uid).toBe(datasource);
          exprs.push(target.expr);
        }
      }
      for (const variable of json.templating.list) {
        const metric = /label_values\((\w+),/.exec(variable.query.query)?.[1];
        expect(names, `${file}: $${variable.name}`).toContain(metric);
      }
    }
    for (const expr of exprs) {
      const used = [...expr.matchAll(/\b(leviathan_[a-z0-9_]+|up)\b/g)].map((m) => m[1] as string);
      expect(used.length, expr).toBeGreaterThan(0);
      for (const name of used) expect(names, `${name} in ${expr}`).toContain(name);
    }
    // Each expression as a recording rule: promtool parses it as Prometheus would.
    const rules = {
      groups: [
        {
          name: "dashboards",
          rules: exprs.map((expr, i) => ({ record: `dashboard:expr_${i}`, expr: concrete(expr) })),
        },
      ],
    };
    writeFileSync(join(scratch, "dashboards.rules.yml"), JSON.stringify(rules));
    const parsed = promtool("check", "rules", join(scratch, "dashboards.rules.yml"));
    expect(parsed.output).toContain(`SUCCESS: ${exprs.length} rules found`);
    expect(parsed.code).toBe(0);
  });
});
