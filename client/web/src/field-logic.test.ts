import { describe, expect, it } from "vitest";
import type { DrawnEntity } from "../../sdk";
import {
  cameraScale,
  cooldownLeft,
  estimateTick,
  eventLine,
  moveFromKeys,
  planCast,
  skillShape,
  skillState,
  stickMove,
  telegraphFill,
  toScreen,
  toWorld,
} from "./field-logic";

const me = { id: "p1", x: 100, y: 100 };
const ent = (id: string, k: string, x: number, y: number, extra: Record<string, unknown> = {}) =>
  ({ id, k, x, y, hp: 10, mhp: 10, ...extra }) as DrawnEntity;

describe("field-logic", () => {
  it("turns held keys into a unit movement, and opposites into none", () => {
    expect(moveFromKeys(new Set())).toEqual({ x: 0, y: 0 });
    expect(moveFromKeys(new Set(["up"]))).toEqual({ x: 0, y: -1 });
    const diagonal = moveFromKeys(new Set(["down", "right"]));
    expect(Math.hypot(diagonal.x, diagonal.y)).toBeCloseTo(1);
    expect(diagonal.x).toBeCloseTo(diagonal.y);
    expect(moveFromKeys(new Set(["left", "right"]))).toEqual({ x: 0, y: 0 });
  });

  it("reads a touch drag as a stick with a dead zone and full speed at its rim", () => {
    expect(stickMove({ x: 0, y: 0 }, { x: 3, y: 0 })).toEqual({ x: 0, y: 0 });
    expect(stickMove({ x: 0, y: 0 }, { x: 25, y: 0 }).x).toBeCloseTo(0.5);
    expect(stickMove({ x: 0, y: 0 }, { x: 0, y: -200 })).toEqual({ x: 0, y: -1 });
  });

  it("maps screen and world points both ways around the camera", () => {
    const cam = { cx: 500, cy: 300, scale: 0.5, w: 400, h: 200 };
    expect(toScreen(cam, { x: 500, y: 300 })).toEqual({ x: 200, y: 100 });
    const p = toWorld(cam, 0, 0);
    expect(p).toEqual({ x: 100, y: 100 });
    expect(toScreen(cam, p)).toEqual({ x: 0, y: 0 });
    expect(cameraScale(1600, 900)).toBe(1);
    expect(cameraScale(390, 600)).toBeCloseTo(390 / 700);
    expect(cameraScale(100, 100)).toBe(0.45);
  });

  it("estimates the tick and the cooldown left from the newest snapshot", () => {
    expect(estimateTick(undefined, 1000, 20)).toBeUndefined();
    expect(estimateTick({ tick: 100, at: 1000 }, 1250, 20)).toBe(105);
    expect(cooldownLeft(110, 105, 500, 20)).toEqual({ seconds: 0.25, fraction: 0.5 });
    expect(cooldownLeft(0, 105, 500, 20)).toEqual({ seconds: 0, fraction: 0 });
  });

  it("fills a telegraph from when it was first seen to the tick its hit lands", () => {
    expect(telegraphFill(100, 112, 100)).toBe(0);
    expect(telegraphFill(100, 112, 106)).toBe(0.5);
    expect(telegraphFill(100, 112, 130)).toBe(1);
    expect(telegraphFill(112, 112, 112)).toBe(1);
  });

  it("knows the built-in skills' shapes", () => {
    expect(skillShape("magic-missile")).toBe("bolt");
    expect(skillShape("arcane-nova")).toBe("burst");
    expect(skillShape("heal")).toBe("mend");
    expect(skillShape("cleave")).toBe("cleave");
  });

  it("aims a bolt at the living enemy in range nearest the cursor, else at the cursor", () => {
    const entities = [
      ent("p1", "p", 100, 100),
      ent("e1", "e", 300, 100),
      ent("e2", "e", 300, 300),
      ent("e3", "e", 310, 300, { hp: 0 }),
      ent("e4", "e", 2000, 2000),
      ent("m1", "m", 290, 290),
    ];
    expect(planCast("bolt", me, entities, { x: 320, y: 320 }, 600)).toEqual({ target: "e2" });
    expect(planCast("bolt", me, entities, { x: 290, y: 90 }, 600)).toEqual({ target: "e1" });
    expect(planCast("bolt", me, entities, undefined, 600)).toEqual({ target: "e1" });
    expect(planCast("bolt", me, [entities[0] as DrawnEntity], { x: 5, y: 6 }, 600)).toEqual({ aim: { x: 5, y: 6 } });
    expect(planCast("cleave", me, entities, { x: 300, y: 100 }, 60, { x: 1, y: 0 })).toEqual({
      aim: { x: 300, y: 100 },
    });
    expect(planCast("cleave", me, [], undefined, 60, { x: 0, y: 1 })).toEqual({ aim: { x: 100, y: 160 } });
    expect(planCast("burst", me, entities, { x: 300, y: 100 }, 160)).toEqual({});
  });

  it("heals the ally under the cursor, or the caster when none is near it", () => {
    const entities = [
      ent("p1", "p", 100, 100),
      ent("p2", "p", 200, 100),
      ent("p3", "p", 210, 100, { s: "dead" }),
      ent("e1", "e", 205, 100),
    ];
    expect(planCast("mend", me, entities, { x: 205, y: 110 }, 350)).toEqual({ target: "p2" });
    expect(planCast("mend", me, entities, { x: 600, y: 600 }, 350)).toEqual({});
    expect(planCast("mend", me, entities, undefined, 350)).toEqual({});
  });

  it("says why a skill cannot be cast, in the order the server checks", () => {
    const missile = { id: "magic-missile", manaCost: 8, cooldownMs: 500 };
    const self = ent("p1", "p", 0, 0, { mp: 20, rd: { "magic-missile": 110 } });
    expect(skillState(missile, self, 120, 20).state).toBe("ready");
    expect(skillState(missile, self, 105, 20)).toEqual({ state: "cooldown", seconds: 0.25, fraction: 0.5 });
    expect(skillState(missile, { ...self, mp: 3 }, 120, 20).state).toBe("mana");
    expect(skillState(missile, { ...self, c: "heal" }, 120, 20).state).toBe("casting");
    expect(skillState(missile, { ...self, s: "dead", hp: 0 }, 120, 20).state).toBe("dead");
    expect(skillState(missile, undefined, 120, 20).state).toBe("dead");
  });

  it("turns the events worth telling into log lines", () => {
    const name = (id: unknown) => ({ e1: "Arcane Golem", heal: "Heal" })[String(id)] ?? String(id);
    const line = (e: Record<string, unknown>) => eventLine({ type: "", tick: 1, ...e }, "p1", name, 20);
    expect(line({ type: "refused", to: "p1", skill: "heal", reason: "mana" })).toEqual(["Not enough mana", "warn"]);
    expect(line({ type: "refused", skill: "heal", reason: "cooldown", readyInTicks: 10 })).toEqual([
      "Heal is not ready yet (0.5 s)",
      "warn",
    ]);
    expect(line({ type: "death", target: "p1", by: "e1" })).toEqual(["You were slain by Arcane Golem", "warn"]);
    expect(line({ type: "death", target: "e1", by: "p1" })).toEqual(["You defeated Arcane Golem", "info"]);
    expect(line({ type: "death", target: "e1", by: "p2" })).toBeUndefined();
    expect(line({ type: "xp", amount: 20, xp: 45 })).toEqual(["+20 XP (45 total)", "xp"]);
    expect(line({ type: "loot", items: ["health-potion"] })).toEqual(["You found: health potion", "loot"]);
    expect(line({ type: "level_up", target: "p1", level: 2 })).toEqual(["You reached level 2!", "level"]);
    expect(line({ type: "hit", target: "p1", amount: 5 })).toBeUndefined();
  });
});
