/**
 * A load run (bench/load/README.md): every second, players join or leave to follow the scenario's
 * stages (joins in parallel up to `maxConcurrentJoins`), and one sample is taken of players online,
 * the second's reply RTT p99, frames each way, the slowest zone's tick p99 and the servers' CPU and
 * memory. At the end every player leaves and the result is put together.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Meter, percentiles } from "./meter";
import { safeWord, VirtualPlayer } from "./player";
import type { LoadResult, Sample } from "./result";
import { peakPlayers, pickBehaviour, type Scenario, steadySpan, targetAt, totalSeconds } from "./scenario";
import { metricSum, ServerWatch, slowestTickP99 } from "./servers";
import { judgeSoak } from "./soak";

export interface RunOptions {
  target: string;
  /**
   * Several gateways of one realm (the nodes of a cluster, as a proxy would spread players over
   * them): player n joins through `gateways[n % length]`, and the realm's figures are read from all.
   * Defaults to `[target]`.
   */
  gateways?: string[];
  random?: () => number;
  /** Called once a second with the run's state, for the progress bar. */
  progress?: (state: Progress) => void;
}

export interface Progress {
  t: number;
  total: number;
  online: number;
  target: number;
  joining: number;
  rttP99Ms: number | null;
  errors: number;
}

const REALM_SCRAPE_EVERY_SECONDS = 5;
const GOLDEN_RATIO_FRACTION = 0.6180339887498949;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The slowest zone's tick p99 and the realm's queued work, from its /metrics (nulls when unread). */
type RealmFigures = { tickP99Ms: number | null; queued: number | null };

/** The figures of a realm served by several gateways (each node's /metrics shows only its own zones). */
async function realmFiguresOf(gateways: readonly string[]): Promise<RealmFigures> {
  const each = await Promise.all(gateways.map(realmFigures));
  const known = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
  const ticks = known(each.map((f) => f.tickP99Ms));
  const queued = known(each.map((f) => f.queued));
  return {
    tickP99Ms: ticks.length ? Math.max(...ticks) : null,
    queued: queued.length ? queued.reduce((a, b) => a + b, 0) : null,
  };
}

async function realmFigures(target: string): Promise<RealmFigures> {
  try {
    const response = await fetch(`${target}/metrics`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return { tickP99Ms: null, queued: null };
    const text = await response.text();
    const writes = metricSum(text, "leviathan_writeback_pending");
    const owed = metricSum(text, "leviathan_transfers_owed");
    return {
      tickP99Ms: slowestTickP99(text),
      queued: writes === null && owed === null ? null : (writes ?? 0) + (owed ?? 0),
    };
  } catch {
    return { tickP99Ms: null, queued: null };
  }
}

export async function runLoad(scenario: Scenario, options: RunOptions): Promise<LoadResult> {
  const random = options.random ?? Math.random;
  const gateways = options.gateways?.length ? options.gateways : [options.target];
  const runId = safeWord(Math.floor(random() * 15 ** 5));
  const meter = new Meter();
  const servers = new ServerWatch(scenario.processMetrics);
  const players: VirtualPlayer[] = [];
  const behaviours: Record<string, number> = {};
  const samples: Sample[] = [];
  const total = totalSeconds(scenario.stages);
  let joining = 0;
  let next = 0;
  const startedAt = new Date();
  const started = performance.now();
  await servers.sample();

  // Players follow the stages every 100 ms, on a timer of their own: sampling a slow server must
  // never hold back joins and departures.
  const adjust = () => {
    const want = targetAt(scenario.stages, (performance.now() - started) / 1000);
    for (let i = players.length - 1; i >= 0; i--) {
      if (players[i]?.gone) players.splice(i, 1)[0]?.leave();
    }
    while (players.length + joining < want && joining < scenario.maxConcurrentJoins) {
      // Spread evenly in join order (a low-discrepancy sequence), not drawn: any number of players,
      // however small, plays the mix the weights ask for.
      const behaviour = pickBehaviour(scenario.behaviours, (next * GOLDEN_RATIO_FRACTION) % 1);
      const gateway = gateways[next % gateways.length] as string;
      const player = new VirtualPlayer(next++, behaviour, scenario, gateway, runId, meter, random);
      behaviours[behaviour] = (behaviours[behaviour] ?? 0) + 1;
      joining++;
      void player.join().then((joined) => {
        joining--;
        // Kept only while the stages still want it.
        if (joined && players.length < targetAt(scenario.stages, (performance.now() - started) / 1000))
          players.push(player);
        else if (joined) player.leave();
      });
    }
    while (players.length > want) players.pop()?.leave();
  };
  const adjuster = setInterval(adjust, 100);
  adjust();
  // How late this process's own timers run: past a few tens of ms the generator, not the realm, is the limit.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let lagWorst = 0;
  // The realm's /metrics is read every few seconds, as a Prometheus would: rendering it for
  // hundreds of zones is work the node does for the harness, not for its players.
  let realm: RealmFigures = { tickP99Ms: null, queued: null };

  for (let second = 1; second <= Math.ceil(total); second++) {
    await sleep(Math.max(0, started + second * 1000 - performance.now()));
    const lap = meter.lap();
    const lagP99Ms = Math.round(lag.percentile(99) / 1e4) / 100;
    lagWorst = Math.max(lagWorst, lagP99Ms);
    lag.reset();
    const [latest, resources] = await Promise.all([
      second % REALM_SCRAPE_EVERY_SECONDS === 0 ? realmFiguresOf(gateways) : undefined,
      servers.sample(),
    ]);
    if (latest) realm = latest;
    const sample: Sample = {
      t: second,
      players: meter.online,
      target: targetAt(scenario.stages, second),
      rttP99Ms: lap.rttP99Ms,
      tickP99Ms: realm.tickP99Ms,
      sentPerSecond: lap.sent,
      receivedPerSecond: lap.received,
      rssBytes: resources.rssBytes,
      openFds: resources.openFds,
      queued: realm.queued,
      generatorLagP99Ms: lagP99Ms,
    };
    samples.push(sample);
    options.progress?.({
      t: second,
      total: Math.ceil(total),
      online: meter.online,
      target: sample.target,
      joining,
      rttP99Ms: lap.rttP99Ms,
      errors: Object.values(meter.errors).reduce((sum, n) => sum + n, 0),
    });
  }
  clearInterval(adjuster);
  lag.disable();
  // Joins still under way finish or fail before everyone leaves.
  for (let waited = 0; joining > 0 && waited < 30_000; waited += 100) await sleep(100);
  for (const player of players.splice(0)) player.leave();
  const durationSeconds = Math.round((performance.now() - started) / 100) / 10;
  return {
    scenario: scenario.name,
    target: options.target,
    startedAt: startedAt.toISOString(),
    durationSeconds,
    peakTarget: peakPlayers(scenario.stages),
    connects: {
      attempted: meter.connectsAttempted,
      succeeded: meter.connectsSucceeded,
      failed: meter.connectsAttempted - meter.connectsSucceeded,
    },
    errors: meter.errors,
    rttMs: percentiles(meter.rtt),
    pingMs: percentiles(meter.ping),
    handoffMs: percentiles(meter.handoff),
    joinMs: percentiles(meter.join),
    messages: {
      sent: meter.sent,
      received: meter.received,
      sentPerSecond: Math.round((meter.sent / durationSeconds) * 10) / 10,
      receivedPerSecond: Math.round((meter.received / durationSeconds) * 10) / 10,
    },
    behaviours,
    nodes: servers.figures(),
    generatorLagP99Ms: lagWorst,
    samples,
    ...(scenario.soak ? { soak: soakOf(scenario, samples) } : {}),
  };
}

function soakOf(scenario: Scenario, samples: Sample[]) {
  const span = steadySpan(scenario.stages) ?? { from: 0, to: totalSeconds(scenario.stages) };
  return judgeSoak(samples, span.from, span.to, scenario.soak as NonNullable<Scenario["soak"]>);
}
