/**
 * One measurement: a target with `players` bots. Start the server, connect the bots in batches
 * (progress on stderr), scatter them, let them play through the warm-up, reset the server's
 * stats, measure, read the stats back, and stop everything, whatever happened.
 */
import { snapshotEvery } from "../../shared/field/snapshot";
import { nearestRank } from "../../shared/metrics/window";
import { BotFleet, type FleetMeasurement } from "./bots";
import type { BenchScenario, BenchTarget, ServerStats } from "./target";
import { sleep, withTimeout } from "./time";

/** What decided a run: it passed, the server was too slow, it refused bots, the bots were the limit. */
export type Verdict = "pass" | "slow" | "refused" | "bots" | "error";

export interface RunResult {
  target: string;
  players: number;
  connected: number;
  verdict: Verdict;
  reason?: string;
  server?: ServerStats;
  client?: {
    bytesPerPlayerPerSecond: number;
    /** Update frames per bot per second (undefined when the target does not report them). */
    snapshotsPerSecond?: number;
    ackP50Ms: number;
    ackP99Ms: number;
    ackSamples: number;
    inputs: number;
    errors: Record<string, number>;
    verifyFailures: Record<string, number>;
  };
  bots?: { lagP99Ms: number; lagMaxMs: number; cpuPercent: number };
}

export interface RunOptions {
  targetP99Ms: number;
  connectBatch: number;
  /** Event-loop lag p99 of the bot process above which the bots, not the server, are the limit. */
  botLagLimitMs: number;
}

const START_TIMEOUT_MS = 180_000;
const CONTROL_TIMEOUT_MS = 60_000;

/** Nearest-rank quantile of unsorted samples (sorted in place). */
/** Nearest-rank quantile of the samples (sorted in place); NaN when there are none. */
export function quantile(samples: number[], q: number): number {
  if (!samples.length) return Number.NaN;
  return nearestRank(
    samples.sort((a, b) => a - b),
    q,
  );
}

export async function runOnce(target: BenchTarget, scenario: BenchScenario, options: RunOptions): Promise<RunResult> {
  const { players } = scenario;
  const base = { target: target.name, players };
  const fleet = new BotFleet(scenario);
  let connected = 0;
  try {
    await withTimeout(target.start(scenario), START_TIMEOUT_MS, `${target.name}: start`);
    const joinStart = performance.now();
    const refused = await connectAll(target, fleet, players, options.connectBatch);
    connected = fleet.size;
    if (refused) return { ...base, connected, verdict: "refused", reason: refused };
    const joinSeconds = ((performance.now() - joinStart) / 1000).toFixed(1);
    await withTimeout(target.scatter(), CONTROL_TIMEOUT_MS, `${target.name}: scatter`);
    process.stderr.write(`${target.name}: ${connected} bots joined in ${joinSeconds} s and scattered; playing…\n`);
    fleet.start();
    await sleep(scenario.warmupMs);
    await withTimeout(target.resetStats(), CONTROL_TIMEOUT_MS, `${target.name}: stats reset`);
    fleet.beginMeasure();
    await sleep(scenario.measureMs);
    const measured = fleet.endMeasure();
    const server = await withTimeout(target.readStats(), CONTROL_TIMEOUT_MS, `${target.name}: stats`);
    return judge({ ...base, connected }, scenario, options, server, measured);
  } catch (error) {
    return { ...base, connected, verdict: "error", reason: (error as Error).message.split("\n")[0] };
  } finally {
    fleet.stop();
    // Server first: closing thousands of bots one by one would make it announce each departure.
    await target.stop().catch(() => undefined);
    await withTimeout(fleet.closeAll(), 10_000, "closing bots").catch(() => undefined);
  }
}

/** Connects `players` bots, `batch` at a time; returns why connecting stopped, or undefined. */
async function connectAll(target: BenchTarget, fleet: BotFleet, players: number, batch: number) {
  const tty = process.stderr.isTTY;
  let lastShown = 0;
  for (let start = 0; start < players; start += batch) {
    const indices = Array.from({ length: Math.min(batch, players - start) }, (_, i) => start + i);
    const settled = await Promise.allSettled(
      indices.map(async (index) => fleet.attach(index, await target.connectBot(index, fleet.handlers(index)))),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    const done = fleet.size;
    if (tty) process.stderr.write(`\r${target.name}: connecting ${done}/${players}…`);
    else if (done - lastShown >= players / 4 || done === players || failed) {
      process.stderr.write(`${target.name}: connecting ${done}/${players}…\n`);
      lastShown = done;
    }
    if (failed) {
      if (tty) process.stderr.write("\n");
      return `bot ${done + 1} could not join: ${(failed.reason as Error).message.split("\n")[0]}`;
    }
  }
  if (tty) process.stderr.write("\n");
  return undefined;
}

function judge(
  base: { target: string; players: number; connected: number },
  scenario: BenchScenario,
  options: RunOptions,
  server: ServerStats,
  m: FleetMeasurement,
): RunResult {
  const perBot = (n: number) => n / Math.max(1, base.connected) / Math.max(0.001, m.seconds);
  const ackSamples = m.latencies.length;
  const result: RunResult = {
    ...base,
    verdict: "pass",
    server,
    client: {
      bytesPerPlayerPerSecond: Math.round(perBot(m.bytes)),
      ...(m.snapshots !== undefined ? { snapshotsPerSecond: Math.round(perBot(m.snapshots) * 10) / 10 } : {}),
      ackP50Ms: round(quantile(m.latencies, 0.5)),
      ackP99Ms: round(quantile(m.latencies, 0.99)),
      ackSamples,
      inputs: m.inputs,
      errors: m.errors,
      verifyFailures: m.verifyFailures,
    },
    bots: { lagP99Ms: round(m.lagP99Ms), lagMaxMs: round(m.lagMaxMs), cpuPercent: m.cpuPercent },
  };
  const snapshotRate = result.client?.snapshotsPerSecond;
  if (m.lagP99Ms > options.botLagLimitMs) {
    result.verdict = "bots";
    result.reason = `bot process saturated (event-loop lag p99 ${round(m.lagP99Ms)} ms > ${options.botLagLimitMs} ms, CPU ${m.cpuPercent}%)`;
  } else if (!(server.tickP99Ms < options.targetP99Ms)) {
    result.verdict = "slow";
    result.reason = `tick p99 ${server.tickP99Ms} ms ≥ ${options.targetP99Ms} ms`;
  } else if (snapshotRate !== undefined && snapshotRate < 0.9 * expectedSnapshotRate(scenario)) {
    result.verdict = "slow";
    result.reason = `bots got ${snapshotRate} updates/s of ${expectedSnapshotRate(scenario)}`;
  } else if (m.inputs > 0 && ackSamples < 0.5 * m.inputs) {
    result.verdict = "slow";
    result.reason = `only ${ackSamples} of ${m.inputs} inputs acknowledged in the window`;
  }
  return result;
}

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : n);

/** Snapshots go out every whole number of ticks (see snapshotEvery in shared/field/snapshot.ts). */
function expectedSnapshotRate(scenario: BenchScenario): number {
  return scenario.tickHz / snapshotEvery(scenario.tickHz, scenario.snapshotHz);
}
