/**
 * kill -9 in the middle of a hand-off between zones, against plain workerd from the self-host
 * config (docs/architecture.md, "Travel and hand-off"). A ticketed character wearing the inn's
 * jerkin takes the trail between Lanternmere and the Whispering Woods; workerd is killed with
 * SIGKILL a random few milliseconds after the command (before, during or after the hand-off's
 * commits) and started again on the same data. The character then comes back in exactly one of the
 * two zones, wearing the jerkin, and no jerkin lies on either end of the trail.
 * TRAVEL_KILL_CYCLES (default 4) sizes the run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createRng, seedFromString } from "../../shared/sim/rng";
import { Api } from "../support/api";
import { TEST_JWT_SECRET } from "../support/harness";
import { countFromEnv, type SelfhostRealm, startSelfhostRealm } from "../support/workerd";
import { type Frame, TestClient } from "../support/ws-client";

const CYCLES = countFromEnv("TRAVEL_KILL_CYCLES", 4);

let realm: SelfhostRealm;
let api: Api;

beforeAll(async () => {
  realm = await startSelfhostRealm("travel-crash", {
    DATABASE_URL: inject("databaseUrl"),
    JWT_SECRET: TEST_JWT_SECRET,
    AUTH_RATE_PER_IP: "1000",
    TICKET_RATE_PER_ACCOUNT: "100000",
  });
  api = new Api(realm.baseUrl);
});

afterAll(async () => {
  await realm?.workerd.kill("SIGKILL");
  realm?.cleanup();
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => console.error(`--- workerd output (last 20 kB) ---\n${realm?.workerd.output.slice(-20_000)}`));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Room = Frame & { payload: { id: string; items?: string[] } };

/** Plays the character through a fresh ticket; a zone still handing it over answers 503 for a moment. */
async function enter(hero: { id: string; accessToken: string }) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const ticket = await api.call<{ url: string }>("POST", "/play/ticket", { characterId: hero.id }, hero.accessToken);
    expect(ticket.status).toBe(200);
    try {
      const client = await TestClient.connect(ticket.body.url);
      const welcome = await client.hello("x");
      return { client, welcome, room: (await client.nextOfType("room")) as Room };
    } catch {
      await sleep(250);
    }
  }
  throw new Error("the character could not come back within 10 s");
}

async function walk(client: TestClient, ...exits: string[]): Promise<Room> {
  let room: Room | undefined;
  for (const exit of exits) {
    client.send({ type: "command", line: exit });
    room = (await client.nextOfType("room")) as Room;
  }
  return room as Room;
}

/** What the character wears and carries, as its own `inventory` lists it. */
async function inventory(client: TestClient): Promise<string> {
  client.send({ type: "command", line: "inventory" });
  return JSON.stringify((await client.nextOfType("inventory")).payload);
}

const jerkins = (text: string) => text.match(/jerkin/g)?.length ?? 0;

describe(`kill -9 during hand-offs (${CYCLES} cycles)`, () => {
  it("leaves the character in exactly one zone with the jerkin it wore, whenever workerd dies", async () => {
    const rng = createRng(seedFromString("travel-kill"));
    const account = await api.newPlayer("trail");
    const tail = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
    const created = await api.call<{ id: string }>(
      "POST",
      "/characters",
      { name: `Trail${tail}`, class: "warrior" },
      account.accessToken,
    );
    expect(created.status).toBe(201);
    const hero = { id: created.body.id, accessToken: account.accessToken };

    let { client, room } = await enter(hero);
    await walk(client, "east", "up");
    client.send({ type: "command", line: "get jerkin" });
    await client.next((f) => f.type === "item" && /You pick up/.test(String(f.text)), 8000);
    room = await walk(client, "down", "west", "south");
    expect(room.payload.id).toBe("south-gate");

    /**
     * Puts the jerkin on where the character stands. Walking is flushed within a second, but an
     * item move is committed before it is told: this makes the place durable, so the kill tests
     * the hand-off, not the last second of walking.
     */
    const dress = async (first: boolean) => {
      if (!first) {
        client.send({ type: "command", line: "remove jerkin" });
        await client.next((f) => f.type === "item" && /jerkin/.test(String(f.text)), 8000);
      }
      client.send({ type: "command", line: "equip jerkin" });
      await client.next((f) => f.type === "item" && /jerkin/.test(String(f.text)), 8000);
    };

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const from = room.payload.id === "south-gate" ? "start" : "whispering-woods";
      await dress(cycle === 0);
      client.send({ type: "command", line: "go trail" });
      await sleep(rng.int(0, 40));
      await realm.workerd.kill("SIGKILL");
      await realm.workerd.start();
      ({ client, room } = await enter(hero));
      // Exactly one place: where it set out, or across the trail; never both, never lost.
      expect(["south-gate", "woods-edge"]).toContain(room.payload.id);
      const zone = room.payload.id === "south-gate" ? "start" : "whispering-woods";
      expect([from, from === "start" ? "whispering-woods" : "start"]).toContain(zone);
      expect(jerkins(await inventory(client))).toBe(1);
      expect(jerkins(JSON.stringify(room.payload))).toBe(0);
    }
    await client.close();
  }, 180_000);
});
