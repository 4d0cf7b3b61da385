/**
 * A crowded zone splits into instances (docs/architecture.md, "Parties and instances"): with a cap of one
 * player per zone, the first character to take the trail lands in the Whispering Woods, the second
 * in a new instance of it, where it plays the same content alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "../support/api";
import { type HarnessRealm, startHarness } from "../support/harness";
import { newHero, play, type Room, travel } from "../support/heroes";
import type { TestClient } from "../support/ws-client";

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

/** A fresh warrior played into Lanternmere and walked to the south gate, where the trail leaves. */
async function toTheTrail(prefix: string) {
  const hero = await newHero(api, prefix);
  const { client } = await play(api, hero);
  command(client, "south");
  expect(((await client.nextOfType("room")) as Room).payload.id).toBe("south-gate");
  return { client, name: hero.name };
}

const takeTheTrail = (client: TestClient) => travel(client, "trail", wsBase());

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
