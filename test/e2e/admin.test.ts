/**
 * The admin API through the real gateway, directory, zones and Postgres (docs/admin.md): zone
 * load, where a character lives, a GM teleport and a zone drain, both carried out by the zones'
 * hand-off — the client gets a `travel` frame and a 4003 close as when it takes an exit.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "../support/api";
import { type HarnessRealm, startHarness } from "../support/harness";
import { newHero, play, type Room } from "../support/heroes";
import { type Frame, TestClient } from "../support/ws-client";

let realm: HarnessRealm;
let api: Api;
let sql: pg.Client;
let adminToken: string;

beforeAll(async () => {
  realm = await startHarness();
  api = new Api(realm.baseUrl);
  sql = new pg.Client({ connectionString: inject("databaseUrl") });
  await sql.connect();
  adminToken = (await api.newAdmin(sql)).accessToken;
});
afterAll(async () => {
  await sql?.end();
  await realm?.harness.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const wsBase = () => realm.baseUrl.replace(/^http/, "ws");
const asAdmin = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api.call<T>(method, path, body, adminToken);
type Travel = Frame & { zone: string; ticket?: string };
type Where = { zoneId: string; playing: boolean; sessionZoneId: string | null };

/** Follows a `travel` frame's ticket, as a client does after the 4003 close. */
async function follow(frame: Travel) {
  expect(frame.ticket).toEqual(expect.any(String));
  const client = await TestClient.connect(`${wsBase()}/play?ticket=${frame.ticket}`);
  const welcome = await client.hello("ignored");
  return { client, welcome, room: (await client.nextOfType("room")) as Room };
}

/** Polls `where` (bounded) until `done` holds: the directory hears of sessions a moment after the welcome. */
async function whereUntil(id: string, done: (where: Where) => boolean): Promise<Where> {
  let where = (await asAdmin<Where>("GET", `/admin/characters/${id}/where`)).body;
  for (let i = 0; i < 50 && !done(where); i++) {
    await sleep(100);
    where = (await asAdmin<Where>("GET", `/admin/characters/${id}/where`)).body;
  }
  return where;
}

describe("admin API access", () => {
  it("refuses players (403) and requests without a token (401) on every admin route", async () => {
    const player = await api.newPlayer("plain");
    const id = crypto.randomUUID();
    const routes: [string, string, unknown][] = [
      ["GET", "/admin/zones", undefined],
      ["GET", `/admin/characters/${id}/where`, undefined],
      ["POST", `/admin/characters/${id}/move`, { zoneId: "start" }],
      ["POST", "/admin/zones/start/drain", { to: { zoneId: "whispering-woods" } }],
    ];
    for (const [method, path, body] of routes) {
      const forbidden = await api.call(method, path, body, player.accessToken);
      expect(forbidden.status, `${method} ${path}`).toBe(403);
      expect(forbidden.body).toMatchObject({ error: "forbidden" });
      expect((await api.call(method, path, body)).status, `${method} ${path}`).toBe(401);
    }
  });

  it("refuses moves and drains to an admin whose login was signed out; reads stay stateless", async () => {
    const admin = await api.newAdmin(sql, "gone");
    expect((await api.call("POST", "/auth/logout", { refreshToken: admin.refreshToken })).status).toBe(204);
    const token = admin.accessToken;
    const move = await api.call("POST", `/admin/characters/${crypto.randomUUID()}/move`, { zoneId: "start" }, token);
    expect(move.status).toBe(401);
    expect(move.body).toMatchObject({ error: "session_revoked" });
    const drain = await api.call("POST", "/admin/zones/start/drain", { to: { zoneId: "whispering-woods" } }, token);
    expect(drain.status).toBe(401);
    expect((await api.call("GET", "/admin/zones", undefined, token)).status).toBe(200);
  });
});

describe("GM teleport", () => {
  it("moves a ticketed character from Lanternmere into the Whispering Woods through the hand-off; where follows it", async () => {
    const hero = await newHero(api, "Moved");
    const { client, welcome, room } = await play(api, hero);
    expect(welcome).toMatchObject({ zone: "start" });
    expect(room.payload.id).toBe("village-square");
    expect(await whereUntil(hero.id, (w) => w.playing)).toEqual({
      characterId: hero.id,
      zoneId: "start",
      playing: true,
      sessionZoneId: "start",
    });

    const moved = await asAdmin("POST", `/admin/characters/${hero.id}/move`, {
      zoneId: "whispering-woods",
      place: "mossy-path",
    });
    expect(moved.status).toBe(202);
    expect(moved.body).toEqual({
      characterId: hero.id,
      from: "start",
      to: { zoneId: "whispering-woods", place: "mossy-path" },
      moving: true,
    });
    const frame = (await client.nextOfType("travel", 10_000)) as Travel;
    expect(frame.zone).toBe("whispering-woods");
    expect((await client.closed).code).toBe(4003);

    // Between the hand-off and the reconnect it lives in the woods and plays nowhere: no move then.
    const between = await asAdmin<Where>("GET", `/admin/characters/${hero.id}/where`);
    expect(between.body).toMatchObject({ zoneId: "whispering-woods", playing: false, sessionZoneId: null });
    const idle = await asAdmin("POST", `/admin/characters/${hero.id}/move`, { zoneId: "start" });
    expect(idle.status).toBe(409);
    expect(idle.body).toMatchObject({ error: "not_playing" });

    const there = await follow(frame);
    expect(there.welcome).toMatchObject({ zone: "whispering-woods" });
    expect(there.room.payload.id).toBe("mossy-path");
    expect(await whereUntil(hero.id, (w) => w.playing)).toMatchObject({
      zoneId: "whispering-woods",
      playing: true,
      sessionZoneId: "whispering-woods",
    });

    // A move to the zone it plays in is refused by the zone, with its reason.
    const same = await asAdmin("POST", `/admin/characters/${hero.id}/move`, { zoneId: "whispering-woods" });
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({ error: "move_refused", message: expect.stringMatching(/already in/) });
    await there.client.close();
  });

  it("refuses bad destinations (400) and unknown characters (404)", async () => {
    const id = crypto.randomUUID();
    const move = (body: unknown) => asAdmin("POST", `/admin/characters/${id}/move`, body);
    expect((await move({ zoneId: "Whispering Woods" })).body).toMatchObject({ error: "invalid", field: "zoneId" });
    expect((await move({ zoneId: "../start" })).status).toBe(400);
    expect((await move({})).body).toMatchObject({ error: "invalid", field: "zoneId" });
    expect((await move({ zoneId: "start", extra: 1 })).status).toBe(400);
    const nowhere = await move({ zoneId: "nowhere" });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body).toMatchObject({ error: "unknown_zone", field: "zoneId" });
    const noPlace = await move({ zoneId: "start", place: "moon" });
    expect(noPlace.status).toBe(400);
    expect(noPlace.body).toMatchObject({ error: "unknown_place", field: "place" });
    const notJson = await api.call("POST", `/admin/characters/${id}/move`, "{", adminToken);
    expect(notJson.body).toMatchObject({ error: "bad_json" });

    // A valid destination for a character the directory never heard of.
    const unknown = await move({ zoneId: "start" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: "not_found" });
    expect((await asAdmin("GET", `/admin/characters/${id}/where`)).status).toBe(404);
    expect((await asAdmin("GET", "/admin/characters/not-a-uuid/where")).status).toBe(404);
  });
});

describe("zone drain and load", () => {
  it("drains a zone with a guest and a character: both get a travel frame, only the character a ticket", async () => {
    const guest = await TestClient.connect(`${wsBase()}/ws?zone=start`);
    await guest.hello("Drifter");
    await guest.nextOfType("room");
    const hero = await newHero(api, "Drained");
    const { client } = await play(api, hero);
    await whereUntil(hero.id, (w) => w.playing);

    // The directory lists start with both sessions once the zone has reported.
    let zones: { zoneId: string; players: number; entities: number | null; tickP99Ms: number | null }[] = [];
    for (let i = 0; i < 60; i++) {
      const listed = await asAdmin<{ realm: string; zones: typeof zones }>("GET", "/admin/zones");
      expect(listed.status).toBe(200);
      expect(listed.body.realm).toBe("local");
      zones = listed.body.zones;
      const start = zones.find((z) => z.zoneId === "start");
      if (start && start.players === 2 && start.entities !== null) break;
      await sleep(100);
    }
    expect(zones.find((z) => z.zoneId === "start")).toMatchObject({
      players: 2,
      entities: expect.any(Number),
      tick: expect.any(Number),
      tickP99Ms: expect.any(Number),
    });

    expect((await asAdmin("POST", "/admin/zones/Start!/drain", { to: { zoneId: "start" } })).body).toMatchObject({
      error: "invalid",
      field: "zoneId",
    });
    expect((await asAdmin("POST", "/admin/zones/start/drain", { to: { zoneId: "start" } })).body).toMatchObject({
      error: "invalid",
      field: "to.zoneId",
    });
    expect((await asAdmin("POST", "/admin/zones/start/drain", { to: { zoneId: "bad id" } })).body).toMatchObject({
      error: "invalid",
      field: "to.zoneId",
    });

    const drained = await asAdmin("POST", "/admin/zones/start/drain", {
      to: { zoneId: "whispering-woods", place: "old-oak" },
    });
    expect(drained.status).toBe(202);
    expect(drained.body).toEqual({ zoneId: "start", to: { zoneId: "whispering-woods", place: "old-oak" }, moving: 2 });

    const told = (await guest.nextOfType("travel", 10_000)) as Travel;
    expect(told).toEqual({ type: "travel", zone: "whispering-woods" });
    expect((await guest.closed).code).toBe(4003);

    const frame = (await client.nextOfType("travel", 10_000)) as Travel;
    expect(frame.zone).toBe("whispering-woods");
    expect((await client.closed).code).toBe(4003);
    const there = await follow(frame);
    expect(there.welcome).toMatchObject({ zone: "whispering-woods" });
    expect(there.room.payload.id).toBe("old-oak");
    expect(await whereUntil(hero.id, (w) => w.playing)).toMatchObject({ zoneId: "whispering-woods", playing: true });
    await there.client.close();
  });
});

describe("closing an instance", () => {
  it("refuses a zone that is no instance, and sends everyone in an instance to its zone", async () => {
    const refused = await asAdmin("POST", "/admin/zones/start/close");
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: "not_an_instance" });
    const guest = await TestClient.connect(`${wsBase()}/ws?zone=whispering-woods~closing`);
    const welcome = await guest.hello("Lingerer");
    expect(welcome).toMatchObject({ zone: "whispering-woods~closing" });
    await guest.nextOfType("room");
    const closed = await asAdmin("POST", "/admin/zones/whispering-woods~closing/close");
    expect(closed.status).toBe(202);
    expect(closed.body).toMatchObject({ zoneId: "whispering-woods~closing", moving: 1, residents: 0 });
    expect(await guest.nextOfType("travel")).toMatchObject({ type: "travel", zone: "whispering-woods" });
    expect((await guest.closed).code).toBe(4003);
  });
});
