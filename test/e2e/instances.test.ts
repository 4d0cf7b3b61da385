/**
 * A crowded zone splits into instances (docs/architecture.md, "Parties and instances"): with a cap of one
 * player per zone, the first character to take the trail lands in the Whispering Woods, the second
 * in a new instance of it, where it plays the same content alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "../support/api";
import { type HarnessRealm, startHarness } from "../support/harness";
import { type Frame, TestClient } from "../support/ws-client";

let realm: HarnessRealm;
let api: Api;

beforeAll(async () => {
  realm = await startHarness({ ZONE_INSTANCE_CAP: "1" });
  api = new Api(realm.baseUrl);
});
afterAll(async () => {
  await realm?.harness.close();
});

const wsBase = () => realm.baseUrl.replace(/^http/, "ws");
const command = (client: TestClient, line: string) => client.send({ type: "command", line });
type Room = Frame & { payload: { id: string; players: string[] } };

async function toTheTrail(prefix: string) {
  const player = await api.newPlayer(prefix.toLowerCase());
  const tail = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
  const created = await api.call<{ id: string; name: string }>(
    "POST",
    "/characters",
    { name: `${prefix}${tail}`, class: "warrior" },
    player.accessToken,
  );
  expect(created.status).toBe(201);
  const ticket = await api.call<{ url: string }>(
    "POST",
    "/play/ticket",
    { characterId: created.body.id },
    player.accessToken,
  );
  const client = await TestClient.connect(ticket.body.url);
  await client.hello("x");
  await client.nextOfType("room");
  command(client, "south");
  expect(((await client.nextOfType("room")) as Room).payload.id).toBe("south-gate");
  return { client, name: created.body.name };
}

async function takeTheTrail(client: TestClient) {
  command(client, "go trail");
  const frame = (await client.nextOfType("travel")) as Frame & { zone: string; ticket: string };
  const next = await TestClient.connect(`${wsBase()}/play?ticket=${frame.ticket}`);
  const welcome = await next.hello("x");
  return { client: next, frame, welcome, room: (await next.nextOfType("room")) as Room };
}

describe("instances", () => {
  it("sends the second traveller into a full zone to a new instance of it, with the same content", async () => {
    const first = await toTheTrail("Firsta");
    const second = await toTheTrail("Secondo");
    const one = await takeTheTrail(first.client);
    expect(one.frame.zone).toBe("whispering-woods");
    expect(one.welcome).toMatchObject({ zone: "whispering-woods" });
    const two = await takeTheTrail(second.client);
    expect(two.frame.zone).toBe("whispering-woods~2");
    expect(two.welcome).toMatchObject({ zone: "whispering-woods~2" });
    expect(two.room.payload.id).toBe("woods-edge");
    expect(two.room.payload.players).not.toContain(first.name);
    // The instance's exits lead where the zone's do: back to Lanternmere.
    const home = await takeTheTrail(two.client);
    expect(home.frame.zone).toMatch(/^start/);
    expect(home.room.payload.id).toBe("south-gate");
    for (const c of [one.client, home.client]) await c.close();
  });
});
