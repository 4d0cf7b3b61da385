/**
 * Parties and private instances (docs/architecture.md, "Parties and instances"): two characters
 * form a party in Lanternmere and talk across zones; down the well, each party gets its own copy of
 * the Drowned Cellars, and a character without a party gets one of its own.
 */
import { describe, expect, it } from "vitest";
import { newHero, play, travel } from "../support/heroes";
import { useRealm } from "../support/realm";
import type { TestClient } from "../support/ws-client";

const realm = useRealm();

const wsBase = () => realm.wsBase;
const command = (client: TestClient, line: string) => client.send({ type: "command", line });
const info = (client: TestClient, text: string) =>
  client.next((f) => f.type === "info" && String(f.text) === text, 8000);

/** A fresh warrior played into Lanternmere; returns its client and name. */
async function hero(prefix: string) {
  const created = await newHero(realm.api, prefix);
  const { client } = await play(realm.api, created);
  return { client, name: created.name };
}

describe("parties", () => {
  it("invites, accepts, talks across zones, and shares a private dungeon that a stranger does not", async () => {
    const ada = await hero("Adaline");
    const bo = await hero("Bowen");
    command(ada.client, `party invite ${bo.name}`);
    await info(ada.client, `You invite ${bo.name} to your party.`);
    await info(bo.client, `${ada.name} invites you to a party: type party accept.`);
    command(bo.client, "party accept");
    await info(ada.client, `${bo.name} joins the party.`);
    await info(bo.client, `${bo.name} joins the party.`);

    // Bowen walks into the woods; party talk still reaches him there.
    command(bo.client, "south");
    await bo.client.nextOfType("room");
    const woods = await travel(bo.client, "trail", wsBase());
    expect(woods.welcome.zone).toBe("whispering-woods");
    command(ada.client, "psay the well, at dusk");
    await info(ada.client, `[party] ${ada.name}: the well, at dusk`);
    await info(woods.client, `[party] ${ada.name}: the well, at dusk`);
    const back = await travel(woods.client, "trail", wsBase());
    expect(back.welcome.zone).toBe("start");

    // Down the well: one private copy of the cellars for the party.
    command(ada.client, "down");
    await ada.client.nextOfType("room");
    command(back.client, "north");
    await back.client.nextOfType("room");
    command(back.client, "down");
    await back.client.nextOfType("room");
    const adaBelow = await travel(ada.client, "deeper", wsBase());
    const boBelow = await travel(back.client, "deeper", wsBase());
    expect(adaBelow.welcome.zone).toMatch(/^well-depths~p-[a-z0-9]+$/);
    expect(boBelow.welcome.zone).toBe(adaBelow.welcome.zone);

    // A stranger without a party gets a copy of its own.
    const cy = await hero("Cyrene");
    command(cy.client, "down");
    await cy.client.nextOfType("room");
    const cyBelow = await travel(cy.client, "deeper", wsBase());
    expect(cyBelow.welcome.zone).toMatch(/^well-depths~p-/);
    expect(cyBelow.welcome.zone).not.toBe(adaBelow.welcome.zone);

    command(boBelow.client, "party leave");
    await info(boBelow.client, "You leave the party.");
    for (const c of [adaBelow.client, boBelow.client, cyBelow.client]) await c.close();
  });
});
