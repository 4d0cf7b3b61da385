/**
 * A workerd node running the echo floor (bench/echo/worker.js) on a free loopback port, with its
 * rooms' storage in a temp folder removed when the run ends; same runtime and compatibility date
 * as the realm, so the two differ only in what the Worker does.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readWranglerSettings, WRANGLER_TOML } from "../../selfhost/config.mjs";
import { startWorkerd, waitForHealthy } from "../../selfhost/workerd.mjs";
import { freePort, onShutdown, outputTail, stopChild, tempDir, trackChild } from "./process";

const WORKER = fileURLToPath(new URL("../echo/worker.js", import.meta.url));

export interface EchoNode {
  baseUrl: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

export async function startEchoNode(): Promise<EchoNode> {
  const root = mkdtempSync(join(tmpdir(), "leviathan-bench-echo-"));
  tempDir(root, true);
  mkdirSync(join(root, "data"));
  copyFileSync(WORKER, join(root, "worker.js"));
  const { compatibilityDate } = readWranglerSettings(readFileSync(WRANGLER_TOML, "utf8"));
  const port = await freePort();
  const configPath = join(root, "echo.capnp");
  writeFileSync(
    configPath,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "echo", worker = .echo),
    (name = "echo-data", disk = (path = ${JSON.stringify(join(root, "data"))}, writable = true)),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "echo")],
);
const echo :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = ${JSON.stringify(compatibilityDate)},
  bindings = [(name = "ROOMS", durableObjectNamespace = (className = "EchoRoom"))],
  durableObjectNamespaces = [(className = "EchoRoom", uniqueKey = "leviathan-bench-echo", enableSql = true)],
  durableObjectStorage = (localDisk = "echo-data"),
);
`,
  );
  const child = startWorkerd(configPath, { stdio: "pipe" });
  trackChild(child);
  onShutdown(() => stopChild(child));
  // Both pipes are read for the whole run (outputTail): a full pipe would stall the node.
  const tail = outputTail(child);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealthy(`${baseUrl}/healthz`, 30_000).catch((cause) => {
    throw new Error(`the echo node did not start: ${(cause as Error).message}\n${tail()}`);
  });
  return {
    baseUrl,
    pid: child.pid,
    async stop() {
      await stopChild(child);
      tempDir(root, false);
    },
  };
}
