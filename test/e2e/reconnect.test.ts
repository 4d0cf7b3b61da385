/**
 * Reconnect within the grace (docs/architecture.md, "Reconnect"): a character whose connection
 * drops stays in the world, so a new ticket resumes it where it stood; after the grace it is saved
 * and leaves. The realm here runs with a two-second grace.
 */
import { describe, expect, it } from "vitest";
import { newHero, play, type Room } from "../support/heroes";
import { useRealm } from "../support/realm";
import { TestClient } from "../support/ws-client";

const realm = useRealm({ RECONNECT_GRACE_SECONDS: "2" }, { sql: true });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const command = (client: TestClient, line: string) => client.send({ type: "command", line });

/** Who the watcher sees in its room now. */
async function seenBy(watcher: TestClient): Promise<string[]> {
  command(watcher, "look");
  return ((await watcher.nextOfType("room")) as Room).payload.players;
}

describe("a dropped connection", () => {
  it("leaves the character in the world for the grace, resumes it on reconnect, and lets it go after", async () => {
    const watcher = await TestClient.connect(`${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=start`);
    await watcher.hello("Watcher");
    await watcher.nextOfType("room");
    const hero = await newHero(realm.api, "Flicker");
    const first = await play(realm.api, hero);
    command(first.client, "east");
    expect(((await first.client.nextOfType("room")) as Room).payload.id).toBe("lantern-inn");
    command(watcher, "east");
    await watcher.nextOfType("room");

    // The connection drops without a close handshake: the character stays where it stood.
    first.client.socket.terminate();
    await watcher.next(
      (f) => f.type === "info" && String(f.text) === `${hero.name}'s eyes glaze over: linkdead.`,
      8000,
    );
    command(watcher, "look");
    expect(((await watcher.nextOfType("room")) as Room).payload).toMatchObject({
      players: [hero.name],
      linkdead: [hero.name],
    });

    // A new ticket within the grace resumes it in the same room, once.
    const second = await play(realm.api, hero);
    expect(second.room.payload.id).toBe("lantern-inn");
    expect((await seenBy(watcher)).filter((name) => name === hero.name)).toHaveLength(1);

    // Dropped again and not back: after the grace it is saved and leaves.
    const { rows: before } = await realm.sql.query<{ version: number }>(
      "SELECT version FROM characters WHERE id = $1",
      [hero.id],
    );
    second.client.socket.terminate();
    let players = await seenBy(watcher);
    for (let i = 0; i < 60 && players.includes(hero.name); i++) {
      await sleep(100);
      players = await seenBy(watcher);
    }
    expect(players).not.toContain(hero.name);
    const saved = async () =>
      (
        await realm.sql.query<{ version: number; room_id: string }>(
          "SELECT version, room_id FROM characters WHERE id = $1",
          [hero.id],
        )
      ).rows[0];
    let row = await saved();
    for (let i = 0; i < 50 && (row?.version ?? 0) <= (before[0]?.version ?? 0); i++) {
      await sleep(100);
      row = await saved();
    }
    expect(row?.version).toBeGreaterThan(before[0]?.version ?? 0);
    expect(row?.room_id).toBe("lantern-inn");
    await watcher.close();
  });
});
