/**
 * Travel in and out of a field zone: where travellers enter, when a body in an exit region is
 * reported leaving, and what the content schema accepts for places and exits.
 */
import { describe, expect, it } from "vitest";
import { loadArcaneRealms } from "../content/arcane-realms";
import { FieldZoneSchema } from "../content/field-schema";
import { describeIssue } from "../content/issues";
import { destinationOf } from "../world/traveller";
import { fieldZone } from "./content";
import { createField } from "./field";
import { withPlayer, zone } from "./field.fixtures";
import { departuresOf, placePoint } from "./travel";
import type { FieldState, Vec } from "./types";
import type { FieldZoneDefinition } from "./zones";

const ROAD: FieldZoneDefinition = {
  ...zone({ spawn: { x: 500, y: 500 } }),
  places: { gate: { x: 100, y: 1500 } },
  exits: [
    { x: 0, y: 0, w: 40, h: 2000, to: "start:village-square" },
    { x: 1960, y: 0, w: 40, h: 2000, to: "far-field:gate" },
  ],
};

/** The zone with Ada's body (entity p1 of player char-ada) at `at`. */
const adaAt = (at: Vec, extra = {}): FieldState => withPlayer(createField(ROAD), "p1", at, extra);
const ENTITIES = { "char-ada": "p1" };

describe("a traveller's place", () => {
  it("is the named point, or the spawn for a name the zone does not know", () => {
    const state = createField(ROAD);
    expect(placePoint(ROAD, state, "gate")).toEqual({ x: 100, y: 1500 });
    expect(placePoint(ROAD, state, "tower-study")).toEqual({ x: 500, y: 500 });
    expect(placePoint(ROAD, state, "constructor")).toEqual({ x: 500, y: 500 });
    expect(placePoint(ROAD, state, undefined)).toEqual({ x: 500, y: 500 });
  });

  it("stays on the map when a GM has shrunk it", () => {
    const small = createField(ROAD, { ...ROAD.settings, width: 1000, height: 1000 });
    expect(placePoint(ROAD, small, "gate")).toEqual({ x: 100, y: 988 });
  });
});

describe("leaving through an exit", () => {
  it("is reported once for a living body in the region, by player id, with where the exit leads", () => {
    const leaving = new Set<string>();
    const state = adaAt({ x: 20, y: 700 });
    expect(departuresOf(ROAD, state, ENTITIES, leaving)).toEqual([
      { playerId: "char-ada", to: { zoneId: "start", place: "village-square" } },
    ]);
    expect(departuresOf(ROAD, state, ENTITIES, leaving)).toEqual([]);
    expect(departuresOf(ROAD, adaAt({ x: 30, y: 900 }), ENTITIES, leaving)).toEqual([]);
  });

  it("is reported again after the body stepped out of the region and back in", () => {
    const leaving = new Set<string>();
    departuresOf(ROAD, adaAt({ x: 20, y: 700 }), ENTITIES, leaving);
    expect(departuresOf(ROAD, adaAt({ x: 200, y: 700 }), ENTITIES, leaving)).toEqual([]);
    expect(departuresOf(ROAD, adaAt({ x: 1990, y: 700 }), ENTITIES, leaving)).toEqual([
      { playerId: "char-ada", to: { zoneId: "far-field", place: "gate" } },
    ]);
  });

  it("is not reported for a dead body, a body elsewhere or a zone without exits", () => {
    const leaving = new Set<string>();
    expect(departuresOf(ROAD, adaAt({ x: 20, y: 700 }, { hp: 0, respawnAt: 40 }), ENTITIES, leaving)).toEqual([]);
    expect(departuresOf(ROAD, adaAt({ x: 500, y: 500 }), ENTITIES, leaving)).toEqual([]);
    const closed = { ...ROAD, exits: [] };
    expect(departuresOf(closed, adaAt({ x: 20, y: 700 }), ENTITIES, leaving)).toEqual([]);
  });
});

describe("places and exits in content", () => {
  const TEST_AREA = loadArcaneRealms().fieldZones.find((z) => z.id === "test-area");

  it("give the Test Area a portal at its spawn and an exit by the west wall back to the foot of the tower", () => {
    expect(TEST_AREA?.places).toEqual({ portal: { x: 150, y: 400 } });
    expect(TEST_AREA?.exits).toEqual([{ x: 0, y: 370, w: 30, h: 60, to: "start:tower-steps" }]);
    const to = destinationOf(TEST_AREA?.exits?.[0]?.to ?? "", "test-area");
    const rooms = loadArcaneRealms()
      .zones.find((z) => z.id === to.zoneId)
      ?.rooms.map((r) => r.id);
    expect(rooms).toContain(to.place);
    expect(fieldZone("test-area")?.exits).toEqual(TEST_AREA?.exits);
  });

  it("give every field enemy's loot table, the golem's among them, a table of the pack", () => {
    const pack = loadArcaneRealms();
    const tables = new Set(pack.lootTables.map((t) => t.id));
    expect(pack.fieldEnemies.find((e) => e.id === "golem")?.loot).toBe("smith-loot");
    for (const enemy of pack.fieldEnemies) if (enemy.loot) expect(tables).toContain(enemy.loot);
  });

  /** The Test Area's file with `over` written over it: the errors the schema reports, as path and message. */
  function problems(over: Record<string, unknown>) {
    const result = FieldZoneSchema.safeParse({ ...TEST_AREA, ...over }, { error: describeIssue });
    return result.success ? [] : result.error.issues.map((i) => [i.path.join("."), i.message]);
  }

  it("default to none, and accept the Test Area as it ships", () => {
    const { places: _p, exits: _e, ...bare } = TEST_AREA ?? {};
    const parsed = FieldZoneSchema.parse(bare);
    expect(parsed.places).toEqual({});
    expect(parsed.exits).toEqual([]);
    expect(problems({})).toEqual([]);
  });

  it("refuse a place off the map, in a wall or in an exit, and a spawn in an exit", () => {
    expect(problems({ places: { far: { x: 1300, y: 10 } } })).toEqual([
      ["places.far", expect.stringMatching(/off the 1200 × 800 map/)],
    ]);
    expect(problems({ places: { wall: { x: 450, y: 250 } } })).toEqual([
      ["places.wall", expect.stringMatching(/overlaps obstacles\.0/)],
    ]);
    expect(problems({ places: { edge: { x: 15, y: 400 } } })).toEqual([
      ["places.edge", expect.stringMatching(/lies in exits\.0/)],
    ]);
    expect(problems({ spawn: { x: 15, y: 400 }, places: {} })).toEqual([
      ["spawn", expect.stringMatching(/lies in exits\.0/)],
    ]);
    expect(problems({ places: { "Big Gate": { x: 100, y: 100 } } })).toEqual([
      ["places.Big Gate", expect.stringMatching(/place name must be lower-case/)],
    ]);
  });

  it("refuse an exit past the map or leading to no `zone:place`", () => {
    expect(problems({ exits: [{ x: 1190, y: 0, w: 30, h: 60, to: "start:tower-study" }] })).toEqual([
      ["exits.0", expect.stringMatching(/reaches 1220,60, past the 1200 × 800 map/)],
    ]);
    for (const to of ["tower-study", "start:", ":tower-study", "Start:Tower"]) {
      expect(problems({ exits: [{ x: 0, y: 370, w: 30, h: 60, to }] })).toEqual([
        ["exits.0.to", expect.stringMatching(/"zone-id:place"/)],
      ]);
    }
    expect(problems({ exits: [{ x: 0, y: 370, w: 30, h: 60, to: "start:tower-study", door: 1 }] })).toHaveLength(1);
  });
});
