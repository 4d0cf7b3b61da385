#!/usr/bin/env node
/**
 * `npm start`: runs the realm locally under wrangler dev on 127.0.0.1:8787 (PORT overrides),
 * keeping zone state in .wrangler/state between runs, and prints the URL once it answers.
 */
import { spawn } from "node:child_process";
import { waitForHealthy } from "./lib/wait.mjs";

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a TCP port number (1-65535), got "${process.env.PORT}"`);
  process.exit(2);
}
const host = "127.0.0.1";

const child = spawn(
  "wrangler",
  [
    "dev",
    "--ip",
    host,
    "--port",
    String(port),
    "--persist-to",
    ".wrangler/state",
    "--show-interactive-dev-session=false",
  ],
  { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 1));

const base = `http://${host}:${port}`;
waitForHealthy(`${base}/healthz`, 60_000).then(
  () =>
    console.log(
      `\nLeviathan is up: ${base}  (WebSocket: ws://${host}:${port}/ws?zone=start, metrics: ${base}/metrics)\n`,
    ),
  (error) => {
    console.error(`Leviathan did not become healthy: ${error.message}`);
    child.kill("SIGTERM");
  },
);
