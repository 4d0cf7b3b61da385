/**
 * The gateway under abuse: oversized bodies, address forging, ticket floods and revoked logins.
 * Policies: docs/accounts.md.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "../support/api";
import { type HarnessRealm, startHarness, TEST_PROXY_SECRET } from "../support/harness";
import { TestClient } from "../support/ws-client";

let realm: HarnessRealm;

beforeAll(async () => {
  realm = await startHarness({ ALLOW_GUESTS: "false" });
});
afterAll(async () => {
  await realm?.harness.close();
});

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${realm.baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    // Node needs this for a streamed (chunked) body.
    duplex: "half",
  } as RequestInit);

describe("request size", () => {
  it("reads a body just under the limit and judges it on its content", async () => {
    const fits = JSON.stringify({ username: "ab", password: "x".repeat(10_000) });
    expect((await post("/auth/register", fits)).status).toBe(400);
  });
  // Bodies over the limit are sent to plain workerd (test/selfhost/gateway-edge.test.ts): the
  // local dev server in front of this harness buffers a whole body before the Worker sees it.
});

describe("client addresses", () => {
  it("counts a client behind the trusted proxy under the address the proxy saw, whatever headers it adds", async () => {
    const proxied = (forged: string) =>
      post("/auth/login", JSON.stringify({ username: `nobody${forged.replace(/\D/g, "")}`, password: "x" }), {
        // The client wrote its own X-Forwarded-For and CF-Connecting-IP; our proxy appended the real peer.
        "x-forwarded-for": `${forged}, 203.0.113.50`,
        "cf-connecting-ip": forged,
        "x-leviathan-proxy-secret": TEST_PROXY_SECRET,
      });
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await proxied(`10.9.${i}.1`)).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });

  it("never pools clients without a trusted address into one shared bucket", async () => {
    // No proxy secret: the address headers are the client's own words and are ignored. Such
    // requests are not charged to any address (not to a shared "unknown" one that 30 requests fill).
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) {
      const response = await post("/auth/login", JSON.stringify({ username: `ghost${i}`, password: "wrong" }), {
        "x-forwarded-for": "6.6.6.6",
        "cf-connecting-ip": `6.6.6.${i}`,
      });
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    // And a proxied player meanwhile is unaffected.
    const player = await new Api(realm.baseUrl).newPlayer("pooled");
    expect(player.accessToken).toEqual(expect.any(String));
  });

  it("limits play tickets per account, so one account's flood leaves the others theirs", async () => {
    const address = "198.18.0.7"; // both accounts behind one address (a LAN party)
    const api = new Api(realm.baseUrl, address);
    const flooder = await api.newPlayer("flood");
    const neighbour = await api.newPlayer("calm");
    const heroOf = async (token: string, name: string) =>
      (await api.call<{ id: string }>("POST", "/characters", { name, class: "mage" }, token)).body.id;
    const floodHero = await heroOf(flooder.accessToken, `Flood${Date.now().toString(36)}`);
    const calmHero = await heroOf(neighbour.accessToken, `Calm${Date.now().toString(36)}`);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push((await api.call("POST", "/play/ticket", { characterId: floodHero }, flooder.accessToken)).status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    const calm = await api.call("POST", "/play/ticket", { characterId: calmHero }, neighbour.accessToken);
    expect(calm.status).toBe(200);
  });
});

describe("revocation", () => {
  it("refuses a signed-out login's access token and tickets on every Postgres-backed route at once", async () => {
    const api = new Api(realm.baseUrl);
    const player = await api.newPlayer("revoked");
    const hero = await api.call<{ id: string }>(
      "POST",
      "/characters",
      { name: `Gone${Date.now().toString(36)}`, class: "warrior" },
      player.accessToken,
    );
    expect(hero.status).toBe(201);
    const ticket = await api.call<{ url: string }>(
      "POST",
      "/play/ticket",
      { characterId: hero.body.id },
      player.accessToken,
    );
    expect(ticket.status).toBe(200);

    expect((await api.call("POST", "/auth/logout", { refreshToken: player.refreshToken })).status).toBe(204);

    const list = await api.call("GET", "/characters", undefined, player.accessToken);
    expect(list.status).toBe(401);
    expect(list.body).toMatchObject({ error: "session_revoked" });
    const again = await api.call("POST", "/play/ticket", { characterId: hero.body.id }, player.accessToken);
    expect(again).toMatchObject({ status: 401, body: { error: "session_revoked" } });
    const create = await api.call("POST", "/characters", { name: "Another", class: "mage" }, player.accessToken);
    expect(create).toMatchObject({ status: 401, body: { error: "session_revoked" } });
    const remove = await api.call("DELETE", `/characters/${hero.body.id}`, undefined, player.accessToken);
    expect(remove).toMatchObject({ status: 401, body: { error: "session_revoked" } });
    // The ticket issued before the logout dies with it.
    const refused = await TestClient.connect(ticket.body.url).then(
      () => undefined,
      (error: { status?: number; body?: string }) => error,
    );
    expect(refused?.status).toBe(401);
    expect(JSON.parse(refused?.body ?? "{}")).toMatchObject({ error: "session_revoked" });

    // Another login of the same account is untouched.
    const fresh = await api.call<{ accessToken: string }>("POST", "/auth/login", {
      username: player.username,
      password: player.password,
    });
    expect((await api.call("GET", "/characters", undefined, fresh.body.accessToken)).status).toBe(200);
  });

  it("revokes live access when a spent refresh token is replayed (a leaked token)", async () => {
    const api = new Api(realm.baseUrl);
    const player = await api.newPlayer("leaked");
    const rotated = await api.call<{ accessToken: string }>("POST", "/auth/refresh", {
      refreshToken: player.refreshToken,
    });
    expect((await api.call("GET", "/characters", undefined, rotated.body.accessToken)).status).toBe(200);
    // The old refresh token comes back: the family is revoked, and with it both access tokens.
    expect((await api.call("POST", "/auth/refresh", { refreshToken: player.refreshToken })).status).toBe(401);
    for (const token of [player.accessToken, rotated.body.accessToken]) {
      expect(await api.call("GET", "/characters", undefined, token)).toMatchObject({
        status: 401,
        body: { error: "session_revoked" },
      });
    }
  });
});
