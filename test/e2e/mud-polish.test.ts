/**
 * What a new player notices, played through the real gateway, zone and Postgres: looking at a
 * creature, at a player and at oneself (an `examine` event through the protocol), `who` naming the
 * zone, an exit taken by its name alone, and the room shown after waking from death.
 */
import { describe, expect, it } from "vitest";
import { newHero, play, type TravelFrame } from "../support/heroes";
import { useRealm } from "../support/realm";
import type { Frame, TestClient } from "../support/ws-client";

const realm = useRealm({}, { sql: true });

const command = (client: TestClient, line: string) => client.send({ type: "command", line });

/** Sends `line` and waits for the first event of `type`. */
async function answer(client: TestClient, line: string, type: string): Promise<Frame> {
  command(client, line);
  return client.nextOfType(type, 8_000);
}

describe("MUD polish over WebSockets", () => {
  it("looks at the lamplighter, a fellow player and oneself; who names Lanternmere; trail alone leaves", async () => {
    const ada = await newHero(realm.api, "Ada");
    const bo = await newHero(realm.api, "Bo", "mage");
    const a = await play(realm.api, ada);
    const b = await play(realm.api, bo);
    expect(a.room.payload.id).toBe("village-square");

    const bren = await answer(a.client, "look bren", "examine");
    expect(String(bren.text).split("\n")[0]).toBe("Old Bren the lamplighter");
    expect(String(bren.text)).toMatch(/A stooped man in a soot-black coat/);
    expect(bren.payload).toMatchObject({ kind: "npc", name: "Old Bren the lamplighter" });

    const seen = await answer(a.client, `examine ${bo.name}`, "examine");
    expect(seen.text).toBe(`${bo.name} is a level 1 mage.\n${bo.name} is empty-handed and plainly dressed.`);
    expect(seen.payload).toMatchObject({ kind: "player", id: bo.id, name: bo.name, class: "mage", level: 1 });
    const told = await b.client.next((f) => f.type === "emote" && f.text === `${ada.name} looks at you.`, 8_000);
    expect(told).toBeTruthy();

    const self = await answer(a.client, "x me", "examine");
    expect(String(self.text).split("\n")[0]).toBe(`You are ${ada.name}, a level 1 warrior.`);

    const missing = await answer(a.client, "look dragon", "info");
    expect(missing.text).toBe("You don't see that here.");

    const who = await answer(a.client, "who", "players");
    expect(String(who.text).split("\n")[0]).toBe("Players in Lanternmere (2):");
    expect(who.payload).toMatchObject({ zone: { id: "start", name: "Lanternmere" } });

    expect((await answer(a.client, "south", "room")).payload).toMatchObject({ id: "south-gate" });
    command(a.client, "trail");
    const travel = (await a.client.nextOfType("travel", 8_000)) as TravelFrame;
    expect(travel.zone).toBe("whispering-woods");
    await a.client.close();
    await b.client.close();
  }, 60_000);

  it("shows the bind room right after the respawn line", async () => {
    const doomed = await newHero(realm.api, "Doomed");
    await realm.sql.query("UPDATE characters SET hp = 2, room_id = 'well-shaft' WHERE id = $1", [doomed.id]);
    const { client, room } = await play(realm.api, doomed);
    expect(room.payload.id).toBe("well-shaft");
    await client.next((f) => f.type === "respawn", 40_000);
    // The next room frame is the one it woke in, sent without a `look`.
    const woke = await client.nextOfType("room", 2_000);
    expect(woke.payload).toMatchObject({ id: "village-square", name: "Lanternmere Square" });
    await client.close();
  }, 60_000);
});
