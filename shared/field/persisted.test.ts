import { describe, expect, it } from "vitest";
import { CharacterSnapshot } from "../protocol/character";
import { readSavedField, type SavedField, upgradeFieldV1, writeSavedField } from "./persisted";
import { DEFAULT_FIELD_SETTINGS } from "./settings";
import type { FieldState } from "./types";

/** A field as a version-1 row held it: a player mid-cast, an enemy winding up, a missile in flight. */
function fieldV1(): { state: FieldState; entities: Record<string, string> } {
  const state: FieldState = {
    zoneId: "test-area",
    tick: 120,
    settings: {
      width: 1000,
      height: 800,
      tickHz: 20,
      snapshotHz: 10,
      viewRadius: 400,
      playerSpeed: 160,
      snapshotBytes: 1500,
    },
    obstacles: [{ x: 10, y: 20, w: 30, h: 40 }],
    spawn: { x: 100, y: 100 },
    players: {
      p1: {
        id: "p1",
        name: "Ada",
        pos: { x: 101.5, y: 99 },
        move: { x: 1, y: 0 },
        aim: null,
        classId: "mage",
        level: 2,
        xp: 130,
        attributes: { str: 8, dex: 10, int: 14, vit: 9 },
        equipped: [{ modifiers: [{ stat: "int", flat: 2 }] }],
        effects: [
          {
            name: "Warmth",
            kind: "hot",
            duration_ticks: 50,
            interval_ticks: 10,
            magnitude: 3,
            source: "p1",
            remaining_ticks: 20,
          },
        ],
        hp: 60,
        maxHp: 70,
        mp: 40,
        maxMp: 90,
        power: 7,
        might: 2,
        skills: ["magic-missile", "heal"],
        readyAt: { "magic-missile": 125 },
        cast: { skill: "heal", completesAt: 130, targetId: "p1" },
        invulnerableUntil: 0,
        respawnAt: null,
        lastInputSeq: 42,
      },
    },
    enemies: {
      e3: {
        id: "e3",
        template: "wisp",
        name: "Wisp",
        pos: { x: 200, y: 200 },
        home: { x: 210, y: 190 },
        hp: 20,
        maxHp: 30,
        state: "windup",
        stateUntil: 125,
        targetId: "p1",
        telegraph: { shape: "circle", x: 110, y: 100, r: 40, hitsAt: 125 },
        resident: true,
      },
    },
    missiles: {
      m4: {
        id: "m4",
        ownerId: "p1",
        source: "magic-missile",
        pos: { x: 120, y: 100 },
        vel: { x: 20, y: 0 },
        damage: 12,
        expiresAt: 140,
      },
    },
    respawns: [{ template: "wisp", at: { x: 50, y: 60 }, dueAt: 300 }],
    nextId: 5,
  };
  return { state, entities: { "character-1": "p1" } };
}

const TRAVELLER_ID = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

/** A field as the zone saves it now: besides the field, what players hold and a traveller on its way. */
function savedField(): SavedField {
  const character = CharacterSnapshot.parse({
    id: TRAVELLER_ID,
    accountId: "5f2d7e60-1c1b-4c3e-8f7a-2a9b8c7d6e5f",
    name: "Bea",
    class: "warrior",
    level: 3,
    xp: 400,
    hp: 50,
    mp: 10,
    str: 12,
    dex: 10,
    int: 8,
    vit: 11,
    zoneId: "start",
    roomId: "tower-study",
    x: 0,
    y: 0,
    playSeconds: 60,
    version: 4,
  });
  return {
    ...fieldV1(),
    holdings: {
      "character-1": [{ templateId: "iron-cap", slot: "head", durability: 100 }, { templateId: "rat-tail" }],
      [TRAVELLER_ID]: [{ templateId: "travellers-satchel" }, { templateId: "cracked-mug", inside: 0 }],
    },
    arrivals: {
      [TRAVELLER_ID]: {
        transferId: "transfer-1",
        character,
        effects: [
          {
            name: "Ward",
            kind: "buff",
            duration_ticks: 100,
            interval_ticks: 0,
            magnitude: 2,
            stat: "defense",
            source: "npc-3",
            remaining_ticks: 40,
          },
        ],
        place: "portal",
      },
    },
  };
}

describe("the stored field", () => {
  it("reads back exactly the field it wrote, holdings and arrivals included, at version 2", () => {
    const saved = savedField();
    const row = JSON.parse(JSON.stringify(writeSavedField(saved)));
    expect(row.v).toBe(2);
    expect(readSavedField(row)).toEqual({ ok: true, value: saved });
  });

  it("upgrades a version-1 row to one whose players hold nothing and where nobody is expected", () => {
    const v1 = { v: 1, ...fieldV1() };
    expect(upgradeFieldV1(JSON.parse(JSON.stringify(v1)))).toEqual({ ...v1, holdings: {}, arrivals: {} });
    expect(readSavedField(JSON.parse(JSON.stringify(v1)))).toEqual({
      ok: true,
      value: { ...fieldV1(), holdings: {}, arrivals: {} },
    });
  });

  it("upgrades a version-0 row (`{ state, entities }` without a version) through 1 to 2", () => {
    expect(readSavedField(JSON.parse(JSON.stringify(fieldV1())))).toEqual({
      ok: true,
      value: { ...fieldV1(), holdings: {}, arrivals: {} },
    });
  });

  it("gives a field saved before the snapshot byte budget existed the default budget", () => {
    const old = JSON.parse(JSON.stringify({ v: 2, ...fieldV1(), holdings: {}, arrivals: {} }));
    delete old.state.settings.snapshotBytes;
    const read = readSavedField(old);
    expect(read.ok && read.value.state.settings.snapshotBytes).toBe(DEFAULT_FIELD_SETTINGS.snapshotBytes);
  });

  it("refuses a corrupt field with the reason, never a half-read one", () => {
    const broken = JSON.parse(JSON.stringify(savedField()));
    broken.state.players.p1.pos = { x: "left" };
    expect(readSavedField(broken)).toEqual({
      ok: false,
      error: expect.stringMatching(/^field_world: state\.players\.p1\.pos\.x: /),
    });
    expect(readSavedField({ v: 1, state: savedField().state })).toEqual({
      ok: false,
      error: expect.stringMatching(/^field_world: entities: /),
    });
    const lost = { ...JSON.parse(JSON.stringify(writeSavedField(savedField()))), holdings: { "character-1": [{}] } };
    expect(readSavedField(lost)).toEqual({
      ok: false,
      error: expect.stringMatching(/^field_world: holdings\.character-1\.0\.templateId: /),
    });
    const { holdings: _gone, ...unheld } = JSON.parse(JSON.stringify(writeSavedField(savedField())));
    expect(readSavedField(unheld)).toEqual({ ok: false, error: expect.stringMatching(/^field_world: holdings: /) });
  });
});
