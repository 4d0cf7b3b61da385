/**
 * Casting in a MUD room under the rulebook: the Warrior's Cleave (the same skill a field presents
 * as an arc), cooldowns counted in MUD ticks, and mana spent only when a skill takes effect.
 */
import { describe, expect, it } from "vitest";
import { skillRule } from "../rules/skills";
import { cooldownTicks, MUD_TICK_HZ } from "./cast";
import { MudScenario, ofType, texts } from "./testing";

const livingRats = (s: MudScenario) =>
  Object.values(s.world.npcs).filter((n) => n.templateId === "well-rat" && n.respawnAtTick === null);

describe("cast in a MUD room", () => {
  it("turns each cooldown into MUD ticks (whole ticks covering it)", () => {
    expect(MUD_TICK_HZ).toBe(10);
    expect(cooldownTicks(skillRule("magic-missile"))).toBe(5);
    expect(cooldownTicks(skillRule("arcane-nova"))).toBe(60);
    expect(cooldownTicks(skillRule("cleave"))).toBe(20);
    expect(cooldownTicks({ cooldownMs: 0 })).toBe(0);
    expect(cooldownTicks({ cooldownMs: 1 })).toBe(1);
  });

  it("lets a Warrior cleave every rat in the well with its weapon, for the rulebook's 6 mana", () => {
    const s = new MudScenario(3);
    s.join("bob", { roomId: "well-shaft" });
    s.player("bob").attributes.dex = 60; // a 95% chance per rat
    const mp = s.player("bob").mp;
    const seen = s.type("bob", "cast cleave").bob;
    expect(texts(seen, "combat")[0]).toBe("Bob swings a wide cleave!");
    const hits = ofType(seen, "combat").filter((e) => e.payload?.skill === "cleave" && e.payload?.hit === true);
    expect(hits).toHaveLength(2);
    expect(hits.map((e) => e.text)).toEqual(
      hits.map((e) => `Your cleave bites into a bloated well rat for ${e.payload?.damage}.`),
    );
    expect(livingRats(s).every((r) => r.hp < 45)).toBe(true);
    expect(s.player("bob").mp).toBe(mp - 6);
    expect(s.player("bob").targetId).toBe(livingRats(s)[0]?.id);
  });

  it("refuses a skill until its cooldown has passed, without spending mana", () => {
    const s = new MudScenario(5);
    s.join("bob", { roomId: "well-shaft" });
    s.type("bob", "cast cleave");
    const mp = s.player("bob").mp;
    const early = s.type("bob", "cast cleave").bob;
    expect(texts(early, "info")).toEqual(["Cleave is not ready yet (2 s)."]);
    expect(ofType(early, "info")[0]?.payload).toMatchObject({ skill: "cleave", readyInTicks: 19 });
    expect(s.player("bob").mp).toBe(mp);
    s.run(18);
    expect(texts(s.type("bob", "cast cleave").bob, "combat")[0]).toBe("Bob swings a wide cleave!");
  });

  it("starts no cooldown and spends nothing when the skill did not happen", () => {
    const s = new MudScenario(2);
    s.join("merlin", { classId: "mage" });
    s.join("bob");
    s.world.npcs = {};
    expect(texts(s.type("merlin", "cast missile").merlin, "info")).toEqual(["Cast it at whom?"]);
    expect(texts(s.type("bob", "cast cleave").bob, "info")).toEqual(["There is nothing here to strike."]);
    expect(s.player("merlin").skillReadyAt).toBeUndefined();
    expect(s.player("bob").skillReadyAt).toBeUndefined();
    expect(s.player("bob").mp).toBe(30);
  });
});
