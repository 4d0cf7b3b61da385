/**
 * A character's Postgres write across a hand-off (docs/decisions.md D11, D26), against a real
 * Postgres, with the zone's SQLite set up as two interleavings of `bench:handoff` leave it:
 *
 * - the source's write was in flight when it handed the character over, and landed before the
 *   client's ticket reached the target: the gateway's snapshot names the ticket's zone, the landed
 *   attempt the source's, and the target must still see it as the attempt it took over;
 * - the source still holds the character's session while the target has not answered yet, and that
 *   session's state (older than the traveller's) must not be written from the source.
 */
import { describe, expect, it } from "vitest";
import { issueTicket } from "../../shared/auth/ticket";
import { writeTraveller } from "../../shared/world/traveller";
import { TEST_JWT_SECRET } from "../support/harness";
import { type Hero, newHero } from "../support/heroes";
import { useRealm } from "../support/realm";
import { TestClient } from "../support/ws-client";

const realm = useRealm({}, { sql: true });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const wsBase = () => realm.wsBase;
const zoneStorage = (zoneId: string) =>
  realm.harness.getWorker().getDurableObjectStorage("ZONES", { name: `local:zone:${zoneId}` });

/** A guest in `zoneId`: it keeps the zone awake (and its SQLite migrated). */
async function watcher(zoneId: string, name: string): Promise<TestClient> {
  const client = await TestClient.connect(`${wsBase()}/ws?zone=${zoneId}`);
  await client.hello(name);
  await client.nextOfType("room");
  return client;
}

/** The ticket a source zone hands a traveller: it names the target. */
async function zoneTicket(hero: Hero, zoneId: string): Promise<string> {
  const subject = { accountId: hero.accountId, characterId: hero.id, zone: zoneId };
  return (await issueTicket(subject, TEST_JWT_SECRET, Math.floor(Date.now() / 1000))).ticket;
}

interface Row {
  version: number;
  play_seconds: number;
  hp: number;
  zone_id: string;
  room_id: string | null;
}
const row = async (id: string) =>
  (await realm.sql.query<Row>("SELECT version, play_seconds, hp, zone_id, room_id FROM characters WHERE id = $1", [id]))
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
  roomId: "south-gate",
  x: 0,
  y: 0,
  playSeconds: 0,
  ...fields,
});

describe("a character's write across a hand-off", () => {
  it("resumes in the target from the write it took over when the source's attempt in flight landed first", async () => {
    const guard = await watcher("start", "Porter");
    const hero = await newHero(realm.api, "Ferry");
    const before = await row(hero.id);
    // The source (the woods) had an attempt at version v in flight when the character left; it is
    // among the unanswered attempts the target (start) took over, with the newer traveller's state…
    const inFlight = state({ zoneId: "whispering-woods", roomId: "woods-edge", hp: before.hp, playSeconds: 40 });
    const travellerState = state({ zoneId: "start", roomId: "south-gate", hp: 61, playSeconds: 55 });
    const zone = await zoneStorage("start");
    await zone.exec(
      "INSERT INTO character_writes (character_id, version, state, seq, attempts, next_attempt_at, sent_version, sent_states) VALUES (?, ?, ?, 1, 1, ?, ?, ?)",
      hero.id,
      before.version,
      JSON.stringify(travellerState),
      Date.now() + 3_600_000,
      before.version,
      JSON.stringify([inFlight]),
    );
    // …and that attempt landed before the client's ticket (naming start) reached the gateway.
    await realm.sql.query(
      "UPDATE characters SET version = version + 1, zone_id = 'whispering-woods', room_id = 'woods-edge', play_seconds = 40, hp = $2, mp = 30, x = 0, y = 0, level = 1, xp = 0 WHERE id = $1",
      [hero.id, before.hp],
    );

    const client = await TestClient.connect(`${wsBase()}/play?ticket=${await zoneTicket(hero, "start")}`);
    const welcome = await client.hello("x");
    expect(welcome).toMatchObject({ zone: "start" });
    // Not the source's older attempt (40 s, full hp): the state the character travelled with.
    expect(welcome.character).toMatchObject({ playSeconds: 55, hp: 61, roomId: "south-gate" });
    await client.close();

    // Its write lands on top of the attempt that landed, not refused and not dropped.
    const written = await writtenPast(hero.id, before.version + 1);
    expect(written).toMatchObject({ version: before.version + 2, zone_id: "start", hp: 61 });
    expect(written.play_seconds).toBeGreaterThanOrEqual(55);
    await guard.close();
  });

  it("writes nothing from the source for a character it is handing over, though its session is still open there", async () => {
    const guard = await watcher("start", "Tollman");
    const hero = await newHero(realm.api, "Drift");
    const ticket = await realm.api.call<{ url: string }>(
      "POST",
      "/play/ticket",
      { characterId: hero.id },
      hero.accessToken,
    );
    const client = await TestClient.connect(ticket.body.url);
    await client.hello("x");
    await client.nextOfType("room");
    const before = await row(hero.id);
    const zone = await zoneStorage("start");
    // The character took the trail: start recorded the transfer (its write went with it) and waits
    // for the woods to answer; the session is still open here until then.
    const traveller = writeTraveller({
      transferId: crypto.randomUUID(),
      from: "start",
      to: { zoneId: "whispering-woods", place: "woods-edge" },
      departedAt: Date.now(),
      character: {
        id: hero.id,
        accountId: hero.accountId,
        name: hero.name,
        class: "warrior",
        level: 1,
        xp: 0,
        hp: before.hp,
        mp: 30,
        str: 10,
        dex: 10,
        int: 10,
        vit: 10,
        zoneId: "start",
        roomId: "south-gate",
        x: 0,
        y: 0,
        playSeconds: 0,
        version: before.version,
      },
      carried: { effects: [], items: [] },
      write: null,
    });
    await zone.exec(
      "INSERT INTO transfers (transfer_id, character_id, traveller, attempts, next_attempt_at) VALUES (?, ?, ?, 0, ?)",
      traveller.transferId,
      hero.id,
      JSON.stringify(traveller),
      Date.now() + 3_600_000,
    );

    // The client goes meanwhile (as a 10 s pass would, its close queues the session's state).
    await client.close();
    await sleep(1500);
    expect(await zone.exec("SELECT character_id FROM character_writes WHERE character_id = ?", hero.id)).toEqual([]);
    // The target writes the traveller's state with the version it took over: nothing got there first.
    expect((await row(hero.id)).version).toBe(before.version);
    await zone.exec("DELETE FROM transfers WHERE transfer_id = ?", traveller.transferId);
    await guard.close();
  });
});
