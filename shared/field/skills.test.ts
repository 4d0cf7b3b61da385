import { describe, expect, it } from "vitest";
import { skillRule } from "../rules/skills";
import { createRng, type Rng } from "../sim/rng";
import { HZ, numbersIn, player, run, withEnemy, withPlayer, world } from "./field.fixtures";
import { type CastRequest, completeCasts, requestCast } from "./skills";
import type { FieldCommand } from "./step";
import { ENEMY_RADIUS, type FieldState, PLAYER_RADIUS, type Rect, ticksFor, type Vec } from "./types";

/** The Mage's skills as the rulebook defines them (shared/rules/skills.ts). */
const SKILLS = { missile: skillRule("magic-missile"), nova: skillRule("arcane-nova"), heal: skillRule("heal") };
const MISSILE_COOLDOWN = ticksFor(SKILLS.missile.cooldownMs, HZ);
const NOVA_CAST = ticksFor(SKILLS.nova.castMs, HZ);
const NOVA_COOLDOWN = ticksFor(SKILLS.nova.cooldownMs, HZ);
const HEAL_CAST = ticksFor(SKILLS.heal.castMs, HZ);
const HEAL_COOLDOWN = ticksFor(SKILLS.heal.cooldownMs, HZ);
/** The fixture players have power 5: damage counts it once, healing twice. */
const POWER = 5;
const NOVA_REACH = SKILLS.nova.range + ENEMY_RADIUS;

const cast = (state: FieldState, request: CastRequest, tick = 1, by = "p1") => requestCast(state, by, request, tick);
const refusal = (skill: string, reason: string, extra: object = {}) => [
  { type: "refused", to: "p1", skill, reason, ...extra },
];
const castCmd = (request: CastRequest, playerId = "p1"): FieldCommand => ({ kind: "cast", playerId, ...request });

/** One caster at (100, 100) in an open 2000×2000 zone. */
const alone = () => withPlayer(world(), "p1", { x: 100, y: 100 });

describe("Magic Missile", () => {
  it("spends mana, starts the cooldown and launches from the caster's edge towards the aim", () => {
    const out = cast(alone(), { skill: "magic-missile", aim: { x: 500, y: 100 } }, 5);
    const p1 = player(out.state, "p1");
    expect(p1.mp).toBe(100 - SKILLS.missile.manaCost);
    expect(p1.readyAt["magic-missile"]).toBe(5 + MISSILE_COOLDOWN);
    expect(p1.cast).toBeNull(); // instant
    const missiles = Object.values(out.state.missiles);
    expect(missiles).toHaveLength(1);
    expect(missiles[0]).toMatchObject({
      ownerId: "p1",
      pos: { x: 100 + PLAYER_RADIUS, y: 100 },
      vel: { x: 600 / HZ, y: 0 },
      damage: SKILLS.missile.amount + POWER,
    });
    expect(out.events).toEqual([{ type: "cast", by: "p1", skill: "magic-missile", at: { x: 100, y: 100 } }]);
  });

  it("refuses a second cast before the cooldown ends, saying how many ticks are left", () => {
    const first = cast(alone(), { skill: "magic-missile", aim: { x: 500, y: 100 } }, 5).state;
    const early = cast(first, { skill: "magic-missile", aim: { x: 500, y: 100 } }, 6);
    expect(early.events).toEqual(refusal("magic-missile", "cooldown", { readyInTicks: MISSILE_COOLDOWN - 1 }));
    expect(early.state).toBe(first);
    const last = cast(first, { skill: "magic-missile", aim: { x: 500, y: 100 } }, 5 + MISSILE_COOLDOWN - 1);
    expect(last.events).toEqual(refusal("magic-missile", "cooldown", { readyInTicks: 1 }));
    const ready = cast(first, { skill: "magic-missile", aim: { x: 500, y: 100 } }, 5 + MISSILE_COOLDOWN);
    expect(ready.events[0]?.type).toBe("cast");
    expect(player(ready.state, "p1").mp).toBe(100 - 2 * SKILLS.missile.manaCost);
  });

  it("refuses when mana is short and costs nothing; exactly enough mana is enough", () => {
    const poor = withPlayer(world(), "p1", { x: 100, y: 100 }, { mp: SKILLS.missile.manaCost - 1 });
    const refused = cast(poor, { skill: "magic-missile", aim: { x: 500, y: 100 } });
    expect(refused.events).toEqual(refusal("magic-missile", "mana"));
    expect(refused.state).toBe(poor);
    const exact = withPlayer(world(), "p1", { x: 100, y: 100 }, { mp: SKILLS.missile.manaCost });
    expect(player(cast(exact, { skill: "magic-missile", aim: { x: 500, y: 100 } }).state, "p1").mp).toBe(0);
  });

  it("refuses the dead", () => {
    const dead = withPlayer(world(), "p1", { x: 100, y: 100 }, { hp: 0, respawnAt: 50 });
    const out = cast(dead, { skill: "magic-missile", aim: { x: 500, y: 100 } });
    expect(out.events).toEqual(refusal("magic-missile", "dead"));
    expect(out.state.missiles).toEqual({});
  });

  it("refuses while a Nova or a Heal is being cast", () => {
    for (const pending of ["arcane-nova", "heal"]) {
      const casting = cast(alone(), { skill: pending }, 1).state;
      expect(player(casting, "p1").cast?.skill).toBe(pending);
      const out = cast(casting, { skill: "magic-missile", aim: { x: 500, y: 100 } }, 2);
      expect(out.events).toEqual(refusal("magic-missile", "casting"));
      expect(out.state).toBe(casting);
      // A second cast of anything waits too.
      expect(cast(casting, { skill: pending }, 2).events).toEqual(refusal(pending, "casting"));
    }
  });

  it("refuses skills it does not know, including names every object inherits", () => {
    for (const skill of ["fireball", "toString", "__proto__", "constructor", "MISSILE"]) {
      expect(cast(alone(), { skill, aim: { x: 500, y: 100 } }).events).toEqual(refusal(skill, "unknown_skill"));
    }
  });

  it("at an enemy: in range up to its body's edge, out of range one unit beyond", () => {
    const edge = SKILLS.missile.range + ENEMY_RADIUS;
    const near = withEnemy(alone(), "golem", { x: 100 + edge, y: 100 });
    const out = cast(near.state, { skill: "magic-missile", target: near.id });
    expect(out.events[0]?.type).toBe("cast");
    expect(Object.values(out.state.missiles)[0]?.vel).toEqual({ x: 600 / HZ, y: 0 });

    const far = withEnemy(alone(), "golem", { x: 100 + edge + 1, y: 100 });
    const refused = cast(far.state, { skill: "magic-missile", target: far.id });
    expect(refused.events).toEqual(refusal("magic-missile", "out_of_range"));
    expect(player(refused.state, "p1").mp).toBe(100);
  });

  it("at an enemy behind a wall: no line of fire, nothing spent", () => {
    const walled = { ...alone(), obstacles: [{ x: 200, y: 50, w: 20, h: 100 }] };
    const { state, id } = withEnemy(walled, "golem", { x: 300, y: 100 });
    const out = cast(state, { skill: "magic-missile", target: id });
    expect(out.events).toEqual(refusal("magic-missile", "no_line_of_fire"));
    expect(out.state).toBe(state);
  });

  it("aimed into a wall touching the caster: no line of fire (the missile would start inside it)", () => {
    const s = { ...alone(), obstacles: [{ x: 100 + PLAYER_RADIUS + 1, y: 0, w: 50, h: 300 }] };
    expect(cast(s, { skill: "magic-missile", aim: { x: 500, y: 100 } }).events).toEqual(
      refusal("magic-missile", "no_line_of_fire"),
    );
    // The other way is open.
    expect(cast(s, { skill: "magic-missile", aim: { x: 0, y: 100 } }).events[0]?.type).toBe("cast");
  });

  it("without a target: unknown ids (inherited names too), an aim on the caster itself, or nothing at all", () => {
    const { state } = withEnemy(alone(), "golem", { x: 300, y: 100 });
    const requests: CastRequest[] = [
      { skill: "magic-missile", target: "e999" },
      { skill: "magic-missile", target: "p1" }, // players are not missile targets
      { skill: "magic-missile", target: "constructor" },
      { skill: "magic-missile", target: "toString" },
      { skill: "magic-missile", target: "__proto__" },
      { skill: "magic-missile", aim: { x: 100, y: 100 } },
      { skill: "magic-missile" },
    ];
    for (const request of requests) {
      const out = cast(state, request);
      expect(out.events, JSON.stringify(request)).toEqual(refusal("magic-missile", "no_target"));
      expect(out.state).toBe(state);
    }
  });

  it("a cast aim from the wire that is NaN, infinite or huge never puts a non-finite number into the zone", () => {
    const aims: Vec[] = [
      { x: Number.NaN, y: 100 },
      { x: Number.POSITIVE_INFINITY, y: Number.NEGATIVE_INFINITY },
      { x: 1.7e308, y: 1.7e308 },
    ];
    for (const aim of aims) {
      const out = run(alone(), 3, (tick) => (tick === 1 ? [castCmd({ skill: "magic-missile", aim })] : []));
      expect(numbersIn(out.state).every(Number.isFinite), JSON.stringify(aim)).toBe(true);
      // If it flew, it flies at missile speed, not frozen in place.
      for (const m of Object.values(out.state.missiles)) expect(Math.hypot(m.vel.x, m.vel.y)).toBeCloseTo(600 / HZ);
    }
  });
});

/** Closed rectangle contains p. */
const inside = (p: Vec, r: Rect) => p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
const orient = (a: Vec, b: Vec, c: Vec) => Math.sign((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x));
/** Proper crossing of two segments (the worlds below are in general position, so no touching cases). */
const cross = (p: Vec, q: Vec, a: Vec, b: Vec) =>
  orient(p, q, a) !== orient(p, q, b) && orient(a, b, p) !== orient(a, b, q);

/** Independent of geometry.ts: a segment meets a rectangle iff an end is inside or it crosses an edge. */
function blocked(a: Vec, b: Vec, r: Rect): boolean {
  if (inside(a, r) || inside(b, r)) return true;
  const c = [
    { x: r.x, y: r.y },
    { x: r.x + r.w, y: r.y },
    { x: r.x + r.w, y: r.y + r.h },
    { x: r.x, y: r.y + r.h },
  ] as const;
  return [0, 1, 2, 3].some((i) => cross(a, b, c[i] as Vec, c[(i + 1) % 4] as Vec));
}

/** Offsets at exactly the Nova's reach (integer Pythagorean triples: 120² + 126² = 174²). */
const EDGE: Vec[] = [
  [174, 0],
  [0, 174],
  [120, 126],
  [126, 120],
].flatMap(([x = 0, y = 0]) => [
  { x, y },
  { x: -x, y: -y },
  { x: -y, y: x },
  { x: y, y: -x },
]);

function novaWorld(rng: Rng): { state: FieldState; center: Vec } {
  const center = { x: rng.int(600, 1400), y: rng.int(600, 1400) };
  const obstacles: Rect[] = [];
  for (let i = rng.int(0, 4); i > 0; i--) {
    obstacles.push({
      x: center.x + (rng.next() - 0.5) * 400,
      y: center.y + (rng.next() - 0.5) * 400,
      w: 5 + rng.next() * 80,
      h: 5 + rng.next() * 80,
    });
  }
  let state: FieldState = { ...withPlayer(world(), "p1", center), obstacles };
  const at: Vec[] = [];
  for (let i = 0; i < 20; i++)
    at.push({ x: center.x + (rng.next() - 0.5) * 500, y: center.y + (rng.next() - 0.5) * 500 });
  for (const d of EDGE) {
    at.push({ x: center.x + d.x, y: center.y + d.y });
    // Just outside, along the same line.
    const k = 1 + 1e-9;
    at.push({ x: center.x + d.x * k, y: center.y + d.y * k });
  }
  for (const p of at) state = withEnemy(state, rng.next() < 0.5 ? "golem" : "wisp", p).state;
  return { state, center };
}

describe("Arcane Nova", () => {
  it("hits exactly the living enemies whose centre is within radius + body and in line of fire (random worlds)", () => {
    const rng = createRng(2024);
    let hits = 0;
    let misses = 0;
    let edgeHits = 0;
    let edgeBlocked = 0;
    for (let w = 0; w < 60; w++) {
      const { state, center } = novaWorld(rng);
      const started = cast(state, { skill: "arcane-nova" }, 0);
      const done = completeCasts(started.state, NOVA_CAST);
      const got = done.damage.map((d) => d.target).sort();
      const expected = Object.values(state.enemies)
        .filter((e) => {
          const dx = e.pos.x - center.x;
          const dy = e.pos.y - center.y;
          return (
            dx * dx + dy * dy <= NOVA_REACH * NOVA_REACH && !state.obstacles.some((r) => blocked(center, e.pos, r))
          );
        })
        .map((e) => e.id)
        .sort();
      expect(got, `world ${w}`).toEqual(expected);
      for (const d of done.damage)
        expect(d).toMatchObject({ by: "p1", amount: SKILLS.nova.amount + POWER, source: "arcane-nova" });
      hits += got.length;
      misses += Object.keys(state.enemies).length - got.length;
      for (const e of Object.values(state.enemies)) {
        const onEdge = (e.pos.x - center.x) ** 2 + (e.pos.y - center.y) ** 2 === NOVA_REACH ** 2;
        if (onEdge && got.includes(e.id)) edgeHits++;
        if (onEdge && !got.includes(e.id)) edgeBlocked++;
      }
    }
    // The worlds really exercise both sides of every rule.
    expect(hits).toBeGreaterThan(300);
    expect(misses).toBeGreaterThan(300);
    expect(edgeHits).toBeGreaterThan(100);
    expect(edgeBlocked).toBeGreaterThan(5);
  });

  it("does nothing during its cast time and hits at completesAt; mana and cooldown are taken then", () => {
    let s = withPlayer(world(), "p1", { x: 1000, y: 1000 });
    const ids: string[] = [];
    for (const at of [
      { x: 1100, y: 1000 },
      { x: 1000, y: 880 },
      { x: 1000 + NOVA_REACH - 1, y: 1000 },
    ]) {
      const added = withEnemy(s, "golem", at);
      s = added.state;
      ids.push(added.id);
    }
    const out = run(s, NOVA_CAST + 1, (tick) => (tick === 1 ? [castCmd({ skill: "arcane-nova" })] : []));
    const completesAt = 1 + NOVA_CAST;
    expect(out.events.filter((e) => e.type === "cast")).toEqual([
      { type: "cast", by: "p1", skill: "arcane-nova", at: { x: 1000, y: 1000 }, completesAt, tick: 1 },
    ]);
    const hits = out.events.filter((e) => e.type === "hit");
    expect(hits.every((e) => e.tick === completesAt)).toBe(true);
    expect(hits.map((e) => e.type === "hit" && e.target).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(out.state.enemies[id]?.hp).toBe(60 - (SKILLS.nova.amount + POWER));

    const before = run(s, NOVA_CAST, (tick) => (tick === 1 ? [castCmd({ skill: "arcane-nova" })] : [])).state;
    expect(player(before, "p1")).toMatchObject({
      mp: 100,
      readyAt: { "arcane-nova": 0 },
      cast: { skill: "arcane-nova", completesAt },
    });
    expect(player(out.state, "p1")).toMatchObject({
      mp: 100 - SKILLS.nova.manaCost,
      readyAt: { "arcane-nova": completesAt + NOVA_COOLDOWN },
      cast: null,
    });
  });

  it("a caster killed during the cast pays nothing and hurts no one", () => {
    let s = withPlayer(world(), "p1", { x: 1000, y: 1000 }, { hp: 1 });
    // A golem whose telegraphed hit lands on the caster two ticks into the cast.
    const golem = withEnemy(
      s,
      "golem",
      { x: 1000, y: 960 },
      {
        extra: {
          state: "windup",
          targetId: "p1",
          stateUntil: 3,
          telegraph: { shape: "circle", x: 1000, y: 990, r: 45, hitsAt: 3 },
        },
      },
    );
    s = golem.state;
    const out = run(s, NOVA_CAST + 2, (tick) => (tick === 1 ? [castCmd({ skill: "arcane-nova" })] : []));
    expect(out.events.filter((e) => e.type === "death")).toMatchObject([{ target: "p1", tick: 3 }]);
    expect(out.events.some((e) => e.type === "hit" && e.source === "arcane-nova")).toBe(false);
    expect(out.state.enemies[golem.id]?.hp).toBe(60);
    expect(player(out.state, "p1")).toMatchObject({ mp: 100, readyAt: { "arcane-nova": 0 }, cast: null });
  });
});

describe("Heal", () => {
  const HEAL = SKILLS.heal.amount + 2 * POWER;

  it("heals the caster by default when its cast completes, then takes mana and starts the cooldown", () => {
    const s = withPlayer(world(), "p1", { x: 100, y: 100 }, { hp: 50 });
    const out = run(s, HEAL_CAST + 1, (tick) => (tick === 1 ? [castCmd({ skill: "heal" })] : []));
    const completesAt = 1 + HEAL_CAST;
    expect(out.events.filter((e) => e.type === "heal")).toEqual([
      { type: "heal", by: "p1", target: "p1", amount: HEAL, at: { x: 100, y: 100 }, tick: completesAt },
    ]);
    // Full mana while casting (regeneration has nothing to add); the cost comes off at completion.
    expect(player(out.state, "p1")).toMatchObject({
      hp: 50 + HEAL,
      mp: 100 - SKILLS.heal.manaCost,
      readyAt: { heal: completesAt + HEAL_COOLDOWN },
      cast: null,
    });
    const before = run(s, HEAL_CAST, (tick) => (tick === 1 ? [castCmd({ skill: "heal" })] : [])).state;
    expect(player(before, "p1").hp).toBe(50);
  });

  it("heals an ally by id, never past its maximum", () => {
    for (const [hp, gained] of [
      [40, HEAL],
      [90, 10],
      [100, 0],
    ] as const) {
      let s = withPlayer(world(), "p1", { x: 100, y: 100 }, { hp: 30 });
      s = withPlayer(s, "p2", { x: 300, y: 100 }, { hp });
      const out = run(s, HEAL_CAST + 1, (tick) => (tick === 1 ? [castCmd({ skill: "heal", target: "p2" })] : []));
      expect(out.events.filter((e) => e.type === "heal")).toMatchObject([{ by: "p1", target: "p2", amount: gained }]);
      expect(player(out.state, "p2").hp).toBe(hp + gained);
      expect(player(out.state, "p1").hp).toBe(30);
    }
  });

  it("refuses an ally out of range, behind a wall, dead, or unknown", () => {
    const at = (x: number, extra = {}) =>
      withPlayer(withPlayer(world(), "p1", { x: 100, y: 100 }), "p2", { x, y: 100 }, extra);
    expect(cast(at(100 + SKILLS.heal.range), { skill: "heal", target: "p2" }).events[0]?.type).toBe("cast");
    expect(cast(at(100 + SKILLS.heal.range + 1), { skill: "heal", target: "p2" }).events).toEqual(
      refusal("heal", "out_of_range"),
    );
    const walled = { ...at(300), obstacles: [{ x: 200, y: 0, w: 10, h: 300 }] };
    expect(cast(walled, { skill: "heal", target: "p2" }).events).toEqual(refusal("heal", "no_line_of_fire"));
    expect(cast(at(300, { hp: 0, respawnAt: 99 }), { skill: "heal", target: "p2" }).events).toEqual(
      refusal("heal", "no_target"),
    );
    for (const target of ["p9", "constructor", "__proto__"]) {
      expect(cast(at(300), { skill: "heal", target }).events).toEqual(refusal("heal", "no_target"));
    }
  });

  it("checks again at completion: an ally who walked out of range is not healed and the heal costs nothing", () => {
    let s = withPlayer(world(), "p1", { x: 100, y: 100 });
    s = withPlayer(s, "p2", { x: 100 + SKILLS.heal.range - 10, y: 100 }, { hp: 40 });
    const out = run(s, HEAL_CAST + 1, (tick) =>
      tick === 1
        ? [castCmd({ skill: "heal", target: "p2" }), { kind: "input", playerId: "p2", seq: 1, move: { x: 1, y: 0 } }]
        : [],
    );
    expect(out.events.filter((e) => e.type === "refused")).toEqual([
      { type: "refused", to: "p1", skill: "heal", reason: "out_of_range", tick: 1 + HEAL_CAST },
    ]);
    expect(out.events.some((e) => e.type === "heal")).toBe(false);
    expect(player(out.state, "p2").hp).toBe(40);
    expect(player(out.state, "p1")).toMatchObject({ mp: 100, readyAt: { heal: 0 }, cast: null });
  });
});
