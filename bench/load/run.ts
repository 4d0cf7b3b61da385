/**
 * A load run (bench/load/README.md): every second, players join or leave to follow the scenario's
 * stages (joins in parallel up to `maxConcurrentJoins`), and one sample is taken of players online,
 * the second's reply RTT p99, frames each way, the slowest zone's tick p99 and the servers' CPU and
 * memory. At the end every player leaves and the result is put together.
 */
import { Meter, percentiles } from "./meter";
import { safeWord, VirtualPlayer } from "./player";
import type { LoadResult, Sample } from "./result";
import { peakPlayers, pickBehaviour, type Scenario, targetAt, totalSeconds } from "./scenario";
import { ServerWatch, slowestTickP99 } from "./servers";

export interface RunOptions {
  target: string;
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function tickP99(target: string): Promise<number | null> {
  try {
    const response = await fetch(`${target}/metrics`, { signal: AbortSignal.timeout(2000) });
    return response.ok ? slowestTickP99(await response.text()) : null;
  } catch {
    return null;
  }
}

export async function runLoad(scenario: Scenario, options: RunOptions): Promise<LoadResult> {
  const random = options.random ?? Math.random;
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

  for (let second = 1; second <= Math.ceil(total); second++) {
    const deadline = started + second * 1000;
    while (performance.now() < deadline) {
      const t = (performance.now() - started) / 1000;
      const want = targetAt(scenario.stages, t);
      while (players.length + joining < want && joining < scenario.maxConcurrentJoins) {
        const behaviour = pickBehaviour(scenario.behaviours, random());
        const player = new VirtualPlayer(next++, behaviour, scenario, options.target, runId, meter, random);
        behaviours[behaviour] = (behaviours[behaviour] ?? 0) + 1;
        joining++;
        void player.join().then((joined) => {
          joining--;
          if (joined) players.push(player);
        });
      }
      while (players.length > want) players.pop()?.leave();
      await sleep(Math.min(100, Math.max(0, deadline - performance.now())));
    }
    const lap = meter.lap();
    const [tick] = await Promise.all([tickP99(options.target), servers.sample()]);
    const sample: Sample = {
      t: second,
      players: meter.online,
      target: targetAt(scenario.stages, second),
      rttP99Ms: lap.rttP99Ms,
      tickP99Ms: tick,
      sentPerSecond: lap.sent,
      receivedPerSecond: lap.received,
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
    samples,
  };
}
