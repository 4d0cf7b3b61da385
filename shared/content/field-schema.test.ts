/**
 * Field zones and enemy templates in a content pack: the Arcane Realms pack's Test Area parses as
 * the field engine's zone, and broken field data is reported at its file and field with a fix.
 */
import { describe, expect, it } from "vitest";
import { ARCANE_REALMS_FILES, loadArcaneRealms } from "./arcane-realms";
import { DIR, errorsAfter, FIELD_ENEMIES, START, TEST_AREA } from "./fixture";
import { fileKind, validateContentPack } from "./schema";

/** Expects exactly one error, at this file and field, whose message says how to fix it. */
function expectOnly(errors: unknown, file: string, path: string, fix: RegExp) {
  expect(errors).toEqual([{ file, path, message: expect.stringMatching(fix) }]);
}

describe("field content in the pack", () => {
  it("ships the Test Area and its golem and wisp as the field engine had them", () => {
    const pack = loadArcaneRealms();
    expect(pack.fieldZones.map((z) => z.id)).toContain("test-area");
    expect(pack.fieldZones.find((z) => z.id === "test-area")).toMatchObject({
      name: "Test Area",
      settings: {
        width: 1200,
        height: 800,
        tickHz: 20,
        snapshotHz: 20,
        viewRadius: 500,
        playerSpeed: 160,
        snapshotBytes: 1200,
      },
      obstacles: [
        { x: 420, y: 180, w: 60, h: 140 },
        { x: 420, y: 480, w: 60, h: 140 },
        { x: 760, y: 360, w: 120, h: 80 },
      ],
      spawn: { x: 150, y: 400 },
      enemies: [
        { template: "golem", at: { x: 900, y: 200 } },
        { template: "golem", at: { x: 900, y: 600 } },
        { template: "wisp", at: { x: 1050, y: 400 } },
      ],
      gm: true,
    });
    const testAreaEnemies = pack.fieldEnemies.filter((e) => e.id === "golem" || e.id === "wisp");
    expect(testAreaEnemies.map((e) => [e.id, e.maxHp, e.xp])).toEqual([
      ["golem", 60, 20],
      ["wisp", 25, 8],
    ]);
  });

  it("reads fields/<id>.json and field-enemies.json (or a field-enemies/ folder) by their names", () => {
    expect(fileKind(`${DIR}/fields/arena.json`)).toBe("fieldZone");
    expect(fileKind(`${DIR}/field-enemies.json`)).toBe("fieldEnemies");
    expect(fileKind(`${DIR}/field-enemies/undead.json`)).toBe("fieldEnemies");
  });

  it("fills settings a zone leaves out with the defaults", () => {
    const files = structuredClone(ARCANE_REALMS_FILES);
    const area = files.find((f) => f.path === TEST_AREA)?.data as { settings?: unknown };
    delete area.settings;
    const result = validateContentPack(files);
    expect(result.ok && result.value.fieldZones[0]?.settings).toEqual({
      width: 1200,
      height: 800,
      tickHz: 20,
      snapshotHz: 20,
      viewRadius: 500,
      playerSpeed: 160,
      snapshotBytes: 1200,
    });
  });
});

describe("broken field content", () => {
  it("names a placed enemy whose template does not exist", () => {
    const errors = errorsAfter((p) => {
      const first = p.fieldZone(TEST_AREA).enemies[0];
      if (first) first.template = "dragon";
    });
    expectOnly(errors, TEST_AREA, "enemies.0.template", /no enemy template "dragon" .*add it to field-enemies.json/);
  });

  it("refuses a spawn point inside a wall and an enemy off the map", () => {
    expectOnly(
      errorsAfter((p) => {
        p.fieldZone(TEST_AREA).spawn = { x: 450, y: 200 };
      }),
      TEST_AREA,
      "spawn",
      /overlaps obstacles.0: move it clear/,
    );
    expectOnly(
      errorsAfter((p) => {
        const wisp = p.fieldZone(TEST_AREA).enemies[2];
        if (wisp) wisp.at = { x: 1500, y: 400 };
      }),
      TEST_AREA,
      "enemies.2.at",
      /off the 1200 × 800 map/,
    );
  });

  it("refuses a wall past the map's edge and settings out of their bounds", () => {
    expectOnly(
      errorsAfter((p) => {
        p.fieldZone(TEST_AREA).obstacles.push({ x: 1100, y: 10, w: 200, h: 10 });
      }),
      TEST_AREA,
      "obstacles.3",
      /past the 1200 × 800 map/,
    );
    expectOnly(
      errorsAfter((p) => {
        p.fieldZone(TEST_AREA).settings.snapshotHz = 30;
      }),
      TEST_AREA,
      "settings.snapshotHz",
      /above tickHz/,
    );
    expectOnly(
      errorsAfter((p) => {
        p.fieldZone(TEST_AREA).settings.tickHz = 20.5;
      }),
      TEST_AREA,
      "settings.tickHz",
      /not a whole number/,
    );
  });

  it("refuses a field zone that shares its id with a MUD zone, or whose file is misnamed", () => {
    const shared = errorsAfter((p) => {
      const area = p.files.find((f) => f.path === TEST_AREA);
      if (area) {
        area.path = `${DIR}/fields/start.json`;
        (area.data as { id: string }).id = "start";
      }
      // The portal into the renamed field would lead nowhere: that is another error, not this one.
      delete p.room(START, "tower-steps").exits.portal;
    });
    expectOnly(shared, `${DIR}/fields/start.json`, "id", /also a MUD zone of this pack/);
    expectOnly(
      errorsAfter((p) => {
        p.fieldZone(TEST_AREA).id = "arena";
      }),
      TEST_AREA,
      "id",
      /rename the file to fields\/arena.json/,
    );
  });

  it("refuses an enemy that gives up a chase within Magic Missile's range, and unknown fields", () => {
    expectOnly(
      errorsAfter((p) => {
        p.fieldEnemy("wisp").loseRadius = 600;
      }),
      FIELD_ENEMIES,
      "fieldEnemies.1.loseRadius",
      /not beyond Magic Missile's range of 600/,
    );
    expectOnly(
      errorsAfter((p) => {
        Object.assign(p.fieldEnemy("golem"), { agressive: true });
      }),
      FIELD_ENEMIES,
      "fieldEnemies.0.agressive",
      /unknown field "agressive"/,
    );
    expectOnly(
      errorsAfter((p) => {
        const file = p.files.find((f) => f.path === FIELD_ENEMIES)?.data as { fieldEnemies: unknown[] };
        file.fieldEnemies.push({ ...p.fieldEnemy("golem"), name: "A second golem" });
      }),
      FIELD_ENEMIES,
      "fieldEnemies.2.id",
      /duplicate enemy template id "golem"/,
    );
  });

  it("refuses an exit region leading to no room or place, and a loot table the pack lacks", () => {
    expectOnly(
      errorsAfter((p) => {
        const exit = p.fieldZone(TEST_AREA).exits?.[0];
        if (exit) exit.to = "start:nowhere";
      }),
      TEST_AREA,
      "exits.0.to",
      /"nowhere" is not a room or place of zone "start"/,
    );
    expectOnly(
      errorsAfter((p) => {
        const exit = p.fieldZone(TEST_AREA).exits?.[0];
        if (exit) exit.to = "atlantis:gate";
      }),
      TEST_AREA,
      "exits.0.to",
      /zone "atlantis" is not in this pack/,
    );
    const errors = errorsAfter((p) => {
      p.fieldEnemy("golem").loot = "dragon-hoard";
    });
    expect(errors).toEqual([
      {
        file: FIELD_ENEMIES,
        path: expect.stringMatching(/\.loot$/),
        message: expect.stringMatching(/no loot table "dragon-hoard"/),
      },
    ]);
  });
});
