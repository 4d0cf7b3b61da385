/**
 * kill -9 cycles against plain workerd from the self-host config. In each cycle two ticketed
 * characters move items in the inn of Lanternmere (zone `start`): `get`, `drop` and `give`
 * between them, waiting for each move's acknowledgement, and one of them says a line of chat.
 * Right after the last acknowledgement workerd is killed with SIGKILL and started again on the
 * same data directory; both characters come back and every acknowledged move is there exactly
 * once (their `inventory`, the inn's floor in `look`) and every acknowledged line is in
 * `welcome.recent`, in order, with its id.
 *
 * What makes this hold: chat lines and item moves are committed to the zone's SQLite before anyone
 * hears of them (docs/decisions.md, D5 and D15). KILL_CYCLES (default 5) and
 * KILL_SEED (default 1) size and pick the run; `npm run test:reliability` runs the long version.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createRng, seedFromString } from "../../shared/sim/rng";
import { Api } from "../support/api";
import { TEST_JWT_SECRET } from "../support/harness";
import { countFromEnv, type SelfhostRealm, startSelfhostRealm } from "../support/workerd";
import { type Frame, TestClient } from "../support/ws-client";

const CYCLES = countFromEnv("KILL_CYCLES", 5);
const SEED = countFromEnv("KILL_SEED", 1);
/** Acknowledged item moves per cycle before the kill. */
const MOVES_PER_CYCLE = 3;
/** How many chat lines a newcomer gets in `welcome` (docs/protocol.md, welcome). */
const RECENT = 20;

/** The two items that lie in the inn (shared/content/arcane-realms/zones/start.json). */
const ITEMS = [
  { keyword: "mug", name: "a cracked clay mug" },
  { keyword: "draught", name: "a moonpetal draught" },
] as const;
type ItemName = (typeof ITEMS)[number]["name"];
/** Where an item is: on the inn's floor, or carried by one of the two characters. */
type Place = "floor" | 0 | 1;

interface Hero {
  id: string;
  name: string;
  account: { username: string; password: string; accessToken: string };
  client?: TestClient;
}

let realm: SelfhostRealm;
let api: Api;

beforeAll(async () => {
  realm = await startSelfhostRealm("crash-cycles", {
    DATABASE_URL: inject("databaseUrl"),
    JWT_SECRET: TEST_JWT_SECRET,
    // Every request comes from 127.0.0.1 here, and each cycle asks for two tickets.
    AUTH_RATE_PER_IP: "1000",
    TICKET_RATE_PER_ACCOUNT: "100000",
  });
  api = new Api(realm.baseUrl);
});

afterAll(async () => {
  await realm?.workerd.kill("SIGKILL");
  realm?.cleanup();
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => console.error(`--- workerd output (last 20 kB) ---\n${realm?.workerd.output.slice(-20_000)}`));
});

async function createHero(prefix: string): Promise<Hero> {
  const account = await api.newPlayer(prefix.toLowerCase());
  // Names are letters (docs/accounts.md): a random tail keeps them unique in a shared database.
  const tail = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");
  const name = `${prefix}${tail}`;
  const created = await api.call<{ id: string; name: string }>(
    "POST",
    "/characters",
    { name, class: "warrior" },
    account.accessToken,
  );
  if (created.status !== 201) throw new Error(`character not created: ${JSON.stringify(created.body)}`);
  return { id: created.body.id, name: created.body.name, account };
}

/** A fresh play ticket; logs in again when the access token expired, waits out a 429 (bounded). */
async function ticketUrl(hero: Hero): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const ticket = await api.call<{ url: string }>(
      "POST",
      "/play/ticket",
      { characterId: hero.id },
      hero.account.accessToken,
    );
    if (ticket.status === 200) return ticket.body.url;
    if (ticket.status === 401) {
      const { username, password } = hero.account;
      const login = await api.call<{ accessToken: string }>("POST", "/auth/login", { username, password });
      if (login.status === 200) hero.account.accessToken = login.body.accessToken;
    } else if (ticket.status === 429) {
      await new Promise((r) => setTimeout(r, 1000 * Number(ticket.headers.get("retry-after") ?? 1)));
    } else throw new Error(`ticket refused: ${ticket.status} ${JSON.stringify(ticket.body)}`);
  }
  throw new Error(`no ticket for ${hero.name} after 5 attempts`);
}

/** Plays the character: hello, then the room it stands in. */
async function enter(hero: Hero): Promise<{ welcome: Frame; room: Frame }> {
  const client = await TestClient.connect(await ticketUrl(hero));
  hero.client = client;
  const welcome = await client.hello("x");
  expect(welcome).toMatchObject({ zone: "start", character: { id: hero.id } });
  return { welcome, room: await client.nextOfType("room") };
}

const clientOf = (hero: Hero) => hero.client as TestClient;
const command = (hero: Hero, line: string) => clientOf(hero).send({ type: "command", line });
/** The event this character alone receives for its own move (others see "<name> picks up …"). */
const ownEvent = (hero: Hero, pattern: RegExp) =>
  clientOf(hero).next((f) => f.type === "item" && pattern.test(String(f.text)), 8000);

const sorted = (names: string[]) => [...names].sort();

describe(`kill -9 cycles against plain workerd (${CYCLES} cycles, seed ${SEED})`, () => {
  it(
    "keeps every acknowledged item move and chat line exactly once across each kill -9",
    async () => {
      const rng = createRng(seedFromString(`kill:${SEED}`));
      const heroes = [await createHero("Avel"), await createHero("Brin")] as [Hero, Hero];
      const places = new Map<ItemName, Place>(ITEMS.map((item) => [item.name, "floor"]));
      const lines: { id: number; text: string }[] = [];
      const started = Date.now();

      for (const hero of heroes) {
        const { room } = await enter(hero);
        expect(room.payload).toMatchObject({ id: "village-square" });
        command(hero, "east");
        expect((await clientOf(hero).nextOfType("room")).payload).toMatchObject({ id: "lantern-inn" });
      }

      /** One acknowledged move chosen by the seeded generator among those the model allows. */
      const move = async () => {
        const item = ITEMS[rng.int(0, ITEMS.length - 1)] as (typeof ITEMS)[number];
        const place = places.get(item.name) as Place;
        if (place === "floor") {
          const who = rng.int(0, 1) as 0 | 1;
          command(heroes[who], `get ${item.keyword}`);
          const ack = await ownEvent(heroes[who], /^You pick up /);
          expect(ack.text).toBe(`You pick up ${item.name}.`);
          places.set(item.name, who);
        } else if (rng.int(0, 1) === 0) {
          command(heroes[place], `drop ${item.keyword}`);
          expect((await ownEvent(heroes[place], /^You drop /)).text).toBe(`You drop ${item.name}.`);
          places.set(item.name, "floor");
        } else {
          const to = (1 - place) as 0 | 1;
          command(heroes[place], `give ${item.keyword} ${heroes[to].name}`);
          const ack = await ownEvent(heroes[place], /^You give /);
          expect(ack.text).toBe(`You give ${item.name} to ${heroes[to].name}.`);
          places.set(item.name, to);
        }
      };

      /** A line of chat, acknowledged by its `said` echo (stored before it is sent). */
      const say = async (cycle: number) => {
        const speaker = heroes[cycle % 2] as Hero;
        const text = `cycle ${cycle}: ${rng.int(0, 1_000_000_000).toString(36)}`;
        clientOf(speaker).send({ type: "say", text });
        const said = await clientOf(speaker).next((f) => f.type === "said" && f.text === text);
        lines.push({ id: said.id as number, text });
      };

      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        // The chat line goes in at a seeded position, sometimes last: the kill then follows it.
        const chatAt = rng.int(0, MOVES_PER_CYCLE);
        for (let step = 0; step <= MOVES_PER_CYCLE; step++) {
          if (step === chatAt) await say(cycle);
          else await move();
        }
        await realm.workerd.kill("SIGKILL");
        for (const hero of heroes) clientOf(hero).socket.terminate();
        await realm.workerd.start();

        const at = `after kill ${cycle}`;
        const [first, second] = [await enter(heroes[0]), await enter(heroes[1])];
        for (const { room } of [first, second]) expect(room.payload, at).toMatchObject({ id: "lantern-inn" });
        const recent = (first.welcome.recent as { id: number; text: string }[]).map(({ id, text }) => ({ id, text }));
        expect(recent, `${at}: chat lines`).toEqual(lines.slice(-RECENT));

        for (const [index, hero] of heroes.entries()) {
          command(hero, "inventory");
          const inventory = await clientOf(hero).nextOfType("inventory");
          const carried = ITEMS.filter((item) => places.get(item.name) === index).map((item) => item.name);
          expect(sorted((inventory.payload as { carried: string[] }).carried), `${at}: ${hero.name} carries`).toEqual(
            sorted(carried),
          );
        }
        command(heroes[0], "look");
        const room = await clientOf(heroes[0]).nextOfType("room");
        const floor = ITEMS.filter((item) => places.get(item.name) === "floor").map((item) => item.name);
        expect(sorted((room.payload as { items: string[] }).items), `${at}: on the inn's floor`).toEqual(sorted(floor));
      }
      console.log(
        `kill -9 cycles: ${CYCLES} cycles, ${CYCLES * MOVES_PER_CYCLE} item moves and ${lines.length} chat lines ` +
          `acknowledged and found exactly once after each restart, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      for (const hero of heroes) await clientOf(hero).close();
    },
    60_000 + CYCLES * 30_000,
  );
});
