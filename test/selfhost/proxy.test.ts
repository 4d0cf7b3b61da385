/**
 * The realm behind the shipped reverse proxy (selfhost/proxy/Caddyfile, Debian's Caddy): TLS from
 * Caddy's own CA, WebSockets through it, and each player counted by the address Caddy forwards
 * (CLIENT_ADDRESS=proxy, TRUSTED_PROXIES=127.0.0.1), never by the proxy's own or by what a client
 * writes. Players differ by binding their side to 127.0.0.2, 127.0.0.3 (all loopback on Linux).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { freePort } from "../../scripts/lib/postgres.mjs";
import { TEST_JWT_SECRET } from "../support/harness";
import { type SelfhostRealm, startSelfhostRealm } from "../support/workerd";

let realm: SelfhostRealm;
let caddy: ChildProcess | undefined;
let caddyOutput = "";
let home: string;
let base: string;
let ca: Buffer;

beforeAll(async () => {
  realm = await startSelfhostRealm("proxy", {
    DATABASE_URL: inject("databaseUrl"),
    JWT_SECRET: TEST_JWT_SECRET,
    CLIENT_ADDRESS: "proxy",
    TRUSTED_PROXIES: "127.0.0.1",
  });
  home = mkdtempSync(join(tmpdir(), "leviathan-caddy-"));
  const [https, http] = [await freePort(), await freePort()];
  base = `https://127.0.0.1:${https}`;
  caddy = spawn("caddy", ["run", "--config", "selfhost/proxy/Caddyfile", "--adapter", "caddyfile"], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: join(home, "data"),
      XDG_CONFIG_HOME: join(home, "config"),
      LEVIATHAN_SITE: base,
      LEVIATHAN_TLS: "internal",
      LEVIATHAN_UPSTREAMS: new URL(realm.baseUrl).host,
      LEVIATHAN_HTTP_PORT: String(http),
      LEVIATHAN_HTTPS_PORT: String(https),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  caddy.on("error", (error) => {
    caddyOutput += `could not start caddy (apt-get install caddy): ${error.message}\n`;
  });
  for (const stream of [caddy.stdout, caddy.stderr]) stream?.on("data", (d) => (caddyOutput += d));
  // Caddy writes its CA's root on first start; wait (bounded) until it answers through TLS.
  const root = join(home, "data/caddy/pki/authorities/local/root.crt");
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      ca = readFileSync(root);
      if ((await get("/healthz")).status === 200) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`Caddy did not serve the realm within 30 s:\n${caddyOutput}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(async () => {
  caddy?.kill("SIGTERM");
  await realm?.workerd.kill("SIGKILL");
  realm?.cleanup();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A request through Caddy from loopback address `from`, trusting Caddy's CA only. */
function send(
  method: string,
  path: string,
  options: { from?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> }> {
  const text = options.body === undefined ? undefined : JSON.stringify(options.body);
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        ca,
        localAddress: options.from ?? "127.0.0.1",
        headers: {
          ...(text ? { "content-type": "application/json", "content-length": Buffer.byteLength(text) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let data = "";
        res.on("data", (chunk) => {
          data += chunk;
        });
        res.on("end", () => {
          let body: Record<string, unknown> = {};
          try {
            body = data ? JSON.parse(data) : {};
          } catch {
            body = { text: data };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}
const get = (path: string) => send("GET", path);

describe("behind the shipped Caddy config", () => {
  it("serves the realm over TLS, with HSTS", async () => {
    const health = await get("/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true });
    expect(health.headers["strict-transport-security"]).toBe("max-age=31536000");
  });

  it("answers calls between nodes (/_node/) itself, never passing them to a node", async () => {
    const refused = await get("/_node/object-id?ns=ZONES&name=x");
    expect(refused.status).toBe(404);
    // Caddy's own empty answer: a node would have answered with its JSON error and a request id.
    expect(refused.body).toEqual({});
    expect(refused.headers["x-request-id"]).toBeUndefined();
  });

  it("counts each player by the address Caddy forwards, whatever the player writes", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) {
      const forged = `203.0.113.${i}`;
      const response = await send("POST", "/auth/login", {
        from: "127.0.0.2",
        body: { username: `victim${i}`, password: "wrong password" },
        headers: { "x-forwarded-for": forged, "x-real-ip": forged, "cf-connecting-ip": forged },
      });
      statuses.push(response.status);
    }
    // 30 a minute from one address (AUTH_RATE_PER_IP): the player's, not the proxy's, not the forged ones.
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429]);
    // Another player behind the same proxy is not in that bucket.
    const username = `edge${Date.now().toString(36)}`;
    const password = "correct horse battery";
    expect((await send("POST", "/auth/register", { from: "127.0.0.3", body: { username, password } })).status).toBe(
      201,
    );
    expect((await send("POST", "/auth/login", { from: "127.0.0.3", body: { username, password } })).status).toBe(200);
  });

  it("hands a player on https a wss ticket, and carries its WebSocket through", async () => {
    const from = "127.0.0.4";
    const username = `wss${Date.now().toString(36)}`;
    const password = "correct horse battery";
    expect((await send("POST", "/auth/register", { from, body: { username, password } })).status).toBe(201);
    const login = await send("POST", "/auth/login", { from, body: { username, password } });
    const auth = { authorization: `Bearer ${login.body.accessToken}` };
    const hero = await send("POST", "/characters", {
      from,
      body: { name: `Edgar${Date.now().toString(36)}`, class: "mage" },
      headers: auth,
    });
    expect(hero.status).toBe(201);
    const ticket = await send("POST", "/play/ticket", { from, body: { characterId: hero.body.id }, headers: auth });
    expect(ticket.status).toBe(200);
    // Caddy terminated TLS and said so in X-Forwarded-Proto: the link is wss, to the proxy's address.
    expect(String(ticket.body.url)).toMatch(new RegExp(`^wss://127\\.0\\.0\\.1:${new URL(base).port}/play\\?ticket=`));
    const socket = new WebSocket(String(ticket.body.url), { ca, localAddress: from });
    try {
      const welcome = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no welcome within 10 s")), 10_000);
        socket.once("open", () => socket.send(JSON.stringify({ type: "hello", protocol: 1 })));
        socket.on("message", (data) => {
          const message = JSON.parse(String(data));
          if (message.type === "welcome") {
            clearTimeout(timer);
            resolve(message);
          }
        });
        socket.once("error", reject);
      });
      expect(welcome).toMatchObject({ type: "welcome" });
    } finally {
      socket.terminate();
    }
  });
});
