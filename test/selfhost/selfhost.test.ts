/**
 * The realm under plain `workerd serve`, from the config `npm run selfhost` generates: the shared
 * smoke suite, then a kill -9 of workerd to show that zone state and the watchdog alarm survive a
 * crash (the alarm fires after restart with no request to the zone, and catches the clock up).
 */
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { FLOOD_CLOSE_CODE } from "../../shared/net/flood";
import { Api } from "../support/api";
import { TEST_JWT_SECRET } from "../support/harness";
import { defineSmokeSuite, type RunningRealm } from "../support/smoke";
import { type SelfhostRealm, startSelfhostRealm, type Workerd } from "../support/workerd";
import { TestClient } from "../support/ws-client";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let selfhost: SelfhostRealm;
let workerd: Workerd;
let realm: RunningRealm;

beforeAll(async () => {
  // Build, config and data in a temp folder of their own; guest sockets for the smoke suite and the
  // test Postgres (reached by `pg` over TCP from inside workerd).
  selfhost = await startSelfhostRealm("selfhost", {
    ALLOW_GUESTS: "true",
    DATABASE_URL: inject("databaseUrl"),
    JWT_SECRET: TEST_JWT_SECRET,
  });
  workerd = selfhost.workerd;
  realm = { baseUrl: selfhost.baseUrl };
});

afterAll(async () => {
  await workerd?.kill("SIGKILL");
  selfhost?.cleanup();
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => console.error(`--- workerd output ---\n${workerd?.output ?? "(not started)"}`));
});

defineSmokeSuite("workerd", () => realm);

describe("workerd: accounts", () => {
  it("registers, creates a character and plays it through a ticket, on Postgres over TCP", async () => {
    const api = new Api(realm.baseUrl);
    const player = await api.newPlayer("selfhost");
    const hero = await api.call<{ id: string; name: string }>(
      "POST",
      "/characters",
      { name: `Host${Date.now().toString(36)}`, class: "warrior" },
      player.accessToken,
    );
    expect(hero.status).toBe(201);
    const ticket = await api.call<{ url: string }>(
      "POST",
      "/play/ticket",
      { characterId: hero.body.id },
      player.accessToken,
    );
    expect(ticket.body.url.startsWith(`${realm.baseUrl.replace(/^http/, "ws")}/play?ticket=`)).toBe(true);
    const client = await TestClient.connect(ticket.body.url);
    expect(await client.hello("x")).toMatchObject({ name: hero.body.name, character: { id: hero.body.id } });
    await client.close();
  });
});

describe("workerd: crash recovery", () => {
  it("keeps chat and clock across kill -9, and the zone's alarm catches up with no request", async () => {
    const zone = `crash-${Date.now().toString(36)}`;
    const url = `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=${zone}`;
    const text = `written before the crash ${Math.random().toString(36).slice(2)}`;

    const client = await TestClient.connect(url);
    await client.hello("Survivor");
    client.send({ type: "say", text });
    const said = await client.nextOfType("said");
    expect(said.text).toBe(text);
    const before = (await client.ping(1)).tick as number;
    await sleep(1_500); // at least one batched flush (every 1 s) and watchdog re-arm
    await workerd.kill("SIGKILL");
    client.socket.terminate();

    await workerd.start(); // only /healthz: nothing touches the zone until its alarm fires
    const alarm = await workerd.waitForLog((l) => l.event === "zone.alarm" && l.zone === zone, 15_000);
    expect(alarm.tick as number).toBeGreaterThan(before);

    const again = await TestClient.connect(url);
    const welcome = await again.hello("Survivor");
    expect(welcome.recent).toContainEqual(expect.objectContaining({ id: said.id, text }));
    expect(welcome.tick as number).toBeGreaterThanOrEqual(alarm.tick as number);
    await again.close();
  });

  it("keeps every MUD item exactly once across kill -9 in the middle of play", async () => {
    const api = new Api(realm.baseUrl);
    const account = await api.newPlayer("crash");
    const hero = await api.call<{ id: string }>(
      "POST",
      "/characters",
      { name: `Keep${Date.now().toString(36)}`, class: "warrior" },
      account.accessToken,
    );
    const play = async () => {
      const ticket = await api.call<{ url: string }>(
        "POST",
        "/play/ticket",
        { characterId: hero.body.id },
        account.accessToken,
      );
      const client = await TestClient.connect(ticket.body.url);
      await client.hello("x");
      await client.nextOfType("room");
      return client;
    };
    const command = (client: TestClient, line: string) => client.send({ type: "command", line });
    const client = await play();
    command(client, "east");
    await client.nextOfType("room");
    command(client, "get mug");
    // The pick-up is announced only once it is on disk; kill the process the moment we hear it.
    await client.next((f) => f.type === "item" && /You pick up a cracked clay mug/.test(String(f.text)));
    await workerd.kill("SIGKILL");
    client.socket.terminate();
    await workerd.start();

    const again = await play();
    command(again, "inventory");
    const inventory = await again.nextOfType("inventory");
    expect((inventory.payload as { carried: string[] }).carried).toEqual(["a cracked clay mug"]);
    command(again, "look");
    const room = await again.nextOfType("room");
    // Back in the inn where it was, and the mug is no longer on the floor: one mug, not two, not none.
    expect(room.payload).toMatchObject({ id: "lantern-inn" });
    expect((room.payload as { items: string[] }).items).not.toContain("a cracked clay mug");
    await again.close();
  });

  it("lets characters whose sockets died go: nobody sees or targets them, and their state reaches Postgres", async () => {
    const api = new Api(realm.baseUrl);
    const letters = () => Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26)));
    const newHero = async (prefix: string) => {
      const account = await api.newPlayer("ghost");
      const name = `${prefix}${letters().join("")}`;
      const made = await api.call<{ id: string }>(
        "POST",
        "/characters",
        { name, class: "warrior" },
        account.accessToken,
      );
      expect(made.status).toBe(201);
      return { account, id: made.body.id, name };
    };
    const play = async (hero: Awaited<ReturnType<typeof newHero>>) => {
      const ticket = await api.call<{ url: string }>(
        "POST",
        "/play/ticket",
        { characterId: hero.id },
        hero.account.accessToken,
      );
      const client = await TestClient.connect(ticket.body.url);
      await client.hello("x");
      await client.nextOfType("room");
      return client;
    };
    const command = (client: TestClient, line: string) => client.send({ type: "command", line });
    const sql = new pg.Client({ connectionString: inject("databaseUrl") });
    await sql.connect();
    const row = async (id: string) =>
      (
        await sql.query<{ room_id: string | null; version: number }>(
          "SELECT room_id, version FROM characters WHERE id = $1",
          [id],
        )
      ).rows[0];
    /** Polls Postgres (bounded) until the character's row is past `version`. */
    const writtenPast = async (id: string, version: number) => {
      for (let i = 0; i < 150; i++) {
        const now = await row(id);
        if (now && now.version > version) return now;
        await sleep(100);
      }
      return row(id);
    };

    try {
      const stay = await newHero("Stay");
      const lost = await newHero("Lost");
      const before = await row(lost.id);
      const stayClient = await play(stay);
      const lostClient = await play(lost);
      // Both walk into the inn; the lost one's step is acknowledged by its room description.
      command(lostClient, "east");
      expect((await lostClient.nextOfType("room")).payload).toMatchObject({ id: "lantern-inn" });
      command(stayClient, "east");
      expect((await stayClient.nextOfType("room")).payload).toMatchObject({ players: [lost.name] });
      // A pick-up commits the whole world (the lost one's step included) before it is announced.
      command(stayClient, "get draught");
      await stayClient.next((f) => f.type === "item" && /You pick up a moonpetal draught/.test(String(f.text)));
      await workerd.kill("SIGKILL");
      stayClient.socket.terminate();
      lostClient.socket.terminate();
      await workerd.start();

      // Only one of them comes back. The other is not "here", and cannot be given to.
      const again = await play(stay);
      command(again, "look");
      const room = await again.nextOfType("room");
      expect(room.payload).toMatchObject({ id: "lantern-inn", players: [] });
      expect(String(room.text)).not.toContain(lost.name);
      command(again, `give draught ${lost.name}`);
      expect(await again.nextOfType("info")).toMatchObject({ text: `${lost.name} isn't here.` });

      // The lost one's state reached Postgres without it coming back: in the inn, at a new version.
      const written = await writtenPast(lost.id, before?.version ?? 1);
      expect(written).toMatchObject({ room_id: "lantern-inn" });
      expect(written?.version).toBeGreaterThan(before?.version ?? 1);

      // When it does come back, it resumes there, and its next write is accepted (no stale version).
      const back = await play(lost);
      command(back, "look");
      expect((await back.nextOfType("room")).payload).toMatchObject({ id: "lantern-inn", players: [stay.name] });
      await back.close();
      expect((await writtenPast(lost.id, written?.version ?? 1))?.version).toBeGreaterThan(written?.version ?? 1);
      await again.close();
    } finally {
      await sql.end();
    }
  });
});

describe("workerd: flood control", () => {
  it("closes a 20,000-frame flood and logs it in a few lines, not one per frame", async () => {
    const url = `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=flood-${Date.now().toString(36)}`;
    const client = await TestClient.connect(url);
    const sessionId = String((await client.hello("Flooder")).sessionId);
    for (let i = 0; i < 20_000; i++) client.send("x");
    expect((await client.closed).code).toBe(FLOOD_CLOSE_CODE);
    await workerd.waitForLog((l) => l.event === "disconnect" && l.sessionId === sessionId, 15_000);

    const lines = workerd.lines.filter((line) => line.includes(sessionId));
    const events = lines.map((line) => (JSON.parse(line) as { event: string }).event);
    // connect, the hello, the first refusal, the flood close, the refusals' summary, disconnect.
    expect(events).toEqual(
      expect.arrayContaining(["connect", "command.error", "connect.flooded", "command.errors", "disconnect"]),
    );
    expect(lines.length).toBeLessThanOrEqual(8);
    expect(lines.join("\n").length).toBeLessThan(4096);
    const summary = JSON.parse(lines.find((line) => line.includes('"command.errors"')) ?? "{}");
    expect(summary.rate_limited).toBeGreaterThan(0);
  });
});
