/**
 * `npm run kpi` (bench/README.md, "KPI regression"): a short load stage against a fresh realm node,
 * its figures turned into ratios to the same run's floor (a ping's round trip on the same sockets,
 * which the zone answers without game logic; the password hash for joins), compared with the
 * baseline in bench/kpi-baseline.json. A ratio worse than the baseline by more than its tolerance
 * exits 1. It runs on a schedule (.github/workflows/kpi.yml), never in `.ci/run`: a noisy shared
 * machine must not block a change from landing. `--update-baseline` stores this run's ratios.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { timeHash } from "./lib/hash";
import { startRealmNode } from "./lib/realm-node";
import { machine } from "./lib/report";
import type { LoadResult } from "./load/result";
import { runLoad } from "./load/run";
import { loadScenario } from "./load/scenario";

const BASELINE = "bench/kpi-baseline.json";
const SCENARIO = "bench/load/scenarios/kpi.json";

interface Kpi {
  name: string;
  /** What the ratio is. */
  meaning: string;
  value: number | null;
}

interface Baseline {
  /** A ratio may grow to baseline × tolerance before the run fails. */
  tolerance: number;
  recordedAt: string;
  machine: ReturnType<typeof machine>;
  ratios: Record<string, number>;
}

const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a != null && b != null && b > 0 ? Math.round((a / b) * 100) / 100 : null;

function kpis(result: LoadResult, hash: number): Kpi[] {
  const node = result.nodes.find((n) => n.cpuSeconds !== null);
  const playerSeconds = result.samples.reduce((sum, s) => sum + s.players, 0);
  return [
    {
      name: "rtt_p99_vs_ping_p99",
      meaning: "a command's reply p99 over a ping's p99",
      value: ratio(result.rttMs.p99, result.pingMs?.p99),
    },
    {
      name: "rtt_p50_vs_ping_p50",
      meaning: "a command's reply p50 over a ping's p50",
      value: ratio(result.rttMs.p50, result.pingMs?.p50),
    },
    {
      name: "handoff_p99_vs_ping_p99",
      meaning: "a hand-off's p99 over a ping's p99",
      value: ratio(result.handoffMs.p99, result.pingMs?.p99),
    },
    {
      name: "join_p50_vs_hash",
      meaning: "the account flow's p50 over one password hash",
      value: ratio(result.joinMs.p50, hash),
    },
    {
      name: "cpu_ms_per_player_second",
      meaning: "workerd CPU per connected player per second, ms (over the hash's ms: the machine's speed)",
      value:
        node?.cpuSeconds != null && playerSeconds > 0 ? ratio((node.cpuSeconds * 1000) / playerSeconds, hash) : null,
    },
  ];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { "update-baseline": { type: "boolean" } } });
  const scenario = loadScenario(SCENARIO);
  const hash = await timeHash(1000);
  const node = await startRealmNode({}, (line) => process.stderr.write(`kpi: ${line}\n`));
  let result: LoadResult;
  try {
    process.stderr.write(`kpi: ${scenario.name}, ${scenario.stages.length} stages…\n`);
    result = await runLoad(scenario, { target: node.baseUrl });
  } finally {
    await node.stop();
  }
  const measured = kpis(result, hash);
  let baseline: Baseline | undefined;
  try {
    baseline = JSON.parse(readFileSync(BASELINE, "utf8")) as Baseline;
  } catch {
    baseline = undefined;
  }
  const failures: string[] = [];
  if (result.connects.failed > 0) failures.push(`${result.connects.failed} players could not join`);
  const rows = measured.map((kpi) => {
    const base = baseline?.ratios[kpi.name];
    const limit = base !== undefined && baseline ? Math.round(base * baseline.tolerance * 100) / 100 : undefined;
    const verdict =
      kpi.value === null ? "not measured" : limit === undefined ? "no baseline" : kpi.value <= limit ? "ok" : "WORSE";
    if (verdict === "WORSE") failures.push(`${kpi.name} ${kpi.value} > ${limit}`);
    return `| ${kpi.name} | ${kpi.meaning} | ${kpi.value ?? "—"} | ${base ?? "—"} | ${limit ?? "—"} | ${verdict} |`;
  });
  console.log(
    [
      `kpi — ${result.connects.succeeded}/${result.connects.attempted} players joined; RTT p99 ${result.rttMs.p99} ms, ping p99 ${result.pingMs?.p99} ms, hash ${hash.toFixed(1)} ms`,
      "",
      "| figure | ratio of | this run | baseline | limit | verdict |",
      "| --- | --- | ---: | ---: | ---: | --- |",
      ...rows,
    ].join("\n"),
  );
  console.log(JSON.stringify({ bench: "kpi", machine: machine(), hashMs: hash, kpis: measured, failures }));
  if (values["update-baseline"]) {
    const ratios = Object.fromEntries(measured.flatMap((k) => (k.value === null ? [] : [[k.name, k.value]])));
    const next: Baseline = {
      tolerance: baseline?.tolerance ?? 1.5,
      recordedAt: new Date().toISOString(),
      machine: machine(),
      ratios,
    };
    writeFileSync(BASELINE, `${JSON.stringify(next, null, 2)}\n`);
    console.error(`kpi: baseline written to ${BASELINE}`);
    return 0;
  }
  if (failures.length) {
    console.error(`kpi: worse than the baseline: ${failures.join("; ")}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`kpi: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
