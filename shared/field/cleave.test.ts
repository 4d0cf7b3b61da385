/**
 * The Warrior in a field: Cleave sweeps an arc in front of it at once, through the same tick step
 * as every skill (mana and cooldown charged when it lands, deaths and experience handled by the
 * step), and a class never casts another class's skills. Also: old field ids still work as aliases.
 */
import { describe, expect, it } from "vitest";
import { skillRule } from "../rules/skills";
import { HZ, player, run, tickWith, withEnemy, withPlayer, world } from "./field.fixtures";
import type { FieldCommand } from "./step";
import { ENEMY_RADIUS, type FieldState, ticksFor, type Vec } from "./types";

const CLEAVE = skillRule("cleave");
/** Fixture players have every attribute 10: attack 5, so Cleave deals its amount + 5 at level 1. */
const DAMAGE = CLEAVE.amount + 5;
const REACH = CLEAVE.range + ENEMY_RADIUS;

const warriorAt = (at: Vec = { x: 500, y: 500 }, extra = {}) =>
  withPlayer(world(), "w", at, { classId: "warrior", ...extra });
const cleave = (extra: { aim?: Vec; target?: string } = {}): FieldCommand => ({
  kind: "cast",
  playerId: "w",
  skill: "cleave",
  ...extra,
});
const enemies = (state: FieldState, spots: Vec[]) => {
  const ids: string[] = [];
  let s = state;
  for (const at of spots) {
    const added = withEnemy(s, "golem", at);
    s = added.state;
    ids.push(added.id);
  }
  return { state: s, ids };
};

describe("Cleave in a field", () => {
  it("strikes at once every enemy within reach inside its arc towards the aim, and spends its mana", () => {
    // East of the warrior: inside reach and arc; just out of reach; behind; to the side beyond 60°.
    const { state, ids } = enemies(warriorAt(), [
      { x: 500 + REACH - 1, y: 500 },
      { x: 540, y: 520 },
      { x: 500 + REACH + 2, y: 500 },
      { x: 450, y: 500 },
      { x: 505, y: 450 },
    ]);
    const out = tickWith(state, [cleave({ aim: { x: 900, y: 500 } })]);
    expect(out.events.find((e) => e.type === "cast")).toMatchObject({ by: "w", skill: "cleave" });
    const hits = out.events.filter((e) => e.type === "hit");
    expect(hits.map((e) => e.type === "hit" && [e.target, e.amount, e.source])).toEqual([
      [ids[0], DAMAGE, "cleave"],
      [ids[1], DAMAGE, "cleave"],
    ]);
    for (const id of ids.slice(2)) expect(out.state.enemies[id]?.hp).toBe(60);
    expect(player(out.state, "w")).toMatchObject({
      mp: 100 - CLEAVE.manaCost,
      readyAt: { cleave: 1 + ticksFor(CLEAVE.cooldownMs, HZ) },
    });
  });

  it("aims at a named enemy in reach, refuses one out of reach, and waits for its cooldown", () => {
    const { state, ids } = enemies(warriorAt(), [
      { x: 500, y: 500 + REACH - 1 },
      { x: 500, y: 500 - REACH - 5 },
    ]);
    const near = tickWith(state, [cleave({ target: ids[0] })]);
    expect(near.events.filter((e) => e.type === "hit")).toMatchObject([{ target: ids[0], amount: DAMAGE }]);
    const far = tickWith(state, [cleave({ target: ids[1] })]);
    expect(far.events.filter((e) => e.type === "refused")).toMatchObject([{ skill: "cleave", reason: "out_of_range" }]);
    const again = run(near.state, 1, () => [cleave({ target: ids[0] })]);
    expect(again.events.filter((e) => e.type === "refused" || e.type === "hit")).toMatchObject([
      { type: "refused", reason: "cooldown" },
    ]);
  });

  it("kills with the sweep and earns the experience", () => {
    const { state, ids } = enemies(warriorAt(), [{ x: 540, y: 500 }]);
    const [id] = ids as [string];
    const weak = { ...state, enemies: { ...state.enemies, [id]: { ...state.enemies[id], hp: 3 } } } as FieldState;
    const out = tickWith(weak, [cleave({ aim: { x: 900, y: 500 } })]);
    expect(out.events.find((e) => e.type === "death")).toMatchObject({ target: id, by: "w" });
    expect(player(out.state, "w").xp).toBe(20);
  });

  it("swings at nothing without refusing (mana and cooldown are spent), but needs an aim", () => {
    const out = tickWith(warriorAt(), [cleave({ aim: { x: 0, y: 0 } })]);
    expect(out.events).toMatchObject([{ type: "cast", skill: "cleave" }]);
    expect(player(out.state, "w").mp).toBe(100 - CLEAVE.manaCost);
    expect(tickWith(warriorAt(), [cleave()]).events).toMatchObject([{ type: "refused", reason: "no_target" }]);
  });

  it("belongs to the Warrior: a Mage cannot cleave, and a Warrior cannot cast the Mage's missile", () => {
    const mage = withPlayer(world(), "m", { x: 100, y: 100 });
    const byMage = tickWith(mage, [{ kind: "cast", playerId: "m", skill: "cleave", aim: { x: 200, y: 100 } }]);
    expect(byMage.events).toMatchObject([{ type: "refused", skill: "cleave", reason: "unknown_skill" }]);
    const byWarrior = tickWith(warriorAt(), [{ kind: "cast", playerId: "w", skill: "missile", aim: { x: 0, y: 0 } }]);
    expect(byWarrior.events).toMatchObject([{ type: "refused", skill: "missile", reason: "unknown_skill" }]);
  });
});

describe("old field skill ids", () => {
  it("are aliases: `missile` and `nova` cast Magic Missile and Arcane Nova, and events name the ids", () => {
    const s = withPlayer(world(), "p1", { x: 100, y: 100 });
    const missile = tickWith(s, [{ kind: "cast", playerId: "p1", skill: "missile", aim: { x: 500, y: 100 } }]);
    expect(missile.events).toMatchObject([{ type: "cast", skill: "magic-missile" }]);
    expect(Object.values(missile.state.missiles)).toMatchObject([{ source: "magic-missile" }]);
    expect(player(missile.state, "p1").readyAt["magic-missile"]).toBeGreaterThan(0);
    const nova = tickWith(s, [{ kind: "cast", playerId: "p1", skill: "nova" }]);
    expect(nova.events).toMatchObject([{ type: "cast", skill: "arcane-nova" }]);
    expect(player(nova.state, "p1").cast).toMatchObject({ skill: "arcane-nova" });
  });
});
