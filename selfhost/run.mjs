#!/usr/bin/env node
/**
 * `npm run selfhost`: builds the Worker, generates selfhost/config.capnp and runs the realm under
 * plain `workerd serve`, no wrangler at run time. State lives in selfhost/data (or
 * LEVIATHAN_DATA_DIR) and survives restarts. LISTEN=host:port or PORT pick the socket;
 * REALM, TICK_RATE_HZ, MAX_CONNECTIONS and LOG_LEVEL override wrangler.toml [vars].
 * `npm run selfhost -- --verbose` passes --verbose to workerd.
 */
import { constants } from "node:os";
import { waitForHealthy } from "../scripts/lib/wait.mjs";
import { baseUrlFor, build, DEFAULT_DATA_DIR, listenFromEnv, startWorkerd, writeConfig } from "./workerd.mjs";

let listen;
try {
  listen = listenFromEnv(process.env);
} catch (error) {
  console.error(/** @type {Error} */ (error).message);
  process.exit(2);
}

let configPath;
try {
  console.log("Building the Worker with wrangler (dist/selfhost)…");
  const distDir = build();
  const dataDir = process.env.LEVIATHAN_DATA_DIR || DEFAULT_DATA_DIR;
  configPath = writeConfig({ distDir, dataDir, listen });
  console.log(`Wrote ${configPath} (data in ${dataDir})`);
} catch (error) {
  console.error(`selfhost: ${/** @type {Error} */ (error).message}`);
  process.exit(1);
}

const child = startWorkerd(configPath, { verbose: process.argv.includes("--verbose") });
// Ctrl-C and service managers signal this script; workerd must get the same signal to stop.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  console.error(`selfhost: could not start workerd: ${error.message}`);
  process.exit(1);
});
// Exit as workerd did: its code, or 128 + the signal number that ended it (shell convention).
child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));

const base = baseUrlFor(listen);
waitForHealthy(`${base}/healthz`, 30_000).then(
  () => {
    const ws = base.replace(/^http/, "ws");
    console.log(`\nLeviathan (workerd) is up: ${base}  (WebSocket: ${ws}/ws?zone=start, metrics: ${base}/metrics)\n`);
  },
  (error) => {
    console.error(`Leviathan did not become healthy: ${error.message}`);
    child.kill("SIGTERM");
  },
);
