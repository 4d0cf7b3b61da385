/**
 * The MUD realm through the real protocol: two guest players in the starter zone walk, see each
 * other, pass items, equip them, fight, and the zone keeps every item exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HarnessRealm, startHarness } from "../support/harness";
import { type Frame, TestClient } from "../support/ws-client";

let realm: HarnessRealm;
beforeAll(async () => {
  realm = await startHarness();
});
afterAll(async () => {
  await realm?.harness.close();
});

const url = () => `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=start`;
const command = (client: TestClient, line: string) => client.send({ type: "command", line });
const textOf = (client: TestClient, type: string, pattern: RegExp) =>
  client.next((f) => f.type === type && pattern.test(String(f.text)), 8000);

async function player(name: string) {
  const client = await TestClient.connect(url());
  await client.hello(name);
  const room = await client.nextOfType("room");
  return { client, room };
}

describe("MUD realm over WebSockets", () => {
  it("walks, meets, trades, equips and fights in the starter zone", async () => {
    const alice = await player("Alice");
    const bob = await player("Bob");
    expect(alice.room.payload).toMatchObject({ id: "village-square" });
    expect(await textOf(alice.client, "arrive", /Bob arrives/)).toBeTruthy();

    command(alice.client, "look");
    const look = (await alice.client.nextOfType("room")) as Frame & { payload: { players: string[] } };
    expect(look.payload.players).toContain("Bob");

    // Walk east together: Bob sees Alice leave and arrive.
    command(alice.client, "east");
    expect(((await alice.client.nextOfType("room")) as Frame & { payload: { id: string } }).payload.id).toBe(
      "lantern-inn",
    );
    expect(await textOf(bob.client, "depart", /Alice leaves east/)).toBeTruthy();
    command(bob.client, "e");
    await bob.client.nextOfType("room");
    expect(await textOf(alice.client, "arrive", /Bob arrives/)).toBeTruthy();

    // Pick up, give, and a polite refusal.
    command(alice.client, "get mug");
    expect(await textOf(alice.client, "item", /You pick up a cracked clay mug/)).toBeTruthy();
    expect(await textOf(bob.client, "item", /Alice picks up a cracked clay mug/)).toBeTruthy();
    command(alice.client, "give mug bob");
    expect(await textOf(bob.client, "item", /Alice gives you a cracked clay mug/)).toBeTruthy();
    command(alice.client, "get");
    expect(await textOf(alice.client, "info", /What do you want to get\?/)).toBeTruthy();
    command(bob.client, "inventory");
    expect(
      ((await bob.client.nextOfType("inventory")) as Frame & { payload: { carried: string[] } }).payload.carried,
    ).toEqual(["a cracked clay mug"]);

    // Upstairs for the jerkin: wearing it raises defense.
    command(bob.client, "up");
    await bob.client.nextOfType("room");
    command(bob.client, "get jerkin");
    await textOf(bob.client, "item", /You pick up a quilted jerkin/);
    command(bob.client, "wear jerkin");
    const update = await bob.client.nextOfType("stat_update");
    expect(update.payload).toEqual({ defense: 2 });

    // Down the well, where the rats bite back; fight one to its death.
    command(alice.client, "west");
    await alice.client.nextOfType("room");
    command(alice.client, "down");
    await alice.client.nextOfType("room");
    command(alice.client, "kill rat");
    expect(await textOf(alice.client, "combat", /You attack a bloated well rat/)).toBeTruthy();
    const death = await alice.client.next(
      (f) =>
        (f.type === "death" && /rat dies/.test(String(f.text))) ||
        (f.type === "death" && /You die/.test(String(f.text))),
      40_000,
    );
    expect(death.text).toMatch(/dies|You die/);

    command(bob.client, "frobnicate");
    expect(await textOf(bob.client, "info", /not a command/)).toBeTruthy();
    await alice.client.close();
    await bob.client.close();
  }, 60_000);

  it("gives a contested item to exactly one of two players", async () => {
    const carol = await player("Carol");
    const dave = await player("Dave");
    for (const p of [carol, dave]) {
      command(p.client, "east");
      await p.client.nextOfType("room");
    }
    // Both reach for the one draught in the same breath.
    command(carol.client, "get draught");
    command(dave.client, "get draught");
    const outcome = async (c: TestClient) =>
      (
        await c.next(
          (f) =>
            (f.type === "item" && /You pick up/.test(String(f.text))) ||
            (f.type === "info" && /see/.test(String(f.text))),
          8000,
        )
      ).type;
    const results = [await outcome(carol.client), await outcome(dave.client)].sort();
    expect(results).toEqual(["info", "item"]);
    const storage = await realm.harness.getWorker().getDurableObjectStorage("ZONES", { name: "local:zone:start" });
    const [row] = (await storage.exec("SELECT state FROM engine_state WHERE kind = 'mud'")) as { state: string }[];
    const items = Object.values(
      (JSON.parse(row?.state ?? "{}") as { items: Record<string, { templateId: string }> }).items,
    );
    expect(items.filter((i) => i.templateId === "moonpetal-draught")).toHaveLength(1);
    await carol.client.close();
    await dave.client.close();
  });
});

interface SavedWorld {
  players: Record<string, { name: string; online: boolean }>;
  items: Record<string, { templateId: string; location: { kind: string; roomId?: string } }>;
}

/** The zone's world as it last saved it: its JSON row in the zone's SQLite, and that row's length. */
async function savedWorld(): Promise<{ world: SavedWorld; size: number }> {
  const storage = await realm.harness.getWorker().getDurableObjectStorage("ZONES", { name: "local:zone:start" });
  const [row] = (await storage.exec("SELECT state FROM engine_state WHERE kind = 'mud'")) as { state: string }[];
  return { world: JSON.parse(row?.state ?? "{}") as SavedWorld, size: row?.state.length ?? 0 };
}

/** Polls (bounded) until the saved world holds exactly these players; returns it as last read. */
async function savedWithPlayers(ids: string[]) {
  let saved = await savedWorld();
  for (let i = 0; i < 100 && Object.keys(saved.world.players).sort().join() !== ids.sort().join(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    saved = await savedWorld();
  }
  return saved;
}

describe("guests who leave the MUD zone", () => {
  it("are gone from its saved world, however many came and went, and what one carried lies where it left", async () => {
    const watcher = await TestClient.connect(url());
    const id = String((await watcher.hello("Warden")).sessionId);
    await watcher.nextOfType("room");
    // Everyone of the tests above was a guest and has left: the world holds the watcher alone.
    const start = await savedWithPlayers([id]);
    expect(Object.keys(start.world.players)).toEqual([id]);
    const guestRecord = JSON.stringify(start.world.players[id]).length;

    const swords = (world: SavedWorld) =>
      Object.values(world.items).filter((item) => item.templateId === "rusted-shortsword");
    expect(swords(start.world)).toHaveLength(1);
    // A guest takes the smith's sword, wields it, comes back to the square and goes.
    const porter = await TestClient.connect(url());
    await porter.hello("Porter");
    await porter.nextOfType("room");
    const steps: [string, (f: Frame) => boolean][] = [
      ["west", (f) => f.type === "room" && (f.payload as { id: string }).id === "smithy"],
      ["get sword", (f) => f.type === "item" && /You pick up a rusted shortsword/.test(String(f.text))],
      ["wield sword", (f) => f.type === "item" && /You equip a rusted shortsword/.test(String(f.text))],
      ["east", (f) => f.type === "room" && (f.payload as { id: string }).id === "village-square"],
    ];
    for (const [line, done] of steps) {
      command(porter, line);
      await porter.next(done, 8000);
    }
    await porter.close();
    expect(await textOf(watcher, "item", /Porter drops a rusted shortsword/)).toBeTruthy();
    expect(await textOf(watcher, "depart", /Porter leaves the realm/)).toBeTruthy();
    // Committed before the watcher heard of it.
    const dropped = await savedWorld();
    expect(swords(dropped.world)).toEqual([
      expect.objectContaining({ location: { kind: "room", roomId: "village-square" } }),
    ]);
    command(watcher, "get sword");
    expect(await textOf(watcher, "item", /You pick up a rusted shortsword/)).toBeTruthy();
    command(watcher, "drop sword");
    expect(await textOf(watcher, "item", /You drop a rusted shortsword/)).toBeTruthy();

    const before = await savedWithPlayers([id]);
    const GUESTS = 30;
    for (let i = 0; i < GUESTS; i++) {
      const passer = await TestClient.connect(url());
      await passer.hello(`Passer${i}`);
      await passer.nextOfType("room");
      await passer.close();
      expect(await textOf(watcher, "depart", new RegExp(`Passer${i} leaves the realm`))).toBeTruthy();
    }
    const after = await savedWithPlayers([id]);
    expect(Object.keys(after.world.players)).toEqual([id]);
    // The row changes only where NPCs wandered and by the tick; 30 guests kept would add 30 records.
    expect(Math.abs(after.size - before.size)).toBeLessThan(guestRecord);
    expect(swords(after.world)).toHaveLength(1);
    await watcher.close();
  }, 60_000);
});
