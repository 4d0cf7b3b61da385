/**
 * Client addresses under plain workerd, reached directly (CLIENT_ADDRESS=socket, the self-host
 * default): each TCP peer is its own address and no header a client writes changes that. Real
 * peers differ by binding the client side to 127.0.0.2, 127.0.0.3, … (all loopback on Linux).
 */
import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { TEST_JWT_SECRET } from "../support/harness";
import { type SelfhostRealm, startSelfhostRealm } from "../support/workerd";

let realm: SelfhostRealm;

beforeAll(async () => {
  realm = await startSelfhostRealm("addresses", { DATABASE_URL: inject("databaseUrl"), JWT_SECRET: TEST_JWT_SECRET });
});
afterAll(async () => {
  await realm?.workerd.kill("SIGKILL");
  realm?.cleanup();
});
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => console.error(`--- workerd output ---\n${realm?.workerd.output ?? "(not started)"}`));
});

/** POSTs JSON from the loopback address `from`, with whatever extra headers a client may send. */
function postFrom(
  from: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(path, realm.baseUrl);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress: from,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers },
      },
      (res) => {
        let data = "";
        res.on("data", (chunk) => {
          data += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : {} }));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

describe("workerd: client addresses from the socket", () => {
  it("keeps a header-forging flood in its own bucket and everyone else out of it", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) {
      // A fresh forged address in every header a naive gateway might believe.
      const forged = `203.0.113.${i}`;
      const response = await postFrom(
        "127.0.0.2",
        "/auth/login",
        { username: `victim${i}`, password: "wrong password" },
        { "cf-connecting-ip": forged, "x-forwarded-for": forged, "x-real-ip": forged },
      );
      statuses.push(response.status);
    }
    // 30 requests a minute from one address (AUTH_RATE_PER_IP), forged headers or not.
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429]);

    // Another client (another peer) registers and logs in as if nothing happened: no shared bucket.
    const username = `peer${Date.now().toString(36)}`;
    const password = "correct horse battery";
    expect((await postFrom("127.0.0.3", "/auth/register", { username, password })).status).toBe(201);
    const login = await postFrom("127.0.0.3", "/auth/login", { username, password });
    expect(login.status).toBe(200);
    expect(login.body.deviceToken).toEqual(expect.any(String));
  });

  it("says at the first request where client addresses come from", async () => {
    const line = await realm.workerd.waitForLog((l) => l.event === "gateway.client_address", 5_000);
    expect(line).toMatchObject({ mode: "socket", source: "socket" });
  });
});
