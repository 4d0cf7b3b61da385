/**
 * Every MUD command through the real protocol, played by a mage character that came in with a
 * ticket (its own realm, so the starter zone's items are where the content put them).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "../support/api";
import { type HarnessRealm, startHarness } from "../support/harness";
import { TestClient } from "../support/ws-client";

let realm: HarnessRealm;
beforeAll(async () => {
  realm = await startHarness();
});
afterAll(async () => {
  await realm?.harness.close();
});

const command = (client: TestClient, line: string) => client.send({ type: "command", line });

describe("MUD commands over WebSockets", () => {
  it("answers every command of the realm, with a mage played through a ticket", async () => {
    const api = new Api(realm.baseUrl);
    const account = await api.newPlayer("mage");
    const made = await api.call<{ id: string }>(
      "POST",
      "/characters",
      { name: `Vela${Date.now().toString(36)}`, class: "mage" },
      account.accessToken,
    );
    const ticket = await api.call<{ url: string }>(
      "POST",
      "/play/ticket",
      { characterId: made.body.id },
      account.accessToken,
    );
    const mage = await TestClient.connect(ticket.body.url);
    await mage.hello("ignored");
    await mage.nextOfType("room");
    // Each line, and the event type that must answer it.
    const script: [string, string, RegExp][] = [
      ["help", "help", /Commands:/],
      ["help get", "help", /get <item>/],
      ["look", "room", /Village Square|square/i],
      ["say well met", "say", /You say, "well met"/],
      ["emote stretches", "emote", /stretches/],
      ["who", "players", /Players in Lanternmere/],
      ["stats", "stats", /level 1 mage/],
      ["effects", "effects", /No effects/],
      ["inventory", "inventory", /You carry nothing/],
      ["east", "room", /inn/i],
      ["get draught", "item", /You pick up a moonpetal draught/],
      ["get 2.draught", "info", /only|see/],
      ["drop draught", "item", /You drop a moonpetal draught/],
      ["get draught", "item", /You pick up/],
      ["up", "room", /loft/i],
      ["get jerkin", "item", /quilted jerkin/],
      ["wear jerkin", "item", /You equip a quilted jerkin/],
      ["remove jerkin", "item", /You remove a quilted jerkin/],
      ["wield jerkin", "item", /You equip/],
      ["rest", "info", /You sit down and rest/],
      ["drink draught", "effect_start", /You drink a moonpetal draught/],
      ["cast", "info", /Magic Missile/],
      ["cast heal", "effect_start", /Warm light wraps you\./],
      ["cast fireball", "info", /don't know a spell/],
      ["flee", "info", /aren't fighting/],
      ["attack", "info", /Attack what\?/],
      ["kill dragon", "info", /don't see/],
      ["give", "info", /Give what to whom/],
      ["go nowhere", "info", /can't go/],
      ["dance wildly", "info", /not a command/],
    ];
    for (const [line, type, pattern] of script) {
      command(mage, line);
      // Matched against the whole frame: the text, or the payload (a room's id).
      const answer = await mage
        .next(
          (f) => f.type === type && (pattern.test(String(f.text)) || pattern.test(JSON.stringify(f.payload ?? {}))),
          8000,
        )
        .catch(() => undefined);
      expect(answer, `"${line}" should be answered with a ${type} event matching ${pattern}`).toBeDefined();
    }
    // Down to the well to cast at the rats.
    for (const line of ["down", "west", "down"]) {
      command(mage, line);
      await mage.nextOfType("room");
    }
    command(mage, "cast missile rat");
    expect(await mage.next((f) => f.type === "combat" && /missile/i.test(String(f.text)), 8000)).toBeTruthy();
    command(mage, "cast nova");
    expect(
      await mage.next((f) => f.type === "combat" && /ring of arcane force/.test(String(f.text)), 8000),
    ).toBeTruthy();
    command(mage, "flee");
    expect(await mage.next((f) => f.type === "combat" && /flee/i.test(String(f.text)), 8000)).toBeTruthy();
    await mage.close();
  }, 90_000);

  it("dies to the well rats and wakes at the bind point with half health", async () => {
    const api = new Api(realm.baseUrl);
    const account = await api.newPlayer("doomed");
    const made = await api.call<{ id: string }>(
      "POST",
      "/characters",
      { name: `Doomed${Date.now().toString(36)}`, class: "warrior" },
      account.accessToken,
    );
    // Start the character hurt, at the bottom of the well, among aggressive rats.
    const sql = new pg.Client({ connectionString: inject("databaseUrl") });
    await sql.connect();
    await sql.query("UPDATE characters SET hp = 2, room_id = 'well-shaft' WHERE id = $1", [made.body.id]);
    await sql.end();
    const ticket = await api.call<{ url: string }>(
      "POST",
      "/play/ticket",
      { characterId: made.body.id },
      account.accessToken,
    );
    const doomed = await TestClient.connect(ticket.body.url);
    await doomed.hello("x");
    expect((await doomed.nextOfType("room")).payload).toMatchObject({ id: "well-shaft" });
    expect(await doomed.next((f) => f.type === "death" && /You die/.test(String(f.text)), 40_000)).toBeTruthy();
    const respawn = await doomed.nextOfType("respawn");
    expect(respawn.payload).toMatchObject({ room: "village-square" });
    command(doomed, "stats");
    const sheet = (await doomed.nextOfType("stats")).payload as { hp: number; max_hp: number };
    expect(sheet.hp).toBeGreaterThanOrEqual(Math.floor(sheet.max_hp / 2));
    command(doomed, "look");
    expect((await doomed.nextOfType("room")).payload).toMatchObject({ id: "village-square" });
    await doomed.close();
  }, 60_000);
});
