/**
 * A V8 CPU profile of a workerd node over its inspector (bench/README.md, "Profiling a node"): the
 * Worker's isolate runs the gateway and every Durable Object of the node, so one profile shows
 * where a benchmark's server time goes. Writes a `.cpuprofile` (open it in Chrome DevTools) and
 * returns the functions with the most self time.
 */
import { writeFileSync } from "node:fs";
import WebSocket from "ws";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  /** Share of all samples (idle included) spent in this function itself. */
  selfPercent: number;
}

export interface ProfileSummary {
  file: string;
  seconds: number;
  /** Share of samples in which the isolate was running JavaScript or the runtime (not idle). */
  busyPercent: number;
  hot: HotFunction[];
}

/** Samples `seconds` of the isolate behind `inspectorAddr` (host:port), writes `file`, summarizes. */
export async function profileNode(inspectorAddr: string, seconds: number, file: string): Promise<ProfileSummary> {
  const targets = (await (await fetch(`http://${inspectorAddr}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target at ${inspectorAddr}`);
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const settle = pending.get(message.id);
    pending.delete(message.id);
    settle?.(message.error ? new Error(message.error.message) : message.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (result) => (result instanceof Error ? reject(result) : resolve(result)));
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call("Profiler.enable");
    await call("Profiler.setSamplingInterval", { interval: 1000 });
    await call("Profiler.start");
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const { profile } = (await call("Profiler.stop")) as { profile: Profile };
    writeFileSync(file, JSON.stringify(profile));
    return { file, seconds, ...summarize(profile) };
  } finally {
    socket.close();
  }
}

/** Self time per function (summed over its call sites), largest first. */
export function summarize(profile: Profile, top = 25): Omit<ProfileSummary, "file" | "seconds"> {
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const bySite = new Map<string, HotFunction & { hits: number }>();
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") idle += hits;
    const name = functionName || "(anonymous)";
    const where = url ? `${url.split("/").pop()}:${lineNumber + 1}` : "";
    const key = `${name}@${where}`;
    const entry = bySite.get(key) ?? { name, where, selfPercent: 0, hits: 0 };
    entry.hits += hits;
    bySite.set(key, entry);
  }
  const hot = [...bySite.values()]
    .filter((f) => f.name !== "(idle)")
    .sort((a, b) => b.hits - a.hits)
    .slice(0, top)
    .map(({ name, where, hits }) => ({ name, where, selfPercent: round((hits / total) * 100) }));
  return { busyPercent: round(((total - idle) / total) * 100), hot };
}

const round = (n: number) => Math.round(n * 10) / 10;
