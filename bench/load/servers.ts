/**
 * The servers' side of a load run: workerd processes on this machine read from /proc, remote
 * nodes from their process-metrics endpoints (PROCESS_METRICS_LISTEN), and the slowest zone's tick
 * p99 from the realm's /metrics.
 */
import { readdirSync, readFileSync } from "node:fs";
import { processCpuSeconds } from "../lib/process";
import type { NodeFigures } from "./result";

interface Reading {
  cpuSeconds: number | null;
  rssBytes: number | null;
  openFds: number | null;
}

/** Pids of `workerd serve` processes on this machine. */
export function localWorkerds(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.some((arg) => /(^|\/)workerd$/.test(arg)) && args.includes("serve")) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids.sort((a, b) => a - b);
}

/** A process's resident memory from /proc, or null when it is gone. */
export function residentBytes(pid: number | undefined): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

function readProc(pid: number): Reading {
  const rssBytes = residentBytes(pid);
  let openFds: number | null = null;
  try {
    openFds = readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    // gone, or not ours to read
  }
  return { cpuSeconds: processCpuSeconds(pid) ?? null, rssBytes, openFds };
}

/** The first sample of `name` (any labels) in Prometheus text, or null. */
export function metricValue(text: string, name: string): number | null {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, "m").exec(text);
  return match ? Number(match[1]) : null;
}

/** The sum of every sample of `name` (all labels), or null when there is none. */
export function metricSum(text: string, name: string): number | null {
  let sum: number | null = null;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, "gm"))) {
    sum = (sum ?? 0) + Number(match[1]);
  }
  return sum;
}

/** The largest `leviathan_zone_tick_recent_ms{quantile="0.99"}` over zones, or null. */
export function slowestTickP99(text: string): number | null {
  let slowest: number | null = null;
  for (const match of text.matchAll(/^leviathan_zone_tick_recent_ms\{[^}]*quantile="0\.99"[^}]*\} ([0-9.eE+-]+)$/gm)) {
    const value = Number(match[1]);
    if (Number.isFinite(value)) slowest = Math.max(slowest ?? 0, value);
  }
  return slowest;
}

async function readRemote(url: string): Promise<Reading> {
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(2000) })).text();
    return {
      cpuSeconds: metricValue(text, "leviathan_process_cpu_seconds_total"),
      rssBytes: metricValue(text, "leviathan_process_resident_memory_bytes"),
      openFds: metricValue(text, "leviathan_process_open_fds"),
    };
  } catch {
    return { cpuSeconds: null, rssBytes: null, openFds: null };
  }
}

/** Follows every server process over a run: a first reading, samples, and the figures at the end. */
export class ServerWatch {
  private readonly first = new Map<string, Reading>();
  private readonly peak = new Map<string, number>();
  private readonly last = new Map<string, Reading>();
  private readonly sources: { name: string; source: "proc" | "metrics"; read: () => Promise<Reading> }[];
  private readonly startedAt = performance.now();

  constructor(remote: string[]) {
    this.sources = [
      ...localWorkerds().map((pid) => ({
        name: `workerd ${pid}`,
        source: "proc" as const,
        read: async () => readProc(pid),
      })),
      ...remote.map((url) => ({ name: url, source: "metrics" as const, read: () => readRemote(url) })),
    ];
  }

  /** Reads every process; returns their memory and descriptors summed (null when none could be read). */
  async sample(): Promise<{ rssBytes: number | null; openFds: number | null }> {
    let rssBytes: number | null = null;
    let openFds: number | null = null;
    for (const source of this.sources) {
      const reading = await source.read();
      if (reading.rssBytes !== null) rssBytes = (rssBytes ?? 0) + reading.rssBytes;
      if (reading.openFds !== null) openFds = (openFds ?? 0) + reading.openFds;
      if (!this.first.has(source.name)) this.first.set(source.name, reading);
      if (reading.cpuSeconds !== null || reading.rssBytes !== null) this.last.set(source.name, reading);
      if (reading.rssBytes !== null)
        this.peak.set(source.name, Math.max(this.peak.get(source.name) ?? 0, reading.rssBytes));
    }
    return { rssBytes, openFds };
  }

  figures(): NodeFigures[] {
    const seconds = (performance.now() - this.startedAt) / 1000;
    return this.sources.map(({ name, source }) => {
      const first = this.first.get(name);
      const last = this.last.get(name);
      const cpu =
        first?.cpuSeconds != null && last?.cpuSeconds != null
          ? Math.round((last.cpuSeconds - first.cpuSeconds) * 100) / 100
          : null;
      return {
        name,
        source,
        cpuSeconds: cpu,
        cpuPercent: cpu !== null && seconds > 0 ? Math.round((cpu / seconds) * 1000) / 10 : null,
        rssBytes: last?.rssBytes ?? null,
        peakRssBytes: this.peak.get(name) ?? null,
      };
    });
  }
}
