import { describe, expect, it } from "vitest";
import {
  contentsOf,
  drop,
  equip,
  equipmentOf,
  equippedTemplates,
  equippedTemplatesByActor,
  give,
  holderOf,
  itemsInRoom,
  MAX_NESTING,
  pickUp,
  putIn,
  takeOut,
  unequip,
} from "./items";
import { carried, code, inRoom, inside, T, value, world } from "./items.fixtures";
import type { ItemLocation } from "./types";

describe("pick up, drop, give", () => {
  const items = world([
    ["s1", "sword", inRoom("hall")],
    ["p1", "potion", inRoom("cellar")],
    ["c1", "coin", carried("bob")],
  ]);

  it("picks up an item lying in the actor's room and reports the move", () => {
    const { items: after, events } = value(pickUp(items, T, "s1", "alice", "hall"));
    expect(after.s1?.location).toEqual(carried("alice"));
    expect(events).toEqual([
      {
        type: "item_moved",
        action: "pick_up",
        actorId: "alice",
        itemId: "s1",
        templateId: "sword",
        from: inRoom("hall"),
        to: carried("alice"),
      },
    ]);
    expect(items.s1?.location).toEqual(inRoom("hall")); // the input is untouched
  });

  it("race: two actors pick up the same item in turn; the second is told it is gone", () => {
    const first = value(pickUp(items, T, "s1", "alice", "hall"));
    const second = pickUp(first.items, T, "s1", "bob", "hall");
    expect(second).toEqual({
      ok: false,
      error: { code: "not_here", itemId: "s1", message: "The sword isn't here any more." },
    });
    expect(first.items.s1?.location).toEqual(carried("alice"));
  });

  it("refuses items in other rooms, in someone's hands, or that do not exist", () => {
    expect(code(pickUp(items, T, "p1", "alice", "hall"))).toBe("not_here");
    expect(code(pickUp(items, T, "c1", "alice", "hall"))).toBe("not_here");
    expect(code(pickUp(items, T, "nope", "alice", "hall"))).toBe("not_found");
  });

  it("drops from the inventory to the floor", () => {
    const { items: after, events } = value(drop(items, T, "c1", "bob", "cellar"));
    expect(after.c1?.location).toEqual(inRoom("cellar"));
    expect(events[0]).toMatchObject({ action: "drop", from: carried("bob"), to: inRoom("cellar") });
  });

  it("refuses to drop what the actor does not carry, or is wearing", () => {
    expect(code(drop(items, T, "c1", "alice", "hall"))).toBe("not_carried");
    const armed = value(equip(value(pickUp(items, T, "s1", "alice", "hall")).items, T, "s1", "alice")).items;
    expect(drop(armed, T, "s1", "alice", "hall")).toMatchObject({
      ok: false,
      error: { code: "equipped", message: "You are using the sword; remove it first." },
    });
  });

  it("gives from one inventory to another, not to oneself", () => {
    const { items: after, events } = value(give(items, T, "c1", "bob", "alice"));
    expect(after.c1?.location).toEqual(carried("alice"));
    expect(events[0]).toMatchObject({ action: "give", actorId: "bob", to: carried("alice") });
    expect(code(give(items, T, "c1", "bob", "bob"))).toBe("invalid_target");
    expect(code(give(items, T, "c1", "alice", "bob"))).toBe("not_carried");
  });
});

describe("equip and unequip", () => {
  const items = world([
    ["s1", "sword", carried("alice")],
    ["d1", "dagger", carried("alice")],
    ["h1", "helm", carried("alice")],
    ["p1", "potion", carried("alice")],
    ["x1", "mystery", carried("alice")],
    ["s2", "sword", carried("bob")],
  ]);

  it("equips into the template's slot", () => {
    const { items: after, events } = value(equip(items, T, "s1", "alice"));
    expect(after.s1?.location).toEqual({ kind: "equipped", ownerId: "alice", slot: "weapon" });
    expect(events.map((e) => e.action)).toEqual(["equip"]);
    expect(equippedTemplates(after, T, "alice").map((t) => t.id)).toEqual(["sword"]);
  });

  it("swaps out whatever held the slot, back to the inventory", () => {
    const armed = value(equip(items, T, "s1", "alice")).items;
    const { items: after, events } = value(equip(armed, T, "d1", "alice"));
    expect(after.s1?.location).toEqual(carried("alice"));
    expect(after.d1?.location).toEqual({ kind: "equipped", ownerId: "alice", slot: "weapon" });
    expect(events.map((e) => [e.action, e.itemId])).toEqual([
      ["unequip", "s1"],
      ["equip", "d1"],
    ]);
    expect(equipmentOf(after, "alice").map((i) => i.id)).toEqual(["d1"]);
  });

  it("keeps different slots side by side", () => {
    const after = value(equip(value(equip(items, T, "s1", "alice")).items, T, "h1", "alice")).items;
    expect(
      equipmentOf(after, "alice")
        .map((i) => i.id)
        .sort(),
    ).toEqual(["h1", "s1"]);
  });

  it("refuses what has no slot, unknown templates, what is not carried, or is already worn", () => {
    expect(equip(items, T, "p1", "alice")).toMatchObject({
      ok: false,
      error: { code: "not_equippable", message: "You can't wear or wield the potion." },
    });
    expect(code(equip(items, T, "x1", "alice"))).toBe("unknown_template");
    expect(code(equip(items, T, "s2", "alice"))).toBe("not_carried");
    expect(code(equip(value(equip(items, T, "s1", "alice")).items, T, "s1", "alice"))).toBe("equipped");
  });

  it("unequips back to the inventory, only what the actor wears", () => {
    const armed = value(equip(items, T, "s1", "alice")).items;
    const { items: after, events } = value(unequip(armed, T, "s1", "alice"));
    expect(after.s1?.location).toEqual(carried("alice"));
    expect(events[0]?.action).toBe("unequip");
    expect(code(unequip(armed, T, "s1", "bob"))).toBe("not_equipped");
    expect(code(unequip(armed, T, "d1", "alice"))).toBe("not_equipped");
  });
});

describe("containers", () => {
  const items = world([
    ["bag", "bag", carried("alice")],
    ["chest", "chest", inRoom("hall")],
    ["far", "chest", inRoom("cellar")],
    ["c1", "coin", carried("alice")],
    ["c2", "coin", carried("alice")],
    ["c3", "coin", carried("alice")],
    ["s1", "sword", carried("alice")],
    ["gem", "coin", inside("chest")],
  ]);

  it("puts into a carried container up to its capacity", () => {
    let state = value(putIn(items, T, "c1", "bag", "alice", "hall")).items;
    state = value(putIn(state, T, "c2", "bag", "alice", "hall")).items;
    expect(contentsOf(state, "bag").map((i) => i.id)).toEqual(["c1", "c2"]);
    expect(putIn(state, T, "c3", "bag", "alice", "hall")).toMatchObject({
      ok: false,
      error: { code: "container_full", message: "The bag is full." },
    });
    expect(holderOf(state, "c1")).toEqual({ kind: "actor", id: "alice" });
  });

  it("puts into a container lying in the room, not one in another room", () => {
    const { items: after, events } = value(putIn(items, T, "s1", "chest", "alice", "hall"));
    expect(after.s1?.location).toEqual(inside("chest"));
    expect(events[0]).toMatchObject({ action: "put_in", to: inside("chest") });
    expect(code(putIn(items, T, "s1", "far", "alice", "hall"))).toBe("not_here");
  });

  it("refuses non-containers and a bag inside itself", () => {
    expect(code(putIn(items, T, "c1", "s1", "alice", "hall"))).toBe("not_container");
    expect(code(putIn(items, T, "bag", "bag", "alice", "hall"))).toBe("invalid_target");
  });

  it("refuses to put a bag into a container it holds, even when that is reachable", () => {
    // A chest in the room holding the bag would be fine; a bag holding the chest cannot go into it.
    const nested = world([
      ["bag", "bag", carried("alice")],
      ["chest", "chest", inside("bag")],
    ]);
    expect(code(putIn(nested, T, "bag", "chest", "alice", "hall"))).toBe("not_here");
    const inRoomChest = world([
      ["bag", "chest", carried("alice")],
      ["box", "chest", inRoom("hall")],
    ]);
    const stowed = value(putIn(inRoomChest, T, "bag", "box", "alice", "hall")).items;
    expect(holderOf(stowed, "bag")).toEqual({ kind: "room", id: "hall" });
  });

  it("takes out of a reachable container into the inventory", () => {
    const { items: after, events } = value(takeOut(items, T, "gem", "alice", "hall"));
    expect(after.gem?.location).toEqual(carried("alice"));
    expect(events[0]).toMatchObject({ action: "take_out", from: inside("chest") });
    expect(code(takeOut(items, T, "gem", "alice", "cellar"))).toBe("not_here");
    expect(code(takeOut(items, T, "c1", "alice", "hall"))).toBe("not_here");
  });

  it("moves a container with its contents", () => {
    const packed = value(putIn(items, T, "c1", "bag", "alice", "hall")).items;
    const dropped = value(drop(packed, T, "bag", "alice", "hall")).items;
    expect(holderOf(dropped, "c1")).toEqual({ kind: "room", id: "hall" });
    const taken = value(pickUp(dropped, T, "bag", "bob", "hall")).items;
    expect(holderOf(taken, "c1")).toEqual({ kind: "actor", id: "bob" });
    expect(itemsInRoom(taken, "hall").map((i) => i.id)).toEqual(["chest"]);
  });

  it("refuses nesting deeper than MAX_NESTING", () => {
    /** A chain of `length` chests, each inside the previous, the outermost carried by alice. */
    const chain = (length: number) => {
      const entries: [string, string, ItemLocation][] = [["b0", "chest", carried("alice")]];
      for (let i = 1; i < length; i++) entries.push([`b${i}`, "chest", inside(`b${i - 1}`)]);
      entries.push(["top", "chest", inRoom("hall")]);
      return world(entries);
    };
    // The innermost chest ends up MAX_NESTING containers deep: allowed, and still traceable.
    const deepest = value(putIn(chain(MAX_NESTING), T, "b0", "top", "alice", "hall")).items;
    expect(holderOf(deepest, `b${MAX_NESTING - 1}`)).toEqual({ kind: "room", id: "hall" });
    // One more level would be MAX_NESTING + 1 deep.
    expect(code(putIn(chain(MAX_NESTING + 1), T, "b0", "top", "alice", "hall"))).toBe("invalid_target");
  });
});

describe("unique items", () => {
  const items = world([
    ["a1", "amulet", carried("alice")],
    ["a2", "amulet", inRoom("hall")],
    ["a3", "amulet", carried("bob")],
    ["chest", "chest", inRoom("hall")],
    ["a4", "amulet", inside("chest")],
    ["bag", "bag", inRoom("hall")],
    ["a5", "amulet", inside("bag")],
  ]);

  it("lets an actor hold only one, however it would arrive", () => {
    expect(pickUp(items, T, "a2", "alice", "hall")).toMatchObject({
      ok: false,
      error: { code: "unique", message: "You can only carry one amulet of Yendor." },
    });
    expect(code(give(items, T, "a3", "bob", "alice"))).toBe("unique");
    expect(code(takeOut(items, T, "a4", "alice", "hall"))).toBe("unique");
    expect(pickUp(items, T, "bag", "alice", "hall")).toMatchObject({
      ok: false,
      error: { code: "unique", itemId: "a5" },
    });
  });

  it("counts what is worn and what is in carried bags", () => {
    const worn = value(equip(items, T, "a1", "alice")).items;
    expect(code(pickUp(worn, T, "a2", "alice", "hall"))).toBe("unique");
    const bagged = value(
      pickUp(
        world([
          ["bag", "bag", inRoom("hall")],
          ["a5", "amulet", inside("bag")],
          ["a2", "amulet", inRoom("hall")],
        ]),
        T,
        "bag",
        "carl",
        "hall",
      ),
    ).items;
    expect(code(pickUp(bagged, T, "a2", "carl", "hall"))).toBe("unique");
  });

  it("allows one to someone who has none", () => {
    expect(code(pickUp(items, T, "a2", "carl", "hall"))).toBe("ok");
  });
});

describe("equippedTemplatesByActor", () => {
  it("lists each actor's equipped templates as equippedTemplates does, in one pass over the items", () => {
    let items = world([
      ["s1", "sword", carried("alice")],
      ["h1", "helm", carried("alice")],
      ["d1", "dagger", carried("bob")],
      ["p1", "potion", carried("bob")],
      ["x1", "sword", inRoom("hall")],
    ]);
    for (const [itemId, actor] of [
      ["s1", "alice"],
      ["h1", "alice"],
      ["d1", "bob"],
    ] as const)
      items = value(equip(items, T, itemId, actor)).items;
    const index = equippedTemplatesByActor(items, T);
    for (const actor of ["alice", "bob", "carol"])
      expect(index.get(actor) ?? []).toEqual(equippedTemplates(items, T, actor));
    expect(index.get("alice")?.map((t) => t.id)).toEqual(["sword", "helm"]);
    expect(index.has("carol")).toBe(false);
  });
});
