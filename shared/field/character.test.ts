/**
 * The same character in a MUD room and in a field (docs/decisions.md, D23): equipped and buffed in
 * Lanternmere, it enters a field with the same maxima, powers and skills; kills in a field award
 * the enemy's experience with level-ups; and the zone writes level and experience back.
 */
import { describe, expect, it } from "vitest";
import { playerStats } from "../mud/actors";
import { knownSkills } from "../mud/cast";
import { applyEffect } from "../mud/effects";
import { equippedTemplates } from "../mud/items";
import { MudScenario } from "../mud/testing";
import { spawnItem } from "../mud/world";
import type { CharacterSnapshot } from "../protocol/character";
import { admitCharacter } from "../rules/admission";
import { GUEST_CLASS } from "../rules/classes";
import { fieldCharacterState, fieldPlayer, fieldSkills } from "./character";
import { joinField } from "./field";
import { entrant, player, run, withEnemy, withPlayer, world } from "./field.fixtures";
import { eventsFor } from "./snapshot";
import type { FieldCommand } from "./step";

/** The character row the gateway would hand a zone for this MUD player. */
function snapshotOf(s: MudScenario, id: string): CharacterSnapshot {
  const p = s.player(id);
  return {
    id: "00000000-0000-4000-8000-00000000000a",
    accountId: "00000000-0000-4000-8000-00000000000b",
    name: p.name,
    class: p.classId,
    level: p.level,
    xp: p.xp,
    hp: p.hp,
    mp: p.mp,
    ...p.attributes,
    zoneId: "start",
    roomId: p.roomId,
    x: 0,
    y: 0,
    playSeconds: 0,
    version: 1,
  };
}

describe("one character in a MUD room and in a field", () => {
  it("has the same maxima, spell power and skills in both, gear and effects counted", () => {
    const s = new MudScenario(4);
    s.join("merlin", { classId: "mage", level: 3 });
    const room = s.player("merlin").roomId;
    spawnItem(s.world, s.content, "apprentice-staff", room);
    spawnItem(s.world, s.content, "iron-cap", room);
    for (const line of ["get staff", "wield staff", "get cap", "wear cap"]) s.type("merlin", line);
    const merlin = s.player("merlin");
    const stoneskin = { name: "Stoneskin", kind: "buff" as const, stat: "maxHp" as const, magnitude: 15 };
    merlin.effects = applyEffect(
      merlin.effects,
      { ...stoneskin, duration_ticks: 50, interval_ticks: 50 },
      "x",
      s.tick,
    ).effects;
    const equipped = equippedTemplates(s.world.items, s.content.items, "merlin");
    expect(equipped.map((t) => t.id).sort()).toEqual(["apprentice-staff", "iron-cap"]);
    const mud = playerStats(s.world, s.content, merlin);
    // The staff's +3 int and +10 mana, the cap's +1 vit and the buff's +15 hp all count in the MUD.
    expect(mud).toMatchObject({ int: 17, vit: 9, maxHp: 20 + 9 * 5 + 16 + 15, maxMp: 10 + 17 * 4 + 10 + 10 });

    const admitted = admitCharacter({ id: "p1", name: merlin.name, character: snapshotOf(s, "merlin") }, "mage");
    const field = joinField(world(), { ...admitted, equipped, effects: merlin.effects });
    const p = player(field, "p1");
    expect({ maxHp: p.maxHp, maxMp: p.maxMp }).toEqual({ maxHp: mud.maxHp, maxMp: mud.maxMp });
    expect({ hp: p.hp, mp: p.mp }).toEqual({ hp: merlin.hp, mp: merlin.mp });
    // MUD spells add ⌊int/2⌋ (shared/mud/combat.ts); field power adds a point per level above 1 too.
    expect(p.power).toBe(Math.floor(mud.int / 2) + 2);
    expect(p.skills).toEqual(knownSkills("mage").map((skill) => skill.id));
    expect(fieldSkills(p).map((skill) => [skill.id, skill.manaCost])).toEqual(
      knownSkills("mage").map((skill) => [skill.id, skill.manaCost]),
    );

    // Without the gear (items stay in their MUD zone today), the field derives the bare character.
    const bare = player(joinField(world(), admitted), "p1");
    expect(bare.maxHp).toBe(20 + 8 * 5 + 16);
  });

  it("admits a field guest as the rulebook's fresh Mage, and a Warrior with its own skill", () => {
    const guest = player(joinField(world(), admitCharacter({ id: "p1", name: "Ada" }, GUEST_CLASS.field)), "p1");
    expect(guest).toMatchObject({ classId: "mage", level: 1, hp: 60, maxHp: 60, mp: 66, maxMp: 66, power: 7 });
    expect(guest.readyAt).toEqual({ "magic-missile": 0, "arcane-nova": 0, heal: 0 });
    const warrior = fieldPlayer(entrant("p2", "warrior"), { x: 0, y: 0 });
    expect(warrior).toMatchObject({ skills: ["cleave"], readyAt: { cleave: 0 }, might: 5 });
  });

  it("clamps stored pools into the derived maxima and never admits the dead", () => {
    const p = fieldPlayer(entrant("p1", "mage", { hp: 0, mp: -4 }), { x: 0, y: 0 });
    expect({ hp: p.hp, mp: p.mp }).toEqual({ hp: 1, mp: 0 });
    const full = fieldPlayer(entrant("p1", "mage", { hp: 5000, mp: 5000 }), { x: 0, y: 0 });
    expect({ hp: full.hp, mp: full.mp }).toEqual({ hp: full.maxHp, mp: full.maxMp });
  });
});

describe("experience in a field", () => {
  const kill = (xp: number) => {
    const s0 = withPlayer(world(), "p1", { x: 100, y: 100 }, { xp, hp: 40, mp: 30 });
    const { state, id } = withEnemy(s0, "golem", { x: 300, y: 100 }, { extra: { hp: 1 } });
    const cast: FieldCommand = { kind: "cast", playerId: "p1", skill: "magic-missile", target: id };
    return { id, ...run(state, 10, (tick) => (tick === 1 ? [cast] : [])) };
  };

  it("gives the killer the template's experience, through the rulebook, and tells only the killer", () => {
    const { id, state, events } = kill(0);
    expect(events.filter((e) => e.type === "xp")).toEqual([
      { type: "xp", to: "p1", amount: 20, xp: 20, from: id, tick: expect.any(Number) },
    ]);
    expect(events.some((e) => e.type === "level_up")).toBe(false);
    expect(player(state, "p1")).toMatchObject({ xp: 20, level: 1 });
    const watcher = withPlayer(state, "p2", { x: 110, y: 100 });
    const heard = eventsFor(events, watcher, "p2").map((e) => e.type);
    expect(heard).toContain("death");
    expect(heard).not.toContain("xp");
  });

  it("levels up past a threshold: level, maxima and powers derived again, pools refilled", () => {
    const { state, events } = kill(90);
    expect(events.filter((e) => e.type === "level_up")).toMatchObject([{ target: "p1", level: 2 }]);
    // Every attribute 10 at level 2: 20 + 50 + 8 hp, 10 + 40 + 5 mana, power 5 + 1.
    expect(player(state, "p1")).toMatchObject({ level: 2, xp: 110, hp: 78, maxHp: 78, mp: 55, maxMp: 55, power: 6 });
  });

  it("is written back with the character: pools, position, level and experience", () => {
    const { state } = kill(90);
    const before = { level: 1, xp: 90, hp: 40, mp: 30, x: 0, y: 0 };
    const character = { ...({} as CharacterSnapshot), ...before, name: "Merlin" };
    expect(fieldCharacterState(character, player(state, "p1"))).toMatchObject({
      name: "Merlin",
      level: 2,
      xp: 110,
      hp: 78,
      x: 100,
      y: 100,
    });
  });
});
