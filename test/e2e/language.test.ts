/**
 * A player's language, chosen at `hello`, through the real gateway, zone and Postgres: a player
 * who asked for Spanish reads the translated texts in Spanish and the untranslated ones in
 * English, while a player beside it in the same room reads the same events in English.
 */
import { describe, expect, it } from "vitest";
import { newHero, play, type Room } from "../support/heroes";
import { useRealm } from "../support/realm";
import { type Frame, TestClient } from "../support/ws-client";

const realm = useRealm({}, { sql: true });

/** Sends `line` and waits for the first event of `type`. */
async function answer(client: TestClient, line: string, type: string): Promise<Frame> {
  client.send({ type: "command", line });
  return client.nextOfType(type, 8_000);
}

describe("the player's language", () => {
  it("shows Spanish to the player who chose it and English to the one beside it", async () => {
    const bo = await newHero(realm.api, "Bo");
    const b = await play(realm.api, bo);
    expect(b.welcome.language).toBe("en");

    const ana = await newHero(realm.api, "Ana");
    const { url } = await realm.api.realm({ accessToken: ana.accessToken, refreshToken: "" }).ticket(ana.id);
    const a = await TestClient.connect(url);
    a.send({ type: "hello", protocol: 1, language: "es-MX" });
    expect((await a.nextOfType("welcome")).language).toBe("es");
    const room = (await a.nextOfType("room")) as Room;
    // Translated: the pack's Spanish overlay and the Spanish catalogue.
    const lines = String(room.text).split("\n");
    expect(lines[0]).toBe("Plaza de Lanternmere");
    expect(lines[2]).toBe("Salidas: north, east, west, south, down.");
    expect(room.payload).toMatchObject({ id: "village-square", name: "Lanternmere Square" });

    // One event, two renderings: Bo reads Ana's arrival in English.
    const arrived = await b.client.next(
      (f) => f.type === "arrive" && (f.payload as { name?: string } | undefined)?.name === ana.name,
      8_000,
    );
    expect(arrived.text).toBe(`${ana.name} arrives.`);

    // Untranslated (no Spanish entry yet): English, for Ana too.
    expect((await answer(a, "remove hat", "info")).text).toBe("You aren't using that.");

    // Ana rests: she reads Spanish, Bo in the same room reads English.
    expect((await answer(a, "rest", "info")).text).toBe("Te sientas a descansar.");
    const rested = await b.client.next((f) => f.type === "emote", 8_000);
    expect(rested.text).toBe(`${ana.name} sits down to rest.`);

    // Bo's own look stays English.
    expect(String((await answer(b.client, "look", "room")).text).split("\n")[0]).toBe("Lanternmere Square");
    await a.close();
    await b.client.close();
  }, 60_000);

  it("plays a language without a catalogue in English", async () => {
    const cy = await newHero(realm.api, "Cy");
    const { url } = await realm.api.realm({ accessToken: cy.accessToken, refreshToken: "" }).ticket(cy.id);
    const c = await TestClient.connect(url);
    c.send({ type: "hello", protocol: 1, language: "fr" });
    expect((await c.nextOfType("welcome")).language).toBe("en");
    expect(String(((await c.nextOfType("room")) as Room).text).split("\n")[0]).toBe("Lanternmere Square");
    await c.close();
  }, 60_000);
});
