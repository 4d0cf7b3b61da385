#!/usr/bin/env node
/**
 * `npm start`: runs the realm locally under wrangler dev on 127.0.0.1:8787 (PORT overrides), with
 * everything it needs: a Postgres (DATABASE_URL, or a local one started and migrated for you,
 * data kept in .leviathan/), a JWT secret, and zone state kept in .wrangler/state between runs.
 * Realm settings may be overridden from the environment, e.g. `ALLOW_GUESTS=true npm start`.
 * wrangler itself listens on a private port behind a small front proxy that owns the public one,
 * so client addresses (rate limits, login throttling) cannot be forged: see lib/front-proxy.mjs.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { buildWeb } from "../client/web/build.mjs";
import { startFrontProxy } from "./lib/front-proxy.mjs";
import { ensureDatabase, localJwtSecret } from "./lib/local-realm.mjs";
import { freePort } from "./lib/postgres.mjs";
import { waitForHealthy } from "./lib/wait.mjs";

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a TCP port number (1-65535), got "${process.env.PORT}"`);
  process.exit(2);
}
const host = "127.0.0.1";
const log = (line) => console.log(`[leviathan] ${line}`);

const database = await ensureDatabase({ stateDir: ".leviathan", log }).catch((error) => {
  console.error(`[leviathan] could not prepare the database: ${error.message}`);
  process.exit(1);
});
log(`database: ${database.source}`);
const jwtSecret = localJwtSecret(".leviathan/jwt-secret");
await buildWeb().catch((error) => {
  console.error(`[leviathan] could not build the web client: ${error.message}`);
  process.exit(1);
});
log("web client: built into client/web/dist");

/** Realm settings from wrangler.toml [vars] that the environment may override for a local run. */
const OVERRIDABLE = [
  "REALM",
  "TICK_RATE_HZ",
  "MAX_CONNECTIONS",
  "LOG_LEVEL",
  "ALLOW_GUESTS",
  "CHARACTERS_PER_ACCOUNT",
  "GM_CONSOLE_FOR_GUESTS",
  "RECONNECT_GRACE_SECONDS",
  "ZONE_INSTANCE_CAP",
  "INSTANCE_IDLE_SECONDS",
  "AUTH_RATE_PER_IP",
  "TICKET_RATE_PER_ACCOUNT",
];
const overrides = OVERRIDABLE.filter((name) => process.env[name]).flatMap((name) => [
  "--var",
  `${name}:${process.env[name]}`,
]);

const innerPort = await freePort();
const proxySecret = randomBytes(24).toString("base64url");
const child = spawn(
  "wrangler",
  [
    "dev",
    "--ip",
    host,
    "--port",
    String(innerPort),
    "--var",
    "CLIENT_ADDRESS:proxy",
    "--var",
    `PROXY_SECRET:${proxySecret}`,
    "--persist-to",
    ".wrangler/state",
    "--show-interactive-dev-session=false",
    "--var",
    `DATABASE_URL:${database.url}`,
    "--var",
    `JWT_SECRET:${jwtSecret}`,
    ...overrides,
  ],
  { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
);

const front = await startFrontProxy({ host, port, targetPort: innerPort, secret: proxySecret }).catch(async (error) => {
  console.error(`[leviathan] could not listen on ${host}:${port}: ${error.message} (set PORT to use another)`);
  child.kill("SIGTERM");
  await database.stop();
  process.exit(1);
});
log(
  `client addresses: each connection's peer, passed on by the front proxy on ${host}:${port} (wrangler itself on ${innerPort})`,
);

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  front.close();
  child.kill("SIGTERM");
  await database.stop();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void shutdown(0));
child.on("exit", (code) => void shutdown(code ?? 1));

const base = `http://${host}:${port}`;
waitForHealthy(`${base}/healthz`, 60_000).then(
  () =>
    console.log(
      `\nLeviathan is up: ${base}\n  play:     open ${base}/ in a browser\n  register: curl -X POST ${base}/auth/register -H 'content-type: application/json' -d '{"username":"ada","password":"correct horse"}'\n  metrics:  ${base}/metrics\n`,
    ),
  (error) => {
    console.error(`Leviathan did not become healthy: ${error.message}`);
    void shutdown(1);
  },
);
