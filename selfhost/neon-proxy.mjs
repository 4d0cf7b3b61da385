#!/usr/bin/env node
/**
 * A WebSocket→TCP proxy that lets the Neon serverless driver reach a plain Postgres
 * (docs/decisions.md D22). The driver, configured with
 *
 *   neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`
 *   neonConfig.useSecureWebSocket = false; pipelineTLS = false; pipelineConnect = false
 *
 * opens `ws://<proxy>/v1?address=<host>:<port>` and sends the raw Postgres wire bytes as binary
 * WebSocket messages; replies come back the same way. One WebSocket is one TCP connection. The
 * path is not checked (/v1 by convention); only the `address` query parameter matters.
 *
 * Only targets that `allow(host, port)` accepts are reached (by default loopback only): an open
 * proxy would let anyone on the network reach any TCP service behind it. Refusals are HTTP
 * errors before the upgrade (400 for a malformed address, 403 for a target not allowed).
 *
 * Both sides close when either closes or fails, and when the client sends the Postgres
 * Terminate message, so a driver that never closes its WebSocket does not pin a backend.
 *
 * The proxy has no authentication of its own (Postgres' still applies) and speaks plain ws://
 * (the realm sets useSecureWebSocket = false when NEON_WS_PROXY is set): keep it on loopback or a
 * private network.
 *
 * CLI: node selfhost/neon-proxy.mjs --listen 127.0.0.1:5433 --allow db.internal:5432 [--allow …]
 * Self-hosters then set NEON_WS_PROXY=<listen>/v1 (and DATABASE_DRIVER=neon) for the realm.
 * Needs the `ws` package installed next to it.
 */
import { realpathSync } from "node:fs";
import { createServer, STATUS_CODES } from "node:http";
import { connect as connectTcp } from "node:net";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);
const CONNECT_TIMEOUT_MS = 10_000;
/** Stop reading from Postgres while this much is waiting to go out on the WebSocket. */
const HIGH_WATER = 1 << 20;

/** The default policy: loopback targets only. */
export function allowLoopback(host) {
  return LOOPBACK.has(host.toLowerCase());
}

/**
 * Parses `host:port` (`[v6]:port` or a bare `v6:port` too) into `{ host, port }`; throws with a
 * reason when it is not one. Hosts are names or IP literals: letters, digits, `.`, `-`, `_`, `:`.
 * @param {string | null | undefined} text
 */
export function parseAddress(text) {
  if (!text) throw new Error("missing address (expected host:port)");
  let host;
  let portText;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else {
    const colon = text.lastIndexOf(":");
    if (colon <= 0) throw new Error(`address "${text}" has no port (expected host:port)`);
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  if (!/^[A-Za-z0-9._:-]+$/.test(host) || host.length > 253) throw new Error(`address "${text}" has an invalid host`);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    throw new Error(`address "${text}" has an invalid port (1–65535)`);
  }
  return { host: host.toLowerCase(), port: Number(portText) };
}

/**
 * Watches the client→server byte stream for the Postgres Terminate message ('X', int32 4) at a
 * message boundary, so bytes that merely look like it inside a query or parameter never count.
 * Startup-phase messages have no type byte. After an SSLRequest/GSSENCRequest it waits for the
 * server's one-byte answer: 'N' resumes watching, anything else (TLS) turns it blind, and then
 * only the closing of either side ends the session.
 */
class TerminateWatcher {
  phase = "startup"; // startup | answer | messages | blind
  header = [];
  skip = 0;
  /** Client bytes that arrived while waiting for the server's SSL answer. */
  held = [];

  /** @param {Buffer} chunk @returns {boolean} whether Terminate was seen */
  client(chunk) {
    if (this.phase === "answer") {
      this.held.push(chunk);
      return false;
    }
    return this.#scan(chunk);
  }

  /** @param {Buffer} chunk @returns {boolean} whether held client bytes contained Terminate */
  server(chunk) {
    if (this.phase !== "answer" || chunk.length === 0) return false;
    if (chunk[0] !== 0x4e /* 'N' */) {
      this.phase = "blind";
      this.held = [];
      return false;
    }
    this.phase = "startup";
    const held = this.held;
    this.held = [];
    return held.some((c) => this.#scan(c));
  }

  #scan(chunk) {
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === "blind" || this.phase === "answer") return false;
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      this.header.push(chunk[i++]);
      const startup = this.phase === "startup";
      if (this.header.length < (startup ? 8 : 5)) continue;
      const h = Buffer.from(this.header);
      this.header = [];
      if (startup) {
        const length = h.readInt32BE(0);
        const code = h.readInt32BE(4);
        if (length < 8) this.phase = "blind";
        else if (code === 80877103 || code === 80877104)
          this.phase = "answer"; // SSLRequest, GSSENCRequest
        else if (code === 80877102)
          this.skip = length - 8; // CancelRequest: the server closes after it
        else {
          this.phase = "messages";
          this.skip = length - 8;
        }
      } else {
        const length = h.readInt32BE(1);
        if (h[0] === 0x58 /* 'X' */ && length === 4) return true;
        if (length < 4) this.phase = "blind";
        else this.skip = length - 4;
      }
    }
    return false;
  }
}

/**
 * Starts the proxy.
 * @param {{ host?: string, port?: number, allow?: (host: string, port: number) => boolean | Promise<boolean>, log?: (line: string) => void }} [options]
 */
export async function startNeonProxy({ host = "127.0.0.1", port = 0, allow = allowLoopback, log = () => {} } = {}) {
  const sessions = new Set();
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_request, response) => {
    response.writeHead(426, { "content-type": "text/plain", upgrade: "websocket" });
    response.end("This is a WebSocket→Postgres proxy for the Neon driver: connect with a WebSocket.\n");
  });

  const refuse = (socket, status, reason) => {
    const body = `${reason}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  server.on("upgrade", async (request, socket, head) => {
    socket.on("error", () => socket.destroy());
    let target;
    try {
      const url = new URL(request.url ?? "/", "http://proxy");
      target = parseAddress(url.searchParams.get("address"));
    } catch (error) {
      refuse(socket, 400, /** @type {Error} */ (error).message);
      return;
    }
    let allowed = false;
    try {
      allowed = await allow(target.host, target.port);
    } catch (error) {
      log(`neon-proxy: allow() failed for ${target.host}:${target.port}: ${/** @type {Error} */ (error).message}`);
    }
    if (!allowed) {
      log(`neon-proxy: refused ${target.host}:${target.port}`);
      refuse(socket, 403, `target ${target.host}:${target.port} is not allowed by this proxy`);
      return;
    }
    if (socket.destroyed) return;
    wss.handleUpgrade(request, socket, head, (ws) => bridge(ws, target));
  });

  /** Joins one accepted WebSocket to a new TCP connection to `target`. */
  function bridge(ws, target) {
    const tcp = connectTcp({ host: target.host, port: target.port });
    const watcher = new TerminateWatcher();
    const session = { ws, tcp };
    sessions.add(session);
    let closed = false;
    const connectTimer = setTimeout(
      () => finish(`no connection to ${target.host}:${target.port} within 10 s`),
      CONNECT_TIMEOUT_MS,
    );

    /** Ends both sides once; `problem` set means an error rather than an orderly close. */
    const finish = (problem) => {
      if (closed) return;
      closed = true;
      clearTimeout(connectTimer);
      sessions.delete(session);
      if (problem) log(`neon-proxy: ${target.host}:${target.port}: ${problem}`);
      if (problem || tcp.connecting) tcp.destroy();
      else {
        tcp.end(); // flushes what the client sent last (e.g. Terminate), then FIN
        setTimeout(() => tcp.destroy(), 2000).unref();
      }
      if (ws.readyState === ws.OPEN) ws.close(problem ? 1011 : 1000, problem ? "upstream failed" : undefined);
      else ws.terminate();
      // A peer that never answers the close frame must not keep the socket.
      setTimeout(() => ws.terminate(), 2000).unref();
    };

    tcp.setNoDelay(true);
    tcp.once("connect", () => clearTimeout(connectTimer));
    tcp.on("data", (chunk) => {
      if (closed || ws.readyState !== ws.OPEN) return;
      // True when client bytes held back during SSL negotiation turn out to end with Terminate.
      const terminate = watcher.server(chunk);
      ws.send(chunk, { binary: true }, () => {
        if (ws.bufferedAmount < HIGH_WATER && tcp.isPaused()) tcp.resume();
      });
      if (terminate) finish();
      else if (ws.bufferedAmount >= HIGH_WATER) tcp.pause();
    });
    tcp.on("drain", () => ws.isPaused && ws.resume());
    tcp.on("end", () => finish());
    tcp.on("close", () => finish());
    tcp.on("error", (error) => finish(error.message));

    ws.on("message", (data) => {
      if (closed) return;
      // Binary frames carry the wire bytes; a text frame is forwarded as its bytes too.
      const chunk = Buffer.isBuffer(data) ? data : Buffer.from(/** @type {ArrayBuffer} */ (data));
      const terminate = watcher.client(chunk);
      if (!tcp.write(chunk)) ws.pause();
      if (terminate) finish();
    });
    ws.on("close", () => finish());
    ws.on("error", (error) => finish(error.message));
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(undefined);
    });
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const hostPart = address.address.includes(":") ? `[${address.address}]` : address.address;
  const neonProxy = `${hostPart}:${address.port}/v1`;
  return {
    port: address.port,
    url: `ws://${neonProxy}`,
    /** The value for NEON_WS_PROXY / DatabaseSettings.neonProxy. */
    neonProxy,
    /** Sessions (WebSocket + TCP pairs) currently open. */
    get active() {
      return sessions.size;
    },
    /** Stops listening and cuts every open session. */
    close() {
      for (const { ws, tcp } of sessions) {
        ws.terminate();
        tcp.destroy();
      }
      sessions.clear();
      wss.close();
      return new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections?.();
      });
    },
  };
}

const USAGE = `usage: node selfhost/neon-proxy.mjs [--listen host:port] [--allow host:port]...

  --listen host:port   where the proxy listens (default 127.0.0.1:5433)
  --allow host:port    a Postgres the proxy may reach; repeat for several
                       (default: loopback only, i.e. 127.0.0.1, localhost, ::1 on any port)

Then point the realm at it: DATABASE_DRIVER=neon NEON_WS_PROXY=<listen>/v1`;

/**
 * Reads the CLI arguments.
 * @param {string[]} argv
 * @returns {{ listen: { host: string, port: number }, allow: { host: string, port: number }[], help: boolean }}
 */
export function parseArgs(argv) {
  const result = { listen: { host: "127.0.0.1", port: 5433 }, allow: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      result.help = true;
      continue;
    }
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (flag !== "--listen" && flag !== "--allow") throw new Error(`unknown argument "${arg}"`);
    const value = inline ?? argv[++i];
    if (!value || value.startsWith("--")) throw new Error(`${flag} needs a host:port value`);
    let parsed;
    try {
      parsed = parseAddress(value);
    } catch (error) {
      throw new Error(`${flag}: ${/** @type {Error} */ (error).message}`);
    }
    if (flag === "--listen") result.listen = parsed;
    else result.allow.push(parsed);
  }
  return result;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`neon-proxy: ${/** @type {Error} */ (error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const allowList = args.allow;
  const allow = allowList.length
    ? (host, port) => allowList.some((a) => a.host === host.toLowerCase() && a.port === port)
    : allowLoopback;
  const proxy = await startNeonProxy({
    host: args.listen.host,
    port: args.listen.port,
    allow,
    log: (line) => console.error(line),
  });
  const targets = allowList.length ? allowList.map((a) => `${a.host}:${a.port}`).join(", ") : "loopback only";
  console.log(`neon-proxy listening on ${proxy.url} (targets: ${targets}); set NEON_WS_PROXY=${proxy.neonProxy}`);
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
    process.once(signal, () => {
      proxy.close().then(() => process.exit(0));
      setTimeout(() => process.exit(0), 3000).unref();
    });
  }
}

if (process.argv[1] && realpathSync(fileURLToPath(import.meta.url)) === realpathSync(process.argv[1])) {
  main().catch((error) => {
    console.error(`neon-proxy: ${error.message}`);
    process.exit(1);
  });
}
