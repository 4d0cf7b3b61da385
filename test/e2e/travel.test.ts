/**
 * Travel between zones through the real gateway, zones and Postgres (docs/architecture.md, "Travel
 * and hand-off"): a ticketed character walks from Lanternmere into the Whispering Woods and back
 * with the jerkin it wears, is seen by the players of each zone, follows `travel` frames with fresh
 * tickets, and its row in Postgres follows it.
 */
import { describe, expect, it } from "vitest";
import { FieldPlayer } from "../support/field-client";
import { newHero, play, type Room, travel } from "../support/heroes";
import { useRealm } from "../support/realm";
import { type Frame, TestClient } from "../support/ws-client";

const realm = useRealm({}, { sql: true });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const wsBase = () => realm.wsBase;
const command = (client: TestClient, line: string) => client.send({ type: "command", line });

/** Walks through `exits` one by one, returning the last room. */
async function walk(client: TestClient, ...exits: string[]): Promise<Room> {
  let room: Room | undefined;
  for (const exit of exits) {
    command(client, exit);
    room = (await client.nextOfType("room")) as Room;
  }
  return room as Room;
}

const rowOf = async (id: string) =>
  (
    await realm.sql.query<{ zone_id: string; room_id: string | null }>(
      "SELECT zone_id, room_id FROM characters WHERE id = $1",
      [id],
    )
  ).rows[0];

/** Polls Postgres (bounded) until the character's row says `zoneId`. */
async function rowSays(id: string, zoneId: string) {
  for (let i = 0; i < 100; i++) {
    const row = await rowOf(id);
    if (row?.zone_id === zoneId) return row;
    await sleep(100);
  }
  return rowOf(id);
}

describe("travel between MUD zones", () => {
  it("walks from Lanternmere into the Whispering Woods and back, wearing what it picked up, seen on both sides", async () => {
    const hero = await newHero(realm.api, "Wanderer", "mage");
    const { client: first, room: square } = await play(realm.api, hero);
    expect(square.payload.id).toBe("village-square");
    await walk(first, "east", "up");
    command(first, "get jerkin");
    await first.next((f) => f.type === "item" && /You pick up/.test(String(f.text)));
    command(first, "equip jerkin");
    await first.next((f) => f.type === "item" && /jerkin/.test(String(f.text)));
    expect((await walk(first, "down", "west", "south")).payload.id).toBe("south-gate");

    // Someone waits at the edge of the woods.
    const watcher = await TestClient.connect(`${wsBase()}/ws?zone=whispering-woods`);
    await watcher.hello("Watcher");
    await watcher.nextOfType("room");

    // The zone says where to go with a ticket, then closes with 4003; the client follows.
    const there = await travel(first, "trail", wsBase());
    expect(there.frame.ticket).toEqual(expect.any(String));
    expect((await first.closed).code).toBe(4003);
    expect(there.frame.zone).toBe("whispering-woods");
    expect(there.welcome).toMatchObject({ zone: "whispering-woods" });
    expect(there.room.payload).toMatchObject({ id: "woods-edge" });
    expect(there.room.payload.players).toContain("Watcher");
    await watcher.next((f) => f.type === "arrive" && String(f.text).startsWith(hero.name), 8000);
    command(there.client, "inventory");
    const carried = (await there.client.nextOfType("inventory")) as Frame & { payload: { equipped: unknown } };
    expect(JSON.stringify(carried.payload)).toMatch(/jerkin/);
    expect(await rowSays(hero.id, "whispering-woods")).toMatchObject({
      zone_id: "whispering-woods",
      room_id: "woods-edge",
    });

    // And back the way it came, with the jerkin still on.
    const back = await travel(there.client, "trail", wsBase());
    expect(back.frame.ticket).toEqual(expect.any(String));
    expect((await there.client.closed).code).toBe(4003);
    expect(back.welcome).toMatchObject({ zone: "start" });
    expect(back.room.payload).toMatchObject({ id: "south-gate" });
    command(back.client, "inventory");
    expect(JSON.stringify(((await back.client.nextOfType("inventory")) as Frame).payload)).toMatch(/jerkin/);
    expect(await rowSays(hero.id, "start")).toMatchObject({ zone_id: "start", room_id: "south-gate" });

    // A fresh login lands where the character is, with what it carries.
    await back.client.close();
    const again = await play(realm.api, hero);
    expect(again.welcome).toMatchObject({ zone: "start" });
    expect(again.room.payload.id).toBe("south-gate");
    await again.client.close();
    await watcher.close();
  });
});

describe("travel between a MUD zone and a field zone", () => {
  it("steps through the tower portal into the Test Area with the same max HP and mana its gear gives, and walks back out", async () => {
    const hero = await newHero(realm.api, "Portal", "mage");
    const { client: mud } = await play(realm.api, hero);
    await walk(mud, "down");
    command(mud, "get key");
    await mud.next((f) => f.type === "item" && /You pick up/.test(String(f.text)));
    await walk(mud, "up", "north", "north");
    command(mud, "get staff");
    await mud.next((f) => f.type === "item" && /You pick up/.test(String(f.text)));
    command(mud, "equip staff");
    await mud.next((f) => f.type === "item" && /staff/.test(String(f.text)));
    command(mud, "stats");
    const sheet = (await mud.nextOfType("stats")) as Frame & { payload: { max_hp: number; max_mp: number } };
    await walk(mud, "south");

    command(mud, "go portal");
    const frame = (await mud.nextOfType("travel")) as Frame & { zone: string; ticket: string };
    expect(frame.zone).toBe("test-area");
    expect((await mud.closed).code).toBe(4003);
    const field = await FieldPlayer.join(`${wsBase()}/play?ticket=${frame.ticket}`, "ignored");
    expect(field.field).toMatchObject({ type: "field", width: 1200 });
    await field.until((p) => p.me() !== undefined, 8000, "own body in a snapshot");
    // The staff counts in the field exactly as in the MUD room: one rulebook.
    expect(field.me()).toMatchObject({ x: 150, y: 400, mhp: sheet.payload.max_hp, mmp: sheet.payload.max_mp });
    expect(await rowSays(hero.id, "test-area")).toMatchObject({ zone_id: "test-area" });

    // West through the exit by the wall: the field hands the character back to the tower's foot.
    field.move(-1, 0);
    const back = (await field.client.nextOfType("travel", 10_000)) as Frame & { zone: string; ticket: string };
    expect(back.zone).toBe("start");
    const returned = await TestClient.connect(`${wsBase()}/play?ticket=${back.ticket}`);
    expect(await returned.hello("ignored")).toMatchObject({ zone: "start" });
    expect(((await returned.nextOfType("room")) as Room).payload.id).toBe("tower-steps");
    command(returned, "stats");
    const again = (await returned.nextOfType("stats")) as Frame & { payload: { max_mp: number } };
    expect(again.payload.max_mp).toBe(sheet.payload.max_mp);
    await returned.close();
  });
});
