/**
 * Scenario tests of the built-in commands on the real Arcane Realms content (zone `start`,
 * Lanternmere): what each player's screen shows when they look, walk, handle items, equip, cast
 * and try a locked door.
 */
import { describe, expect, it } from "vitest";
import type { MudEvent } from "../events";
import { MudScenario, ofType, texts } from "../testing";

const SQUARE_EXITS = ["north", "east", "west", "south", "down"];

/** Alice and Bob in the inn, Carol watching there too. */
function inInn() {
  const s = new MudScenario(7);
  s.join("alice");
  s.join("bob");
  s.join("carol");
  s.step([
    ["alice", "east"],
    ["bob", "east"],
    ["carol", "east"],
  ]);
  s.clear();
  return s;
}

const only = (events: MudEvent[] | undefined) => {
  expect(events).toHaveLength(1);
  return (events as MudEvent[])[0] as MudEvent;
};

describe("looking and walking", () => {
  it("shows each player the other in the square, and who leaves and who arrives", () => {
    const s = new MudScenario(1);
    const aliceJoin = s.join("alice");
    expect(aliceJoin[0]?.type).toBe("room");
    expect(aliceJoin[0]?.payload).toMatchObject({ id: "village-square", name: "Lanternmere Square", players: [] });
    s.join("carol", { roomId: "lantern-inn" });
    const bobJoin = s.join("bob");
    expect(bobJoin[0]?.payload).toMatchObject({ id: "village-square", exits: SQUARE_EXITS, players: ["Alice"] });
    expect(texts(s.screens.alice, "arrive")).toEqual(["Bob arrives."]);
    expect(s.screens.carol?.some((e) => e.text === "Bob arrives.")).toBe(false);

    const looks = s.step([
      ["alice", "look"],
      ["bob", "l"],
    ]);
    const aliceLook = only(ofType(looks.alice, "room"));
    const bobLook = only(ofType(looks.bob, "room"));
    expect(aliceLook.payload).toMatchObject({ id: "village-square", players: ["Bob"], items: [] });
    expect(bobLook.payload).toMatchObject({ id: "village-square", players: ["Alice"] });
    expect(aliceLook.text.split("\n")).toContain("Bob is here.");
    expect(aliceLook.text.split("\n")).toContain("Exits: north, east, west, south, down.");
    expect(looks.carol).toBeUndefined();

    const walk = s.type("alice", "east");
    expect(walk.bob).toContainEqual({
      type: "depart",
      text: "Alice leaves east.",
      payload: { name: "Alice", exit: "east" },
    });
    expect(walk.carol).toContainEqual({ type: "arrive", text: "Alice arrives.", payload: { name: "Alice" } });
    const arrived = only(ofType(walk.alice, "room"));
    expect(arrived.payload).toMatchObject({
      id: "lantern-inn",
      name: "The Sleeping Lantern",
      exits: ["west", "up"],
      items: ["a moonpetal draught", "a cracked clay mug"],
      players: ["Carol"],
    });
    // Nobody is told about their own steps, and Bob no longer sees Alice.
    expect(texts(walk.alice, "depart")).toEqual([]);
    expect(only(ofType(s.type("bob", "look").bob, "room")).payload?.players).toEqual([]);
    expect(s.player("alice").roomId).toBe("lantern-inn");
  });

  it("answers nonsense politely and never throws", () => {
    const s = new MudScenario(2);
    s.join("alice");
    const say = (line: string) => texts(s.type("alice", line).alice, "info");
    expect(say("go nowhere")).toEqual(['You can\'t go "nowhere" from here.']);
    // `go` alone used to walk through the first exit (every name starts with "").
    expect(say("go")).toEqual(["Go where? Try one of the exits."]);
    expect(s.player("alice").roomId).toBe("village-square");
    expect(say("dance")).toEqual(['Huh? "dance" is not a command. Type help for the list.']);
    // "d" is down's alias, but "dr" could be drop or drink.
    expect(say("dr")).toEqual(['Huh? "dr" is not a command. Type help for the list.']);
    expect(say("trail")).toEqual(['Huh? "trail" is not a command. Type help for the list.']);
    for (const line of [
      "get",
      "get 0.mug",
      "get all.",
      "give",
      "give x",
      "kill",
      "kill dragon",
      "cast",
      "cast fireball",
      "equip",
      "remove nothing",
      "drink",
      "say",
      "emote",
      "help xyzzy",
      "  ",
      "x".repeat(2_000),
      "get 99999999999999999999.mug",
      "go 🐉",
    ]) {
      expect(() => s.type("alice", line)).not.toThrow();
    }
    const seen = s.screens.alice ?? [];
    expect(seen.every((e) => ["room", "info", "help", "say", "emote", "arrive", "depart"].includes(e.type))).toBe(true);
    expect(texts(seen)).toContain("Attack what?");
    expect(texts(seen)).toContain('You don\'t see "dragon" here.');
    expect(texts(seen)).toContain('You don\'t know a spell called "fireball".');
    expect(s.player("alice").roomId).toBe("village-square");
  });

  it("goes through a named exit by prefix; one out of the zone is a departure the zone hands over", () => {
    const s = new MudScenario(3);
    s.join("alice");
    s.join("bob");
    s.type("alice", "s");
    s.type("bob", "s");
    expect(s.player("alice").roomId).toBe("south-gate");
    const screens = s.type("alice", "go tr");
    expect(texts(screens.alice, "info")).toEqual(["You take the way trail…"]);
    expect(texts(screens.bob, "depart")).toEqual(["Alice leaves trail."]);
    expect(s.last?.departures).toEqual([
      { playerId: s.player("alice").id, to: { zoneId: "whispering-woods", place: "woods-edge" } },
    ]);
    // Still here until the zone hands it over; a second way out in the same tick is not taken.
    expect(s.player("alice").roomId).toBe("south-gate");
  });
});

describe("instanced exits", () => {
  it("asks for the party's own copy of the zone through an instanced exit", () => {
    const s = new MudScenario(3);
    s.join("alice");
    s.type("alice", "down");
    expect(s.player("alice").roomId).toBe("well-shaft");
    s.type("alice", "go deeper");
    expect(s.last?.departures).toEqual([
      { playerId: s.player("alice").id, to: { zoneId: "well-depths", place: "sunken-stair", instance: "party" } },
    ]);
  });
});

describe("items on the floor and in hand", () => {
  it("gets the mug from the inn, lists it, gives it to Bob in front of Carol, and Bob drops it", () => {
    const s = inInn();
    const mugId = Object.values(s.world.items).find((i) => i.templateId === "cracked-mug")?.id;
    const got = s.type("alice", "get mug");
    expect(got.alice).toEqual([
      {
        type: "item",
        text: "You pick up a cracked clay mug.",
        payload: { action: "get", item: "a cracked clay mug", itemId: mugId },
      },
    ]);
    expect(texts(got.bob)).toEqual(["Alice picks up a cracked clay mug."]);
    expect(s.last?.critical).toBe(true);
    expect(s.roomItems("lantern-inn")).toEqual(["moonpetal-draught"]);

    expect(s.type("alice", "inventory").alice).toEqual([
      {
        type: "inventory",
        text: "You carry: a cracked clay mug.",
        payload: {
          carried: ["a cracked clay mug"],
          items: [{ id: mugId, name: "a cracked clay mug" }],
          stacks: [{ name: "a cracked clay mug", count: 1 }],
          equipped: [],
        },
      },
    ]);
    expect(texts(s.type("bob", "i").bob)).toEqual(["You carry nothing."]);

    const given = s.type("alice", "give mug bob");
    expect(texts(given.alice)).toEqual(["You give a cracked clay mug to Bob."]);
    expect(given.bob).toEqual([
      {
        type: "item",
        text: "Alice gives you a cracked clay mug.",
        payload: { action: "receive", item: "a cracked clay mug", from: "Alice", itemId: mugId },
      },
    ]);
    expect(texts(given.carol)).toEqual(["Alice gives a cracked clay mug to Bob."]);
    expect(s.inventory("alice")).toEqual([]);
    expect(s.inventory("bob")).toEqual(["cracked-mug"]);
    expect(texts(s.type("alice", "i").alice)).toEqual(["You carry nothing."]);
    expect(texts(s.type("bob", "i").bob)).toEqual(["You carry: a cracked clay mug."]);

    expect(texts(s.type("alice", "give mug bob").alice)).toEqual(["You don't have that."]);
    expect(texts(s.type("bob", "give mug dave").bob)).toEqual(["Dave isn't here."]);
    // To oneself: refused as such, whether or not one holds the item, and nothing moves.
    expect(texts(s.type("bob", "give mug bob").bob)).toEqual(["You can't give things to yourself."]);
    expect(texts(s.type("alice", "give mug alice").alice)).toEqual(["You don't have that."]);
    expect(texts(s.type("bob", "give sword bob").bob)).toEqual(["You don't have that."]);
    expect(texts(s.type("bob", "give all alice").bob)).toEqual(["You can only do that to one thing at a time."]);
    expect(s.last?.critical).toBe(false);
    expect(s.inventory("bob")).toEqual(["cracked-mug"]);

    const dropped = s.type("bob", "drop mug");
    expect(texts(dropped.bob)).toEqual(["You drop a cracked clay mug."]);
    expect(texts(dropped.alice)).toEqual(["Bob drops a cracked clay mug."]);
    expect(texts(dropped.carol)).toEqual(["Bob drops a cracked clay mug."]);
    expect(s.inventory("bob")).toEqual([]);
    expect(s.world.items[mugId as string]?.location).toEqual({ kind: "room", roomId: "lantern-inn" });
  });

  it("takes Object.prototype's names as plain words: no command line a player or a GM types throws", () => {
    const s = new MudScenario();
    s.join("bob");
    s.join("gm", { name: "Greta" });
    s.gms.add("gm");
    const words = [...new Set(s.commands.list().flatMap((c) => [c.name, ...(c.aliases ?? [])]))];
    const names = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
    const thrown: string[] = [];
    for (const who of ["bob", "gm"]) {
      for (const name of names) {
        for (const line of [name, ...words.map((w) => `${w} ${name}`), ...words.map((w) => `${w} ${name} ${name}`)]) {
          try {
            s.type(who, line);
          } catch (error) {
            thrown.push(`${who}: ${line}: ${String(error)}`);
          }
        }
      }
    }
    expect(thrown).toEqual([]);
    // Nothing came of them: no item made of a prototype name, nobody moved out of the rooms of the zone.
    expect(Object.values(s.world.items).every((i) => Object.hasOwn(s.content.items, i.templateId))).toBe(true);
    expect(Object.hasOwn(s.content.rooms, s.player("gm").roomId)).toBe(true);
  });

  it("takes a leading ' as say, with or without a space after it", () => {
    const s = new MudScenario();
    s.join("alice");
    s.join("bob");
    expect(texts(s.type("alice", "'evening, all").bob, "say")).toEqual(['Alice says, "evening, all"']);
    expect(texts(s.type("alice", "' and you").bob, "say")).toEqual(['Alice says, "and you"']);
    expect(texts(s.type("alice", "'").alice, "info")).toEqual(["Say what?"]);
  });

  it("says what is missing when a command lacks its argument", () => {
    const s = inInn();
    const info = (line: string) => texts(s.type("alice", line).alice);
    expect(info("get")).toEqual(["What do you want to get?"]);
    expect(info("drop")).toEqual(["What do you want to drop?"]);
    expect(info("give")).toEqual(["Give what to whom? Try: give <item> <player>."]);
    expect(info("give mug")).toEqual(["Give what to whom? Try: give <item> <player>."]);
    expect(info("equip")).toEqual(["What do you want to equip?"]);
    expect(info("remove")).toEqual(["What do you want to remove?"]);
    expect(info("drink")).toEqual(["What do you want to drink?"]);
    expect(info("get sword")).toEqual(['You don\'t see "sword" here.']);
    expect(info("drop mug")).toEqual(["You aren't carrying that."]);
    expect(s.last?.critical).toBe(false);
  });

  it("tells two things apart by number, takes all of a word, and all of everything", () => {
    // The inn holds a moonpetal draught and a cracked clay mug: "m" starts a word of each.
    const s = inInn();
    expect(texts(s.type("alice", "get 2.m").alice)).toEqual(["You pick up a cracked clay mug."]);
    s.type("alice", "drop mug");
    expect(s.roomItems("lantern-inn")).toEqual(["moonpetal-draught", "cracked-mug"]);
    expect(texts(s.type("alice", "get 3.m").alice)).toEqual(['You see only 2 "m" here, so there is no 3rd.']);
    expect(texts(s.type("alice", "get 1.m").alice)).toEqual(["You pick up a moonpetal draught."]);
    expect(texts(s.type("alice", "drop all").alice)).toEqual(["You drop a moonpetal draught."]);
    expect(texts(s.type("bob", "get all.m").bob)).toEqual([
      "You pick up a moonpetal draught.",
      "You pick up a cracked clay mug.",
    ]);
    expect(s.inventory("bob").sort()).toEqual(["cracked-mug", "moonpetal-draught"]);
    expect(texts(s.type("bob", "get all.m").bob)).toEqual(['You don\'t see any "m" here.']);
    s.type("bob", "drop all");
    expect(s.roomItems("lantern-inn").sort()).toEqual(["cracked-mug", "moonpetal-draught"]);
    // `get all` takes everything in the room (it used to be refused as an empty name).
    const all = s.type("carol", "get all");
    expect(texts(all.carol)).toEqual(["You pick up a moonpetal draught.", "You pick up a cracked clay mug."]);
    expect(texts(all.alice)).toEqual(["Carol picks up a moonpetal draught.", "Carol picks up a cracked clay mug."]);
    expect(s.roomItems("lantern-inn")).toEqual([]);
    expect(texts(s.type("carol", "get all").carol)).toEqual(["There is nothing here."]);
  });
});

describe("equipment", () => {
  it("wearing the loft's quilted jerkin raises defense by 2, and removing it lowers it back", () => {
    const s = new MudScenario(4);
    s.join("alice");
    s.type("alice", "east");
    s.type("alice", "up");
    expect(s.player("alice").roomId).toBe("inn-loft");
    expect(texts(s.type("alice", "wear jerkin").alice)).toEqual(["You aren't carrying that."]);
    s.type("alice", "get jerkin");

    const worn = s.type("alice", "wear jerkin").alice;
    expect(texts(worn, "item")).toEqual(["You equip a quilted jerkin."]);
    expect(ofType(worn, "stat_update")).toEqual([{ type: "stat_update", text: "", payload: { defense: 2 } }]);
    expect(only(ofType(s.type("alice", "stats").alice, "stats")).payload).toMatchObject({ defense: 2 });
    const jerkinId = Object.values(s.world.items).find((i) => i.templateId === "quilted-jerkin")?.id;
    expect(s.type("alice", "i").alice?.[0]?.payload).toEqual({
      carried: [],
      items: [],
      stacks: [],
      equipped: [{ slot: "body", name: "a quilted jerkin", itemId: jerkinId }],
    });
    expect(texts(s.type("alice", "wear jerkin").alice)).toEqual(["You aren't carrying that."]);
    expect(texts(s.type("alice", "drop jerkin").alice)).toEqual(["You aren't carrying that."]);

    const removed = s.type("alice", "remove jerkin").alice;
    expect(texts(removed, "item")).toEqual(["You remove a quilted jerkin."]);
    expect(ofType(removed, "stat_update")).toEqual([{ type: "stat_update", text: "", payload: { defense: 0 } }]);
    expect(s.inventory("alice")).toEqual(["quilted-jerkin"]);
    expect(texts(s.type("alice", "remove jerkin").alice)).toEqual(["You aren't using that."]);
    // A satchel is not something to wear.
    s.type("alice", "get satchel");
    expect(texts(s.type("alice", "wear satchel").alice)).toEqual(["You can't wear or wield the traveller's satchel."]);
    expect(s.type("alice", "wear satchel").alice?.some((e) => e.type === "stat_update")).toBe(false);
  });
});

describe("the Mage's spells", () => {
  /** A mage at the bottom of the well, where two rats attack on sight. */
  function mageInWell(seed: number) {
    const s = new MudScenario(seed);
    s.join("merlin", { classId: "mage" });
    s.type("merlin", "down");
    s.clear();
    return s;
  }
  const rats = (s: MudScenario) =>
    Object.values(s.world.npcs).filter((n) => n.templateId === "well-rat" && n.respawnAtTick === null);

  it("Magic Missile costs 8 mana (the rulebook's, as in a field) and strikes the named rat", () => {
    const s = mageInWell(11);
    const mp = s.player("merlin").mp;
    expect(mp).toBe(10 + 14 * 4);
    const cast = s.type("merlin", "cast missile rat").merlin;
    expect(ofType(cast, "stat_update")[0]?.payload).toMatchObject({ mp: mp - 8 });
    expect(s.player("merlin").mp).toBe(mp - 8);
    const line = only(ofType(cast, "combat").filter((e) => e.payload?.skill === "magic-missile"));
    const [first] = rats(s);
    // Casting at a rat also engages it: the first melee swing follows in the same tick.
    const melee = ofType(cast, "combat").filter((e) => e.payload?.attacker === "Merlin");
    expect(melee).toHaveLength(1);
    const meleeDamage = (melee[0]?.payload?.damage as number | undefined) ?? 0;
    // With this seed the missile hits: 3–7 plus half of int 14.
    expect(line.payload).toMatchObject({ skill: "magic-missile", hit: true });
    const damage = line.payload?.damage as number;
    expect(damage).toBeGreaterThanOrEqual(10);
    expect(damage).toBeLessThanOrEqual(28);
    expect(line.text).toBe(`Your missile strikes a bloated well rat for ${damage}.`);
    expect(first?.hp).toBe(45 - damage - meleeDamage);
    expect(rats(s)[1]?.hp).toBe(45);
    expect(s.player("merlin").targetId).toBe(first?.id);
  });

  it("Arcane Nova costs 25 mana and strikes every creature in the room", () => {
    const s = mageInWell(5);
    s.player("merlin").attributes.dex = 60; // a 95% chance per rat, so this seed hits both
    const mp = s.player("merlin").mp;
    const seen = s.type("merlin", "cast nova");
    expect(texts(seen.merlin, "combat")[0]).toBe("Merlin erupts in a ring of arcane force!");
    const hits = ofType(seen.merlin, "combat").filter((e) => e.text.startsWith("The nova hits"));
    expect(hits).toHaveLength(2);
    const damage = hits.map((e) => e.payload?.damage as number);
    expect(rats(s).map((r) => r.hp)).toEqual(damage.map((d) => 45 - d));
    expect(s.player("merlin").mp).toBe(mp - 25);
    expect(ofType(seen.merlin, "stat_update")[0]?.payload).toMatchObject({ mp: mp - 25 });
  });

  it("Heal puts a Heal hot on the caster for 20 mana", () => {
    const s = mageInWell(3);
    const seen = s.type("merlin", "cast heal").merlin;
    expect(ofType(seen, "effect_start")).toEqual([
      { type: "effect_start", text: "Warm light wraps you.", payload: { skill: "heal", target: "Merlin" } },
    ]);
    expect(s.player("merlin").effects).toMatchObject([
      { name: "Heal", kind: "hot", source: "merlin", magnitude: 6, interval_ticks: 10 },
    ]);
    expect(s.player("merlin").mp).toBe(66 - 20);
  });

  it("Heal on another player in the room tells both", () => {
    const s = new MudScenario(3);
    s.join("merlin", { classId: "mage" });
    s.join("bob");
    const seen = s.type("merlin", "cast heal bob");
    expect(texts(seen.merlin)).toContain("Warm light wraps Bob.");
    expect(texts(seen.bob)).toEqual(["Merlin's warm light wraps you."]);
    expect(s.player("bob").effects.map((e) => e.name)).toEqual(["Heal"]);
    expect(s.player("merlin").effects).toEqual([]);
  });

  it("refuses a warrior, and a mage without the mana, without spending any", () => {
    const s = mageInWell(2);
    s.join("bob", { roomId: "well-shaft" });
    for (const spell of ["missile rat", "nova", "heal"]) {
      const word = spell.split(" ")[0];
      expect(texts(s.type("bob", `cast ${spell}`).bob, "info")).toEqual([`You don't know a spell called "${word}".`]);
    }
    // A warrior's one skill is Cleave (shared/rules/skills.ts).
    expect(texts(s.type("bob", "cast").bob)).toEqual([
      "Cast what?\nCleave (6 mp): A sweeping blow that bites into every enemy in front of you.",
    ]);
    expect(s.player("bob").mp).toBe(30);

    s.player("merlin").mp = 3;
    const refused = s.type("merlin", "cast missile rat").merlin;
    expect(texts(refused, "info")).toEqual(["You need 8 mana for Magic Missile; you have 3."]);
    expect(ofType(refused, "stat_update")).toEqual([]);
    expect(rats(s).map((r) => r.hp)).toEqual([45, 45]);
    s.player("merlin").mp = 11;
    expect(texts(s.type("merlin", "cast nova").merlin, "info")).toEqual([
      "You need 25 mana for Arcane Nova; you have 11.",
    ]);
    expect(s.player("merlin").mp).toBe(11);
    // A spell with nothing to hit costs nothing either (with mana enough to cast it).
    s.type("merlin", "up");
    s.run(5);
    s.player("merlin").mp = 66;
    const mp = s.player("merlin").mp;
    s.world.npcs = Object.fromEntries(Object.entries(s.world.npcs).filter(([, n]) => n.roomId !== "village-square"));
    expect(texts(s.type("merlin", "cast nova").merlin, "info")).toEqual(["There is nothing here to strike."]);
    expect(texts(s.type("merlin", "cast missile").merlin, "info")).toEqual(["Cast it at whom?"]);
    expect(s.player("merlin").mp).toBe(mp);
  });
});

describe("the locked tower door", () => {
  it("refuses north without the brass key and opens with the key fetched from the well", () => {
    const s = new MudScenario(9);
    s.join("alice");
    s.type("alice", "north");
    expect(s.player("alice").roomId).toBe("tower-steps");
    expect(texts(s.type("alice", "north").alice)).toEqual(["The way north is locked. Perhaps a key lies somewhere."]);
    expect(s.player("alice").roomId).toBe("tower-steps");

    s.type("alice", "south");
    s.type("alice", "down");
    expect(texts(s.type("alice", "get key").alice, "item")).toEqual(["You pick up a tarnished brass key."]);
    s.type("alice", "up");
    s.type("alice", "north");
    const opened = s.type("alice", "north").alice;
    expect(texts(opened, "info")).toEqual(["You unlock the way north with a tarnished brass key."]);
    expect(only(ofType(opened, "room")).payload).toMatchObject({
      id: "tower-study",
      items: ["an apprentice's ashwood staff"],
    });
    expect(s.player("alice").roomId).toBe("tower-study");
    // The door only locks one side: the way back needs nothing.
    s.type("alice", "drop key");
    s.type("alice", "south");
    expect(s.player("alice").roomId).toBe("tower-steps");
  });

  it("lets nobody through on a key someone else carries", () => {
    const s = new MudScenario(9);
    s.join("alice", { roomId: "tower-steps" });
    s.join("bob", { roomId: "tower-steps" });
    const key = Object.values(s.world.items).find((i) => i.templateId === "brass-tower-key");
    if (!key) throw new Error("no key in the content");
    key.location = { kind: "inventory", ownerId: "alice" };
    expect(texts(s.type("bob", "north").bob)).toEqual(["The way north is locked. Perhaps a key lies somewhere."]);
    s.type("alice", "north");
    expect(s.player("alice").roomId).toBe("tower-study");
    expect(s.player("bob").roomId).toBe("tower-steps");
  });
});

describe("resting", () => {
  it("refuses during a fight and doubles regeneration otherwise", () => {
    const s = new MudScenario(6);
    s.join("alice");
    s.join("bob");
    s.type("alice", "down");
    expect(texts(s.type("alice", "rest").alice, "info")).toEqual(["You can't rest while fighting!"]);
    expect(s.player("alice").resting).toBe(false);
    s.type("alice", "up");
    s.run(1);

    s.player("alice").hp = 10;
    s.player("bob").hp = 10;
    // Start on a tick just before a multiple of 10, so both get whole regeneration periods.
    while ((s.tick + 1) % 10 !== 0) s.run(1);
    const rested = s.type("alice", "rest");
    expect(texts(rested.alice, "info")).toEqual(["You sit down and rest."]);
    expect(rested.bob).toContainEqual({ type: "emote", text: "Alice sits down to rest." });
    expect(s.player("alice").resting).toBe(true);
    const start = { alice: s.player("alice").hp, bob: s.player("bob").hp };
    s.run(20);
    // vit 12: 2 hp per pulse; resting pulses every 5 ticks instead of 10.
    expect(s.player("alice").hp - start.alice).toBe(8);
    expect(s.player("bob").hp - start.bob).toBe(4);
    // Any other command gets her up.
    s.type("alice", "look");
    expect(s.player("alice").resting).toBe(false);
  });
});
