#!/usr/bin/env node
/**
 * `npm run selfhost`: builds the Worker, generates selfhost/config.capnp and runs the realm under
 * plain `workerd serve`, no wrangler at run time. State lives in selfhost/data (or
 * LEVIATHAN_DATA_DIR) and survives restarts. LISTEN=host:port or PORT pick the socket;
 * REALM, TICK_RATE_HZ, MAX_CONNECTIONS and LOG_LEVEL override wrangler.toml [vars].
 * DATABASE_URL points it at your Postgres; without it a local PostgreSQL is started (data in
 * <data dir>/pg). JWT_SECRET, when unset, is generated once into <data dir>/jwt-secret.
 * `npm run selfhost -- --verbose` passes --verbose to workerd. TELNET_PORT (and TELNET_HOST, default
 * 127.0.0.1) also starts the telnet listener for MUD clients (selfhost/telnet) once the realm is up.
 * `--build-only` builds (the Worker into dist/selfhost, the web client) and exits; `--prebuilt` runs
 * what an earlier build left there without building (container images build once, start fast).
 * PROCESS_METRICS_LISTEN (host:port) serves workerd's memory, descriptors and CPU time for
 * Prometheus (selfhost/process-metrics.mjs; NODE_NAME labels them, default the host name).
 * NODE_ID makes this process one node of a clustered realm (docs/selfhost.md): it then needs
 * DATABASE_URL, NODE_SECRET and LEVIATHAN_DATA_ROOT (its data goes in <root>/<NODE_ID>), and NODE_URL
 * when other nodes reach it at another address than its socket.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { constants, hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDatabase, localJwtSecret } from "../scripts/lib/local-realm.mjs";
import { waitForHealthy } from "../scripts/lib/wait.mjs";
import { ownedObjectIds, startAgent } from "./cluster/agent.mjs";
import { pruneForeignAlarms } from "./cluster/files.mjs";
import { holdLease } from "./cluster/lease.mjs";
import { clusterFromEnv } from "./cluster/settings.mjs";
import { checkListen, describeClientAddress, readWranglerSettings, resolveVars, WRANGLER_TOML } from "./config.mjs";
import { serveProcessMetrics } from "./process-metrics.mjs";
import {
  baseUrlFor,
  build,
  DEFAULT_DATA_DIR,
  DEFAULT_DIST_DIR,
  listenFromEnv,
  startWorkerd,
  writeConfig,
} from "./workerd.mjs";

const prebuilt = process.argv.includes("--prebuilt");
/** Where the build goes and `--prebuilt` reads it: LEVIATHAN_DIST_DIR, else dist/selfhost. */
const distDir = process.env.LEVIATHAN_DIST_DIR || DEFAULT_DIST_DIR;
if (process.argv.includes("--build-only")) {
  try {
    console.log(`Building the Worker with wrangler (${distDir})…`);
    build(distDir);
    process.exit(0);
  } catch (error) {
    console.error(`selfhost: ${/** @type {Error} */ (error).message}`);
    process.exit(1);
  }
}
if (prebuilt && !existsSync(join(distDir, "index.js"))) {
  console.error(`selfhost: --prebuilt but ${distDir} holds no build: run \`npm run selfhost -- --build-only\` first`);
  process.exit(1);
}

let listen;
try {
  listen = listenFromEnv(process.env);
} catch (error) {
  console.error(/** @type {Error} */ (error).message);
  process.exit(2);
}

let cluster;
try {
  cluster = clusterFromEnv(process.env, {
    realm: resolveVars(readWranglerSettings(readFileSync(WRANGLER_TOML, "utf8")).vars, process.env).REALM ?? "local",
    ownUrl: baseUrlFor(listen),
  });
} catch (error) {
  console.error(`selfhost: ${/** @type {Error} */ (error).message}`);
  process.exit(2);
}
const dataDir = cluster?.dataDir ?? (process.env.LEVIATHAN_DATA_DIR || DEFAULT_DATA_DIR);
const database = await ensureDatabase({ stateDir: join(dataDir, "pg"), log: (line) => console.log(line) }).catch(
  (error) => {
    console.error(`selfhost: could not prepare the database: ${error.message}`);
    process.exit(1);
  },
);
const secrets = { DATABASE_URL: database.url, JWT_SECRET: localJwtSecret(join(dataDir, "jwt-secret")) };
console.log(
  describeClientAddress(resolveVars(readWranglerSettings(readFileSync(WRANGLER_TOML, "utf8")).vars, process.env)),
);

/** @type {import("node:child_process").ChildProcess | undefined} */
let child;
/** @type {Awaited<ReturnType<typeof holdLease>> | undefined} */
let lease;
if (cluster) {
  const { nodeId } = cluster;
  // The lease first: from here on no other node can take this node's objects away while it starts.
  lease = await holdLease({
    ...cluster,
    databaseUrl: database.url,
    log: (line) => console.log(`cluster: ${line}`),
    onFenced: (why) => {
      console.error(`selfhost: node ${nodeId} stops: ${why}; another node may own its zones by now`);
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      else process.exit(75);
    },
  }).catch((error) => {
    console.error(`selfhost: could not join the realm in Postgres: ${error.message}`);
    process.exit(1);
  });
  // `ps` and `pgrep -f 'leviathan-node <id>'` tell the nodes of one machine apart.
  process.title = `leviathan-node ${nodeId} ${listen}`;
  try {
    const pruned = pruneForeignAlarms(dataDir, await ownedObjectIds(database.url, cluster.realm, cluster.nodeId));
    console.log(`Cluster node ${cluster.nodeId} (data in ${dataDir}; ${pruned} stale alarms of moved objects removed)`);
  } catch (error) {
    console.error(`selfhost: could not read this node's placements: ${/** @type {Error} */ (error).message}`);
    process.exit(1);
  }
}

let configPath;
try {
  if (!prebuilt) console.log("Building the Worker with wrangler (dist/selfhost)…");
  if (!prebuilt) build(distDir);
  configPath = writeConfig({
    distDir,
    dataDir,
    listen,
    env: { ...process.env, ...secrets },
    // Nodes of a cluster share a checkout: each writes its config beside its own data.
    ...(cluster ? { configPath: join(dataDir, "workerd.capnp") } : {}),
  });
  console.log(`Wrote ${configPath} (data in ${dataDir})`);
} catch (error) {
  console.error(`selfhost: ${/** @type {Error} */ (error).message}`);
  process.exit(1);
}

child = startWorkerd(configPath, {
  verbose: process.argv.includes("--verbose"),
  // A cluster node's workerd must not outlive its runner, which holds the lease (docs/selfhost.md).
  dieWithParent: Boolean(cluster),
});
if (process.env.PROCESS_METRICS_LISTEN) {
  try {
    const at = checkListen(process.env.PROCESS_METRICS_LISTEN);
    const colon = at.lastIndexOf(":");
    const server = await serveProcessMetrics({
      host: at.slice(0, colon).replace(/^\[|\]$/g, ""),
      port: Number(at.slice(colon + 1)),
      pid: () => (child.exitCode === null && child.signalCode === null ? child.pid : undefined),
      node: process.env.NODE_NAME || hostname(),
    });
    server.unref();
    console.log(`Process metrics: http://${at}/metrics`);
  } catch (error) {
    console.error(`selfhost: PROCESS_METRICS_LISTEN: ${/** @type {Error} */ (error).message}`);
  }
}
/** @type {import("node:child_process").ChildProcess | undefined} */
let telnet;
// Ctrl-C and service managers signal this script; workerd (and the telnet listener) must get the same signal to stop.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(signal, () => {
    child.kill(signal);
    telnet?.kill(signal);
  });
}
child.on("error", (error) => {
  console.error(`selfhost: could not start workerd: ${error.message}`);
  process.exit(1);
});
let stopping = false;
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.on(signal, () => (stopping = true));
// Exit as workerd did: its code, or 128 + the signal number that ended it (shell convention),
// and say why when it was not asked to stop: a silent 137 leaves an operator guessing.
/** @type {ReturnType<typeof startAgent> | undefined} */
let agent;
child.on("exit", (code, signal) => {
  agent?.stop();
  lease?.stop();
  if (!stopping) console.error(`selfhost: ${describeExit(code, signal)}`);
  telnet?.kill("SIGTERM");
  database.stop().finally(() => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
});

/**
 * @param {number | null} code
 * @param {NodeJS.Signals | null} signal
 */
function describeExit(code, signal) {
  if (signal === "SIGKILL") {
    return "workerd was killed (SIGKILL: `kill -9` or the kernel's out-of-memory killer; `dmesg` tells which). Zone state on disk is intact; run `npm run selfhost` again to resume.";
  }
  if (signal) return `workerd stopped on signal ${signal}. Run \`npm run selfhost\` again to resume.`;
  if (code === 0) return "workerd exited.";
  return `workerd exited with code ${code}; its last messages are above. Run \`npm run selfhost -- --verbose\` for more.`;
}

const base = baseUrlFor(listen);
waitForHealthy(`${base}/healthz`, 30_000).then(
  () => {
    const ws = base.replace(/^http/, "ws");
    console.log(
      `\nLeviathan (workerd) is up: ${base}\n  play:    open ${base}/ in a browser\n  API:     POST ${base}/auth/register, then /play tickets (ws base ${ws})\n  metrics: ${base}/metrics\n`,
    );
    if (process.env.TELNET_PORT) telnet = startTelnet(base);
    if (cluster) {
      agent = startAgent({
        ...cluster,
        databaseUrl: database.url,
        workerdUrl: base,
        log: (line) => console.log(`cluster: ${line}`),
      });
      console.log(`Cluster node ${cluster.nodeId} joined realm ${cluster.realm} as ${cluster.url}`);
    }
  },
  (error) => {
    console.error(`Leviathan did not become healthy: ${error.message}`);
    child.kill("SIGTERM");
  },
);

/**
 * The telnet listener as a child process (it is TypeScript, run through tsx like `npm run telnet`).
 * Its failure is reported but leaves the realm running: web players do not need it.
 * @param {string} realmUrl
 */
function startTelnet(realmUrl) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const listener = spawn(process.execPath, ["--import", "tsx", join(root, "selfhost/telnet/main.ts")], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, REALM_URL: realmUrl },
  });
  listener.on("error", (error) => console.error(`selfhost: could not start the telnet listener: ${error.message}`));
  listener.on("exit", (code, signal) => {
    if (!stopping)
      console.error(`selfhost: the telnet listener stopped (${signal ?? `code ${code}`}); the realm runs on.`);
  });
  return listener;
}
