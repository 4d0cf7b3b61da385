import { describe, expect, it } from "vitest";
import { admitCharacter } from "./admission";
import { CLASSES, GUEST_CLASS, registerClass } from "./classes";

const mage = { classId: "mage", attributes: { str: 6, dex: 8, int: 14, vit: 8 }, level: 1 };

describe("admitCharacter", () => {
  const snapshot = {
    id: "00000000-0000-4000-8000-000000000001",
    accountId: "00000000-0000-4000-8000-000000000002",
    name: "Merlin",
    class: "mage",
    level: 4,
    xp: 700,
    hp: 12,
    mp: 3,
    str: 7,
    dex: 9,
    int: 16,
    vit: 9,
    zoneId: "start",
    roomId: "village-square",
    x: 0,
    y: 0,
    playSeconds: 0,
    version: 3,
  };

  it("admits a character as stored: class, attributes, level, xp, pools and room", () => {
    expect(admitCharacter({ id: "c1", name: "Merlin", character: snapshot }, GUEST_CLASS.mud)).toEqual({
      id: "c1",
      name: "Merlin",
      classId: "mage",
      attributes: { str: 7, dex: 9, int: 16, vit: 9 },
      level: 4,
      xp: 700,
      hp: 12,
      mp: 3,
      roomId: "village-square",
    });
  });

  it("plays an unregistered class as the zone kind's guest class, with the character's own attributes", () => {
    const admitted = admitCharacter({ id: "c1", name: "M", character: { ...snapshot, class: "bard" } }, "warrior");
    expect(admitted).toMatchObject({ classId: "warrior", attributes: { int: 16 } });
  });

  it("admits a guest as a fresh level-1 member of the guest class with full pools", () => {
    const base = CLASSES.mage?.base ?? { str: 0, dex: 0, int: 0, vit: 0 };
    expect(admitCharacter({ id: "g1", name: "Ada" }, GUEST_CLASS.field)).toEqual({
      id: "g1",
      name: "Ada",
      classId: "mage",
      attributes: base,
      level: 1,
      xp: 0,
      hp: 60,
      mp: 66,
    });
    expect(admitCharacter({ id: "g2", name: "Bo" }, GUEST_CLASS.mud)).toMatchObject({
      classId: "warrior",
      hp: 80,
      mp: 30,
    });
    expect(() => admitCharacter({ id: "g3", name: "X" }, "bard")).toThrow(/not registered/);
  });

  it("lets a pack register a class, but not take an existing id", () => {
    expect(() => registerClass({ id: "mage", name: "M", description: "d", base: mage.attributes })).toThrow(
      /already registered/,
    );
  });
});
