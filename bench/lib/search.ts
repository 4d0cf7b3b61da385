/**
 * The largest N a target holds: ramp 50, 100, 200, 400… (capped) until a run fails, then bisect
 * a few steps between the last pass and the first failure. A run whose bots were the limit ends
 * the search at once: beyond it the figures say how fast the bots are, not the server.
 */
import type { RunResult } from "./run";

export interface SearchOutcome {
  /** Largest N that passed (0 when even the first failed). */
  largest: number;
  /** What stopped it: the first failing run's reason, or the cap. */
  limitedBy: string;
  botLimited: boolean;
}

export async function searchLargest(
  run: (players: number) => Promise<RunResult>,
  options: { start?: number; maxPlayers: number; bisectSteps: number },
): Promise<SearchOutcome> {
  let lastPass = 0;
  let firstFail: RunResult | undefined;
  let n = Math.min(options.start ?? 50, options.maxPlayers);
  while (true) {
    const result = await run(n);
    if (result.verdict === "bots") return botLimited(lastPass, result);
    if (result.verdict !== "pass") {
      firstFail = result;
      break;
    }
    lastPass = n;
    if (n >= options.maxPlayers) return { largest: lastPass, limitedBy: `cap (--max-players ${n})`, botLimited: false };
    n = Math.min(n * 2, options.maxPlayers);
  }
  let high = firstFail.players;
  for (let step = 0; step < options.bisectSteps; step++) {
    const gap = high - lastPass;
    if (gap <= Math.max(10, lastPass * 0.05)) break;
    const mid = roundTo(lastPass + gap / 2, gap > 100 ? 10 : 1);
    const result = await run(mid);
    if (result.verdict === "bots") return botLimited(lastPass, result);
    if (result.verdict === "pass") lastPass = mid;
    else {
      high = mid;
      firstFail = result;
    }
  }
  return {
    largest: lastPass,
    limitedBy: `${firstFail.players}: ${firstFail.reason ?? firstFail.verdict}`,
    botLimited: false,
  };
}

function botLimited(lastPass: number, result: RunResult): SearchOutcome {
  return { largest: lastPass, limitedBy: `${result.players}: ${result.reason}`, botLimited: true };
}

const roundTo = (n: number, step: number) => Math.max(1, Math.round(n / step) * step);
