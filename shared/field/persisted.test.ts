import { describe, expect, it } from "vitest";
import { readSavedField, writeSavedField } from "./persisted";
import type { FieldState } from "./types";

/** A field as the zone saves it: a player mid-cast, an enemy winding up, a missile in flight. */
function savedField(): { state: FieldState; entities: Record<string, string> } {
  const state: FieldState = {
    zoneId: "test-area",
    tick: 120,
    settings: { width: 1000, height: 800, tickHz: 20, snapshotHz: 10, viewRadius: 400, playerSpeed: 160 },
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

describe("the stored field", () => {
  it("reads back exactly the field it wrote, at version 1", () => {
    const saved = savedField();
    const row = JSON.parse(JSON.stringify(writeSavedField(saved)));
    expect(row.v).toBe(1);
    expect(readSavedField(row)).toEqual({ ok: true, value: saved });
  });

  it("upgrades a version-0 row (`{ state, entities }` without a version)", () => {
    const saved = savedField();
    expect(readSavedField(JSON.parse(JSON.stringify(saved)))).toEqual({ ok: true, value: saved });
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
  });
});
