/**
 * `npm run telnet`: a telnet listener for MUD clients (Mudlet, TinTin++, plain telnet) in front of a
 * realm's gateway, since Cloudflare takes no inbound TCP. Options: --port / TELNET_PORT (4000),
 * --host / TELNET_HOST (127.0.0.1), --realm / REALM_URL (http://127.0.0.1:8787, where `npm start`
 * and `npm run selfhost` listen). PROXY_SECRET is sent along for a realm that trusts this proxy.
 */
import { parseArgs } from "node:util";
import { DEFAULT_TELNET_HOST, DEFAULT_TELNET_PORT, startTelnetServer } from "./server";

export const DEFAULT_REALM_URL = "http://127.0.0.1:8787";

const { values } = parseArgs({
  options: { port: { type: "string" }, host: { type: "string" }, realm: { type: "string" } },
});
const portText = values.port ?? process.env.TELNET_PORT ?? String(DEFAULT_TELNET_PORT);
const port = Number(portText);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`telnet: the port must be a whole number from 1 to 65535, got "${portText}"`);
  process.exit(2);
}
const host = values.host ?? process.env.TELNET_HOST ?? DEFAULT_TELNET_HOST;
const realmUrl = values.realm ?? process.env.REALM_URL ?? DEFAULT_REALM_URL;
if (typeof WebSocket === "undefined") {
  console.error("telnet: this Node has no global WebSocket; run it with Node 22 (npm run telnet does).");
  process.exit(2);
}

try {
  const listener = await startTelnetServer({
    host,
    port,
    realmUrl,
    proxySecret: process.env.PROXY_SECRET || undefined,
    log: (line) => console.log(line),
  });
  console.log(`telnet: listening on ${listener.host}:${listener.port} for the realm at ${realmUrl}`);
  console.log(`telnet: connect with \`telnet ${listener.host} ${listener.port}\`, or Mudlet with that host and port`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void listener.close().then(() => process.exit(0)));
  }
} catch (error) {
  console.error(`telnet: could not listen on ${host}:${port}: ${(error as Error).message}`);
  process.exit(1);
}
