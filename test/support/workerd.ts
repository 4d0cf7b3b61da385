/**
 * The realm under plain `workerd serve`, built and configured the way `npm run selfhost` does it,
 * for the selfhost tests: one workerd child at a time that a test can kill with any signal and
 * start again on the same data directory.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/postgres.mjs";
import { build, startWorkerd, waitForHealthy, writeConfig } from "../../selfhost/workerd.mjs";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One workerd child at a time, its output kept for failure reports and log assertions. */
export class Workerd {
  /** Everything workerd printed, across restarts, for printing when a test fails. */
  output = "";
  /** Complete stdout lines of the current process (the realm's JSON logs). */
  lines: string[] = [];
  /** Everything workerd wrote to stderr, across restarts (the realm's error lines, runtime failures). */
  errors = "";
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly configPath: string,
    readonly baseUrl: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether the current process is still running (it has not exited or been killed). */
  get alive(): boolean {
    const child = this.child;
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** Starts workerd and resolves once /healthz answers; rejects at once if workerd exits first. */
  async start(): Promise<void> {
    const child = startWorkerd(this.configPath, { stdio: "pipe" });
    this.output += `--- workerd started (pid ${child.pid}) ---\n`;
    this.child = child;
    // Each process gets its own array: late output of a killed process cannot leak into the next.
    const lines: string[] = [];
    this.lines = lines;
    let partial = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      this.output += chunk;
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.output += `[stderr] ${chunk}`;
      this.errors += chunk;
    });
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    const died = this.exited.then(() => {
      throw new Error(`workerd exited during startup:\n${this.output}`);
    });
    await Promise.race([waitForHealthy(`${this.baseUrl}/healthz`, 20_000), died]);
  }

  /** Sends `signal` and waits (bounded) for the process to be gone. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid as number, signal);
    const timeout = sleep(10_000).then(() => {
      throw new Error(`workerd did not exit within 10 s of ${signal}`);
    });
    await Promise.race([this.exited, timeout]);
  }

  /** The first stdout JSON line of the current process for which `match` holds, polled (bounded). */
  async waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const line of this.lines) {
        if (!line.startsWith("{")) continue;
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (match(parsed)) return parsed;
        } catch {
          // Not one of the realm's JSON lines.
        }
      }
      await sleep(100);
    }
    throw new Error(`no matching log line within ${timeoutMs} ms`);
  }
}

export interface SelfhostRealm {
  workerd: Workerd;
  /** Where Durable Object state lives (the temp folder's, unless the caller gave one). */
  dataDir: string;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** ws://127.0.0.1:PORT */
  wsUrl: string;
  /** Removes the temp folder (build, config, data); call after killing workerd. */
  cleanup(): void;
}

/**
 * Builds the Worker, writes a config and starts workerd, all in a temp folder of its own (no clash
 * with a concurrent `npm run selfhost` or another test file), listening on a free 127.0.0.1 port.
 * `vars` override wrangler.toml's vars and carry the secrets (DATABASE_URL, JWT_SECRET).
 */
export async function startSelfhostRealm(
  name: string,
  vars: Record<string, string>,
  options: { dataDir?: string } = {},
): Promise<SelfhostRealm> {
  const tempRoot = mkdtempSync(join(tmpdir(), `leviathan-${name}-`));
  const distDir = build(join(tempRoot, "dist"));
  const port = await freePort();
  const dataDir = options.dataDir ?? join(tempRoot, "data");
  const configPath = writeConfig({
    distDir,
    dataDir,
    configPath: join(tempRoot, "config.capnp"),
    listen: `127.0.0.1:${port}`,
    env: vars,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const workerd = new Workerd(configPath, baseUrl);
  await workerd.start();
  return {
    workerd,
    dataDir,
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, "ws"),
    cleanup: () => rmSync(tempRoot, { recursive: true, force: true }),
  };
}

/** A positive whole number from the environment variable `name`, else `fallback` (CI's size). */
export function countFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${text}"`);
  return value;
}
