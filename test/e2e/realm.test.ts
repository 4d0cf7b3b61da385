/** End-to-end: real WebSocket clients against the worker started by wrangler's test harness. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HarnessRealm, startHarness } from "../support/harness";
import { defineSmokeSuite } from "../support/smoke";
import { TestClient } from "../support/ws-client";

let realm: HarnessRealm;
beforeAll(async () => {
  realm = await startHarness();
});
afterAll(async () => {
  await realm?.harness.close();
});

defineSmokeSuite("wrangler", () => realm);

const wsUrl = (zone: string) => `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=${zone}`;

describe("wrangler: sessions", () => {
  it("resumes a zone evicted from memory with its tick and chat intact", async () => {
    const alice = await TestClient.connect(wsUrl("evict"));
    await alice.hello("Alice");
    alice.send({ type: "say", text: "before the eviction" });
    const said = await alice.nextOfType("said");
    const before = await alice.ping(1);
    await alice.close();
    // While players are attached the fast-cadence timer pins the zone in memory; once the last one
    // leaves it stops its timers and can be evicted. Retry (bounded) until the runtime lets go of it.
    let evicted = false;
    for (let attempt = 0; attempt < 10 && !evicted; attempt++) {
      evicted = await realm.harness
        .getWorker()
        .evictDurableObject("ZONES", { name: "local:zone:evict", webSockets: "close" })
        .then(() => true)
        .catch(() => false);
    }
    expect(evicted).toBe(true);
    const again = await TestClient.connect(wsUrl("evict"));
    const welcome = await again.hello("Alice");
    expect(welcome.tick as number).toBeGreaterThanOrEqual(before.tick as number);
    expect(welcome.recent).toContainEqual(expect.objectContaining({ id: said.id, text: "before the eviction" }));
    await again.close();
  });

  it("answers a flood with rate_limited without disturbing the zone or other players", async () => {
    const flooder = await TestClient.connect(wsUrl("flood"));
    const bystander = await TestClient.connect(wsUrl("flood"));
    await flooder.hello("Flooder");
    await bystander.hello("Bystander");
    for (let i = 0; i < 120; i++) flooder.send({ type: "ping", id: i });
    expect(await flooder.next((f) => f.type === "error" && f.code === "rate_limited")).toBeTruthy();
    expect(await bystander.ping(1)).toMatchObject({ type: "pong", id: 1 });
    // The bucket refills: after a pause the flooder is served again.
    await new Promise((r) => setTimeout(r, 1200));
    expect(await flooder.ping(1000)).toMatchObject({ type: "pong", id: 1000 });
    await flooder.close();
    await bystander.close();
  });

  it("refuses a second hello and a wrong protocol version with typed errors", async () => {
    const client = await TestClient.connect(wsUrl("versions"));
    client.send({ type: "hello", protocol: 3 });
    expect(await client.nextOfType("error")).toMatchObject({ code: "protocol_mismatch", field: "protocol" });
    await client.hello("Late");
    client.send({ type: "hello", protocol: 1 });
    expect(await client.nextOfType("error")).toMatchObject({ code: "invalid" });
    await client.close();
  });

  it("rejects a malformed zone id with 400 before any zone is touched", async () => {
    const refused = await TestClient.connect(wsUrl(encodeURIComponent("../etc"))).then(
      () => undefined,
      (error: { status?: number; body?: string }) => error,
    );
    expect(refused?.status).toBe(400);
    expect(JSON.parse(refused?.body ?? "{}")).toMatchObject({ error: "invalid_zone" });
  });

  it("sends the recent chat to a newcomer in welcome", async () => {
    const first = await TestClient.connect(wsUrl("backlog"));
    await first.hello("Herald");
    for (const text of ["one", "two", "three"]) {
      first.send({ type: "say", text });
      await first.next((f) => f.type === "said" && f.text === text);
    }
    await first.close();
    const later = await TestClient.connect(wsUrl("backlog"));
    const welcome = await later.hello("Latecomer");
    expect((welcome.recent as { text: string }[]).map((s) => s.text)).toEqual(["one", "two", "three"]);
    await later.close();
  });
});
