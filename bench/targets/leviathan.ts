/**
 * Leviathan as a benchmark target: the realm built once with wrangler, then each run under plain
 * `workerd serve` (the self-host path) in its own process on a free loopback port, with fresh
 * Durable Object state in a temp folder. Bots are guest sockets in the field zone `test-area`;
 * one more guest, the GM, configures the zone through its console and reads the zone's own tick
 * measurements (`stats`). The GM is a player of the field too: one extra, idle entity.
 * No database: guest sockets never touch Postgres.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, startWorkerd, waitForHealthy, writeConfig } from "../../selfhost/workerd.mjs";
import { freePort, onShutdown, outputTail, processCpuSeconds, stopChild, tempDir, trackChild } from "../lib/process";
import type { BenchScenario, BenchTarget, BotConnection, BotHandlers, ServerStats } from "../lib/target";
import { withTimeout } from "../lib/time";
import { GmConsole, LeviathanBot } from "./leviathan-bot";

const ZONE = "test-area";
const CONNECT_TIMEOUT_MS = 15_000;
/** The realm refuses connections past MAX_CONNECTIONS; its schema allows up to 19,000. */
const MAX_CONNECTIONS_LIMIT = 19_000;

interface Running {
  child: ChildProcess;
  dir: string;
  wsUrl: string;
  gm: GmConsole;
  cpuAtReset?: { cpu: number; at: number };
  unregister: () => void;
}

export function createLeviathanTarget(): BenchTarget {
  let distDir: string | undefined;
  let running: Running | undefined;
  let starting: { child?: ChildProcess; dir: string } | undefined;
  let scenario: BenchScenario | undefined;
  /** workerd's last output, for the error when it dies. */
  let tail: () => string = () => "";

  const ensureBuilt = () => {
    if (distDir) return distDir;
    const root = mkdtempSync(join(tmpdir(), "leviathan-bench-build-"));
    tempDir(root, true);
    process.stderr.write("leviathan: building the Worker with wrangler…\n");
    distDir = build(join(root, "dist"));
    return distDir;
  };

  const gm = () => {
    if (!running) throw new Error("leviathan: not started");
    return running.gm;
  };

  const target: BenchTarget = {
    name: "leviathan",

    async start(next) {
      if (running || starting) await target.stop();
      scenario = next;
      const dist = ensureBuilt();
      const dir = mkdtempSync(join(tmpdir(), "leviathan-bench-run-"));
      tempDir(dir, true);
      starting = { dir };
      const port = await freePort();
      const maxConnections = Math.min(MAX_CONNECTIONS_LIMIT, Math.max(5_000, next.players * 2 + 100));
      const configPath = writeConfig({
        distDir: dist,
        dataDir: join(dir, "data"),
        configPath: join(dir, "config.capnp"),
        listen: `127.0.0.1:${port}`,
        // Only these over wrangler.toml's vars: the shell's own settings do not leak into a run.
        env: {
          ALLOW_GUESTS: "true",
          // The runner sets the scene (scatter, stats) through the GM console as a guest.
          GM_CONSOLE_FOR_GUESTS: "true",
          LOG_LEVEL: "warn",
          MAX_CONNECTIONS: String(maxConnections),
        },
      });
      const child = startWorkerd(configPath, { stdio: "pipe" });
      starting.child = child;
      trackChild(child);
      tail = outputTail(child);
      const died = new Promise<never>((_, reject) =>
        child.once("exit", (code, signal) =>
          reject(new Error(`workerd exited (${signal ?? code}) during startup:\n${tail()}`)),
        ),
      );
      died.catch(() => undefined);
      const base = `http://127.0.0.1:${port}`;
      await Promise.race([waitForHealthy(`${base}/healthz`, 30_000), died]);
      const wsUrl = `${base.replace(/^http/, "ws")}/ws?zone=${ZONE}`;
      const gmConsole = await GmConsole.connect(wsUrl, CONNECT_TIMEOUT_MS);
      running = { child, dir, wsUrl, gm: gmConsole, unregister: onShutdown(() => target.stop()) };
      starting = undefined;
      await gmConsole.run("clear");
      const { width, height, viewRadius, speed, tickHz, snapshotHz } = next;
      await gmConsole.run(
        `set width=${width} height=${height} view=${viewRadius} speed=${speed} tick=${tickHz} snapshot=${snapshotHz}`,
      );
    },

    async connectBot(index: number, handlers: BotHandlers): Promise<BotConnection> {
      if (!running) throw new Error("leviathan: not started");
      if (running.child.exitCode !== null || running.child.signalCode !== null) {
        throw new Error(`workerd is gone:\n${tail()}`);
      }
      const verify = scenario?.verify ?? false;
      const wire = scenario?.wire ?? "binary";
      return LeviathanBot.connect(running.wsUrl, `bot-${index + 1}`, handlers, verify, CONNECT_TIMEOUT_MS, wire);
    },

    async scatter() {
      await gm().run("scatter");
    },

    async resetStats() {
      await gm().run("stats reset");
      if (running) running.cpuAtReset = { cpu: processCpuSeconds(running.child.pid) ?? Number.NaN, at: Date.now() };
    },

    async readStats(): Promise<ServerStats> {
      const reply = await gm().run("stats");
      const p = reply.payload ?? {};
      const stats: ServerStats = {
        ticks: p.ticks ?? 0,
        tickP50Ms: p.tickP50Ms ?? Number.NaN,
        tickP99Ms: p.tickP99Ms ?? Number.NaN,
        tickMaxMs: p.tickMaxMs ?? Number.NaN,
        ...(p.entities !== undefined ? { entities: p.entities } : {}),
        ...(p.bytesPerPlayerPerSecond !== undefined ? { bytesPerPlayerPerSecond: p.bytesPerPlayerPerSecond } : {}),
      };
      const cpu = processCpuSeconds(running?.child.pid);
      const reset = running?.cpuAtReset;
      if (cpu !== undefined && reset && Number.isFinite(reset.cpu) && Date.now() > reset.at) {
        stats.cpuPercent = Math.round(((cpu - reset.cpu) / ((Date.now() - reset.at) / 1000)) * 100);
      }
      return stats;
    },

    async stop() {
      const current = running;
      const half = starting;
      running = undefined;
      starting = undefined;
      if (current) {
        current.unregister();
        current.gm.close();
        await withTimeout(stopChild(current.child), 10_000, "stopping workerd").catch(() => undefined);
        tempDir(current.dir, false);
      }
      if (half) {
        if (half.child) await stopChild(half.child).catch(() => undefined);
        tempDir(half.dir, false);
      }
    },
  };
  return target;
}
