/**
 * Where `GET /play` lands a character (docs/protocol.md, Connecting and `travel`): the zone its
 * ticket names, else the zone the realm directory placed it in, else its Postgres row. A zone that
 * sends a character on issues such a ticket and places it in the destination while the row's
 * write may still be in flight, so both must win over Postgres. Postgres says `start` throughout
 * here unless a test says otherwise; the zones are chat zones (no kind claims their ids).
 */
import { describe, expect, it } from "vitest";
import { signJson } from "../../shared/auth/signed";
import { issueTicket } from "../../shared/auth/ticket";
import { directoryObjectName } from "../../shared/config";
import { TEST_JWT_SECRET } from "../support/harness";
import { type Hero, newHero } from "../support/heroes";
import { useRealm } from "../support/realm";
import { TestClient } from "../support/ws-client";

const realm = useRealm({}, { sql: true });

/** A mage of a fresh account; it starts in Lanternmere. */
async function newMage(prefix: string): Promise<Hero> {
  const hero = await newHero(realm.api, prefix, "mage");
  expect(hero.zoneId).toBe("start");
  return hero;
}

const wsBase = () => realm.wsBase;

/** A ticket as a zone sending the character on would issue it: the same login, and a destination. */
async function zoneTicket(hero: Hero, zone?: string): Promise<string> {
  const subject = { accountId: hero.accountId, characterId: hero.id, fam: hero.fam, ...(zone ? { zone } : {}) };
  return (await issueTicket(subject, TEST_JWT_SECRET, Math.floor(Date.now() / 1000))).ticket;
}

/** A ticket from `POST /play/ticket`, as a client asks for one (never names a zone). */
async function gatewayTicket(hero: Hero): Promise<string> {
  const ticket = await realm.api.call<{ ticket: string }>(
    "POST",
    "/play/ticket",
    { characterId: hero.id },
    hero.accessToken,
  );
  expect(ticket.status).toBe(200);
  return ticket.body.ticket;
}

/** Plays with `ticket`, says hello and closes; returns the welcome. */
async function land(ticket: string): Promise<{ zone: unknown; character: { zoneId?: unknown } }> {
  const client = await TestClient.connect(`${wsBase()}/play?ticket=${ticket}`);
  const welcome = (await client.hello("ignored")) as unknown as { zone: unknown; character: { zoneId?: unknown } };
  await client.close();
  return welcome;
}

const directory = async () => {
  const env = await realm.harness.getWorker().getEnv();
  return env.DIRECTORY.getByName(directoryObjectName("local"));
};

const rowZone = async (id: string) =>
  (await realm.sql.query<{ zone_id: string }>("SELECT zone_id FROM characters WHERE id = $1", [id])).rows[0]?.zone_id;

describe("GET /play routing", () => {
  it("lands a character in the zone its ticket names, though Postgres says another", async () => {
    const hero = await newMage("Voyager");
    expect(await rowZone(hero.id)).toBe("start");
    const welcome = await land(await zoneTicket(hero, "travel-routing-harbour"));
    expect(welcome.zone).toBe("travel-routing-harbour");
    // The snapshot the gateway handed the zone says where it was sent, not what Postgres said.
    expect(welcome.character.zoneId).toBe("travel-routing-harbour");
  });

  it("lands a handed-over character from the snapshot its ticket carries, without reading Postgres, once", async () => {
    const hero = await newMage("Courier");
    const { rows } = await realm.sql.query<Record<string, unknown>>("SELECT * FROM characters WHERE id = $1", [
      hero.id,
    ]);
    const row = rows[0] as Record<string, number | string | null>;
    // What the zone handing it over holds: newer than the row (more xp), as a hand-off ticket carries it.
    const character = {
      id: hero.id,
      accountId: hero.accountId,
      name: row.name,
      class: row.class,
      level: row.level,
      xp: 77,
      hp: row.hp,
      mp: row.mp,
      str: row.str,
      dex: row.dex,
      int: row.int,
      vit: row.vit,
      zoneId: "start",
      roomId: null,
      x: 0,
      y: 0,
      playSeconds: 5,
      version: row.version,
    };
    const subject = { accountId: hero.accountId, characterId: hero.id, zone: "travel-routing-quay", character };
    const { ticket } = await issueTicket(subject, TEST_JWT_SECRET, Math.floor(Date.now() / 1000));
    const welcome = (await land(ticket)) as unknown as { zone: string; character: { xp: number; zoneId: string } };
    expect(welcome.zone).toBe("travel-routing-quay");
    expect(welcome.character).toMatchObject({ xp: 77, zoneId: "travel-routing-quay" });
    const again = await TestClient.connect(`${wsBase()}/play?ticket=${ticket}`).then(
      () => null,
      (error: { status?: number }) => error,
    );
    expect(again?.status).toBe(401);
    // A snapshot of another character in a ticket is not believed: the ticket lands as an ordinary
    // one, with the ticket's own character read from Postgres.
    const forged = await issueTicket(
      { ...subject, character: { ...character, id: crypto.randomUUID() } },
      TEST_JWT_SECRET,
      Math.floor(Date.now() / 1000),
    );
    const landed = (await land(forged.ticket)) as unknown as { character: { id: string } };
    expect(landed.character.id).toBe(hero.id);
  });

  it("lands a character in the zone the directory placed it in when its ticket names none", async () => {
    const hero = await newMage("Settler");
    await (await directory()).placeCharacter(hero.id, "travel-routing-meadow");
    expect(await rowZone(hero.id)).toBe("start");

    const viaZone = await land(await zoneTicket(hero));
    expect(viaZone.zone).toBe("travel-routing-meadow");
    expect(viaZone.character.zoneId).toBe("travel-routing-meadow");
    // A ticket from POST /play/ticket routes the same way.
    expect((await land(await gatewayTicket(hero))).zone).toBe("travel-routing-meadow");
  });

  it("prefers the ticket's zone to the directory's placement, and a landing places the character", async () => {
    const hero = await newMage("Rambler");
    const stub = await directory();
    await stub.placeCharacter(hero.id, "travel-routing-meadow");
    expect((await land(await zoneTicket(hero, "travel-routing-harbour"))).zone).toBe("travel-routing-harbour");
    // The harbour claimed the character when it connected, which placed it there.
    expect(await stub.whereIs(hero.id)).toBe("travel-routing-harbour");
    expect((await land(await gatewayTicket(hero))).zone).toBe("travel-routing-harbour");
  });

  it("falls back to Postgres for a character the directory never placed", async () => {
    const hero = await newMage("Homebody");
    expect(await (await directory()).whereIs(hero.id)).toBeNull();
    await realm.sql.query("UPDATE characters SET zone_id = 'travel-routing-cellar' WHERE id = $1", [hero.id]);
    expect((await land(await gatewayTicket(hero))).zone).toBe("travel-routing-cellar");
  });

  it("refuses a ticket whose zone claim is not a zone id, however well signed", async () => {
    const hero = await newMage("Forger");
    const claims = {
      jti: `bad-zone-${hero.id}`,
      accountId: hero.accountId,
      characterId: hero.id,
      zone: "../start",
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const ticket = await signJson(claims, `ticket:${TEST_JWT_SECRET}`);
    const refused = await TestClient.connect(`${wsBase()}/play?ticket=${ticket}`).then(
      () => null,
      (error: { status?: number; body?: string }) => error,
    );
    expect(refused?.status).toBe(401);
    expect(JSON.parse(refused?.body ?? "{}")).toMatchObject({
      error: "invalid_ticket",
      message: "the ticket is malformed",
    });
  });
});
