/**
 * What a new player notices on the real Arcane Realms content (zone `start`, Lanternmere): exits
 * taken by name alone, `who` naming the zone, the room shown after a respawn, a swap of gear told
 * as such, a stacked inventory, and heals that read right on oneself.
 */
import { describe, expect, it } from "vitest";
import type { MudEvent } from "../events";
import { MudScenario, ofType, texts } from "../testing";
import type { RoomDef } from "../types";
import { spawnItem } from "../world";
import { defaultCommands } from "./index";
import { findCommand } from "./world";

const only = (events: MudEvent[] | undefined) => {
  expect(events).toHaveLength(1);
  return (events as MudEvent[])[0] as MudEvent;
};

describe("an exit's name is a command", () => {
  it("takes `trail` and `portal` alone, and a prefix of one, where the room has them", () => {
    const s = new MudScenario(1);
    s.join("alice", { roomId: "south-gate" });
    s.join("bob", { roomId: "south-gate" });
    const trail = s.type("alice", "trail");
    expect(texts(trail.alice, "info")).toEqual(["You take the way trail…"]);
    expect(texts(trail.bob, "depart")).toEqual(["Alice leaves trail."]);
    expect(s.last?.departures).toEqual([
      { playerId: "alice", to: { zoneId: "whispering-woods", place: "woods-edge" } },
    ]);
    s.type("bob", "tr");
    expect(s.last?.departures).toEqual([{ playerId: "bob", to: { zoneId: "whispering-woods", place: "woods-edge" } }]);
    const t = new MudScenario(1);
    t.join("carol", { roomId: "tower-steps" });
    expect(texts(t.type("carol", "PORTAL").carol, "info")).toEqual(["You take the way portal…"]);
    expect(t.last?.departures).toEqual([{ playerId: "carol", to: { zoneId: "test-area", place: "portal" } }]);
  });

  it("is no command where the room has no such exit, and compass words still walk", () => {
    const s = new MudScenario(2);
    s.join("alice");
    expect(texts(s.type("alice", "trail").alice)).toEqual(['Huh? "trail" is not a command. Type help for the list.']);
    expect(texts(s.type("alice", "portal").alice)).toEqual(['Huh? "portal" is not a command. Type help for the list.']);
    s.type("alice", "north");
    expect(s.player("alice").roomId).toBe("tower-steps");
    expect(s.last?.departures).toEqual([]);
  });

  it("never shadows a command word, and a command's prefix yields only to an exact exit name", () => {
    const registry = defaultCommands();
    const room = {
      id: "hall",
      exits: { inventory: "a", in: "b", stairs: "c", north: "d" },
    } as unknown as RoomDef;
    // "inventory" and its alias "i" stay the command.
    expect(findCommand(registry, "inventory", room)?.name).toBe("inventory");
    expect(findCommand(registry, "i", room)?.name).toBe("inventory");
    // "in" is a prefix of the inventory command but exactly an exit here: the exit.
    expect(findCommand(registry, "in", room)).toMatchObject({ name: "go", usage: "in" });
    // "st" starts the stats command: the command, though "stairs" starts with it too.
    expect(findCommand(registry, "st", room)?.name).toBe("stats");
    expect(findCommand(registry, "stai", room)).toMatchObject({ name: "go", usage: "stairs" });
    expect(findCommand(registry, "stairs", room)).toMatchObject({ name: "go", usage: "stairs" });
    expect(findCommand(registry, "in", undefined)?.name).toBe("inventory");
    expect(findCommand(registry, "", room)).toBeUndefined();
  });
});

describe("who", () => {
  it("names the zone and lists everyone online in it, wherever they stand", () => {
    const s = new MudScenario(3);
    s.join("alice");
    s.join("bob", { roomId: "lantern-inn", level: 4 });
    s.join("carol", { classId: "mage" });
    s.leave("carol");
    const who = only(s.type("alice", "who").alice);
    expect(who.type).toBe("players");
    expect(who.text).toBe("Players in Lanternmere (2):\n  Alice, level 1 warrior\n  Bob, level 4 warrior");
    expect(who.payload).toEqual({
      players: [
        { name: "Alice", level: 1, class: "warrior" },
        { name: "Bob", level: 4, class: "warrior" },
      ],
      zone: { id: "start", name: "Lanternmere" },
    });
  });
});

describe("dying", () => {
  it("shows the room one wakes in, after the respawn line", () => {
    const s = new MudScenario(4);
    s.join("alice", { roomId: "well-shaft", hp: 1 });
    const seen = s.until((screens) => ofType(screens.alice, "respawn").length > 0, 500);
    const events = seen.alice ?? [];
    const after = events.slice(events.findIndex((e) => e.type === "respawn"));
    expect(after[0]?.text).toBe("You wake in Lanternmere Square, weak but alive.");
    const room = ofType(after, "room");
    expect(room).toHaveLength(1);
    expect(room[0]?.payload).toMatchObject({ id: "village-square", name: "Lanternmere Square" });
    expect(room[0]?.text.split("\n")[0]).toBe("Lanternmere Square");
    expect(s.player("alice").roomId).toBe("village-square");
  });
});

describe("equipping over a worn item", () => {
  it("says what came off, to the player and the room, and puts it back in the pack", () => {
    const s = new MudScenario(5);
    s.join("alice", { roomId: "smithy" });
    s.join("bob", { roomId: "smithy" });
    const staff = Object.values(s.world.items).find((i) => i.templateId === "apprentice-staff");
    const sword = Object.values(s.world.items).find((i) => i.templateId === "rusted-shortsword");
    if (!staff || !sword) throw new Error("the content lacks the staff or the sword");
    staff.location = { kind: "inventory", ownerId: "alice" };
    s.type("alice", "get sword");
    expect(texts(s.type("alice", "wield sword").alice, "item")).toEqual(["You equip a rusted shortsword."]);
    const swapped = s.type("alice", "wield staff");
    expect(ofType(swapped.alice, "item")).toEqual([
      {
        type: "item",
        text: "You remove a rusted shortsword and equip an apprentice's ashwood staff.",
        payload: {
          action: "equip",
          item: "an apprentice's ashwood staff",
          itemId: staff.id,
          removed: [{ name: "a rusted shortsword", itemId: sword.id }],
        },
      },
    ]);
    expect(texts(swapped.bob)).toEqual(["Alice removes a rusted shortsword and equips an apprentice's ashwood staff."]);
    expect(s.inventory("alice")).toEqual(["rusted-shortsword"]);
    // Another slot: the staff stays in hand and nothing is said to come off.
    const jerkin = Object.values(s.world.items).find((i) => i.templateId === "quilted-jerkin");
    if (jerkin) jerkin.location = { kind: "inventory", ownerId: "alice" };
    const worn = ofType(s.type("alice", "wear jerkin").alice, "item");
    expect(worn.map((e) => [e.text, e.payload?.removed])).toEqual([["You equip a quilted jerkin.", undefined]]);
    expect(s.inventory("alice")).toEqual(["rusted-shortsword"]);
  });
});

describe("inventory", () => {
  it("stacks identical items in the text and still lists every item, with ids, in the payload", () => {
    const s = new MudScenario(6);
    s.join("alice");
    const mugs = [1, 2, 3].map(() => spawnItem(s.world, s.content, "cracked-mug", "village-square"));
    const draught = spawnItem(s.world, s.content, "moonpetal-draught", "village-square");
    for (const item of [mugs[0], draught, mugs[1], mugs[2]]) {
      if (item) item.location = { kind: "inventory", ownerId: "alice" };
    }
    const inv = only(s.type("alice", "i").alice);
    expect(inv.text).toBe("You carry: 3 × cracked clay mug, a moonpetal draught.");
    const ids = [mugs[0], mugs[1], mugs[2], draught].map((i) => i?.id);
    expect(inv.payload?.carried).toHaveLength(4);
    expect(((inv.payload?.items ?? []) as { id: string }[]).map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(inv.payload?.stacks).toEqual([
      { name: "a cracked clay mug", count: 3 },
      { name: "a moonpetal draught", count: 1 },
    ]);
    s.type("alice", "drop 2.mug");
    expect(texts(s.type("alice", "i").alice)).toEqual(["You carry: 2 × cracked clay mug, a moonpetal draught."]);
  });
});

describe("heals on oneself", () => {
  it("reads 'you' to the caster and the caster's name once to the room", () => {
    const s = new MudScenario(7);
    s.join("merlin", { classId: "mage" });
    s.join("bob");
    s.join("carol");
    const self = s.type("merlin", "cast heal");
    expect(texts(self.merlin, "effect_start")).toEqual(["Warm light wraps you."]);
    expect(texts(self.bob)).toEqual(["Warm light wraps Merlin."]);
    const other = s.type("merlin", "cast heal bob");
    expect(texts(other.merlin, "effect_start")).toEqual([]);
    s.player("merlin").skillReadyAt = {};
    const healed = s.type("merlin", "cast heal bob");
    expect(texts(healed.merlin, "effect_start")).toEqual(["Warm light wraps Bob."]);
    expect(texts(healed.bob)).toEqual(["Merlin's warm light wraps you."]);
    expect(texts(healed.carol)).toEqual(["Merlin's warm light wraps Bob."]);
    const everything = Object.values(s.screens).flatMap((events) => texts(events));
    expect(everything.filter((t) => /yourself|Merlin's warm light wraps Merlin/.test(t))).toEqual([]);
  });
});
