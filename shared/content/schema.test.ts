import { describe, expect, it } from "vitest";
import { DIRECTIONS, ITEM_TYPES } from "../mud/types";
import { STARTING_ZONE } from "../rules/classes";
import { ARCANE_REALMS_FILES, loadArcaneRealms } from "./arcane-realms";
import { errorsAfter, ITEMS, NPCS, PACK, pathOf, START } from "./fixture";
import { ContentPackError, fileKind, loadContentPack, validateContentPack } from "./schema";

/** Expects exactly one error, at this file and field, whose message says how to fix it. */
function expectOnly(errors: unknown, file: string, path: string, fix: RegExp) {
  expect(errors).toEqual([{ file, path, message: expect.stringMatching(fix) }]);
}

describe("the Arcane Realms pack", () => {
  const result = validateContentPack(ARCANE_REALMS_FILES);

  it("validates with no errors", () => {
    expect(result.ok ? [] : result.error).toEqual([]);
  });

  const pack = loadArcaneRealms();
  const rooms = pack.zones.flatMap((zone) => zone.rooms);
  const exits = rooms.flatMap((room) => Object.keys(room.exits));

  it("has at least 2 zones and 12 rooms, with the starting zone among them", () => {
    expect(pack.zones.length).toBeGreaterThanOrEqual(2);
    expect(rooms.length).toBeGreaterThanOrEqual(12);
    expect(pack.zones.map((zone) => zone.id)).toContain(STARTING_ZONE);
  });

  it("has at least 6 item templates covering every item type", () => {
    expect(pack.items.length).toBeGreaterThanOrEqual(6);
    expect(new Set(pack.items.map((item) => item.type))).toEqual(new Set(ITEM_TYPES));
  });

  it("has a heal-over-time potion, a staff for mages and a weapon for warriors", () => {
    expect(pack.items.some((item) => item.type === "potion" && item.use?.effect.kind === "hot")).toBe(true);
    const weaponWith = (stat: string) =>
      pack.items.some(
        (item) => item.type === "weapon" && item.modifiers.some((m) => m.stat === stat && (m.flat ?? 0) > 0),
      );
    expect(weaponWith("int")).toBe(true);
    expect(weaponWith("str")).toBe(true);
  });

  it("has at least 4 NPC templates, passive, aggressive and wandering, each with a loot table", () => {
    expect(pack.npcs.length).toBeGreaterThanOrEqual(4);
    expect(pack.npcs.some((npc) => !npc.aggressive)).toBe(true);
    expect(pack.npcs.some((npc) => npc.aggressive)).toBe(true);
    expect(pack.npcs.some((npc) => npc.wanders)).toBe(true);
    const tables = new Set(pack.lootTables.map((table) => table.id));
    for (const npc of pack.npcs) expect(tables).toContain(npc.lootTable);
  });

  it("places every NPC template somewhere", () => {
    const spawned = new Set(rooms.flatMap((room) => room.spawns.map((spawn) => spawn.npc)));
    expect(spawned).toEqual(new Set(pack.npcs.map((npc) => npc.id)));
  });

  it("has a named exit, an up/down exit, and a locked door with its key", () => {
    expect(exits.some((name) => !(DIRECTIONS as readonly string[]).includes(name))).toBe(true);
    expect(exits.some((name) => name === "up" || name === "down")).toBe(true);
    const door = rooms.find((room) => (room.locked ?? []).length > 0);
    expect(door).toBeDefined();
    const key = pack.items.find((item) => item.type === "key");
    expect(key?.opens).toEqual({ room: door?.id, direction: door?.locked?.[0] });
  });

  it("returns the same parsed pack on every load", () => {
    expect(loadArcaneRealms()).toBe(pack);
    expect(result.ok && result.value).toEqual(pack);
  });
});

describe("fileKind", () => {
  it.each([
    ["a/pack.json", "pack"],
    ["a/items.json", "items"],
    ["a/items/weapons.json", "items"],
    ["a/npcs.json", "npcs"],
    ["a/npcs/woods.json", "npcs"],
    ["a/loot.json", "loot"],
    ["a/zones/start.json", "zone"],
    ["a\\zones\\start.json", "zone"],
  ])("reads %s as %s", (path, kind) => {
    expect(fileKind(path)).toBe(kind);
  });

  it.each(["a/rooms.json", "a/items.yaml", "a/zones/start.ts", "README.md"])("does not know %s", (path) => {
    expect(fileKind(path)).toBeUndefined();
  });
});

describe("field rules", () => {
  const sword = pathOf("items", "rusted-shortsword");
  const jerkin = pathOf("items", "quilted-jerkin");
  const draught = pathOf("items", "moonpetal-draught");
  const satchel = pathOf("items", "travellers-satchel");
  const key = pathOf("items", "brass-tower-key");
  const mug = pathOf("items", "cracked-mug");
  const rat = pathOf("npcs", "well-rat");

  it("refuses a weapon without damage", () => {
    const errors = errorsAfter((p) => delete p.item("rusted-shortsword").damage);
    expectOnly(errors, ITEMS, `${sword}.damage`, /weapon needs damage: add "damage"/);
  });

  it("refuses weapons and armour without a slot", () => {
    expectOnly(
      errorsAfter((p) => delete p.item("rusted-shortsword").slot),
      ITEMS,
      `${sword}.slot`,
      /add "slot": "weapon"/,
    );
    expectOnly(
      errorsAfter((p) => delete p.item("quilted-jerkin").slot),
      ITEMS,
      `${jerkin}.slot`,
      /armour needs a slot/,
    );
  });

  it("refuses a potion without use, a container without capacity and a key without opens", () => {
    expectOnly(
      errorsAfter((p) => delete p.item("moonpetal-draught").use),
      ITEMS,
      `${draught}.use`,
      /add "use"/,
    );
    expectOnly(
      errorsAfter((p) => delete p.item("travellers-satchel").capacity),
      ITEMS,
      `${satchel}.capacity`,
      /add "capacity"/,
    );
    expectOnly(
      errorsAfter((p) => delete p.item("brass-tower-key").opens),
      ITEMS,
      `${key}.opens`,
      /add "opens"/,
    );
  });

  it("refuses fields that do not belong to the item's type", () => {
    const errors = errorsAfter((p) => {
      p.item("cracked-mug").damage = { min: 1, max: 2 };
    });
    expectOnly(errors, ITEMS, `${mug}.damage`, /only a weapon has damage: remove it/);
  });

  it("refuses a buff without the stat it changes", () => {
    const errors = errorsAfter((p) => {
      const effect = p.item("moonpetal-draught").use?.effect;
      if (effect) effect.kind = "buff";
    });
    expectOnly(errors, ITEMS, `${draught}.use.effect.stat`, /add "stat"/);
  });

  it.each([
    ["NaN", "level", Number.NaN, /not a number: write a number/],
    ["Infinity", "xp", Number.POSITIVE_INFINITY, /not a number: write a number/],
    ["a negative", "armour", -1, /too small: use at least 0/],
    ["a fraction", "respawnTicks", 2.5, /not a whole number: drop the fraction/],
    ["zero", "level", 0, /too small: use at least 1/],
  ] as const)("refuses %s in an NPC's %s", (_what, field, value, fix) => {
    const errors = errorsAfter((p) => {
      Object.assign(p.npc("well-rat"), { [field]: value });
    });
    expectOnly(errors, NPCS, `${rat}.${field}`, fix);
  });

  it("refuses a damage range whose max is below its min", () => {
    const errors = errorsAfter((p) => {
      p.npc("well-rat").damage = { min: 5, max: 2 };
    });
    expectOnly(errors, NPCS, `${rat}.damage.max`, /make max at least as large as min/);
  });

  it.each([
    ["capital letters", "Rusted-Shortsword"],
    ["spaces", "rusted shortsword"],
    ["underscores", "rusted_shortsword"],
    ["a double hyphen", "rusted--shortsword"],
    ["a trailing hyphen", "rusted-"],
    ["nothing", ""],
  ])("refuses an id with %s", (_what, id) => {
    const errors = errorsAfter((p) => {
      p.item("rusted-shortsword").id = id;
    });
    expectOnly(errors, ITEMS, `${sword}.id`, /item id (must be lower-case|is empty)/);
  });

  it("refuses a room id that is not a slug", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "inn-loft").id = "Inn Loft";
    });
    expectOnly(errors, START, `${pathOf("rooms", "inn-loft")}.id`, /room id must be lower-case/);
  });

  it("names an unknown field and lists the allowed ones", () => {
    const errors = errorsAfter((p) => Object.assign(p.npc("well-rat"), { agressive: true }));
    expectOnly(
      errors,
      NPCS,
      `${rat}.agressive`,
      /unknown field "agressive": remove it or fix its spelling.*aggressive/,
    );
  });

  it("names a missing required field", () => {
    const errors = errorsAfter((p) => Reflect.deleteProperty(p.npc("well-rat"), "attackVerb"));
    expectOnly(errors, NPCS, `${rat}.attackVerb`, /"attackVerb" is missing: add it/);
  });

  it("asks for full direction names in exits", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "smithy").exits.w = "village-square";
    });
    expectOnly(errors, START, `${pathOf("rooms", "smithy")}.exits.w`, /write the exit as "west"/);
  });

  it("refuses a locked entry that is not one of the room's exits", () => {
    const errors = errorsAfter((p) => {
      p.room(START, "smithy").locked = ["north"];
    });
    expectOnly(errors, START, `${pathOf("rooms", "smithy")}.locked.0`, /not an exit of this room/);
  });

  it("refuses an instanced entry that is not one of the room's exits, or is listed twice", () => {
    const wrong = errorsAfter((p) => {
      p.room(START, "well-shaft").instanced = ["down"];
    });
    expectOnly(
      wrong,
      START,
      `${pathOf("rooms", "well-shaft")}.instanced.0`,
      /"down" is not an exit of this room \(its exits: up, deeper\): fix the name or remove it from instanced/,
    );
    const twice = errorsAfter((p) => {
      p.room(START, "well-shaft").instanced = ["deeper", "deeper"];
    });
    expectOnly(twice, START, `${pathOf("rooms", "well-shaft")}.instanced.1`, /"deeper" is listed twice: remove one/);
  });
});

describe("pack files", () => {
  it("refuses a file whose name says nothing about its content", () => {
    const files = [...ARCANE_REALMS_FILES, { path: "shared/content/arcane-realms/monsters.json", data: {} }];
    const result = validateContentPack(files);
    expectOnly(result.ok || result.error, "shared/content/arcane-realms/monsters.json", "", /name it pack\.json/);
  });

  it("needs exactly one pack.json", () => {
    const result = validateContentPack(ARCANE_REALMS_FILES.filter((file) => file.path !== PACK));
    expectOnly(result.ok || result.error, "pack.json", "", /add one with/);
  });

  it("needs a zone file named after its zone", () => {
    const errors = errorsAfter((p) => {
      p.zone(START).id = "village";
    });
    expectOnly(errors, START, "id", /rename the file to zones\/village\.json or the id to "start"/);
  });

  it("loadContentPack throws every error at once, each with its file and field", () => {
    const copy = structuredClone(ARCANE_REALMS_FILES);
    const items = copy.find((file) => file.path === ITEMS)?.data as { items: { damage?: unknown }[] };
    for (const item of items.items) delete item.damage;
    const thrown = (() => {
      try {
        loadContentPack(copy);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ContentPackError);
    const weapons = loadArcaneRealms().items.filter((item) => item.type === "weapon").length;
    expect((thrown as ContentPackError).errors).toHaveLength(weapons);
    expect((thrown as Error).message).toContain(`${ITEMS}: ${pathOf("items", "apprentice-staff")}.damage: a weapon`);
  });
});
