/**
 * The smoke suite every way of running the realm must pass (wrangler dev and plain workerd):
 * health, metrics, hello → welcome, two players chatting, and each bad-input case answered
 * with its code while the socket keeps working.
 */
import { describe, expect, it } from "vitest";
import packageJson from "../../package.json";
import { PROTOCOL_VERSION } from "../../shared/protocol/version";
import { TestClient } from "./ws-client";

export interface RunningRealm {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
}

const wsUrl = (realm: RunningRealm, zone: string) => `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=${zone}`;
let zoneCounter = 0;
/** A zone of its own for each test, so tests never see each other's chatter. */
const freshZone = () => `smoke-${Date.now().toString(36)}-${zoneCounter++}`;

export function defineSmokeSuite(name: string, realm: () => RunningRealm): void {
  describe(`${name}: smoke`, () => {
    it("serves /healthz", async () => {
      const response = await fetch(`${realm().baseUrl}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, protocol: 2 });
    });

    it("serves the web client: the page at /, its script and stylesheet, and JSON 404s elsewhere", async () => {
      const page = await fetch(`${realm().baseUrl}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain("<title>Leviathan</title>");
      // Not to be framed (clickjacking of the sign-in form); a meta CSP cannot say that.
      expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      const script = await fetch(`${realm().baseUrl}/app.js`);
      expect(script.status).toBe(200);
      expect(script.headers.get("content-type")).toMatch(/javascript/);
      expect((await script.text()).length).toBeGreaterThan(10_000);
      const style = await fetch(`${realm().baseUrl}/style.css`);
      expect(style.headers.get("content-type")).toMatch(/^text\/css/);
      const missing = await fetch(`${realm().baseUrl}/no-such-file.js`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: "not_found" });
      expect((await fetch(`${realm().baseUrl}/_headers`)).status).toBe(404);
      const outside = await fetch(`${realm().baseUrl}/%2e%2e/wrangler.toml`);
      expect(outside.status).toBe(404);
    });

    it("answers hello with welcome", async () => {
      const zone = freshZone();
      const client = await TestClient.connect(wsUrl(realm(), zone));
      const welcome = await client.hello("Ada");
      expect(welcome).toMatchObject({ type: "welcome", protocol: 1, zone, name: "Ada", recent: [] });
      expect(typeof welcome.sessionId).toBe("string");
      expect(welcome.tickRate).toBeGreaterThan(0);
      await client.close();
    });

    it("lets a second player in the zone hear the first one's say", async () => {
      const zone = freshZone();
      const alice = await TestClient.connect(wsUrl(realm(), zone));
      const bob = await TestClient.connect(wsUrl(realm(), zone));
      const aliceWelcome = await alice.hello("Alice");
      await bob.hello("Bob");
      await alice.nextOfType("joined");
      alice.send({ type: "say", text: "hello, Bob" });
      const heard = await bob.nextOfType("said");
      expect(heard).toMatchObject({
        type: "said",
        name: "Alice",
        text: "hello, Bob",
        sessionId: aliceWelcome.sessionId,
      });
      expect(await alice.nextOfType("said")).toMatchObject({ text: "hello, Bob" });
      bob.send({ type: "who" });
      const who = await bob.nextOfType("who");
      expect((who.players as { name: string }[]).map((p) => p.name).sort()).toEqual(["Alice", "Bob"]);
      await alice.close();
      expect(await bob.nextOfType("left")).toMatchObject({ name: "Alice" });
      await bob.close();
    });

    const badInputs: [string, () => string, string][] = [
      ["malformed JSON", () => "{not json", "bad_json"],
      ["an unknown type", () => JSON.stringify({ type: "teleport", to: "moon" }), "unknown_command"],
      ["a schema violation", () => JSON.stringify({ type: "say", text: 42 }), "invalid"],
      ["a frame over 64 KiB", () => JSON.stringify({ type: "say", text: "x".repeat(70 * 1024) }), "too_large"],
      ["say before hello", () => JSON.stringify({ type: "say", text: "hi" }), "hello_required"],
      ["a JSON array", () => "[1,2,3]", "invalid"],
    ];
    for (const [label, frame, code] of badInputs) {
      it(`answers ${label} with ${code} and keeps the socket usable`, async () => {
        const client = await TestClient.connect(wsUrl(realm(), freshZone()));
        client.send(frame());
        const error = await client.nextOfType("error");
        expect(error.code).toBe(code);
        expect(typeof error.message).toBe("string");
        expect(await client.ping(99)).toMatchObject({ type: "pong", id: 99 });
        await client.close();
      });
    }

    it("names the offending field of a schema violation", async () => {
      const client = await TestClient.connect(wsUrl(realm(), freshZone()));
      client.send({ type: "hello", protocol: "one" });
      expect(await client.nextOfType("error")).toMatchObject({ code: "invalid", field: "protocol" });
      await client.close();
    });

    it("refuses a plain GET on /ws with a clear 426", async () => {
      const response = await fetch(`${realm().baseUrl}/ws?zone=x`);
      expect(response.status).toBe(426);
      expect(await response.json()).toMatchObject({ error: "upgrade_required" });
    });

    it("serves Prometheus metrics with players, commands and tick timing per zone", async () => {
      const zone = freshZone();
      const client = await TestClient.connect(wsUrl(realm(), zone));
      await client.hello("Metric");
      client.send("{oops");
      await client.nextOfType("error");
      // Zones report every two seconds; poll (bounded) until this zone shows up.
      let text = "";
      for (let attempt = 0; attempt < 40; attempt++) {
        const response = await fetch(`${realm().baseUrl}/metrics`);
        expect(response.headers.get("content-type")).toContain("text/plain");
        text = await response.text();
        if (text.includes(`leviathan_zone_players{realm="local",zone="${zone}"} 1`)) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(text).toContain(`leviathan_zone_players{realm="local",zone="${zone}"} 1`);
      expect(text).toContain(`leviathan_commands_total{realm="local",zone="${zone}",type="hello"} 1`);
      expect(text).toContain(`leviathan_errors_total{realm="local",zone="${zone}",code="bad_json"} 1`);
      expect(text).toMatch(new RegExp(`leviathan_tick_duration_ms_count\\{realm="local",zone="${zone}"\\} [1-9]`));
      expect(text).toMatch(
        new RegExp(`leviathan_tick_lateness_ms_bucket\\{realm="local",zone="${zone}",le="\\+Inf"\\} [1-9]`),
      );
      expect(text).toMatch(/leviathan_connected_players\{realm="local"\} [1-9]/);
      await client.close();
    });

    it("serves the gateway's own metrics: requests by route and status, account outcomes, the build", async () => {
      const base = realm().baseUrl;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const refused = await fetch(`${base}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: 42 }),
      });
      expect(refused.status).toBe(400);
      const { error } = (await refused.json()) as { error: string };
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toContain(
        `leviathan_build_info{realm="local",version="${packageJson.version}",protocol="${PROTOCOL_VERSION}"} 1`,
      );
      expect(text).toMatch(
        /leviathan_http_requests_total\{realm="local",route="\/healthz",method="GET",status="200"\} [1-9]/,
      );
      expect(text).toMatch(
        new RegExp(`leviathan_auth_total\\{realm="local",action="login",outcome="${error}"\\} [1-9]`),
      );
      expect(text).toMatch(/leviathan_http_request_duration_ms_count\{realm="local",route="\/auth\/login"\} [1-9]/);
      expect(text).toMatch(/leviathan_zones\{realm="local"\} \d+/);
    });
  });
}
