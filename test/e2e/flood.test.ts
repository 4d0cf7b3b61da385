/**
 * A flood costs the flooder: a guest that keeps sending after `rate_limited` is closed with code
 * 4008 (docs/protocol.md, Flood control), and the zone carries on serving everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOOD_CLOSE, FLOOD_CLOSE_CODE, FLOOD_CLOSE_REASON } from "../../shared/net/flood";
import { type HarnessRealm, startHarness } from "../support/harness";
import { type Frame, TestClient } from "../support/ws-client";

let realm: HarnessRealm;
beforeAll(async () => {
  realm = await startHarness();
});
afterAll(async () => {
  await realm?.harness.close();
});

const url = (zone: string) => `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=${zone}`;

describe("flood control", () => {
  it("answers a flood with rate_limited, then closes it with 4008; the zone serves the others", async () => {
    const zone = `flood-${Date.now().toString(36)}`;
    const bystander = await TestClient.connect(url(zone));
    await bystander.hello("Bystander");
    const flooder = await TestClient.connect(url(zone));
    await flooder.hello("Flooder");

    const frames: Frame[] = [];
    flooder.socket.on("message", (data) => frames.push(JSON.parse(data.toString()) as Frame));
    // Far more one-byte frames than the bucket and the flood allowance together.
    for (let i = 0; i < 2000; i++) flooder.send("x");
    const closed = await flooder.closed;

    expect(closed).toEqual({ code: FLOOD_CLOSE_CODE, reason: FLOOD_CLOSE_REASON });
    // Every frame it got back is a typed refusal: bad_json while the bucket had tokens, then rate_limited.
    const codes = frames.map((f) => (f.type === "error" ? f.code : f.type));
    expect(new Set(codes)).toEqual(new Set(["bad_json", "rate_limited"]));
    const limited = codes.filter((c) => c === "rate_limited").length;
    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThanOrEqual(FLOOD_CLOSE.maxRefusals);
    expect(codes.at(-1)).toBe("rate_limited");
    // Far fewer answers than frames: the rest were never read.
    expect(frames.length).toBeLessThan(2000);

    // The zone still serves the player who stayed, and lets new ones in (the flooder included).
    expect((await bystander.ping(1)).type).toBe("pong");
    bystander.send({ type: "say", text: "still here" });
    expect(await bystander.nextOfType("said")).toMatchObject({ text: "still here" });
    const again = await TestClient.connect(url(zone));
    expect(await again.hello("Flooder")).toMatchObject({ type: "welcome" });
    await again.close();
    await bystander.close();
  });

  it("keeps the socket of a client that slows down after rate_limited", async () => {
    const client = await TestClient.connect(url(`calm-${Date.now().toString(36)}`));
    await client.hello("Calm");
    const reply = () => client.next((f) => f.type === "pong" || f.type === "error");
    // The burst is 40 frames: 60 pings at once earn some refusals, well below the flood allowance.
    for (let i = 0; i < 60; i++) client.send({ type: "ping", id: i });
    const replies: Frame[] = [];
    for (let i = 0; i < 60; i++) replies.push(await reply());
    expect(replies.filter((f) => f.type === "error" && f.code === "rate_limited").length).toBeGreaterThan(0);
    // Then it backs off as told, a frame at a time, until it is answered again (bounded).
    let answered: Frame | undefined;
    for (let attempt = 0; attempt < 20 && answered?.type !== "pong"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      client.send({ type: "ping", id: 1000 + attempt });
      answered = await reply();
    }
    expect(answered).toMatchObject({ type: "pong" });
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    await client.close();
  });
});
