import { describe, expect, it } from "vitest";
import { allSkills, findSkill, registerSkill, resolveSkill, type SkillRule, skillRule, skillsOf } from "./skills";

describe("the skill registry", () => {
  it("names each skill by one id, and keeps the old words as aliases of it", () => {
    expect(allSkills().map((s) => s.id)).toEqual(["magic-missile", "arcane-nova", "heal", "cleave"]);
    // The field's old wire ids and what MUD players type name the same skills.
    expect(resolveSkill("missile")?.id).toBe("magic-missile");
    expect(resolveSkill("mm")?.id).toBe("magic-missile");
    expect(resolveSkill("nova")?.id).toBe("arcane-nova");
    expect(resolveSkill("heal")?.id).toBe("heal");
    for (const word of ["fireball", "constructor", "__proto__", "toString", "", "Missile"]) {
      expect(resolveSkill(word), word).toBeUndefined();
    }
  });

  it("finds what a MUD player typed: id, alias or name in any case, else a unique id prefix", () => {
    expect(findSkill("MM")?.id).toBe("magic-missile");
    expect(findSkill("Arcane Nova")?.id).toBe("arcane-nova");
    expect(findSkill("cle")?.id).toBe("cleave");
    expect(findSkill("arc")?.id).toBe("arcane-nova");
    expect(findSkill("fireball")).toBeUndefined();
  });

  it("gives each class its skills: the Mage three, the Warrior Cleave, an unknown class none", () => {
    expect(skillsOf("mage")).toEqual(["magic-missile", "arcane-nova", "heal"]);
    expect(skillsOf("warrior")).toEqual(["cleave"]);
    expect(skillsOf("bard")).toEqual([]);
  });

  it("holds one cost, cooldown, cast time and range per skill for every zone kind", () => {
    expect(skillRule("missile")).toMatchObject({ manaCost: 8, cooldownMs: 500, castMs: 0, range: 600 });
    expect(skillRule("arcane-nova")).toMatchObject({ manaCost: 25, cooldownMs: 6000, castMs: 300, range: 160 });
    expect(skillRule("heal")).toMatchObject({ manaCost: 20, cooldownMs: 3000, castMs: 1000, range: 350 });
    expect(skillRule("cleave")).toMatchObject({ manaCost: 6, cooldownMs: 2000, castMs: 0, range: 60, shape: "cleave" });
    expect(() => skillRule("fireball")).toThrow(/no skill "fireball"/);
  });

  it("lets a pack register a skill, and refuses one whose id or alias is already a word for another", () => {
    const frost: SkillRule = {
      ...skillRule("magic-missile"),
      id: "frost-bolt",
      name: "Frost Bolt",
      aliases: ["frost"],
      classes: ["mage"],
    };
    expect(() => registerSkill({ ...frost, aliases: ["mm"] })).toThrow(/"mm" already names "magic-missile"/);
    expect(() => registerSkill({ ...frost, id: "heal" })).toThrow(/"heal" already names "heal"/);
    expect(resolveSkill("frost-bolt")).toBeUndefined();
  });
});
