/**
 * GM commands in a MUD zone (docs/admin.md, "GM commands in MUD zones"), through the real gateway,
 * zone and Postgres: a character whose account holds the `gm` role goes to a room, spawns an NPC,
 * summons a player, gives it an item, sets its level, inspects it, broadcasts and sends it to
 * another zone; every command lands in Postgres `audit_log` under the GM's account, and the level
 * it set reaches the player's row. A character without the role is refused, and sees none of it in
 * `help`.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "../support/api";
import { type HarnessRealm, startHarness } from "../support/harness";
import { newHero, play, type TravelFrame } from "../support/heroes";
import type { Frame, TestClient } from "../support/ws-client";

let realm: HarnessRealm;
let sql: pg.Client;
beforeAll(async () => {
  realm = await startHarness();
  sql = new pg.Client({ connectionString: inject("databaseUrl") });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await realm?.harness.close();
});

const command = (client: TestClient, line: string) => client.send({ type: "command", line });

/** Sends a line and waits for the frame of `type` whose text matches. */
async function answer(client: TestClient, line: string, type: string, text: RegExp): Promise<Frame> {
  command(client, line);
  return client.next((f) => f.type === type && text.test(String(f.text)), 10_000);
}

/** Polls `read` until `done` holds (Postgres is written after the tick, in the background). */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

describe("GM commands in a MUD zone", () => {
  it("lets a GM act on the zone, audits each command in Postgres, and refuses a player", async () => {
    const api = new Api(realm.baseUrl);
    const gmHero = await newHero(api, "Gm");
    const player = await newHero(api, "Pl");
    // As docs/accounts.md says: roles are granted in the database; the ticket reads them.
    await sql.query("UPDATE accounts SET roles = $1 WHERE id = $2", [["player", "gm"], gmHero.accountId]);
    const gm = (await play(api, gmHero)).client;
    const bob = (await play(api, player)).client;

    // The player is refused, and its help lists no GM command.
    expect((await answer(bob, "goto smithy", "info", /GM command/)).text).toBe(
      "goto is a GM command, and you are not a game master.",
    );
    const help = await answer(bob, "help", "help", /Commands:/);
    expect((help.payload as { commands: string[] }).commands).not.toContain("goto");
    expect(((await answer(gm, "help", "help", /Commands:/)).payload as { commands: string[] }).commands).toContain(
      "goto",
    );

    expect((await answer(gm, "goto smithy", "room", /./)).payload).toMatchObject({ id: "smithy" });
    await answer(gm, "spawn sett-badger", "info", /^You spawn /);
    command(gm, `summon ${player.name}`);
    await bob.next((f) => f.type === "info" && /summons you\.$/.test(String(f.text)), 10_000);
    expect((await bob.nextOfType("room", 10_000)).payload).toMatchObject({ id: "smithy" });
    command(gm, `gmgive ${player.name} moonpetal-draught`);
    await bob.next((f) => f.type === "item" && /gives you a moonpetal draught/.test(String(f.text)), 10_000);
    command(gm, `set ${player.name} level 3`);
    await bob.next((f) => f.type === "stat_update" && (f.payload as { level?: number }).level === 3, 10_000);
    const inspected = await answer(
      gm,
      `inspect ${player.name}`,
      "info",
      new RegExp(`^${player.name} \\(${player.id}\\)`),
    );
    expect((inspected.payload as { inspect: unknown }).inspect).toMatchObject({
      kind: "player",
      id: player.id,
      level: 3,
      room: "smithy",
      items: [{ templateId: "moonpetal-draught", where: "carried" }],
    });
    command(gm, "broadcast The gates close at dusk.");
    await bob.next((f) => f.type === "info" && f.text === `[GM ${gmHero.name}] The gates close at dusk.`, 10_000);
    command(gm, `transfer ${player.name} whispering-woods`);
    const travel = (await bob.nextOfType("travel", 15_000)) as TravelFrame;
    expect(travel.zone).toBe("whispering-woods");

    // Every command, in order, under the GM's account; the level reached the player's row.
    const rows = await eventually(
      async () =>
        (
          await sql.query(
            "SELECT account_id, detail FROM audit_log WHERE event = 'gm_command' AND account_id = $1 ORDER BY id",
            [gmHero.accountId],
          )
        ).rows as { account_id: string; detail: Record<string, unknown> }[],
      (found) => found.length >= 8,
      "eight audit rows",
    );
    expect(rows.map((r) => r.detail.command)).toEqual([
      "goto",
      "spawn",
      "summon",
      "gmgive",
      "set",
      "inspect",
      "broadcast",
      "transfer",
    ]);
    for (const row of rows) expect(row.detail).toMatchObject({ zone: "start", gm: gmHero.id, gmName: gmHero.name });
    expect(rows[4]?.detail).toMatchObject({
      target: player.name,
      detail: { playerId: player.id, stat: "level", value: 3 },
    });
    expect(rows[3]?.detail).toMatchObject({ detail: { templateId: "moonpetal-draught" } });
    expect(rows[6]?.detail).toMatchObject({ detail: { text: "The gates close at dusk." } });
    await eventually(
      async () => (await sql.query("SELECT level FROM characters WHERE id = $1", [player.id])).rows[0]?.level,
      (level) => level === 3,
      "the set level in the characters row",
    );
    // The refused player left no audit row.
    const refused = await sql.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE account_id = $1 AND event = 'gm_command'",
      [player.accountId],
    );
    expect(refused.rows[0].n).toBe(0);
    await Promise.all([gm.close(), bob.close()]);
  });
});
