/**
 * A brand-new character, made the way a player makes one, plays the Arcane Realms as the pack
 * means it to be played, through the real gateway, zones and Postgres: first the Proving Grounds
 * from the gate to the waymark (docs/content.md, "Quests" and "Triggers"), then out into the world
 * until it has stood in every zone of the pack, moving only by exits and `travel` hand-offs
 * (docs/architecture.md, "Travel and hand-off"; "Parties and instances" for the dungeons).
 *
 * The Hollow Hills are the Briar Band's country (level 4-8 creatures, several aggressive, some
 * wandering). A level-1 character crosses them as a player would: without stopping. An aggressive
 * NPC's first swing comes a second after it notices someone (shared/mud/fight.ts) and it never
 * follows through an exit, so walking on at once is safe whichever way the wanderers went; the test
 * checks at the end that the character is alive and was never killed on the way.
 */
import { describe, expect, it } from "vitest";
import { FieldPlayer } from "../support/field-client";
import { newHero, play, type Room, type TravelFrame, travel } from "../support/heroes";
import { useRealm } from "../support/realm";
import { type Frame, TestClient } from "../support/ws-client";

const realm = useRealm();

/** Generous bound for one answer from a zone (the machine is shared with other tests). */
const WAIT = 8000;

type Quest = Frame & { text: string; payload: Record<string, unknown> };

const command = (client: TestClient, line: string) => client.send({ type: "command", line });

/** The next frame of `type` whose text matches `pattern`. */
const told = (client: TestClient, type: string, pattern: RegExp, timeoutMs = WAIT) =>
  labelled(
    `${type} ${pattern}`,
    client.next((f) => f.type === type && pattern.test(String(f.text)), timeoutMs),
  );

/** Says which wait timed out, since the client's own error names only the frames still queued. */
const labelled = (what: string, waiting: Promise<Frame>) =>
  waiting.catch((error: Error) => {
    throw new Error(`waiting for ${what}: ${error.message}`);
  }) as Promise<Quest>;

/** Types `line` and returns the first answer of `type` (and, given, matching `pattern`). */
async function ask(client: TestClient, line: string, type: string, pattern = /./): Promise<Quest> {
  command(client, line);
  return told(client, type, pattern);
}

/** Walks through `exit` inside the zone and checks the room it arrives in. */
async function go(client: TestClient, exit: string, roomId: string): Promise<Room> {
  command(client, exit);
  const room = (await labelled(`the room past ${exit}`, client.nextOfType("room", WAIT))) as unknown as Room;
  expect(room.payload.id, `${exit} leads to ${roomId}`).toBe(roomId);
  return room;
}

/** Walks a path of exits, checking each room on the way: `[exit, room]` pairs. */
async function walk(client: TestClient, path: [string, string][]): Promise<void> {
  for (const [exit, roomId] of path) await go(client, exit, roomId);
}

/** The quest frame that tells `first-steps` is at the step named `step`. */
const stepOf = (client: TestClient, step: string, timeoutMs = WAIT) =>
  labelled(
    `First Steps at ${step}`,
    client.next((f) => {
      const payload = f.payload as Quest["payload"] | undefined;
      return f.type === "quest" && payload?.quest === "first-steps" && payload.step === step;
    }, timeoutMs),
  );

/**
 * Takes `exit` out of the zone and follows the hand-off into another MUD zone: the old socket is
 * closed with 4003, the new one is welcomed into `zone` (a pattern for instances) at `roomId`.
 */
async function hop(client: TestClient, exit: string, zone: string | RegExp, roomId: string) {
  const next = await travel(client, exit, realm.wsBase, WAIT);
  expect((await client.closed).code).toBe(4003);
  expect(String(next.welcome.zone)).toMatch(typeof zone === "string" ? new RegExp(`^${zone}$`) : zone);
  expect(next.room.payload.id).toBe(roomId);
  return next;
}

/** Takes `exit` into a field zone; checks the zone welcomed it and its body stands at `at`. */
async function intoField(client: TestClient, exit: string, zone: string, at: { x: number; y: number }) {
  command(client, `go ${exit}`);
  const frame = (await client.nextOfType("travel", WAIT)) as TravelFrame;
  expect(frame.zone).toBe(zone);
  expect((await client.closed).code).toBe(4003);
  const field = await FieldPlayer.join(`${realm.wsBase}/play?ticket=${frame.ticket}`, "ignored");
  expect(field.welcome).toMatchObject({ zone });
  await field.until((p) => p.me() !== undefined, WAIT, `own body in ${zone}`);
  expect(field.me()).toMatchObject(at);
  return field;
}

/** Walks west out of a field (every field's exit is on its west wall) back into `zone` at `roomId`. */
async function outOfField(field: FieldPlayer, zone: string, roomId: string) {
  field.move(-1, 0);
  const frame = (await field.client.nextOfType("travel", 10_000)) as TravelFrame;
  expect(frame.zone).toBe(zone);
  const client = await TestClient.connect(`${realm.wsBase}/play?ticket=${frame.ticket}`);
  expect(await client.hello("ignored")).toMatchObject({ zone });
  expect(((await client.nextOfType("room", WAIT)) as Room).payload.id).toBe(roomId);
  return client;
}

describe("a new character's first hour", () => {
  it("plays the Proving Grounds from start to finish, then walks to every zone of the pack", async () => {
    // A new account makes a new mage, as the web page does (POST /characters).
    const hero = await newHero(realm.api, "Recruit", "mage");
    expect(hero.zoneId).toBe("start");
    const first = await play(realm.api, hero);
    expect(first.welcome).toMatchObject({ zone: "start" });
    expect(first.room.payload.id).toBe("village-square");
    /** Every client the character played through, to look for a `death` frame at the end. */
    const clients: TestClient[] = [first.client];

    // ---- The Proving Grounds, reached by the `yard` exit of the south gate. ----
    await go(first.client, "south", "south-gate");
    let here = (await hop(first.client, "yard", "tutorial", "proving-gate")).client;
    clients.push(here);
    // The gate's `enter` trigger greets a recruit on its first tick there, arriving from the village.
    expect((await told(here, "info", /Type talk orla/)).text).toMatch(/Drillmaster Orla Venn/);
    // The gate's board: look, and exits; examine what you see.
    expect(((await ask(here, "look", "room")) as unknown as Room).payload.id).toBe("proving-gate");
    expect((await ask(here, "examine drillmaster", "examine")).text).toMatch(/Orla/);
    expect((await ask(here, "quests", "quest")).payload).toEqual({ active: [], done: [] });
    // Talk to the drillmaster: she gives First Steps, whose first step is the chalk.
    command(here, "talk orla");
    expect((await told(here, "say", /Recruit/)).payload).toMatchObject({ standing: "neutral" });
    expect((await told(here, "quest", /New quest: First Steps/)).payload).toMatchObject({
      quest: "first-steps",
      started: true,
    });
    await stepOf(here, "chalk");

    // The drill yard: examine the chalk, pick it up; the step takes it and sends us to the kit store.
    await go(here, "north", "drill-yard");
    expect((await ask(here, "examine chalk", "examine")).text).toMatch(/chalk/i);
    command(here, "get chalk");
    await told(here, "item", /You pick up a stub of drill chalk/);
    await told(here, "item", /You hand over a stub of drill chalk/);
    await stepOf(here, "kit");
    await go(here, "east", "kit-store");
    await stepOf(here, "spar");

    // The kit store: get, inventory; the arming bench: wield, wear, stats.
    command(here, "get wand");
    await told(here, "item", /You pick up a novice's hazel wand/);
    command(here, "get vest");
    await told(here, "item", /You pick up a padded training vest/);
    const pack = await ask(here, "inventory", "inventory");
    expect(pack.payload.carried).toEqual(expect.arrayContaining(["a novice's hazel wand", "a padded training vest"]));
    await go(here, "north", "arming-bench");
    await ask(here, "wield wand", "item", /You equip a novice's hazel wand/);
    await ask(here, "wear vest", "item", /You equip a padded training vest/);
    const sheet = await ask(here, "stats", "stats");
    expect(sheet.payload).toMatchObject({ class: "mage", level: 1 });

    // The sparring ring: the first fight, to the dummy's fall; the ring's trigger cheers.
    await go(here, "east", "sparring-ring");
    await ask(here, "attack dummy", "combat", /You attack a straw sparring dummy/);
    // A dummy takes a handful of swings, one every two seconds: a generous bound for misses.
    await told(here, "info", /turnip head bounces/, 90_000);
    await stepOf(here, "gate");
    const journal = await ask(here, "quests", "quest");
    expect(journal.payload.active).toEqual([
      expect.objectContaining({ quest: "first-steps", step: expect.stringMatching(/lever/) }),
    ]);

    // The chalk circle: a spell at the wisp, the shut gate, the lever that opens it.
    await walk(here, [
      ["north", "mending-tent"],
      ["east", "spell-circle"],
    ]);
    expect((await ask(here, "cast", "info", /Cast what/)).payload.skills).toContain("magic-missile");
    expect(
      (await ask(here, "cast mm wisp", "combat", /^Your missile (strikes|streaks past) a chalk-bound wisp/)).payload,
    ).toMatchObject({
      skill: "magic-missile",
    });
    await ask(here, "north", "info", /The way north is locked/);
    await ask(here, "pull lever", "info", /last gate swings open to the north/);
    // Through the gate: the last step but one is done on arrival, and the sergeant calls.
    await go(here, "north", "waymark");
    await stepOf(here, "report");
    await told(here, "info", /Sergeant Pell looks up/);
    command(here, "talk pell");
    expect((await told(here, "quest", /Quest complete: First Steps!/)).payload).toMatchObject({ done: true });
    await told(here, "item", /You receive a Lantern Watch token/);
    await told(here, "item", /You receive a moonpetal draught/);
    const payloadOf = (f: Frame) => (f.payload ?? {}) as Quest["payload"];
    const rise = await labelled(
      "the Watch's thanks",
      here.next((f) => payloadOf(f).faction === "lantern-watch"),
    );
    expect(rise).toMatchObject({ type: "reputation", payload: { standing: 50 } });
    command(here, "reputation");
    const standing = await labelled(
      "the standings",
      here.next((f) => Array.isArray(payloadOf(f).factions)),
    );
    expect(standing.payload.factions).toContainEqual(
      expect.objectContaining({ faction: "lantern-watch", standing: 50 }),
    );
    const done = await ask(here, "quests", "quest");
    expect(done.payload.done).toEqual([{ quest: "first-steps", name: "First Steps" }]);
    // The reward's 100 experience is on the sheet (experience is a running total).
    const after = await ask(here, "stats", "stats");
    expect(Number(after.payload.xp)).toBeGreaterThanOrEqual(Number(sheet.payload.xp) + 100);

    // Out through the one-way gap back to the south gate of Lanternmere.
    here = (await hop(here, "village", "start", "south-gate")).client;
    clients.push(here);

    // ---- The Drowned Cellars, under the well: an instanced exit gives the character its own copy. ----
    await walk(here, [
      ["north", "village-square"],
      ["down", "well-shaft"],
    ]);
    const cellars = await hop(here, "deeper", /^well-depths~.+/, "sunken-stair");
    expect(cellars.frame.zone).toMatch(/^well-depths~.+/);
    clients.push(cellars.client);
    here = (await hop(cellars.client, "up", "start", "well-shaft")).client;
    clients.push(here);

    // ---- The Test Area, through the portal at the Lantern Tower's foot, and back. ----
    await walk(here, [
      ["up", "village-square"],
      ["north", "tower-steps"],
    ]);
    const testArea = await intoField(here, "portal", "test-area", { x: 150, y: 400 });
    here = await outOfField(testArea, "start", "tower-steps");
    clients.push(here);

    // ---- The Whispering Woods by the trail, then the Hollow Hills from the standing stones. ----
    await walk(here, [
      ["south", "village-square"],
      ["south", "south-gate"],
    ]);
    here = (await hop(here, "trail", "whispering-woods", "woods-edge")).client;
    clients.push(here);
    await walk(here, [
      ["south", "mossy-path"],
      ["south", "stone-circle"],
    ]);
    here = (await hop(here, "hills", "hollow-hills", "hills-stone-stair")).client;
    clients.push(here);

    // ---- The Gorse Downs, below the hills' southern edge, and back up. ----
    await walk(here, [
      ["east", "hills-barrows-3"],
      ["south", "downs-edge"],
    ]);
    const downs = await intoField(here, "downs", "gorse-downs", { x: 120, y: 500 });
    here = await outOfField(downs, "hollow-hills", "downs-edge");
    clients.push(here);

    // ---- The Sleeper's Barrow, at the hills' far end: across the heath without stopping. ----
    await walk(here, [
      ["north", "hills-barrows-3"],
      ["north", "hills-heath-3"],
      ["west", "hills-heath-1"],
      ["west", "hills-barrows-2"],
      ["north", "hills-mire-1"],
      ["east", "hills-heath-2"],
      ["east", "hills-combe-1"],
      ["east", "hills-combe-2"],
      ["north", "hills-tor-2"],
      ["east", "hills-heath-5"],
      ["east", "barrow-mouth"],
    ]);
    const barrow = await hop(here, "barrow", /^sleeper-barrow~.+/, "barrow-door");
    clients.push(barrow.client);

    // Alive, and never killed on the way (a death would have sent it back to a bind room).
    const end = await ask(barrow.client, "stats", "stats");
    expect(Number(end.payload.hp)).toBeGreaterThan(0);
    const deaths = await Promise.all(
      clients.map((c) => c.next((f) => f.type === "death" && f.text === "You die...", 1).catch(() => undefined)),
    );
    expect(deaths.filter(Boolean)).toEqual([]);
    await barrow.client.close();
  }, 240_000);
});
