import { describe, expect, it } from "vitest";
import { loadArcaneRealms } from "../content/arcane-realms";
import { FIELD_KIND } from "../field/engine";
import { CharacterSnapshot } from "../protocol/character";
import { createRng } from "../sim/rng";
import { readTraveller, type Traveller, writeTraveller } from "../world/traveller";
import { npcStats } from "./actors";
import { equipmentOf, inventoryOf } from "./items";
import { MudScenario } from "./testing";
import { placeInWorld, takeOutOfWorld } from "./travel";
import { copyWorld, createWorld, spawnItem, zoneContent } from "./world";

const ALICE = "6f1c2a52-8a53-4c62-9d07-1d2b0c7e4a11";

/** Alice in the village square, wearing a cap, wielding a sword, a satchel in her pack with a mug inside. */
function aliceGeared() {
  const s = new MudScenario(5);
  s.join(ALICE, { name: "Alice" });
  const w = s.world;
  const room = s.player(ALICE).roomId;
  const cap = spawnItem(w, s.content, "iron-cap", room);
  const sword = spawnItem(w, s.content, "ironbound-longsword", room);
  const satchel = spawnItem(w, s.content, "travellers-satchel", room);
  const mug = spawnItem(w, s.content, "cracked-mug", room);
  w.items[cap.id] = { ...cap, location: { kind: "equipped", ownerId: ALICE, slot: "head" } };
  w.items[sword.id] = { ...sword, location: { kind: "equipped", ownerId: ALICE, slot: "weapon" } };
  w.items[satchel.id] = { ...satchel, location: { kind: "inventory", ownerId: ALICE } };
  w.items[mug.id] = { ...mug, location: { kind: "container", containerId: satchel.id } };
  s.player(ALICE).effects = [
    {
      name: "Regeneration",
      kind: "hot",
      duration_ticks: 100,
      interval_ticks: 10,
      magnitude: 2,
      source: ALICE,
      remaining_ticks: 37,
    },
  ];
  return s;
}

const snapshot = (over: Partial<CharacterSnapshot> = {}): CharacterSnapshot =>
  CharacterSnapshot.parse({
    id: ALICE,
    accountId: "0b7f54a1-3c0a-4b9e-8f55-3f2d7f1f9a01",
    name: "Alice",
    class: "warrior",
    level: 3,
    xp: 420,
    hp: 31,
    mp: 9,
    str: 8,
    dex: 5,
    int: 3,
    vit: 7,
    zoneId: "whispering-woods",
    roomId: "woods-edge",
    x: 0,
    y: 0,
    playSeconds: 100,
    version: 4,
    ...over,
  });

describe("a character leaving a MUD zone", () => {
  it("takes everything it wears and carries, nested contents included, out of the world, and nothing else", () => {
    const s = aliceGeared();
    const before = Object.keys(s.world.items).length;
    const world = copyWorld(s.world);
    const carried = takeOutOfWorld(world, ALICE);
    expect(world.players[ALICE]).toBeUndefined();
    expect(Object.keys(world.items)).toHaveLength(before - 4);
    expect(carried?.items.map((i) => i.templateId).sort()).toEqual(
      ["cracked-mug", "iron-cap", "ironbound-longsword", "travellers-satchel"].sort(),
    );
    const satchel = carried?.items.findIndex((i) => i.templateId === "travellers-satchel");
    expect(carried?.items.find((i) => i.templateId === "cracked-mug")).toMatchObject({ inside: satchel });
    expect(carried?.items.find((i) => i.templateId === "iron-cap")).toMatchObject({ slot: "head" });
    expect(carried?.effects).toEqual([expect.objectContaining({ name: "Regeneration", remaining_ticks: 37 })]);
    // The world it left is unchanged by the copy it was taken from.
    expect(s.world.players[ALICE]).toBeDefined();
  });

  it("is nobody for a world that does not hold it", () => {
    expect(takeOutOfWorld(copyWorld(new MudScenario().world), ALICE)).toBeUndefined();
  });
});

describe("a character arriving in a MUD zone", () => {
  const woods = zoneContent(loadArcaneRealms(), "whispering-woods");
  if (!woods) throw new Error("the pack has the Whispering Woods");
  const freshWoods = () => createWorld(woods, (t) => npcStats(t).maxHp, createRng(2));

  function arrive(place?: string) {
    const s = aliceGeared();
    const carried = takeOutOfWorld(copyWorld(s.world), ALICE);
    if (!carried) throw new Error("alice is in the square");
    const traveller: Traveller = {
      transferId: "t-1",
      from: "start",
      to: { zoneId: "whispering-woods", ...(place ? { place } : {}) },
      departedAt: 0,
      character: snapshot(),
      carried,
      write: null,
    };
    const world = freshWoods();
    const player = placeInWorld(world, woods as NonNullable<typeof woods>, traveller, "warrior");
    return { world, player, carried };
  }

  it("handed back to the zone it left (a failed hand-off) is no arrival: its room's enter triggers do not fire again", () => {
    const s = aliceGeared();
    const carried = takeOutOfWorld(copyWorld(s.world), ALICE);
    if (!carried) throw new Error("alice is in the square");
    const back: Traveller = {
      transferId: "t-2",
      from: "start",
      to: { zoneId: "whispering-woods" },
      departedAt: 0,
      character: snapshot({ zoneId: "start", roomId: "south-gate" }),
      carried,
      write: null,
    };
    const world = copyWorld(s.world);
    delete world.players[ALICE];
    const player = placeInWorld(world, s.content, { ...back, to: { zoneId: "start", place: "south-gate" } }, "warrior");
    expect(player.arriving).toBeUndefined();
  });

  it("is placed offline at its destination room with its pools, level and effects, holding the same items anew", () => {
    const { world, player, carried } = arrive("woods-edge");
    expect(player).toMatchObject({ roomId: "woods-edge", online: false, level: 3, xp: 420, hp: 31, mp: 9 });
    // Its room's `enter` triggers fire on its first tick online (step.ts).
    expect(player.arriving).toBe(true);
    expect(player.effects).toEqual(carried.effects);
    const worn = equipmentOf(world.items, ALICE).map((i) => [i.templateId, i.location]);
    expect(worn.sort()).toEqual(
      [
        ["iron-cap", { kind: "equipped", ownerId: ALICE, slot: "head" }],
        ["ironbound-longsword", { kind: "equipped", ownerId: ALICE, slot: "weapon" }],
      ].sort(),
    );
    const [satchel] = inventoryOf(world.items, ALICE);
    expect(satchel?.templateId).toBe("travellers-satchel");
    const mug = Object.values(world.items).find((i) => i.templateId === "cracked-mug");
    expect(mug?.location).toEqual({ kind: "container", containerId: satchel?.id });
  });

  it("enters at the zone's entry room when the place is not one of its rooms", () => {
    expect(arrive("no-such-room").player.roomId).toBe(woods.zone.entryRoom);
    expect(arrive().player.roomId).toBe(woods.zone.entryRoom);
  });

  it("round-trips: leaving again hands over exactly what arrived", () => {
    const { world, carried } = arrive("mossy-path");
    const again = takeOutOfWorld(copyWorld(world), ALICE);
    expect(again?.effects).toEqual(carried.effects);
    expect(again?.items.map((i) => i.templateId).sort()).toEqual(carried.items.map((i) => i.templateId).sort());
  });
});

describe("quests and standing on the way through a field zone", () => {
  it("go MUD → field → MUD with the character, kept by the field across a save, and old travellers still read", () => {
    const s = aliceGeared();
    s.player(ALICE).quests = {
      "rat-trouble": { step: 1, progress: 0 },
      "old-errand": { step: 0, progress: 0, done: true },
    };
    s.player(ALICE).reputation = { lanternmere: 250, vermin: -80 };
    s.player(ALICE).triggersDone = ["tutorial/welcome"];
    const carried = takeOutOfWorld(copyWorld(s.world), ALICE);
    if (!carried) throw new Error("alice is in the square");
    expect(carried).toMatchObject({ quests: s.player(ALICE).quests, reputation: s.player(ALICE).reputation });
    const into: Traveller = {
      transferId: "t-field",
      from: "start",
      to: { zoneId: "test-area", place: "portal" },
      departedAt: 0,
      character: snapshot(),
      carried,
      write: null,
    };
    // Sent as the hand-off sends it: written and read as a versioned payload.
    const sent = readTraveller(JSON.parse(JSON.stringify(writeTraveller(into))));
    if (!sent.ok) throw new Error(sent.error);
    const field = FIELD_KIND.create("test-area", createRng(3));
    field.arrive(sent.value);
    // The field is saved and restored (a zone sleeping) while the character is there.
    const restored = FIELD_KIND.restore("test-area", JSON.parse(JSON.stringify(field.serialize())));
    if (!restored.ok) throw new Error(restored.error);
    const back = restored.value.depart(ALICE);
    expect(back?.quests).toEqual(s.player(ALICE).quests);
    expect(back?.reputation).toEqual(s.player(ALICE).reputation);
    expect(back?.triggersDone).toEqual(["tutorial/welcome"]);
    // The field forgets them once handed on.
    expect(restored.value.depart(ALICE)).toBeUndefined();

    const woods = zoneContent(loadArcaneRealms(), "whispering-woods");
    if (!woods || !back) throw new Error("the pack has the Whispering Woods; the field gave Alice back");
    const world = createWorld(woods, (t) => npcStats(t).maxHp, createRng(2));
    const player = placeInWorld(world, woods, { ...into, transferId: "t-back", carried: back }, "warrior");
    expect(player.quests).toEqual(s.player(ALICE).quests);
    expect(player.reputation).toEqual(s.player(ALICE).reputation);
    expect(player.triggersDone).toEqual(["tutorial/welcome"]);
  });

  it("reads a version 1 traveller, which carries neither", () => {
    const v1 = {
      ...writeTraveller({
        transferId: "t",
        from: "start",
        to: { zoneId: "start" },
        departedAt: 0,
        character: snapshot(),
        carried: { effects: [], items: [] },
        write: null,
      }),
      v: 1,
    };
    const read = readTraveller(v1);
    expect(read.ok && read.value.carried).toEqual({ effects: [], items: [] });
  });
});
