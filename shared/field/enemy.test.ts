import { describe, expect, it } from "vitest";
import { skillRule } from "../rules/skills";
import { fieldPlayer } from "./character";
import { enemyTemplate, enemyTemplateIds } from "./content";
import { type EnemyContext, type EnemyTemplate, spawnEnemy, stepEnemy } from "./enemy";
import { entrant } from "./field.fixtures";
import { distance } from "./geometry";
import { ENEMY_RADIUS, type FieldEnemy, type FieldPlayer, type Rect, ticksFor } from "./types";

const golem = enemyTemplate("golem") as EnemyTemplate;
const HZ = 20;
const HOME = { x: 100, y: 100 };
const WINDUP = ticksFor(golem.windupMs, HZ);
const ATTACK = ticksFor(golem.attackMs, HZ);
const RECOVER = ticksFor(golem.recoverMs, HZ);

function player(id: string, x: number, y: number, extra: Partial<FieldPlayer> = {}): FieldPlayer {
  const pools = { hp: 100, maxHp: 100, mp: 50, maxMp: 50, invulnerableUntil: 0 };
  return { ...fieldPlayer(entrant(id), { x, y }), ...pools, ...extra };
}

function ctx(tick: number, players: FieldPlayer[], obstacles: Rect[] = []): EnemyContext {
  return {
    tick,
    tickHz: HZ,
    players: Object.fromEntries(players.map((p) => [p.id, p])),
    obstacles,
    width: 1000,
    height: 1000,
  };
}

/** A golem at home, already in `state` against `targetId` (when one is given). */
function golemIn(state: FieldEnemy["state"], extra: Partial<FieldEnemy> = {}): FieldEnemy {
  return { ...spawnEnemy("e1", golem, HOME), state, targetId: "p1", ...extra };
}

describe("templates and spawn", () => {
  it("gives every enemy a lose radius beyond Magic Missile's range, so none can be sniped for free", () => {
    for (const id of enemyTemplateIds())
      expect(enemyTemplate(id)?.loseRadius).toBeGreaterThan(skillRule("magic-missile").range);
  });

  it("ships the golem as specified and a faster, weaker wisp", () => {
    expect(golem).toMatchObject({
      name: "Arcane Golem",
      maxHp: 60,
      speed: 80,
      aggroRadius: 250,
      loseRadius: 650,
      leashRadius: 450,
      attackRange: 50,
      windupMs: 600,
      attackMs: 200,
      recoverMs: 800,
      telegraphRadius: 45,
      telegraphOffset: 30,
      damage: 15,
    });
    const wisp = enemyTemplate("wisp") as EnemyTemplate;
    expect(wisp.speed).toBeGreaterThan(golem.speed);
    expect(wisp.maxHp).toBeLessThan(golem.maxHp);
    expect(wisp.damage).toBeLessThan(golem.damage);
  });

  it("spawns idle at home with full hp, no target and no telegraph", () => {
    const at = { x: 5, y: 6 };
    const e = spawnEnemy("e9", golem, at);
    expect(e).toEqual({
      id: "e9",
      template: "golem",
      name: "Arcane Golem",
      pos: { x: 5, y: 6 },
      home: { x: 5, y: 6 },
      hp: 60,
      maxHp: 60,
      state: "idle",
      stateUntil: 0,
      targetId: null,
      telegraph: null,
    });
    expect(e.pos).not.toBe(at);
    expect(e.home).not.toBe(e.pos);
  });
});

describe("idle", () => {
  const idle = () => spawnEnemy("e1", golem, HOME);

  it("aggroes on the nearest living player in range and starts pursuing", () => {
    const out = stepEnemy(idle(), golem, ctx(1, [player("far", 300, 100), player("near", 100, 250)]));
    expect(out.enemy.state).toBe("pursue");
    expect(out.enemy.targetId).toBe("near");
    expect(out.events).toEqual([{ type: "aggro", by: "e1", target: "near", at: HOME }]);
    expect(out.hits).toEqual([]);
  });

  it("ignores players beyond the aggro radius", () => {
    const out = stepEnemy(idle(), golem, ctx(1, [player("p1", 100 + golem.aggroRadius + 1, 100)]));
    expect(out.enemy.state).toBe("idle");
    expect(out.events).toEqual([]);
  });

  it("does not aggro through a wall", () => {
    const wall = { x: 150, y: 0, w: 10, h: 300 };
    const out = stepEnemy(idle(), golem, ctx(1, [player("p1", 200, 100)], [wall]));
    expect(out.enemy.state).toBe("idle");
    expect(out.enemy.targetId).toBeNull();
  });

  it("does not aggro on dead or respawning players", () => {
    const dead = player("dead", 120, 100, { hp: 0 });
    const ghost = player("ghost", 130, 100, { respawnAt: 50 });
    const out = stepEnemy(idle(), golem, ctx(1, [dead, ghost]));
    expect(out.enemy.state).toBe("idle");
    expect(out.events).toEqual([]);
  });

  it("breaks an exact tie by player id, whatever the record order", () => {
    const a = player("a", 100, 200);
    const b = player("b", 100, 0);
    expect(stepEnemy(idle(), golem, ctx(1, [b, a])).enemy.targetId).toBe("a");
    expect(stepEnemy(idle(), golem, ctx(1, [a, b])).enemy.targetId).toBe("a");
  });
});

describe("pursue", () => {
  it("moves towards the target by speed / tickHz", () => {
    const out = stepEnemy(golemIn("pursue"), golem, ctx(1, [player("p1", 300, 100)]));
    expect(out.enemy.state).toBe("pursue");
    expect(out.enemy.pos.x).toBeCloseTo(100 + golem.speed / HZ);
    expect(out.enemy.pos.y).toBeCloseTo(100);
    expect(out.events).toEqual([]);
  });

  it("closes in over several ticks and winds up once in attack range", () => {
    let e = golemIn("pursue");
    const p = player("p1", 200, 100);
    let tick = 0;
    while (e.state === "pursue" && tick < 100) e = stepEnemy(e, golem, ctx(++tick, [p])).enemy;
    expect(e.state).toBe("windup");
    expect(distance(e.pos, p.pos)).toBeLessThanOrEqual(golem.attackRange + 1e-6);
    // It stops at attack range instead of walking into the player.
    expect(distance(e.pos, p.pos)).toBeGreaterThan(golem.attackRange - golem.speed / HZ);
  });

  it("starts the wind-up in range: telegraph ahead of the enemy, hitting after the wind-up", () => {
    const out = stepEnemy(golemIn("pursue"), golem, ctx(7, [player("p1", 100, 140)]));
    const telegraph = { shape: "circle", x: 100, y: 100 + golem.telegraphOffset, r: 45, hitsAt: 7 + WINDUP };
    expect(out.enemy.state).toBe("windup");
    expect(out.enemy.pos).toEqual(HOME);
    expect(out.enemy.telegraph).toEqual(telegraph);
    expect(out.enemy.stateUntil).toBe(7 + WINDUP);
    expect(out.events).toEqual([{ type: "telegraph", by: "e1", ...telegraph, at: HOME }]);
  });

  it("puts the telegraph along the diagonal towards the target", () => {
    const out = stepEnemy(golemIn("pursue"), golem, ctx(1, [player("p1", 130, 130)]));
    const off = golem.telegraphOffset / Math.SQRT2;
    expect(out.enemy.telegraph?.x).toBeCloseTo(100 + off);
    expect(out.enemy.telegraph?.y).toBeCloseTo(100 + off);
  });

  it("gives up and returns when the target dies, leaves or is out of the lose radius", () => {
    const cases: FieldPlayer[][] = [
      [player("p1", 150, 150, { hp: 0 })],
      [player("p1", 150, 150, { respawnAt: 99 })],
      [],
      [player("p1", 100 + golem.loseRadius + 1, 100)],
    ];
    for (const players of cases) {
      const out = stepEnemy(golemIn("pursue"), golem, ctx(3, players));
      expect(out.enemy.state).toBe("return");
      expect(out.enemy.targetId).toBeNull();
      expect(out.events).toEqual([{ type: "leash", by: "e1", at: HOME }]);
    }
  });

  it("leashes when dragged beyond the leash radius from home, even with the target close", () => {
    const pos = { x: 100 + golem.leashRadius + 1, y: 100 };
    const out = stepEnemy(golemIn("pursue", { pos }), golem, ctx(3, [player("p1", pos.x + 100, 100)]));
    expect(out.enemy.state).toBe("return");
    expect(out.events).toEqual([{ type: "leash", by: "e1", at: pos }]);
  });

  it("is blocked by obstacles and stays inside the map", () => {
    const wall = { x: 130, y: 0, w: 10, h: 300 };
    let e = golemIn("pursue");
    const p = player("p1", 250, 100);
    for (let tick = 1; tick <= 30; tick++) e = stepEnemy(e, golem, ctx(tick, [p], [wall])).enemy;
    expect(e.state).toBe("pursue");
    expect(e.pos).toEqual({ x: wall.x - ENEMY_RADIUS, y: 100 });

    let edge = golemIn("pursue", { pos: { x: 20, y: 500 }, home: { x: 20, y: 500 } });
    const beyond = player("p1", -300, 500);
    for (let tick = 1; tick <= 10; tick++) edge = stepEnemy(edge, golem, ctx(tick, [beyond])).enemy;
    expect(edge.pos.x).toBe(ENEMY_RADIUS);
  });
});

describe("wind-up and hit", () => {
  /** A golem at HOME that started its wind-up at tick 10 towards a player south of it. */
  function windingUp(): FieldEnemy {
    return stepEnemy(golemIn("pursue"), golem, ctx(10, [player("p1", 100, 140)])).enemy;
  }
  const hitsAt = 10 + WINDUP;
  const start = windingUp();

  it("stands still and keeps the telegraph where it was while the player moves", () => {
    let e = start;
    for (let tick = 11; tick < hitsAt; tick++) {
      const out = stepEnemy(e, golem, ctx(tick, [player("p1", 100 + tick * 10, 140)]));
      expect(out.hits).toEqual([]);
      expect(out.events).toEqual([]);
      e = out.enemy;
    }
    expect(e).toEqual(start);
  });

  it("misses a player who stepped out and hits one who stayed for exactly its damage", () => {
    const c = start.telegraph as { x: number; y: number; r: number };
    const stayed = player("stayed", c.x, c.y);
    const left = player("p1", c.x + c.r + 12 + 1, c.y);
    const out = stepEnemy(start, golem, ctx(hitsAt, [stayed, left]));
    expect(out.hits).toEqual([{ playerId: "stayed", damage: golem.damage }]);
    expect(out.events).toEqual([
      { type: "hit", by: "e1", target: "stayed", amount: 15, source: "melee", at: { x: c.x, y: c.y } },
    ]);
    expect(out.enemy.state).toBe("attack");
    expect(out.enemy.telegraph).toBeNull();
    expect(out.enemy.stateUntil).toBe(hitsAt + ATTACK);
  });

  it("hits every living player touching the circle, not only the target", () => {
    const c = start.telegraph as { x: number; y: number; r: number };
    const edge = player("edge", c.x - (c.r + 12), c.y);
    const out = stepEnemy(
      start,
      golem,
      ctx(hitsAt, [player("p1", c.x, c.y), edge, player("corpse", c.x, c.y, { hp: 0 })]),
    );
    expect(out.hits).toEqual([
      { playerId: "edge", damage: 15 },
      { playerId: "p1", damage: 15 },
    ]);
  });

  it("lands late if ticks were skipped, but never early", () => {
    expect(stepEnemy(start, golem, ctx(hitsAt - 1, [player("p1", 100, 140)])).hits).toEqual([]);
    const late = stepEnemy(start, golem, ctx(hitsAt + 3, [player("p1", 100, 140)]));
    expect(late.hits).toHaveLength(1);
    expect(late.enemy.stateUntil).toBe(hitsAt + 3 + ATTACK);
  });

  it("reports invulnerable players as immune, through the last invulnerable tick", () => {
    const shielded = player("p1", 100, 140, { invulnerableUntil: hitsAt });
    const out = stepEnemy(start, golem, ctx(hitsAt, [shielded]));
    expect(out.hits).toEqual([]);
    expect(out.events).toEqual([{ type: "immune", by: "e1", target: "p1", at: { x: 100, y: 140 } }]);
    expect(out.enemy.state).toBe("attack");

    const expired = player("p1", 100, 140, { invulnerableUntil: hitsAt - 1 });
    expect(stepEnemy(start, golem, ctx(hitsAt, [expired])).hits).toEqual([{ playerId: "p1", damage: 15 }]);
  });
});

describe("attack and recover", () => {
  it("goes attack → recover → pursue on their timers while the target is alive and near", () => {
    const p = [player("p1", 100, 140)];
    const attacking = golemIn("attack", { stateUntil: 20 });
    expect(stepEnemy(attacking, golem, ctx(19, p)).enemy.state).toBe("attack");
    const recovering = stepEnemy(attacking, golem, ctx(20, p)).enemy;
    expect(recovering).toMatchObject({ state: "recover", stateUntil: 20 + RECOVER });
    expect(stepEnemy(recovering, golem, ctx(20 + RECOVER - 1, p)).enemy.state).toBe("recover");
    const out = stepEnemy(recovering, golem, ctx(20 + RECOVER, p));
    expect(out.enemy).toMatchObject({ state: "pursue", targetId: "p1" });
    expect(out.events).toEqual([]);
  });

  it("returns home after recovering when the target died", () => {
    const recovering = golemIn("recover", { stateUntil: 30 });
    const out = stepEnemy(recovering, golem, ctx(30, [player("p1", 100, 140, { hp: 0, respawnAt: 90 })]));
    expect(out.enemy).toMatchObject({ state: "return", targetId: null });
    expect(out.events).toEqual([{ type: "leash", by: "e1", at: HOME }]);
  });
});

describe("return", () => {
  it("walks home at 1.5× speed ignoring players, then idles with full hp exactly at home", () => {
    let e = golemIn("return", { pos: { x: 160, y: 100 }, targetId: null, hp: 12 });
    const bystander = [player("p1", 170, 100)];
    const first = stepEnemy(e, golem, ctx(1, bystander));
    expect(first.enemy.pos.x).toBeCloseTo(160 - (1.5 * golem.speed) / HZ);
    expect(first.enemy).toMatchObject({ state: "return", hp: 12, targetId: null });
    expect(first.events).toEqual([]);
    let tick = 1;
    while (e.state === "return" && tick < 100) e = stepEnemy(e, golem, ctx(tick++, bystander)).enemy;
    expect(e).toMatchObject({ state: "idle", pos: HOME, hp: golem.maxHp, targetId: null, telegraph: null });
    expect(tick).toBe(11);
  });

  it("arrives at once within 2 units of home", () => {
    const out = stepEnemy(golemIn("return", { pos: { x: 101.5, y: 100 } }), golem, ctx(1, []));
    expect(out.enemy).toMatchObject({ state: "idle", pos: HOME });
  });

  it("resets home when a wall pins it on the way back", () => {
    const wall = { x: 120, y: 0, w: 10, h: 300 };
    const pinned = golemIn("return", { pos: { x: 130 + ENEMY_RADIUS, y: 100 }, hp: 1 });
    const out = stepEnemy(pinned, golem, ctx(1, [], [wall]));
    expect(out.enemy).toMatchObject({ state: "idle", pos: HOME, hp: golem.maxHp });
  });
});

describe("purity and determinism", () => {
  it("never changes its inputs and shares no objects with them", () => {
    const states: FieldEnemy[] = [
      spawnEnemy("e1", golem, HOME),
      golemIn("pursue"),
      golemIn("pursue", { pos: { x: 300, y: 100 } }),
      stepEnemy(golemIn("pursue"), golem, ctx(1, [player("p1", 100, 140)])).enemy,
      golemIn("attack"),
      golemIn("recover"),
      golemIn("return", { pos: { x: 200, y: 100 } }),
    ];
    for (const enemy of states) {
      const c = ctx(100, [player("p1", 100, 140), player("p2", 300, 300)], [{ x: 500, y: 500, w: 10, h: 10 }]);
      const before = structuredClone({ enemy, golem, c });
      const out = stepEnemy(enemy, golem, c);
      expect({ enemy, golem, c }).toEqual(before);
      expect(out.enemy).not.toBe(enemy);
      expect(out.enemy.pos).not.toBe(enemy.pos);
      expect(out.enemy.home).not.toBe(enemy.home);
    }
  });

  it("gives the same result for the same inputs over a whole fight", () => {
    /** Aggro, chase, several swings against a player who keeps strafing, damage applied by the caller. */
    function fight() {
      let e = spawnEnemy("e1", golem, HOME);
      let p = player("p1", 300, 180);
      const log: unknown[] = [];
      for (let tick = 1; tick <= 200; tick++) {
        p = { ...p, pos: { x: 300 + 40 * Math.sin(tick / 7), y: 180 } };
        const out = stepEnemy(e, golem, ctx(tick, [p], [{ x: 200, y: 60, w: 20, h: 20 }]));
        for (const hit of out.hits) p = { ...p, hp: p.hp - hit.damage };
        e = out.enemy;
        log.push(e.state, out.events);
      }
      return { e, p, log };
    }
    const a = fight();
    expect(fight()).toEqual(a);
    expect(a.log).toContainEqual([expect.objectContaining({ type: "aggro" })]);
    expect(a.log).toContainEqual([expect.objectContaining({ type: "telegraph" })]);
    expect(a.p.hp).toBeLessThan(100);
  });
});
