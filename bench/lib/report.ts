/** The benchmark's output: one markdown table row per run (stdout), the machine, the summary. */
import { cpus, totalmem } from "node:os";
import type { RunResult } from "./run";

const COLUMNS = [
  "target",
  "players",
  "tick p50 ms",
  "tick p99 ms",
  "tick max ms",
  "B/player/s (client)",
  "B/player/s (server)",
  "input→ack p50 ms",
  "input→ack p99 ms",
  "entities",
  "updates/s",
  "server CPU %",
  "CPU ms/player/s",
  "bot CPU % / lag p99 ms",
  "result",
] as const;

export function tableHeader(): string {
  return `| ${COLUMNS.join(" | ")} |\n|${COLUMNS.map(() => " --- ").join("|")}|`;
}

const show = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? "–" : String(n));

export function tableRow(r: RunResult): string {
  const s = r.server;
  const c = r.client;
  const players = r.connected === r.players ? String(r.players) : `${r.connected}/${r.players}`;
  const result = r.verdict === "pass" ? "pass" : `${r.verdict}: ${r.reason ?? ""}`;
  const cells = [
    r.target,
    players,
    show(s?.tickP50Ms),
    show(s?.tickP99Ms),
    show(s?.tickMaxMs),
    show(c?.bytesPerPlayerPerSecond),
    show(s?.bytesPerPlayerPerSecond),
    show(c?.ackP50Ms),
    show(c?.ackP99Ms),
    show(s?.entities),
    show(c?.snapshotsPerSecond),
    show(s?.cpuPercent),
    // A core's milliseconds per second each connected player costs the server: CPU % × 10 / N.
    show(
      s?.cpuPercent === undefined || !r.connected ? undefined : Math.round((s.cpuPercent * 1000) / r.connected) / 100,
    ),
    r.bots ? `${r.bots.cpuPercent} / ${r.bots.lagP99Ms}` : "–",
    result.replaceAll("|", "/"),
  ];
  return `| ${cells.join(" | ")} |`;
}

export function machine() {
  const list = cpus();
  return {
    cpuModel: list[0]?.model ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}
