/**
 * The gateway's edge under plain workerd, as a self-hosted realm runs it: bodies over the limit are
 * answered before they arrive, and client addresses come from the TCP peer (CLIENT_ADDRESS=socket,
 * the self-host default), whatever headers a client writes. Real peers differ by binding the
 * client side to 127.0.0.2, 127.0.0.3, … (all loopback on Linux).
 */
import { connect } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { TEST_JWT_SECRET } from "../support/harness";
import { postFrom as post } from "../support/http";
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

const postFrom = (from: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  post(realm.baseUrl, from, path, body, headers);

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

/**
 * Sends a POST's headers and the first `sendBytes` of its body over a raw socket, and never the
 * rest: an answer can only come from a gateway that judges the body without waiting for all of it.
 * Sending no more than the server reads keeps its close clean (a server that closes with unread
 * bytes resets the connection, and the reset can wipe the answer before the client reads it).
 */
function postUnfinished(
  path: string,
  options: { declaredLength?: number; sendBytes: number },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(path, realm.baseUrl);
  const chunked = options.declaredLength === undefined;
  const framing = chunked ? "transfer-encoding: chunked" : `content-length: ${options.declaredLength}`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no answer within 15 s to an unfinished body"));
    }, 15_000);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("error", () => {}); // a reset after the answer changes nothing
    socket.on("close", () => {
      clearTimeout(timer);
      const [head = "", ...rest] = received.split("\r\n\r\n");
      const status = Number(head.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
      let text = rest.join("\r\n\r\n");
      if (/transfer-encoding: chunked/i.test(head)) text = dechunk(text);
      resolve({ status, body: text ? JSON.parse(text) : {} });
    });
    socket.on("connect", () => {
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n${framing}\r\nconnection: close\r\n\r\n`,
      );
      if (options.sendBytes === 0) return;
      const piece = Buffer.alloc(options.sendBytes, 0x20);
      // One chunk, and no terminating zero-length chunk: the body never ends.
      if (chunked) socket.write(`${piece.length.toString(16)}\r\n`);
      socket.write(piece);
      if (chunked) socket.write("\r\n");
    });
  });
}

/** Decodes an HTTP/1.1 chunked body. */
function dechunk(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const line = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.slice(0, line), 16);
    if (!size) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

describe("workerd: request size", () => {
  it("answers a body declared over the limit with 413 before it arrives", async () => {
    // Declares 100 MB and would send 4 MB at most: the answer must come from the header alone.
    // Declares 100 MB and sends none of it: the answer must come from the header alone.
    const declared = await postUnfinished("/auth/register", { declaredLength: 100 * 1024 * 1024, sendBytes: 0 });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ error: "payload_too_large", message: expect.stringMatching(/16384/) });
  });

  it("cuts a chunked body without a length at the limit, while it streams", async () => {
    // 17 KiB of a chunked body that never ends: cut as soon as the count passes 16 KiB.
    const chunked = await postUnfinished("/auth/login", { sendBytes: 17 * 1024 });
    expect(chunked.status).toBe(413);
    expect(chunked.body).toMatchObject({ error: "payload_too_large" });
  });
});
