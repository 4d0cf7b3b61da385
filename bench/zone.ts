/**
 * `npm run bench:zone`: bot players in one field zone. Each target (Leviathan, then the peer,
 * never at the same time) runs the same scenario with `--players N`, or is searched for the largest
 * N whose server tick p99 stays under `--target-p99-ms`. Prints a markdown table row per run on
 * stdout, progress on stderr, and one JSON line with everything at the end. See bench/README.md.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseZoneArgs, USAGE, type ZoneBenchOptions } from "./lib/args";
import { machine, tableHeader, tableRow } from "./lib/report";
import { type RunResult, runOnce } from "./lib/run";
import { type SearchOutcome, searchLargest } from "./lib/search";
import type { BenchTarget } from "./lib/target";
import { createLeviathanTarget } from "./targets/leviathan";

const HERE = dirname(fileURLToPath(import.meta.url));
const PEER_PATH = join(HERE, "peers/colyseus.ts");

/** The Colyseus target when it exists and loads; otherwise why not. */
async function loadPeer(): Promise<{ target?: BenchTarget; why?: string }> {
  if (!existsSync(PEER_PATH)) return { why: "bench/peers/colyseus.ts does not exist" };
  try {
    const module = (await import(pathToFileURL(PEER_PATH).href)) as { createColyseusTarget?: () => BenchTarget };
    if (typeof module.createColyseusTarget !== "function") {
      return { why: "bench/peers/colyseus.ts does not export createColyseusTarget()" };
    }
    return { target: module.createColyseusTarget() };
  } catch (error) {
    return { why: `bench/peers/colyseus.ts did not load: ${(error as Error).message.split("\n")[0]}` };
  }
}

interface TargetSummary {
  largest?: number;
  limitedBy?: string;
  botLimited?: boolean;
  verdict?: string;
}

async function main(): Promise<number> {
  let options: ZoneBenchOptions | "help";
  try {
    options = parseZoneArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const opts = options;
  if (opts.scenario.inputHz > 20) console.error("warning: Leviathan takes at most 20 inputs/s per socket");

  const targets: BenchTarget[] = [createLeviathanTarget()];
  let peerSkipped: string | undefined;
  if (opts.peer !== "none") {
    const peer = await loadPeer();
    if (peer.target) targets.push(peer.target);
    else if (opts.peer === "colyseus") {
      console.error(`--peer colyseus: ${peer.why}`);
      return 2;
    } else {
      peerSkipped = peer.why;
      console.error(`No peer this run: ${peer.why}.`);
    }
  } else peerSkipped = "--peer none";

  const mode = opts.players === undefined ? `search (≤ ${opts.maxPlayers})` : `${opts.players} players`;
  console.error(`zone benchmark: ${targets.map((t) => t.name).join(", ")}; ${mode}; ${JSON.stringify(opts.scenario)}`);
  console.log(tableHeader());

  const results: RunResult[] = [];
  const summary: Record<string, TargetSummary> = {};
  for (const target of targets) {
    const run = async (players: number) => {
      console.error(`${target.name}: ${players} players…`);
      const result = await runOnce(target, { ...opts.scenario, players }, opts);
      console.log(tableRow(result));
      if (Object.keys(result.client?.verifyFailures ?? {}).length) {
        console.error(`${target.name}: verify failures ${JSON.stringify(result.client?.verifyFailures)}`);
      }
      results.push(result);
      return result;
    };
    if (opts.players !== undefined) {
      const result = await run(opts.players);
      summary[target.name] = { verdict: result.verdict, ...(result.reason ? { limitedBy: result.reason } : {}) };
      if (result.verdict === "pass") summary[target.name] = { largest: opts.players, verdict: "pass" };
    } else {
      const outcome: SearchOutcome = await searchLargest(run, opts);
      summary[target.name] = outcome;
    }
  }

  if (opts.players === undefined) {
    console.log("");
    for (const [name, s] of Object.entries(summary)) {
      const bound = s.botLimited ? " (the bots were the limit, not the server)" : "";
      console.log(
        `Largest N for ${name} under ${opts.targetP99Ms} ms tick p99: ${s.largest}; stopped by ${s.limitedBy}${bound}`,
      );
    }
  }
  const [first, second] = targets.map((t) => summary[t.name]?.largest);
  console.log(
    JSON.stringify({
      benchmark: "zone",
      date: new Date().toISOString(),
      command: `npm run bench:zone -- ${process.argv.slice(2).join(" ")}`.trim(),
      scenario: opts.scenario,
      targetP99Ms: opts.targetP99Ms,
      mode: opts.players === undefined ? "search" : "fixed",
      machine: machine(),
      peer: targets[1]?.name ?? null,
      ...(peerSkipped ? { peerSkipped } : {}),
      results,
      largest: summary,
      ...(first && second ? { ratio: Math.round((first / second) * 100) / 100 } : {}),
    }),
  );
  return results.every((r) => r.verdict !== "error") ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
