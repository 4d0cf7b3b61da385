import { describe, expect, it } from "vitest";
import type { EffectState } from "../mud/types";
import { characterSheet, skillPower } from "./sheet";
import { skillRule } from "./skills";

const mage = { classId: "mage", attributes: { str: 6, dex: 8, int: 14, vit: 8 }, level: 1 };
const buff = (stat: EffectState["stat"], magnitude: number): EffectState => ({
  name: `buff-${stat}`,
  kind: "buff",
  stat,
  magnitude,
  duration_ticks: 10,
  interval_ticks: 10,
  remaining_ticks: 10,
  source: "test",
});

describe("characterSheet", () => {
  it("derives pools, powers and skills from class, attributes and level", () => {
    expect(characterSheet(mage)).toMatchObject({
      classId: "mage",
      level: 1,
      stats: { maxHp: 20 + 8 * 5, maxMp: 10 + 14 * 4, int: 14, attack: 3 },
      spellPower: 7,
      meleePower: 3,
      skills: ["magic-missile", "arcane-nova", "heal"],
    });
    // Each level above 1 adds 8 hp, 5 mana and one point of each power.
    expect(characterSheet({ ...mage, level: 3 })).toMatchObject({
      stats: { maxHp: 76, maxMp: 76 },
      spellPower: 9,
      meleePower: 5,
    });
  });

  it("counts equipment and active effects, attributes first (a +int staff raises mana and spell power)", () => {
    const staff = {
      modifiers: [
        { stat: "int" as const, flat: 3 },
        { stat: "maxMp" as const, flat: 10 },
      ],
    };
    const sheet = characterSheet(mage, { equipped: [staff], effects: [buff("vit", 2)] });
    expect(sheet.stats).toMatchObject({ int: 17, vit: 10, maxMp: 10 + 17 * 4 + 10, maxHp: 20 + 10 * 5 });
    expect(sheet.spellPower).toBe(8);
  });

  it("scales a skill by spell or melee power as the skill says", () => {
    const sheet = { spellPower: 7, meleePower: 11 };
    expect(skillPower(sheet, skillRule("magic-missile"))).toBe(7);
    expect(skillPower(sheet, skillRule("cleave"))).toBe(11);
  });
});
