/**
 * Characters in a zone against a real Postgres, where a session, a queued write and Postgres
 * disagree: a write queued before the character was written elsewhere, a session displaced by a
 * newer login that never finishes closing, and a write whose answer was lost although Postgres
 * committed it (docs/decisions.md D11). The zone's SQLite is set up as those moments leave it.
 */
import { describe, expect, it } from "vitest";
import { type Hero, newHero } from "../support/heroes";
import { useRealm } from "../support/realm";
import { type Frame, TestClient } from "../support/ws-client";

const realm = useRealm({}, { sql: true });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const zoneStorage = () => realm.harness.getWorker().getDurableObjectStorage("ZONES", { name: "local:zone:start" });
const command = (client: TestClient, line: string) => client.send({ type: "command", line });

async function play(hero: Hero): Promise<TestClient> {
  const ticket = await realm.api.call<{ url: string }>(
    "POST",
    "/play/ticket",
    { characterId: hero.id },
    hero.accessToken,
  );
  expect(ticket.status).toBe(200);
  return TestClient.connect(ticket.body.url);
}

/** A guest in the starter zone: it keeps the zone awake (and its SQLite migrated) and watches the square. */
async function watcher(name: string): Promise<TestClient> {
  const client = await TestClient.connect(`${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=start`);
  await client.hello(name);
  await client.nextOfType("room");
  return client;
}

interface Row {
  version: number;
  play_seconds: number;
  room_id: string | null;
}
const row = async (id: string) =>
  (await realm.sql.query<Row>("SELECT version, play_seconds, room_id FROM characters WHERE id = $1", [id]))
    .rows[0] as Row;

/** Polls Postgres (bounded) until the character's row is past `version`. */
async function writtenPast(id: string, version: number): Promise<Row> {
  for (let i = 0; i < 150; i++) {
    const now = await row(id);
    if (now.version > version) return now;
    await sleep(100);
  }
  return row(id);
}

/** The character's state as a zone queues it (shared/db/characters.ts, CharacterState). */
const state = (fields: Partial<Record<string, unknown>>) => ({
  level: 1,
  xp: 0,
  hp: 70,
  mp: 30,
  zoneId: "start",
  roomId: "village-square",
  x: 0,
  y: 0,
  playSeconds: 0,
  ...fields,
});

describe("a character and the zone's queued writes", () => {
  it("resumes from what the gateway read, not from an older write still queued here, and its next write lands", async () => {
    const guard = await watcher("Warden");
    const hero = await newHero(realm.api, "Rover");
    const zone = await zoneStorage();
    // This zone queued a write at version 1 and is backing off (Postgres was down)…
    await zone.exec(
      "INSERT INTO character_writes (character_id, version, state, seq, attempts, next_attempt_at) VALUES (?, 1, ?, 1, 3, ?)",
      hero.id,
      JSON.stringify(state({ roomId: "lantern-inn", playSeconds: 5 })),
      Date.now() + 3_600_000,
    );
    // …while the character was written twice from another zone.
    await realm.sql.query(
      "UPDATE characters SET version = 3, play_seconds = 100, room_id = 'village-square' WHERE id = $1",
      [hero.id],
    );

    const client = await play(hero);
    const welcome = await client.hello("x");
    expect(welcome.character).toMatchObject({ playSeconds: 100, roomId: "village-square" });
    await client.close();

    const written = await writtenPast(hero.id, 3);
    expect(written.version).toBe(4);
    expect(written.play_seconds).toBeGreaterThanOrEqual(100);
    expect(await zone.exec("SELECT character_id FROM character_writes WHERE character_id = ?", hero.id)).toEqual([]);
    await guard.close();
  });

  it("writes on top of its own write whose answer was lost, instead of being refused by it", async () => {
    const guard = await watcher("Keeper");
    const hero = await newHero(realm.api, "Lorn");
    const sent = state({ playSeconds: 40, x: 12.3, y: -7.7 });
    // An attempt at version 1 reached Postgres and committed, but its answer never came back…
    await realm.sql.query(
      "UPDATE characters SET version = 2, play_seconds = 40, x = 12.3, y = -7.7, room_id = 'village-square', hp = 70, mp = 30 WHERE id = $1",
      [hero.id],
    );
    const zone = await zoneStorage();
    // …so the zone still holds the write at version 1, with newer state queued since, and due now.
    await zone.exec(
      "INSERT INTO character_writes (character_id, version, state, seq, attempts, next_attempt_at, sent_version, sent_states) VALUES (?, 1, ?, 2, 1, ?, 1, ?)",
      hero.id,
      JSON.stringify(state({ playSeconds: 55, x: 12.3, y: -7.7 })),
      Date.now(),
      JSON.stringify([sent]),
    );

    const written = await writtenPast(hero.id, 2);
    expect(written).toMatchObject({ version: 3, play_seconds: 55 });
    expect(await zone.exec("SELECT character_id FROM character_writes WHERE character_id = ?", hero.id)).toEqual([]);
    await guard.close();
  });

  it("after a restart between Postgres' commit and the zone's record of it, the settling write lands", async () => {
    const hero = await newHero(realm.api, "Sable");
    const guard = await watcher("Tender");
    await guard.close();
    const [pgRow] = (await realm.sql.query("SELECT * FROM characters WHERE id = $1", [hero.id])).rows;
    // The character played here; the zone sent a write at version 1 and Postgres committed it, but
    // the process died before the zone took note: its roster and its queue still say version 1.
    const landed = state({ hp: pgRow.hp, mp: pgRow.mp, roomId: pgRow.room_id, playSeconds: 20 });
    await realm.sql.query("UPDATE characters SET version = 2, play_seconds = 20 WHERE id = $1", [hero.id]);
    const character = {
      id: hero.id,
      accountId: pgRow.account_id,
      name: pgRow.name,
      class: pgRow.class,
      str: pgRow.str,
      dex: pgRow.dex,
      int: pgRow.int,
      vit: pgRow.vit,
      ...landed,
      playSeconds: 30,
      version: 1,
    };
    const zone = await zoneStorage();
    await zone.exec(
      "INSERT INTO zone_characters (character_id, character, connected_at) VALUES (?, ?, ?)",
      hero.id,
      JSON.stringify(character),
      Date.now(),
    );
    await zone.exec(
      "INSERT INTO character_writes (character_id, version, state, seq, attempts, next_attempt_at, sent_version, sent_states) VALUES (?, 1, ?, 1, 0, ?, 1, ?)",
      hero.id,
      JSON.stringify(landed),
      Date.now(),
      JSON.stringify([landed]),
    );
    await realm.harness.getWorker().evictDurableObject("ZONES", { name: "local:zone:start", webSockets: "close" });

    const again = await watcher("Mender"); // loads the zone again, which settles the character
    const written = await writtenPast(hero.id, 2);
    expect(written.version).toBe(3);
    expect(written.play_seconds).toBeGreaterThanOrEqual(30);
    expect(await zone.exec("SELECT 1 FROM zone_characters WHERE character_id = ?", hero.id)).toEqual([]);
    await again.close();
  });
});

describe("a session displaced by a newer login of its character", () => {
  it("is gone at once: when the newer session leaves, so does the character, though the old socket never finished closing", async () => {
    const hero = await newHero(realm.api, "Twain");
    const guard = await watcher("Sentry");
    const first = await play(hero);
    await first.hello("x");
    await first.nextOfType("room");
    command(guard, "look");
    expect(((await guard.nextOfType("room")) as Frame & { payload: { players: string[] } }).payload.players).toContain(
      hero.name,
    );
    // The old socket reads nothing more, so it never answers the zone's close.
    first.socket.pause();

    const second = await play(hero);
    expect(await second.hello("x")).toMatchObject({ character: { id: hero.id } });
    await second.close();

    const zone = await zoneStorage();
    let held = await zone.exec("SELECT 1 FROM zone_characters WHERE character_id = ?", hero.id);
    for (let i = 0; i < 100 && held.length; i++) {
      await sleep(50);
      held = await zone.exec("SELECT 1 FROM zone_characters WHERE character_id = ?", hero.id);
    }
    expect(held).toEqual([]);
    let players: string[] = [hero.name];
    for (let i = 0; i < 50 && players.includes(hero.name); i++) {
      command(guard, "look");
      players = ((await guard.nextOfType("room")) as Frame & { payload: { players: string[] } }).payload.players;
    }
    expect(players).not.toContain(hero.name);
    first.socket.terminate();
    await guard.close();
  });
});
