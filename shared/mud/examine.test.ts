/**
 * `look <thing>` and `examine <thing>` on the real Arcane Realms content: what a player reads about
 * an item on the floor, in the pack or worn, a creature, another player, or itself.
 */
import { describe, expect, it } from "vitest";
import type { MudEvent } from "./events";
import { conditionOf, listed } from "./examine";
import { MudScenario, ofType, texts } from "./testing";

const only = (events: MudEvent[] | undefined) => {
  expect(events).toHaveLength(1);
  return (events as MudEvent[])[0] as MudEvent;
};

const itemId = (s: MudScenario, templateId: string) => {
  const item = Object.values(s.world.items).find((i) => i.templateId === templateId);
  if (!item) throw new Error(`no ${templateId} in the world`);
  return item;
};

describe("looking at things", () => {
  it("describes a creature in the room by any of its words, with how hurt it looks", () => {
    const s = new MudScenario(1);
    s.join("alice");
    const bren = Object.values(s.world.npcs).find((n) => n.templateId === "lamplighter");
    const seen = only(s.type("alice", "look bren").alice);
    expect(seen.type).toBe("examine");
    const lines = seen.text.split("\n");
    expect(lines[0]).toBe("Old Bren the lamplighter");
    expect(lines[1]).toMatch(/^A stooped man in a soot-black coat/);
    expect(lines[2]).toBe("Old Bren the lamplighter is in perfect health.");
    expect(seen.payload).toMatchObject({ kind: "npc", id: bren?.id, name: "Old Bren the lamplighter", level: 2 });
    expect(seen.payload?.description).toBe(s.content.npcs.lamplighter?.description);
    // "at" is allowed, and `examine`/`x` say the same.
    expect(s.type("alice", "look at the lamplighter").alice).toEqual([seen]);
    expect(s.type("alice", "x old").alice).toEqual([seen]);
    const hurt = s.world.npcs[bren?.id as string] as { hp: number };
    hurt.hp = Math.floor((seen.payload?.maxHp as number) / 2);
    expect(only(s.type("alice", "examine bren").alice).text.split("\n")[2]).toBe(
      "Old Bren the lamplighter is wounded.",
    );
  });

  it("describes an item on the floor, then carried, then worn, saying which", () => {
    const s = new MudScenario(2);
    s.join("alice", { roomId: "inn-loft" });
    const jerkin = itemId(s, "quilted-jerkin");
    const floor = only(s.type("alice", "look jerkin").alice);
    expect(floor.type).toBe("examine");
    expect(floor.text.split("\n")).toEqual([
      "A quilted jerkin",
      s.content.items["quilted-jerkin"]?.description,
      "It is worn on the body; it gives +2 defense.",
    ]);
    expect(floor.payload).toMatchObject({
      kind: "item",
      id: jerkin.id,
      name: "a quilted jerkin",
      where: "room",
      itemType: "armour",
      slot: "body",
    });
    expect(floor.text.split("\n")[1]).toMatch(/^Layers of wool stitched into diamonds/);
    s.type("alice", "get jerkin");
    const carried = only(s.type("alice", "x jerkin").alice);
    expect(carried.text.split("\n").at(-1)).toBe("You carry it.");
    expect(carried.payload).toMatchObject({ where: "carried", id: jerkin.id });
    s.type("alice", "wear jerkin");
    const worn = only(s.type("alice", "x jerkin").alice);
    expect(worn.text.split("\n").at(-1)).toBe("You are using it.");
    expect(worn.payload).toMatchObject({ where: "worn", id: jerkin.id });
  });

  it("tells a weapon's damage and bonuses, and counts `2.` across the room and the pack", () => {
    const s = new MudScenario(3);
    s.join("alice", { roomId: "tower-study" });
    const staff = only(s.type("alice", "look staff").alice);
    expect(staff.text.split("\n")[2]).toBe(
      "It is wielded as a weapon; it deals 1–4 damage; it gives +3 intelligence, +10 mana.",
    );
    expect(staff.payload).toMatchObject({ damage: { min: 1, max: 4 }, slot: "weapon" });
    expect(texts(s.type("alice", "look 3.ashwood").alice)).toEqual([
      'You see only 1 "ashwood" here, so there is no 3rd.',
    ]);
    // The room's things come first, then what you carry: in the inn, with the mug in hand, the
    // draught on the floor is "1.m" and the mug "2.m".
    s.join("bob", { roomId: "lantern-inn" });
    s.type("bob", "get mug");
    expect(only(s.type("bob", "look 1.m").bob).payload).toMatchObject({ name: "a moonpetal draught", where: "room" });
    expect(only(s.type("bob", "look 2.m").bob).payload).toMatchObject({ name: "a cracked clay mug", where: "carried" });
  });

  it("describes another player by class, level and gear, and tells them they are looked at", () => {
    const s = new MudScenario(4);
    s.join("alice", { roomId: "smithy" });
    s.join("bob", { roomId: "smithy", level: 3 });
    s.join("carol", { roomId: "smithy" });
    const plain = only(ofType(s.type("alice", "look bob").alice, "examine"));
    expect(plain.text).toBe("Bob is a level 3 warrior.\nBob is empty-handed and plainly dressed.");
    itemId(s, "quilted-jerkin").location = { kind: "inventory", ownerId: "bob" };
    s.type("bob", "wear jerkin");
    s.type("bob", "get sword");
    s.type("bob", "wield sword");
    const seen = s.type("alice", "look bob");
    const look = only(seen.alice);
    expect(look.text).toBe("Bob is a level 3 warrior.\nBob wields a rusted shortsword and wears a quilted jerkin.");
    expect(look.payload).toMatchObject({
      kind: "player",
      id: "bob",
      name: "Bob",
      class: "warrior",
      level: 3,
      description: "Bob is a level 3 warrior.",
      equipped: [
        { slot: "body", name: "a quilted jerkin" },
        { slot: "weapon", name: "a rusted shortsword" },
      ],
    });
    expect(seen.bob).toEqual([{ type: "emote", text: "Alice looks at you.", payload: { from: "Alice" } }]);
    expect(seen.carol).toBeUndefined();
  });

  it("reads in the second person when looking at oneself", () => {
    const s = new MudScenario(5);
    s.join("alice", { classId: "mage" });
    s.join("bob");
    const seen = s.type("alice", "look me");
    expect(texts(seen.alice)).toEqual(["You are Alice, a level 1 mage.\nYou are empty-handed and plainly dressed."]);
    expect(seen.bob).toBeUndefined();
    expect(texts(s.type("alice", "look self").alice)).toEqual(texts(seen.alice));
    // "me" is only ever oneself: Bob looking at "me" sees Bob.
    expect(texts(s.type("bob", "x me").bob)[0]?.split("\n")[0]).toBe("You are Bob, a level 1 warrior.");
  });

  it("says plainly when the thing is not here, and keeps `look` alone for the room", () => {
    const s = new MudScenario(6);
    s.join("alice");
    s.join("bob", { roomId: "lantern-inn" });
    const say = (line: string) => texts(s.type("alice", line).alice);
    expect(say("look dragon")).toEqual(["You don't see that here."]);
    // Bob is in the inn and the mug lies there: neither is in view from the square.
    expect(say("look bob")).toEqual(["You don't see that here."]);
    expect(say("examine mug")).toEqual(["You don't see that here."]);
    expect(say("examine")).toEqual(["Look at what?"]);
    expect(say("look at")).toEqual(["Look at what?"]);
    expect(say("look all")).toEqual(["You can only do that to one thing at a time."]);
    expect(only(s.type("alice", "look").alice).type).toBe("room");
  });
});

describe("the wording helpers", () => {
  it("lists words with a final 'and'", () => {
    expect(listed([])).toBe("");
    expect(listed(["a"])).toBe("a");
    expect(listed(["a", "b"])).toBe("a and b");
    expect(listed(["a", "b", "c"])).toBe("a, b and c");
  });

  it("words a creature's health from its share of the maximum", () => {
    expect(conditionOf(40, 40)).toBe("is in perfect health");
    expect(conditionOf(30, 40)).toBe("has a few scratches");
    expect(conditionOf(20, 40)).toBe("is wounded");
    expect(conditionOf(10, 40)).toBe("is badly wounded");
    expect(conditionOf(9, 40)).toBe("is close to death");
  });
});
