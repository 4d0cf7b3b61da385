import { describe, expect, it } from "vitest";
import { errorsAfter, ITEMS, LOOT, NPCS, nextIndex, pathOf, START, WOODS } from "./fixture";

/** Expects exactly one error, at this file and field, whose message says how to fix it. */
function expectOnly(errors: unknown, file: string, path: string, fix: RegExp) {
  expect(errors).toEqual([{ file, path, message: expect.stringMatching(fix) }]);
}

const room = (id: string, file = START) => pathOf("rooms", id, file);

describe("exits", () => {
  it("refuses an exit to a room that does not exist", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "smithy").exits.portal = "nowhere";
    });
    expectOnly(errors, START, `${room("smithy")}.exits.portal`, /"nowhere" is not a room of zone "start": fix/);
  });

  it("refuses an exit into a zone that is not in the pack", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "smithy").exits.portal = "frozen-north:glacier";
    });
    expectOnly(errors, START, `${room("smithy")}.exits.portal`, /zone "frozen-north" is not in this pack/);
  });

  it("suggests zone-id:room-id when the room is in another zone", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "south-gate").exits.trail = "woods-edge";
    });
    expectOnly(errors, START, `${room("south-gate")}.exits.trail`, /write "whispering-woods:woods-edge"/);
  });

  it("needs a way back from every exit not marked one-way", () => {
    const errors = errorsAfter((p) => {
      delete p.room(START, "inn-loft").exits.down;
    });
    expectOnly(
      errors,
      START,
      `${room("lantern-inn")}.exits.up`,
      /add one to room "inn-loft".*or add "up" to this room's "oneWay"/,
    );
  });

  it("accepts an exit without a way back once it is marked one-way", () => {
    const errors = errorsAfter((p) => {
      delete p.room(START, "inn-loft").exits.down;
      p.room(START, "lantern-inn").oneWay = ["up"];
    });
    expect(errors).toEqual([]);
  });

  it("checks the way back across zones too", () => {
    const errors = errorsAfter((p) => {
      delete p.room(WOODS, "sett-tunnel").oneWay;
    });
    expectOnly(
      errors,
      WOODS,
      `${room("sett-tunnel", WOODS)}.exits.crawlway`,
      /has no exit back: add one to room "well-shaft".*leading to "whispering-woods:sett-tunnel"/,
    );
  });

  it("refuses a room that cannot be reached from the entry room", () => {
    const errors = errorsAfter((p) => {
      p.zone(START).rooms.push({
        id: "sealed-vault",
        name: "A Sealed Vault",
        description: "Dark.",
        exits: {},
        items: [],
        spawns: [],
      });
    });
    expectOnly(
      errors,
      START,
      `rooms.${nextIndex("rooms")}`,
      /"sealed-vault" cannot be reached from the entry room "village-square"/,
    );
  });

  it("does not count a way in from another zone as reachable", () => {
    const errors = errorsAfter((p) => {
      // The well is still reached from the woods' one-way crawlway, but not from the village square.
      delete p.room(START, "village-square").exits.down;
      p.room(START, "well-shaft").oneWay = ["up"];
    });
    expectOnly(errors, START, room("well-shaft"), /"well-shaft" cannot be reached/);
  });

  it("needs the entry and bind rooms to be rooms of the zone", () => {
    expectOnly(
      errorsAfter((p) => {
        p.zone(WOODS).bindRoom = "village-square";
      }),
      WOODS,
      "bindRoom",
      /is not a room of this zone: use one of "woods-edge"/,
    );
    expectOnly(
      errorsAfter((p) => {
        p.zone(WOODS).entryRoom = "deep-woods";
      }),
      WOODS,
      "entryRoom",
      /is not a room of this zone/,
    );
  });
});

describe("instanced exits", () => {
  const DEPTHS = WOODS.replace("whispering-woods", "well-depths");

  it("accepts the well's way down into a private copy of the Drowned Cellars", () => {
    expect(errorsAfter(() => {})).toEqual([]);
  });

  it("refuses an instanced exit to a room of the same zone", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "village-square").instanced = ["down"];
    });
    expectOnly(
      errors,
      START,
      `${room("village-square")}.instanced.0`,
      /instanced exit "down" leads to "well-shaft" in this same zone \("start"\).*remove "down" from "instanced", or point the exit at a room of another zone/,
    );
  });

  it("counts an exit that names its own zone as zone-id:room-id as the same zone", () => {
    const errors = errorsAfter((p) => {
      p.room(DEPTHS, "flooded-cellar").exits.east = "well-depths:wine-vault";
      p.room(DEPTHS, "flooded-cellar").instanced = ["east"];
    });
    expectOnly(
      errors,
      DEPTHS,
      `${room("flooded-cellar", DEPTHS)}.instanced.0`,
      /instanced exit "east" leads to "wine-vault" in this same zone \("well-depths"\)/,
    );
  });

  it("reports a broken instanced exit once, as an exit that leads nowhere", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "smithy").exits.portal = "nowhere";
      p.room(START, "smithy").instanced = ["portal"];
    });
    expectOnly(errors, START, `${room("smithy")}.exits.portal`, /exit "portal" leads nowhere/);
  });

  it("accepts an instanced exit into another zone", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "south-gate").instanced = ["trail"];
    });
    expect(errors).toEqual([]);
  });
});

describe("templates named by rooms, NPCs and loot tables", () => {
  it("refuses an unknown item template in a room", () => {
    const errors = errorsAfter((p) => p.room(START, "smithy").items.push("mithril-sword"));
    expectOnly(
      errors,
      START,
      `${room("smithy")}.items.1`,
      /no item template "mithril-sword": fix the id or add it to items\.json/,
    );
  });

  it("refuses an unknown NPC template in a spawn", () => {
    const errors = errorsAfter((p) => p.room(WOODS, "stone-circle").spawns.push({ npc: "dragon", count: 1 }));
    expectOnly(errors, WOODS, `${room("stone-circle", WOODS)}.spawns.1.npc`, /no NPC template "dragon"/);
  });

  it("refuses an NPC whose loot table does not exist", () => {
    const errors = errorsAfter((p) => {
      p.npc("thornback-wolf").lootTable = "dragon-hoard";
    });
    expectOnly(
      errors,
      NPCS,
      `${pathOf("npcs", "thornback-wolf")}.lootTable`,
      /no loot table "dragon-hoard".*add the table to loot\.json/,
    );
  });

  it("refuses a loot entry naming a missing item", () => {
    const errors = errorsAfter((p) => p.loot("lamplighter-loot").entries.push({ item: "golden-egg", weight: 1 }));
    expectOnly(
      errors,
      LOOT,
      `${pathOf("lootTables", "lamplighter-loot")}.entries.2.item`,
      /no item template "golden-egg"/,
    );
  });
});

describe("unique ids", () => {
  it("refuses two item templates with one id, pointing at the second", () => {
    const errors = errorsAfter((p) => p.items.push({ ...p.item("cracked-mug"), name: "another mug" }));
    expectOnly(
      errors,
      ITEMS,
      `items.${nextIndex("items")}.id`,
      /duplicate item id "cracked-mug", first defined in .*items\.json at items\.\d+\.id: rename/,
    );
  });

  it("refuses a room id used in two zones", () => {
    const errors = errorsAfter((p) => {
      p.room(WOODS, "oak-canopy").id = "inn-loft";
      p.room(WOODS, "old-oak").exits.up = "inn-loft";
    });
    // The second "inn-loft" is not registered, so the oak's exit up to it is reported as well.
    expect(errors[0]).toEqual({
      file: WOODS,
      path: `${room("oak-canopy", WOODS)}.id`,
      message: expect.stringMatching(/duplicate room id "inn-loft", first defined in .*start\.json at rooms\.2\.id/),
    });
  });

  it("refuses two NPCs or loot tables with one id", () => {
    const npcs = errorsAfter((p) => p.npcs.push({ ...p.npc("well-rat") }));
    expectOnly(npcs, NPCS, `npcs.${nextIndex("npcs")}.id`, /duplicate NPC id "well-rat"/);
    const loot = errorsAfter((p) => p.lootTables.push({ ...p.loot("rat-loot") }));
    expectOnly(loot, LOOT, `lootTables.${nextIndex("lootTables")}.id`, /duplicate loot table id/);
  });
});

describe("locks and keys", () => {
  it("refuses a locked exit that no key opens", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "smithy").locked = ["east"];
    });
    expectOnly(
      errors,
      START,
      `${room("smithy")}.locked.0`,
      /no key in this pack: add an item of type "key" with "opens": \{ "room": "smithy", "direction": "east" \}/,
    );
  });

  it("refuses a key for an exit that does not exist", () => {
    const errors = errorsAfter((p) =>
      p.items.push({ ...p.item("brass-tower-key"), id: "bent-key", opens: { room: "tower-steps", direction: "east" } }),
    );
    expectOnly(
      errors,
      ITEMS,
      `items.${nextIndex("items")}.opens.direction`,
      /room "tower-steps" has no "east" exit \(its exits: "south", "north", "portal"\)/,
    );
  });

  it("refuses a key for an exit that is not locked", () => {
    const errors = errorsAfter((p) =>
      p.items.push({ ...p.item("brass-tower-key"), id: "bent-key", opens: { room: "smithy", direction: "east" } }),
    );
    expectOnly(
      errors,
      ITEMS,
      `items.${nextIndex("items")}.opens.direction`,
      /is not locked, so this key opens nothing/,
    );
  });

  it("refuses a key for a room that does not exist", () => {
    const errors = errorsAfter((p) => {
      const key = p.item("brass-tower-key");
      key.opens = { room: "dungeon", direction: "north" };
    });
    // The door it used to open is left without a key, so that is reported as well.
    expect(errors).toEqual([
      {
        file: ITEMS,
        path: `${pathOf("items", "brass-tower-key")}.opens.room`,
        message: expect.stringMatching(/no room "dungeon"/),
      },
      { file: START, path: `${room("tower-steps")}.locked.0`, message: expect.stringMatching(/no key in this pack/) },
    ]);
  });

  it("accepts a key that names its room as zone-id:room-id", () => {
    const errors = errorsAfter((p) => {
      p.item("brass-tower-key").opens = { room: "start:tower-steps", direction: "north" };
    });
    expect(errors).toEqual([]);
  });
});
