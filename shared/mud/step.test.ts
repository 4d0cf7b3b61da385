/**
 * Scenario tests of the pure tick (`stepWorld`, `joinPlayer`, `leavePlayer`) on the real Arcane
 * Realms content: races for one item, fights with loot and respawns, death, effects, replay
 * determinism and item conservation under thousands of random commands.
 */
import { describe, expect, it } from "vitest";
import { stateHash } from "../sim/hash";
import { createRng, type Rng } from "../sim/rng";
import type { MudEvent } from "./events";
import { stepWorld } from "./step";
import { type Lines, MudScenario, ofType, texts } from "./testing";
import type { MudWorld, ZoneContent } from "./world";

const RAT_MAX_HP = 45; // vit 5: 20 + 5·5
const RAT_RESPAWN = 600;

const rats = (world: MudWorld) => Object.values(world.npcs).filter((n) => n.templateId === "well-rat");
const itemIdOf = (world: MudWorld, templateId: string) =>
  Object.values(world.items).find((i) => i.templateId === templateId)?.id as string;
const hasType = (events: MudEvent[] | undefined, type: string) => (events ?? []).some((e) => e.type === type);

describe("two players reaching for one item in the same tick", () => {
  for (const [first, second] of [
    ["alice", "bob"],
    ["bob", "alice"],
  ] as const) {
    it(`serves ${first}, who asked first, and tells ${second} it is gone`, () => {
      const s = new MudScenario(1);
      s.join("alice", { roomId: "lantern-inn" });
      s.join("bob", { roomId: "lantern-inn" });
      const mug = itemIdOf(s.world, "cracked-mug");
      s.run(1);
      expect(s.last?.critical).toBe(false);

      const seen = s.step([
        [first, "get mug"],
        [second, "get mug"],
      ]);
      expect(s.last?.critical).toBe(true);
      expect(texts(seen[first])).toEqual(["You pick up a cracked clay mug."]);
      expect(texts(seen[second])).toEqual([
        `${first === "alice" ? "Alice" : "Bob"} picks up a cracked clay mug.`,
        'You don\'t see "mug" here.',
      ]);
      expect(ofType(seen[second], "info")).toHaveLength(1);
      const mugs = Object.entries(s.world.items).filter(([, i]) => i.templateId === "cracked-mug");
      expect(mugs).toEqual([
        [mug, { id: mug, templateId: "cracked-mug", location: { kind: "inventory", ownerId: first } }],
      ]);
      expect(s.inventory(second)).toEqual([]);
    });
  }

  it("lets both have something when they ask for different things, and `get all` takes only what is left", () => {
    const s = new MudScenario(1);
    s.join("alice", { roomId: "lantern-inn" });
    s.join("bob", { roomId: "lantern-inn" });
    const seen = s.step([
      ["alice", "get draught"],
      ["bob", "get all"],
    ]);
    expect(texts(seen.alice, "item")).toEqual(["You pick up a moonpetal draught.", "Bob picks up a cracked clay mug."]);
    expect(s.inventory("alice")).toEqual(["moonpetal-draught"]);
    expect(s.inventory("bob")).toEqual(["cracked-mug"]);
  });
});

/** Alice, a sturdy warrior, goes down the well and fights the first rat until it dies. */
function killOneRat(seed: number) {
  const s = new MudScenario(seed);
  s.join("alice", { level: 8 });
  const arrived = s.type("alice", "down").alice;
  expect(texts(arrived, "combat")).toEqual(["A bloated well rat attacks Alice!", "A bloated well rat attacks Alice!"]);
  expect(rats(s.world).every((r) => r.targetId === "alice")).toBe(true);
  const started = s.type("alice", "kill rat").alice;
  expect(texts(started)[0]).toBe("You attack a bloated well rat!");
  const rat = rats(s.world)[0];
  if (!rat) throw new Error("no rat");
  let deathTick = 0;
  let deathTickEvents: MudEvent[] = [];
  let deathOut = s.last?.out ?? [];
  const fight = s.until((screens) => {
    if (!hasType(screens.alice, "death")) return false;
    deathTick = s.tick;
    deathTickEvents = screens.alice ?? [];
    deathOut = s.last?.out ?? [];
    return true;
  }, 1_000);
  return { s, rat, deathTick, deathTickEvents, deathOut, fight };
}

describe("a fight at the bottom of the well", () => {
  it("kills the rat: death line, xp, loot as rolled, a critical tick, and a respawn at home", () => {
    const { s, rat, deathTick, deathTickEvents, fight } = killOneRat(1);
    expect(s.player("alice").hp).toBeGreaterThan(0);
    expect(ofType(deathTickEvents, "death")).toEqual([
      { type: "death", text: "A bloated well rat dies.", payload: { npc: "a bloated well rat", killer: "Alice" } },
    ]);
    // Every blow on the way is on Alice's screen, and they add up to the rat's health.
    const blows = ofType(fight.alice, "combat").filter((e) => e.payload?.attacker === "Alice" && e.payload.hit);
    expect(blows.reduce((sum, e) => sum + (e.payload?.damage as number), 0)).toBeGreaterThanOrEqual(RAT_MAX_HP);
    expect(blows.at(-1)?.payload?.targetHp).toBe(0);
    // The rats' swings read as the content writes the verb: "bites at", not "bites at at".
    const bites = texts(fight.alice, "combat").filter((t) => t.startsWith("A bloated well rat bites"));
    expect(bites.length).toBeGreaterThan(0);
    for (const line of bites) expect(line).toMatch(/^A bloated well rat bites at you (and misses|and hits for \d+)\.$/);

    expect(ofType(deathTickEvents, "info")).toContainEqual({
      type: "info",
      text: "You gain 8 experience.",
      payload: { xp: 8 },
    });
    expect(ofType(deathTickEvents, "stat_update")[0]?.payload).toMatchObject({ xp: 8 });
    expect(s.player("alice").xp).toBe(8);
    expect(s.last?.critical).toBe(true);

    const dead = s.world.npcs[rat.id];
    expect(dead?.respawnAtTick).toBe(deathTick + RAT_RESPAWN);
    expect(dead?.targetId).toBeNull();
    expect(s.player("alice").targetId).toBeNull();

    // Alice climbs out; the other rat stays behind.
    s.type("alice", "up");
    expect(s.player("alice").roomId).toBe("village-square");
    s.run(deathTick + RAT_RESPAWN - 1 - s.tick);
    expect(s.world.npcs[rat.id]?.respawnAtTick).toBe(deathTick + RAT_RESPAWN);
    s.run(1);
    expect(s.tick).toBe(deathTick + RAT_RESPAWN);
    expect(s.world.npcs[rat.id]).toMatchObject({
      roomId: "well-shaft",
      hp: RAT_MAX_HP,
      respawnAtTick: null,
      targetId: null,
      effects: [],
    });
    expect(s.last?.out).toContainEqual({
      audience: { room: "well-shaft", except: [] },
      event: { type: "arrive", text: "A bloated well rat appears." },
    });
  });

  it("drops exactly what the loot events say, over many fights, sometimes something and sometimes nothing", () => {
    const names: Record<string, string> = { "a bald rat tail": "rat-tail", "a moonpetal draught": "moonpetal-draught" };
    let withLoot = 0;
    let without = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { s, deathTickEvents, deathOut } = killOneRat(seed);
      const loot = ofType(deathTickEvents, "loot");
      const dropped = loot.flatMap((e) =>
        ((e.payload?.items ?? []) as string[]).map((n) => names[n] ?? `unknown ${n}`),
      );
      expect(s.roomItems("well-shaft").sort()).toEqual(["brass-tower-key", ...dropped].sort());
      // The rat's table rolls once: at most one thing, and the text says what.
      expect(dropped.length).toBeLessThanOrEqual(1);
      if (dropped.length) {
        withLoot++;
        expect(loot[0]?.text).toBe(`A bloated well rat drops ${loot[0]?.payload?.items}.`);
        expect(deathOut.some((o) => o.event.type === "loot" && "room" in o.audience)).toBe(true);
        // Anyone there may pick it up.
        const word = dropped[0] === "rat-tail" ? "tail" : "draught";
        expect(texts(s.type("alice", `get ${word}`).alice, "item")).toEqual([
          `You pick up ${loot[0]?.payload?.items}.`,
        ]);
      } else without++;
    }
    expect(withLoot).toBeGreaterThan(0);
    expect(without).toBeGreaterThan(0);
  });
});

describe("levelling up", () => {
  it("the kill that crosses 100 xp brings level 2, full pools and a line for the room", () => {
    const s = new MudScenario(8);
    const attributes = { str: 14, dex: 9, int: 5, vit: 30 };
    s.join("alice", { roomId: "well-shaft", attributes });
    s.join("bob", { roomId: "well-shaft" });
    s.player("alice").xp = 95;
    s.type("alice", "kill rat");
    const seen = s.until((screens) => hasType(screens.alice, "level_up"), 1_000);
    expect(ofType(seen.alice, "level_up")).toEqual([
      { type: "level_up", text: "You reach level 2!", payload: { level: 2 } },
    ]);
    expect(ofType(seen.bob, "level_up")).toEqual([
      { type: "level_up", text: "Alice reaches level 2!", payload: { level: 2 } },
    ]);
    // Level 2 with vit 30 and int 5: 20 + 150 + 8 hp, 10 + 20 + 5 mp, both refilled.
    expect(s.player("alice")).toMatchObject({ level: 2, xp: 103, hp: 178, mp: 35 });
    expect(ofType(seen.alice, "stat_update").at(-1)?.payload).toMatchObject({
      level: 2,
      xp: 103,
      hp: 178,
      max_hp: 178,
      mp: 35,
      max_mp: 35,
    });
    expect(s.last?.critical).toBe(true);
    expect(s.last?.changedPlayers).toContain("alice");
  });
});

describe("a player's death", () => {
  it("dies at 0 hp, wakes in the bind room at half health with no effects and no fight", () => {
    const s = new MudScenario(4);
    s.join("alice", { roomId: "lantern-inn" });
    s.join("bob", { roomId: "well-shaft" });
    s.join("carol");
    s.type("alice", "get draught");
    s.type("alice", "west");
    s.type("alice", "down");
    s.type("alice", "drink draught");
    s.type("alice", "kill rat");
    expect(s.player("alice").effects.map((e) => e.name)).toEqual(["Moonpetal warmth"]);
    expect(s.player("alice").targetId).not.toBeNull();
    // Point both rats at Alice, then leave her one hit point.
    for (const rat of rats(s.world)) rat.targetId = "alice";
    s.player("alice").hp = 1;
    s.clear();

    const seen = s.until((screens) => hasType(screens.alice, "death"), 200);
    const ticked = s.last;
    expect(ofType(seen.alice, "death")).toEqual([
      { type: "death", text: "You die...", payload: { bindRoom: "village-square" } },
    ]);
    expect(ofType(seen.alice, "respawn")).toEqual([
      { type: "respawn", text: "You wake in Lanternmere Square, weak but alive.", payload: { room: "village-square" } },
    ]);
    expect(ofType(seen.bob, "death")).toEqual([{ type: "death", text: "Alice dies.", payload: { name: "Alice" } }]);
    expect(texts(seen.carol, "arrive")).toContain("Alice appears, pale and shaking.");
    expect(texts(seen.bob, "combat")).toContain("A bloated well rat bites at Alice.");
    const alice = s.player("alice");
    expect(alice.roomId).toBe("village-square");
    expect(alice.hp).toBe(Math.floor(80 / 2));
    expect(alice.effects).toEqual([]);
    expect(alice.targetId).toBeNull();
    expect(alice.resting).toBe(false);
    expect(Object.values(s.world.npcs).some((n) => n.targetId === "alice")).toBe(false);
    expect(ticked?.critical).toBe(true);
    expect(ticked?.changedPlayers).toContain("alice");
    expect(ofType(seen.alice, "stat_update").at(-1)?.payload).toMatchObject({ hp: 40 });
    // The rats go on with Bob; Alice is left in peace.
    const after = s.run(50);
    expect(hasType(after.alice, "combat")).toBe(false);
    expect(s.player("alice").hp).toBeGreaterThan(40);
  });
});

describe("timed effects", () => {
  it("the moonpetal draught heals 4 hp every 10 ticks for 100 ticks, then wears off", () => {
    const s = new MudScenario(2);
    s.join("alice", { roomId: "lantern-inn" });
    s.join("bob", { roomId: "lantern-inn" });
    s.type("alice", "get draught");
    s.player("alice").hp = 10;
    const drunk = s.type("alice", "drink draught");
    const drinkTick = s.tick;
    expect(ofType(drunk.alice, "effect_start")).toEqual([
      {
        type: "effect_start",
        text: "You drink a moonpetal draught. Moonpetal warmth takes hold.",
        payload: { name: "Moonpetal warmth", kind: "hot", duration_ticks: 100 },
      },
    ]);
    expect(texts(drunk.bob)).toEqual(["Alice drinks a moonpetal draught."]);
    expect(s.inventory("alice")).toEqual([]);
    expect(Object.values(s.world.items).some((i) => i.templateId === "moonpetal-draught")).toBe(false);
    expect(s.last?.critical).toBe(true);

    const listed = s.type("alice", "effects").alice;
    expect(listed).toEqual([
      {
        type: "effects",
        text: "Moonpetal warmth (hot), 100 ticks left",
        payload: { effects: [{ name: "Moonpetal warmth", kind: "hot", remaining_ticks: 100 }] },
      },
    ]);

    const pulses: number[] = [];
    let endedAt = 0;
    while (s.tick < drinkTick + 110) {
      const before = s.player("alice").hp;
      const seen = s.step().alice ?? [];
      for (const e of ofType(seen, "hp_change")) {
        pulses.push(s.tick);
        expect(e).toEqual({
          type: "hp_change",
          text: "Moonpetal warmth restores 4 hp.",
          payload: { amount: 4, hp: before + 4, effect: "Moonpetal warmth" },
        });
      }
      for (const e of ofType(seen, "effect_end")) {
        expect(e).toEqual({
          type: "effect_end",
          text: "Moonpetal warmth wears off.",
          payload: { name: "Moonpetal warmth" },
        });
        endedAt = s.tick;
      }
      if (s.tick === drinkTick + 50) {
        expect(texts(s.type("alice", "status").alice)[0]).toMatch(/^Moonpetal warmth \(hot\), \d+ ticks left$/);
      }
      // Bob sees none of Alice's healing.
      expect(s.screens.bob?.filter((e) => e.type === "hp_change")).toEqual([]);
    }
    expect(pulses).toEqual(Array.from({ length: 10 }, (_, i) => drinkTick + 10 * (i + 1)));
    expect(endedAt).toBe(drinkTick + 100);
    expect(s.player("alice").effects).toEqual([]);
    expect(texts(s.type("alice", "effects").alice)).toEqual(["No effects are on you."]);
  });

  it("a hot heals nothing and says nothing at full health", () => {
    const s = new MudScenario(2);
    s.join("alice", { roomId: "lantern-inn" });
    s.type("alice", "get draught");
    s.type("alice", "drink draught");
    const seen = s.run(100);
    expect(ofType(seen.alice, "hp_change")).toEqual([]);
    expect(texts(seen.alice, "effect_end")).toEqual(["Moonpetal warmth wears off."]);
  });
});

describe("players leaving and coming back", () => {
  it("a player who leaves mid-fight keeps items and place, and the rats lose interest", () => {
    const s = new MudScenario(3);
    s.join("alice");
    s.join("bob");
    s.type("alice", "down");
    s.type("alice", "get key");
    s.type("alice", "kill rat");
    const left = s.leave("alice");
    expect(left.alice).toBeUndefined();
    expect(rats(s.world).some((r) => r.targetId === "alice")).toBe(false);
    const hp = s.player("alice").hp;
    s.run(100);
    expect(s.player("alice").hp).toBe(hp);
    expect(s.world.items[itemIdOf(s.world, "brass-tower-key")]?.location).toEqual({
      kind: "inventory",
      ownerId: "alice",
    });
    // Commands from an offline player are ignored.
    s.type("alice", "up");
    expect(s.player("alice").roomId).toBe("well-shaft");
    const back = s.join("alice", { hp: 999 });
    expect(back[0]?.payload).toMatchObject({ id: "well-shaft" });
    expect(s.player("alice").hp).toBe(hp);
    expect(s.inventory("alice")).toEqual(["brass-tower-key"]);
  });
});

describe("guests leaving", () => {
  it("a guest who leaves is gone from the world, and what it carried or wore lies where it stood", () => {
    const s = new MudScenario(4);
    s.join("watcher", { roomId: "smithy" });
    s.join("gus", { guest: true });
    s.type("gus", "west");
    s.type("gus", "get sword");
    s.type("gus", "wield sword");
    s.type("gus", "east");
    s.type("gus", "down");
    s.type("gus", "get key");
    s.type("gus", "up");
    s.type("gus", "west");
    const sword = itemIdOf(s.world, "rusted-shortsword");
    const key = itemIdOf(s.world, "brass-tower-key");
    expect(s.world.items[sword]?.location).toEqual({ kind: "equipped", ownerId: "gus", slot: "weapon" });
    expect(s.world.items[key]?.location).toEqual({ kind: "inventory", ownerId: "gus" });
    const itemsBefore = Object.keys(s.world.items).sort();

    const seen = s.leave("gus");
    expect(s.world.players.gus).toBeUndefined();
    expect(s.last?.critical).toBe(true);
    expect(s.world.items[sword]?.location).toEqual({ kind: "room", roomId: "smithy" });
    expect(s.world.items[key]?.location).toEqual({ kind: "room", roomId: "smithy" });
    expect(Object.keys(s.world.items).sort()).toEqual(itemsBefore);
    expect(texts(seen.watcher)).toEqual([
      "Gus drops a rusted shortsword.",
      "Gus drops a tarnished brass key.",
      "Gus leaves the realm.",
    ]);
    checkItems(s.world, s.content);
    // What it left is anyone's to take.
    expect(texts(s.type("watcher", "get all").watcher, "item")).toEqual([
      "You pick up a rusted shortsword.",
      "You pick up a tarnished brass key.",
    ]);
  });

  it("a guest leaving empty-handed moves nothing: the tick need not be saved first", () => {
    const s = new MudScenario(4);
    s.join("gus", { guest: true });
    const items = s.world.items;
    s.leave("gus");
    expect(s.world.players).toEqual({});
    expect(s.last?.critical).toBe(false);
    expect(s.world.items).toEqual(items);
  });

  it("a guest whose socket died with the zone leaves like any other (the zone calls leavePlayer on load)", () => {
    const s = new MudScenario(4);
    s.join("gus", { guest: true });
    s.type("gus", "east");
    s.type("gus", "get mug");
    // The world as it was saved before the crash, read back from JSON.
    s.world = JSON.parse(JSON.stringify(s.world)) as MudWorld;
    s.leave("gus");
    expect(s.world.players.gus).toBeUndefined();
    expect(s.world.items[itemIdOf(s.world, "cracked-mug")]?.location).toEqual({ kind: "room", roomId: "lantern-inn" });
  });

  it("many guests joining and leaving keep the world's players and serialized size bounded; characters stay", () => {
    const s = new MudScenario(8);
    s.join("hero");
    s.leave("hero");
    const hero = s.player("hero");
    const items = structuredClone(s.world.items);
    const sizes: number[] = [];
    let guestRecord = 0;
    for (let i = 0; i < 1_000; i++) {
      const id = `guest-${i}`;
      s.join(id, { guest: true });
      guestRecord = Math.max(guestRecord, JSON.stringify(s.player(id)).length);
      // Each one takes the inn's mug and draught and leaves with them.
      s.type(id, "east");
      s.type(id, "get all");
      expect(s.inventory(id).sort()).toEqual(["cracked-mug", "moonpetal-draught"]);
      s.leave(id);
      if (i % 100 === 99) sizes.push(JSON.stringify(s.world).length);
    }
    // Only the character is left, offline and as it was; every item is back where it lay.
    expect(Object.keys(s.world.players)).toEqual(["hero"]);
    expect(s.player("hero")).toEqual(hero);
    expect(s.world.items).toEqual(items);
    checkItems(s.world, s.content);
    // What still changes (the tick, where the lamplighter wandered) is less than one guest's record;
    // a world that kept its guests would grow by a hundred records between two samples.
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(guestRecord);
  });
});

describe("long lines", () => {
  // The protocol counts a line's length in code points (docs/protocol.md, Frames); 🐉 is one, though
  // two UTF-16 code units.
  it("a say as long as the protocol allows is said whole, and an emote is cut at 300 characters, never inside one", () => {
    const s = new MudScenario(6);
    s.join("ann");
    s.join("bob");
    const words = "🐉".repeat(496);
    expect(texts(s.type("ann", `say ${words}`).bob, "say")).toEqual([`Ann says, "${words}"`]);
    expect(texts(s.type("ann", `emote ${"🐉".repeat(400)}`).bob, "emote")).toEqual([`Ann ${"🐉".repeat(300)}`]);
  });
});

/** A fight-heavy script of commands: three players wander, fight rats, Hadda and Bren, and trade. */
function fightScript(tick: number): Lines {
  const plan: Record<number, Lines> = {
    1: [
      ["ann", "down"],
      ["ben", "west"],
      ["cat", "east"],
    ],
    2: [
      ["ann", "kill rat"],
      ["ben", "get sword"],
      ["cat", "get all"],
    ],
    3: [
      ["ben", "wield sword"],
      ["cat", "up"],
    ],
    4: [
      ["ben", "kill hadda"],
      ["cat", "get jerkin"],
    ],
    5: [["cat", "wear jerkin"]],
    6: [
      ["cat", "down"],
      ["ann", "kill 2.rat"],
    ],
    7: [["cat", "west"]],
    8: [["cat", "down"]],
    9: [["cat", "kill rat"]],
  };
  const fixed = plan[tick];
  if (fixed) return fixed;
  if (tick % 40 === 0) return [["ann", "kill rat"]];
  if (tick % 40 === 20) return [["cat", "kill rat"]];
  if (tick % 97 === 0) return [["ben", "kill hadda"]];
  return [];
}

function replay(seed: number, ticks: number): string[] {
  const s = new MudScenario(seed);
  for (const id of ["ann", "ben", "cat"]) s.join(id, { level: 6 });
  const hashes: string[] = [];
  for (let i = 0; i < ticks; i++) {
    s.step(fightScript(s.tick + 1));
    hashes.push(stateHash(s.world));
  }
  return hashes;
}

describe("determinism", () => {
  it("the same seed and script give the same world after 500 ticks", () => {
    const a = replay(42, 500);
    const b = replay(42, 500);
    expect(a.at(-1)).toBe(b.at(-1));
    expect(a).toEqual(b);
  });

  it("a different seed makes the fights turn out differently", () => {
    const a = replay(42, 500);
    const b = replay(43, 500);
    const firstDifference = a.findIndex((h, i) => h !== b[i]);
    expect(firstDifference).toBeGreaterThanOrEqual(0);
    expect(a.at(-1)).not.toBe(b.at(-1));
  });

  it("stepWorld leaves its input world untouched", () => {
    const s = new MudScenario(5);
    s.join("ann", { roomId: "well-shaft" });
    for (let i = 0; i < 30; i++) {
      const before = s.world;
      const hash = stateHash(before);
      const result = stepWorld(before, [{ playerId: "ann", line: i === 0 ? "kill rat" : "get key" }], {
        tick: s.tick + 1,
        rng: s.rng,
        content: s.content,
        commands: s.commands,
      });
      expect(stateHash(before)).toBe(hash);
      expect(result.world).not.toBe(before);
      s.world = result.world;
      s.tick += 1;
    }
  });
});

/** Freezes `value` and everything in it, so that any later write to it throws (modules run in strict mode). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe("the parts of the world a step shares with the one before", () => {
  it("stepWorld, joinPlayer and leavePlayer never write to the world they are given, shared parts included", () => {
    const s = new MudScenario(11);
    const script = createRng(12);
    const ids = ["ann", "ben", "cat", "dan"];
    for (const id of ids) s.join(id, { guest: id === "dan" });
    const items = { shared: 0 };
    for (let i = 0; i < 1_500; i++) {
      // A frozen input: a rule that wrote to an offline player or an item it shares would throw here.
      const before = deepFreeze(s.world);
      if (script.next() < 0.02) {
        const who = ids[script.int(0, 3)] as string;
        if (s.world.players[who]?.online) s.leave(who);
        else s.join(who, { guest: who === "dan" });
      }
      const lines: [string, string][] = [];
      for (const id of ids)
        if (s.world.players[id]?.online && script.next() < 0.2) lines.push([id, randomLine(script, s, id)]);
      s.step(lines);
      checkItems(s.world, s.content);
      for (const [id, player] of Object.entries(s.world.players)) {
        // Offline players are shared as they were; online ones are the step's own copies.
        if (player.online) expect(player).not.toBe(before.players[id]);
        else if (before.players[id] && !before.players[id]?.online) expect(player).toBe(before.players[id]);
      }
      for (const [id, item] of Object.entries(s.world.items)) if (item === before.items[id]) items.shared++;
    }
    expect(items.shared).toBeGreaterThan(0);
  }, 30_000);
});

/** Every item in one valid place: the room exists, the owner exists, the container exists. */
function checkItems(world: MudWorld, content: ZoneContent): void {
  const slots = new Set<string>();
  for (const [id, item] of Object.entries(world.items)) {
    expect(item.id).toBe(id);
    const template = content.items[item.templateId];
    expect(template, `template of ${id}`).toBeDefined();
    const at = item.location;
    switch (at.kind) {
      case "room":
        expect(content.rooms[at.roomId], `room of ${id}`).toBeDefined();
        break;
      case "inventory":
        expect(world.players[at.ownerId], `owner of ${id}`).toBeDefined();
        break;
      case "equipped": {
        expect(world.players[at.ownerId], `owner of ${id}`).toBeDefined();
        expect(at.slot).toBe(template?.slot);
        const key = `${at.ownerId}/${at.slot}`;
        expect(slots.has(key), `two items in ${key}`).toBe(false);
        slots.add(key);
        break;
      }
      case "container":
        expect(content.items[world.items[at.containerId]?.templateId ?? ""]?.type, `container of ${id}`).toBe(
          "container",
        );
        break;
      default:
        throw new Error(`item ${id} has no valid location: ${JSON.stringify(at)}`);
    }
  }
}

const NAMES = ["ann", "ben", "cat", "nobody"];
const NONSENSE = ["sword", "mug", "2.m", "all", "all.x", "3.key", "dragon"];

/**
 * A random command for `playerId`, usually aimed at something really there (an item in the room,
 * in the pack or worn, a creature, an exit), sometimes at nonsense.
 */
function randomLine(r: Rng, s: MudScenario, playerId: string): string {
  const pick = <T>(list: readonly T[], fallback: T) =>
    list.length ? (list[r.int(0, list.length - 1)] as T) : fallback;
  const player = s.player(playerId);
  const word = (templateId: string) => s.content.items[templateId]?.keywords[0] ?? "thing";
  const nonsense = pick(NONSENSE, "x");
  const here = s.roomItems(player.roomId).map(word);
  const carried = s.inventory(playerId).map(word);
  const worn = Object.values(s.world.items)
    .filter((i) => i.location.kind === "equipped" && i.location.ownerId === playerId)
    .map((i) => word(i.templateId));
  const npcs = Object.values(s.world.npcs)
    .filter((n) => n.roomId === player.roomId && n.respawnAtTick === null)
    .map((n) => s.content.npcs[n.templateId]?.keywords[0] ?? "x");
  const exits = Object.keys(s.content.rooms[player.roomId]?.exits ?? {});
  const fighting = player.targetId !== null || Object.values(s.world.npcs).some((n) => n.targetId === playerId);
  const aim = (list: string[]) => (r.next() < 0.85 ? pick(list, nonsense) : nonsense);
  switch (r.int(0, 11)) {
    case 0:
    case 1:
      return `get ${r.next() < 0.2 ? pick(["all", `all.${pick(here, "m")}`, `2.${pick(here, "m")}`], "all") : aim(here)}`;
    case 2:
      return `drop ${r.next() < 0.1 ? "all" : aim(carried)}`;
    case 3:
      return `give ${aim(carried)} ${pick(NAMES, "nobody")}`;
    case 4:
      return `equip ${aim(carried)}`;
    case 5:
      return `remove ${aim(worn)}`;
    case 6:
    case 7:
      // Fighters mostly stand their ground, so fights end in deaths and loot rather than walks.
      if (fighting && r.next() < 0.8) return pick(["inventory", "look", `kill ${aim(npcs)}`], "look");
      return r.next() < 0.9 ? `go ${pick(exits, "north")}` : pick(["north", "up", "down", "go trail"], "up");
    case 8:
    case 9:
      return `kill ${r.next() < 0.2 ? "2.rat" : aim(npcs)}`;
    case 10:
      return `drink ${aim(carried)}`;
    default:
      return pick(["flee", "get all", "drop all", "inventory", "look", "rest"], "look");
  }
}

describe("conservation under random play", () => {
  it("over 2,000 ticks items appear only as loot, vanish only when drunk, and are always in one valid place", () => {
    // Seed 2: wanderers no longer draw every tick (fight.ts, WANDER_TICKS), which changed the play 2026 gave.
    const s = new MudScenario(2);
    const script = createRng(77);
    const ids = ["ann", "ben", "cat"];
    for (const id of ids) s.join(id);
    const templateOf = new Map(Object.values(s.world.items).map((i) => [i.id, i.templateId]));
    const everSeen = new Set(templateOf.keys());
    const nameToTemplate = new Map(Object.values(s.content.items).map((t) => [t.name, t.id]));
    const counts = { loot: 0, drunk: 0, moved: 0, deaths: 0, rejoins: 0 };
    checkItems(s.world, s.content);

    for (let i = 0; i < 2_000; i++) {
      // Now and then someone drops out and comes back; their things stay with them meanwhile.
      if (script.next() < 0.005) {
        const who = ids[script.int(0, 2)] as string;
        if (s.player(who).online) s.leave(who);
        else {
          s.join(who);
          counts.rejoins++;
        }
        checkItems(s.world, s.content);
      }
      const lines: [string, string][] = [];
      // (only online players' commands run; offline ones are ignored by the step)
      // Sparse enough that fights run to their end between one player's commands.
      for (const id of ids) if (script.next() < 0.15) lines.push([id, randomLine(script, s, id)]);
      const before = new Map(Object.entries(s.world.items).map(([id, item]) => [id, JSON.stringify(item.location)]));
      s.step(lines);
      const out = s.last?.out ?? [];
      checkItems(s.world, s.content);

      const after = new Set(Object.keys(s.world.items));
      const removed = [...before.keys()].filter((id) => !after.has(id));
      const added = [...after].filter((id) => !before.has(id));
      const drinks = out.filter((o) => o.event.type === "effect_start" && o.event.text.startsWith("You drink "));
      expect(removed.length).toBe(drinks.length);
      for (const id of removed) {
        expect(s.content.items[templateOf.get(id) as string]?.type).toBe("potion");
      }
      const looted = out
        .filter((o) => o.event.type === "loot")
        .flatMap((o) => ((o.event.payload?.items ?? []) as string[]).map((n) => nameToTemplate.get(n)));
      expect(added.map((id) => s.world.items[id]?.templateId).sort()).toEqual([...looted].sort());
      for (const id of added) {
        expect(everSeen.has(id), `id ${id} reused`).toBe(false);
        everSeen.add(id);
        templateOf.set(id, s.world.items[id]?.templateId as string);
        expect(s.world.items[id]?.location.kind).toBe("room");
      }
      // Any item that moved, appeared or vanished makes the tick critical (saved before sending).
      const moved = [...before].some(([id, at]) => after.has(id) && JSON.stringify(s.world.items[id]?.location) !== at);
      if (moved) counts.moved++;
      if (moved || added.length || removed.length) expect(s.last?.critical).toBe(true);
      counts.loot += looted.length;
      counts.drunk += removed.length;
      counts.deaths += out.filter((o) => o.event.type === "death").length;
    }
    // The random play really exercised what it claims to.
    expect(counts.moved).toBeGreaterThan(50);
    expect(counts.loot).toBeGreaterThan(0);
    expect(counts.deaths).toBeGreaterThan(0);
    expect(counts.drunk + counts.rejoins).toBeGreaterThan(0);
  }, 30_000);
});

describe("damage over time on NPCs", () => {
  it("kills an NPC whose hp a caster's dot runs out, and gives the caster the experience", () => {
    const s = new MudScenario(3);
    s.join("alice", { roomId: "village-square", level: 2 });
    const bren = Object.values(s.world.npcs).find((n) => n.templateId === "lamplighter");
    if (!bren) throw new Error("the lamplighter should spawn in the square");
    bren.hp = 2;
    bren.effects = [
      {
        name: "Cinders",
        kind: "dot",
        duration_ticks: 5,
        interval_ticks: 1,
        magnitude: 5,
        source: "alice",
        remaining_ticks: 5,
      },
    ];
    const xpBefore = s.player("alice").xp;
    const screens = s.step();
    expect(texts(screens.alice, "death").some((t) => /dies/.test(t))).toBe(true);
    expect(s.world.npcs[bren.id]?.respawnAtTick).not.toBeNull();
    expect(s.player("alice").xp).toBeGreaterThan(xpBefore);
    expect(s.last?.critical).toBe(true);
  });
});
