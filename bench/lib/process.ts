/**
 * Child processes a benchmark starts, and the promise that none outlives it: every child is
 * registered here and killed on normal exit, Ctrl-C, SIGTERM and crashes. Plus small helpers
 * every target needs: a free port and the CPU time of a process.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { sleep } from "./time";

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const cleanups = new Set<() => Promise<void>>();

/** A port the OS just handed out (the one helper the test launchers use too). */
export { freePort } from "../../scripts/lib/postgres.mjs";

/** Kills `child` with SIGKILL when the benchmark exits in any way. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** Deletes `dir` now (`keep` false) or when the benchmark exits in any way (`keep` true). */
export function tempDir(dir: string, keep: boolean): void {
  if (keep) tempDirs.add(dir);
  else {
    tempDirs.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `cleanup` (bounded) on Ctrl-C, SIGTERM or a crash; returns a function that unregisters it. */
export function onShutdown(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`; resolves once it is gone. */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const gone = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!gone) {
    child.kill("SIGKILL");
    await Promise.race([exited, sleep(graceMs)]);
  }
}

/**
 * Reads a child's stdout and stderr for as long as it runs, keeping the last `bytes` of them for
 * error messages. A pipe nobody reads fills up (64 KiB) and then blocks the child's every write:
 * a workerd node stalls on its next log line.
 */
export function outputTail(child: ChildProcess, bytes = 4_000): () => string {
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-bytes);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return () => tail;
}

/** User + system CPU seconds of a Linux process so far, or undefined when /proc cannot tell. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return Number.isFinite(ticks) ? ticks / 100 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

function killAllNow(): void {
  for (const child of children) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

let shuttingDown = false;
async function shutdown(code: number, why: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  process.stderr.write(`\n${why}: stopping servers…\n`);
  const all = [...cleanups].map((cleanup) => cleanup().catch(() => undefined));
  await Promise.race([Promise.all(all), sleep(5_000)]);
  killAllNow();
  process.exit(code);
}

process.on("exit", killAllNow);
process.on("SIGINT", () => void shutdown(130, "interrupted"));
process.on("SIGTERM", () => void shutdown(143, "terminated"));
process.on("uncaughtException", (error) => {
  console.error(error);
  void shutdown(1, "crashed");
});
process.on("unhandledRejection", (error) => {
  console.error(error);
  void shutdown(1, "crashed");
});
