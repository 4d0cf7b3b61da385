/** The realm refuses upgrades past its connection cap with a clear 503, and frees slots on close. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type HarnessRealm, startHarness } from "../support/harness";
import { TestClient } from "../support/ws-client";

let realm: HarnessRealm;
beforeAll(async () => {
  realm = await startHarness({ MAX_CONNECTIONS: "2" });
});
afterAll(async () => {
  await realm?.harness.close();
});

const wsUrl = (zone: string) => `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=${zone}`;

it("refuses the connection over the cap with 503 server_full and admits again after a close", async () => {
  const first = await TestClient.connect(wsUrl("a"));
  const second = await TestClient.connect(wsUrl("b"));
  const refused = await TestClient.connect(wsUrl("a")).then(
    () => undefined,
    (error: { status?: number; body?: string }) => error,
  );
  expect(refused?.status).toBe(503);
  expect(JSON.parse(refused?.body ?? "{}")).toMatchObject({ error: "server_full" });
  expect(JSON.parse(refused?.body ?? "{}").message).toMatch(/full/);
  // Existing sessions are untouched.
  expect(await first.ping(1)).toMatchObject({ type: "pong" });

  await second.close();
  let third: TestClient | undefined;
  for (let attempt = 0; attempt < 50 && !third; attempt++) {
    third = await TestClient.connect(wsUrl("c")).catch(() => undefined);
    if (!third) await new Promise((r) => setTimeout(r, 100));
  }
  expect(third).toBeDefined();
  const metrics = await (await fetch(`${realm.baseUrl}/metrics`)).text();
  expect(metrics).toMatch(/leviathan_connections_refused_total\{realm="local"\} [1-9]/);
  await third?.close();
  await first.close();
});
