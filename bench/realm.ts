/**
 * `npm run bench:realm` (bench/README.md): players per node with the realm's real MUD logic. One
 * fresh workerd node; guest players (no password hashes) spread over `--zones` instances of
 * Lanternmere, each wandering, chatting, fighting and travelling at one command a second. Steps up
 * the player count until the commands' reply p99 passes `--max-rtt-ms`, and reports each step beside
 * the same sockets' ping round trip (the floor: the zone answers a ping without game logic), the
 * node's CPU and memory per player, and the generator's own lag (on a small machine the generator
 * shares the cores and may be the limit first).
 */
import { parseArgs } from "node:util";
import { type ProfileSummary, profileNode } from "./lib/cpu-profile";
import { type EchoRun, runEchoFleet } from "./lib/echo-fleet";
import { startEchoNode } from "./lib/echo-node";
import { startRealmNode } from "./lib/realm-node";
import { machine } from "./lib/report";
import type { LoadResult } from "./load/result";
import { runLoad } from "./load/run";
import { Scenario } from "./load/scenario";
import { residentBytes } from "./load/servers";

const { values } = parseArgs({
  options: {
    players: { type: "string" },
    zones: { type: "string", default: "200" },
    "ramp-seconds": { type: "string", default: "30" },
    "hold-seconds": { type: "string", default: "30" },
    "max-rtt-ms": { type: "string", default: "100" },
    "tick-hz": { type: "string", default: "10" },
    /** `idle`: players connect and only ping, so a step measures what occupied zones cost by themselves. */
    mix: { type: "string", default: "play" },
    /** Writes a CPU profile of the node over each step's hold to `<path>-<players>.cpuprofile`. */
    profile: { type: "string" },
    /** Skips the echo floor (measured at each step by default). */
    "no-floor": { type: "boolean", default: false },
  },
});
const zones = Number(values.zones);
const ramp = Number(values["ramp-seconds"]);
const hold = Number(values["hold-seconds"]);
const maxRtt = Number(values["max-rtt-ms"]);
const tickHz = Number(values["tick-hz"]);
const mix = values.mix === "idle" ? { idle: 1 } : { idle: 1, wander: 4, chat: 2, fight: 1, travel: 1 };
if (values.mix !== "idle" && values.mix !== "play") {
  console.error('bench:realm: --mix is "play" (the default) or "idle"');
  process.exit(2);
}
const steps = values.players ? [Number(values.players)] : [250, 500, 1000, 2000, 4000, 8000];
if (![zones, ramp, hold, maxRtt, tickHz, ...steps].every((n) => Number.isFinite(n) && n > 0)) {
  console.error(
    "usage: npm run bench:realm -- [--players N] [--zones 200] [--ramp-seconds 30] [--hold-seconds 30] [--max-rtt-ms 100]",
  );
  process.exit(2);
}

function scenario(players: number) {
  return Scenario.parse({
    name: `realm-${players}`,
    stages: [
      { kind: "ramp", players, seconds: ramp },
      { kind: "hold", seconds: hold },
      { kind: "ramp-down", seconds: 5 },
    ],
    behaviours: mix,
    guests: { zone: "start", instances: zones },
    maxConcurrentJoins: 64,
  });
}

interface Step {
  players: number;
  peakOnline: number;
  connected: string;
  rttP50: number | null;
  rttP99: number | null;
  pingP99: number | null;
  cpuPercent: number | null;
  rssMb: number | null;
  kbPerPlayer: number | null;
  generatorLagMs: number | undefined;
  passed: boolean;
  /** The same players and rooms against the echo floor, in the same run. */
  floor?: EchoRun;
}

function summarize(players: number, result: LoadResult, rssBefore: number | null): Step {
  const node = result.nodes.find((n) => n.source === "proc" && n.cpuSeconds !== null && n.cpuSeconds > 0);
  const peakOnline = Math.max(0, ...result.samples.map((s) => s.players));
  const rss = node?.peakRssBytes ?? null;
  return {
    players,
    peakOnline,
    connected: `${result.connects.succeeded}/${result.connects.attempted}`,
    rttP50: result.rttMs.p50,
    rttP99: result.rttMs.p99,
    pingP99: result.pingMs?.p99 ?? null,
    cpuPercent: node?.cpuPercent ?? null,
    rssMb: rss === null ? null : Math.round(rss / 2 ** 20),
    kbPerPlayer:
      rss !== null && rssBefore !== null && peakOnline > 0 ? Math.round((rss - rssBefore) / 1024 / peakOnline) : null,
    generatorLagMs: result.generatorLagP99Ms,
    // Idle players send no commands: their pings are what is timed.
    passed:
      result.connects.succeeded >= 0.99 * result.connects.attempted &&
      (values.mix === "idle" ? result.pingMs?.p99 : result.rttMs.p99) != null &&
      ((values.mix === "idle" ? result.pingMs?.p99 : result.rttMs.p99) as number) <= maxRtt,
  };
}

async function main(): Promise<number> {
  const node = await startRealmNode(
    { ALLOW_GUESTS: "true", MAX_CONNECTIONS: "19000", TICK_RATE_HZ: String(tickHz) },
    (line) => process.stderr.write(`bench:realm: ${line}\n`),
    { inspect: values.profile !== undefined },
  );
  const profiles: ProfileSummary[] = [];
  const echo = values["no-floor"] ? undefined : await startEchoNode();
  const results: Step[] = [];
  try {
    for (const players of steps) {
      const floor = echo
        ? await runEchoFleet({ baseUrl: echo.baseUrl, pid: echo.pid, players, rooms: zones, holdSeconds: hold })
        : undefined;
      if (floor)
        process.stderr.write(
          `bench:realm: echo floor, ${floor.connected} players: p99 ${floor.rttMs.p99} ms, ${floor.cpuPercent}% of a core\n`,
        );
      process.stderr.write(`bench:realm: ${players} players over ${zones} zones…\n`);
      const before = residentBytes(node.pid);
      // The profile covers the middle of the hold, when every player is connected.
      const profiling =
        values.profile && node.inspectorAddr
          ? new Promise<ProfileSummary>((resolve) => setTimeout(resolve, (ramp + 5) * 1000)).then(() =>
              profileNode(
                node.inspectorAddr as string,
                Math.max(5, Math.min(20, hold - 10)),
                `${values.profile}-${players}.cpuprofile`,
              ),
            )
          : undefined;
      const result = await runLoad(scenario(players), {
        target: node.baseUrl,
        progress: (p) => {
          if (p.t % 10 === 0)
            process.stderr.write(
              `  ${p.t}/${p.total} s: ${p.online}/${p.target} online, rtt p99 ${p.rttP99Ms ?? "—"} ms\n`,
            );
        },
      });
      if (profiling) profiles.push(await profiling);
      const step = { ...summarize(players, result, before), ...(floor ? { floor } : {}) };
      results.push(step);
      if (!step.passed) break;
      await new Promise((resolve) => setTimeout(resolve, 5000)); // the last players leave before the next step
    }
  } finally {
    await node.stop();
    await echo?.stop();
  }
  const largest = results.filter((s) => s.passed).at(-1)?.players ?? 0;
  const cell = (v: number | string | null | undefined) => (v === null || v === undefined ? "—" : String(v));
  console.log(
    [
      `bench:realm — ${zones} zones (instances of Lanternmere) at ${tickHz} Hz, guests ${values.mix === "idle" ? "connected and idle (pings only)" : "at one command a second"}; pass: ${values.mix === "idle" ? "ping" : "reply"} p99 ≤ ${maxRtt} ms`,
      "",
      "| players | online (peak) | connected | reply p50 / p99 ms | ping p99 ms | workerd CPU % of a core | RSS MB | KB per player | generator lag p99 ms | echo floor p50 / p99 ms, CPU % | pass |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
      ...results.map(
        (s) =>
          `| ${s.players} | ${s.peakOnline} | ${s.connected} | ${cell(s.rttP50)} / ${cell(s.rttP99)} | ${cell(s.pingP99)} | ${cell(s.cpuPercent)} | ${cell(s.rssMb)} | ${cell(s.kbPerPlayer)} | ${cell(s.generatorLagMs)} | ${s.floor ? `${s.floor.rttMs.p50} / ${s.floor.rttMs.p99}, ${cell(s.floor.cpuPercent)}` : "—"} | ${s.passed ? "yes" : "no"} |`,
      ),
      "",
      `Largest passing: ${largest} players.`,
      ...profiles.flatMap((p) => [
        "",
        `CPU profile ${p.file} (${p.seconds} s): isolate busy ${p.busyPercent}% of samples; most self time:`,
        ...p.hot.map((f) => `  ${String(f.selfPercent).padStart(5)}%  ${f.name}  ${f.where}`),
      ]),
    ].join("\n"),
  );
  console.log(
    JSON.stringify({ bench: "realm", zones, tickHz, maxRttMs: maxRtt, machine: machine(), steps: results, largest }),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench:realm: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
