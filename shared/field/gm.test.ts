import { describe, expect, it } from "vitest";
import { mayRunGmCommands } from "../auth/game-masters";
import { createRng } from "../sim/rng";
import { enemyTemplate, enemyTemplateIds, fieldZone } from "./content";
import { createField } from "./field";
import { player, run, withPlayer } from "./field.fixtures";
import { circleHitsRect } from "./geometry";
import { GM_HELP, type GmResult, isReadOnlyGmLine, MAX_ENEMIES, MAX_SPAWN_PER_COMMAND, runGmCommand } from "./gm";
import { ENEMY_RESPAWN_MS } from "./step";
import { ENEMY_RADIUS, type FieldState, PLAYER_RADIUS, ticksFor } from "./types";
import type { FieldZoneDefinition } from "./zones";

const AREA = fieldZone("test-area") as FieldZoneDefinition;

const gm = (state: FieldState, line: string, seed = 1): GmResult => runGmCommand(state, AREA, line, createRng(seed));

/** The state after a command that must succeed. */
function done(state: FieldState, line: string, seed = 1): FieldState & { reply: string } {
  const out = gm(state, line, seed);
  if (out.kind !== "done") throw new Error(`"${line}" failed: ${JSON.stringify(out)}`);
  return Object.assign(out.state, { reply: out.reply });
}

/** The message of a command that must fail. */
function error(state: FieldState, line: string): string {
  const out = gm(state, line);
  if (out.kind !== "error") throw new Error(`"${line}" did not fail: ${out.kind}`);
  return out.message;
}

const numberOf = (id: string) => Number(id.slice(1));
const area = () => withPlayer(createField(AREA), "p1", { x: 150, y: 400 });

/** Every body, enemy home and pending respawn lies inside the map (bodies wholly). */
function outsideMap(s: FieldState): string[] {
  const { width, height } = s.settings;
  const bad: string[] = [];
  const check = (what: string, p: { x: number; y: number }, r: number) => {
    if (p.x < r || p.y < r || p.x > width - r || p.y > height - r) bad.push(`${what} at ${p.x},${p.y}`);
  };
  for (const p of Object.values(s.players)) check(p.id, p.pos, PLAYER_RADIUS);
  for (const e of Object.values(s.enemies)) {
    check(e.id, e.pos, ENEMY_RADIUS);
    check(`${e.id} home`, e.home, ENEMY_RADIUS);
  }
  for (const r of s.respawns) check(`respawn of ${r.template}`, r.at, ENEMY_RADIUS);
  check("spawn", s.spawn, PLAYER_RADIUS);
  return bad;
}

describe("spawn", () => {
  it("adds one golem by default, or n of a template, at open spots inside the map", () => {
    const s = area();
    const one = done(s, "spawn");
    expect(one.reply).toBe("Spawned 1 golem.");
    const added = Object.values(one.enemies).filter((e) => !s.enemies[e.id]);
    expect(added).toMatchObject([{ template: "golem", hp: 60, state: "idle" }]);
    expect(added[0]?.resident).toBeUndefined(); // GM spawns do not come back

    const five = done(s, "  spawn   5   wisp ");
    expect(five.reply).toBe("Spawned 5 wisps.");
    const wisps = Object.values(five.enemies).filter((e) => !s.enemies[e.id]);
    expect(wisps).toHaveLength(5);
    expect(new Set(wisps.map((e) => e.id)).size).toBe(5);
    for (const e of wisps) {
      expect(e.template).toBe("wisp");
      expect(numberOf(e.id)).toBeGreaterThanOrEqual(s.nextId);
      expect(AREA.obstacles.some((o) => circleHitsRect(e.pos, ENEMY_RADIUS, o))).toBe(false);
    }
    expect(outsideMap(five)).toEqual([]);
    // Random spots come from the zone's RNG: another seed, other spots.
    const other = done(s, "spawn 5 wisp", 2);
    expect(Object.values(other.enemies).map((e) => e.pos)).not.toEqual(Object.values(five.enemies).map((e) => e.pos));
  });

  it("places them at x y when given, pulled inside the map", () => {
    const s = area();
    const there = done(s, "spawn 2 wisp 300 500");
    const added = Object.values(there.enemies).filter((e) => !s.enemies[e.id]);
    expect(added.map((e) => e.pos)).toEqual([
      { x: 300, y: 500 },
      { x: 300, y: 500 },
    ]);
    const beyond = done(s, "spawn 1 golem 99999 -5");
    expect(Object.values(beyond.enemies).find((e) => !s.enemies[e.id])?.pos).toEqual({
      x: AREA.settings.width - ENEMY_RADIUS,
      y: ENEMY_RADIUS,
    });
    for (const line of ["spawn 1 wisp 300", "spawn 1 wisp a b", "spawn 1 wisp 1 2 3", "spawn 1 wisp NaN 2"]) {
      expect(error(s, line), line).toBe("usage: spawn [n] [template] [x y]");
    }
  });

  it("refuses counts that are not whole numbers from 1 to MAX_SPAWN_PER_COMMAND", () => {
    const s = area();
    expect(Object.keys(done(s, `spawn ${MAX_SPAWN_PER_COMMAND}`).enemies)).toHaveLength(
      AREA.enemies.length + MAX_SPAWN_PER_COMMAND,
    );
    for (const n of ["0", "-1", "2.5", "abc", "NaN", "Infinity", `${MAX_SPAWN_PER_COMMAND + 1}`, "1e9"]) {
      expect(error(s, `spawn ${n}`), n).toBe(`spawn takes a count from 1 to ${MAX_SPAWN_PER_COMMAND}`);
    }
  });

  it("refuses an unknown template, naming the known ones", () => {
    expect(error(area(), "spawn 2 dragon")).toBe(`no enemy template "dragon"; known: ${enemyTemplateIds().join(", ")}`);
  });

  it("refuses names every object inherits as templates (no junk enemy from `spawn 1 constructor`)", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(error(area(), `spawn 1 ${name}`)).toMatch(/^no enemy template/);
    }
  });

  it("never lets a zone hold more than MAX_ENEMIES, and says how many more fit", () => {
    let s = area();
    while (Object.keys(s.enemies).length + MAX_SPAWN_PER_COMMAND <= MAX_ENEMIES)
      s = done(s, `spawn ${MAX_SPAWN_PER_COMMAND} wisp`);
    const room = MAX_ENEMIES - Object.keys(s.enemies).length;
    expect(room).toBeGreaterThan(0);
    expect(error(s, `spawn ${room + 1}`)).toBe(`a zone holds at most ${MAX_ENEMIES} enemies; room for ${room} more`);
    const full = done(s, `spawn ${room}`);
    expect(Object.keys(full.enemies)).toHaveLength(MAX_ENEMIES);
    expect(error(full, "spawn 1")).toBe(`a zone holds at most ${MAX_ENEMIES} enemies; room for 0 more`);
  });
});

describe("clear", () => {
  it("removes every enemy, including residents waiting to come back, and nothing else", () => {
    let s = area();
    const firstId = Object.keys(s.enemies)[0] ?? "";
    s = { ...s, enemies: Object.fromEntries(Object.entries(s.enemies).filter(([id]) => id !== firstId)) };
    s = { ...s, respawns: [{ template: "golem", at: { x: 900, y: 200 }, dueAt: 500 }] };
    const cleared = done(s, "clear");
    expect(cleared.reply).toBe("All enemies removed.");
    expect(cleared.enemies).toEqual({});
    expect(cleared.respawns).toEqual([]);
    expect(cleared.players).toEqual(s.players);
    // Nothing comes back later either.
    expect(run(cleared, ticksFor(ENEMY_RESPAWN_MS, AREA.settings.tickHz) + 600).state.enemies).toEqual({});
  });
});

describe("reset", () => {
  it("puts the zone's enemies back as defined, under new ids, and every player at spawn with full pools", () => {
    let s = area();
    s = withPlayer(s, "p2", { x: 700, y: 100 }, { hp: 0, respawnAt: 999, mp: 3 });
    s = withPlayer(s, "p3", { x: 300, y: 300 }, { hp: 12, mp: 0, cast: { skill: "heal", completesAt: 50 } });
    s = done(s, "spawn 7 wisp");
    s = run(s, 40).state; // time passes, enemies wander, ids get used
    const before = s;
    const highest = Math.max(...Object.keys(before.enemies).map(numberOf), before.nextId - 1);

    const after = done(before, "reset");
    expect(after.reply).toBe("Zone reset.");
    const enemies = Object.values(after.enemies);
    expect(enemies.map((e) => ({ template: e.template, at: e.pos, hp: e.hp, state: e.state }))).toEqual(
      AREA.enemies.map(({ template, at }) => ({ template, at, hp: enemyTemplate(template)?.maxHp, state: "idle" })),
    );
    for (const e of enemies) {
      expect(numberOf(e.id)).toBeGreaterThan(highest);
      expect(e.home).toEqual(e.pos);
      expect(e.resident).toBe(true);
    }
    expect(after.tick).toBe(before.tick);
    expect(after.missiles).toEqual({});
    for (const id of ["p1", "p2", "p3"]) {
      const p = player(after, id);
      expect(p).toMatchObject({ pos: AREA.spawn, hp: p.maxHp, mp: p.maxMp, cast: null, respawnAt: null });
    }
    // Later entities keep counting up from there.
    const more = done(after, "spawn 1");
    const newest = Object.keys(more.enemies).find((id) => !after.enemies[id]) ?? "";
    expect(numberOf(newest)).toBeGreaterThan(Math.max(...enemies.map((e) => numberOf(e.id))));
  });
});

describe("set", () => {
  it("changes each setting, several at once, and answers with all of them", () => {
    const s = area();
    const cases: [string, keyof FieldState["settings"], number][] = [
      ["width", "width", 3000],
      ["height", "height", 2500],
      ["tick", "tickHz", 30],
      ["snapshot", "snapshotHz", 10],
      ["view", "viewRadius", 300],
      ["speed", "playerSpeed", 250],
    ];
    for (const [name, key, value] of cases) {
      const out = done(s, `set ${name}=${value}`);
      expect(out.settings[key], name).toBe(value);
      expect(out.reply).toContain(`${name}=${value}`);
    }
    const both = done(s, "set width=2000 height=2000 view=300");
    expect(both.settings).toMatchObject({ width: 2000, height: 2000, viewRadius: 300 });
    expect(both.reply).toBe("Settings: width=2000 height=2000 tick=20 snapshot=20 view=300 speed=160 budget=1200");
  });

  it("accepts the bounds and refuses anything outside them or not a number, changing nothing", () => {
    const s = area();
    expect(done(s, "set width=200").settings.width).toBe(200);
    expect(done(s, "set width=20000").settings.width).toBe(20000);
    expect(done(s, "set tick=1 snapshot=1").settings).toMatchObject({ tickHz: 1, snapshotHz: 1 });
    for (const arg of ["width=199", "width=20001", "width=", "width", "width=abc", "width=NaN", "width=Infinity"]) {
      expect(error(s, `set ${arg}`), arg).toBe("width must be a number from 200 to 20000");
    }
    expect(error(s, "set tick=0")).toBe("tick must be a whole number from 1 to 60");
    expect(error(s, "set view=49")).toBe("view must be a number from 50 to 5000");
    // One bad value refuses the whole command.
    expect(gm(s, "set width=3000 speed=5000").kind).toBe("error");
  });

  it("takes tick and snapshot rates in whole hertz (mana regenerates once every tickHz ticks)", () => {
    const s = area();
    expect(error(s, "set tick=2.5")).toBe("tick must be a whole number from 1 to 60");
    expect(error(s, "set snapshot=7.5")).toBe("snapshot must be a whole number from 1 to 60");
    expect(done(s, "set width=250.5").settings.width).toBe(250.5);
  });

  it("refuses unknown settings and an empty set, naming the known ones", () => {
    const s = area();
    expect(error(s, "set gravity=1")).toBe(
      'unknown setting "gravity"; known: width, height, tick, snapshot, view, speed, budget',
    );
    expect(error(s, "set __proto__=1")).toContain('unknown setting "__proto__"');
    expect(error(s, "set")).toBe("usage: set key=value… with keys width, height, tick, snapshot, view, speed, budget");
  });

  it("never lets the snapshot rate exceed the tick rate", () => {
    const s = area();
    expect(done(s, "set snapshot=30").settings).toMatchObject({ tickHz: 20, snapshotHz: 20 });
    expect(done(s, "set tick=10").settings).toMatchObject({ tickHz: 10, snapshotHz: 10 });
    expect(done(s, "set tick=30 snapshot=30").settings).toMatchObject({ tickHz: 30, snapshotHz: 30 });
    expect(done(s, "set snapshot=5").settings).toMatchObject({ tickHz: 20, snapshotHz: 5 });
  });

  it("shrinking the map pulls players, enemies, their homes, pending respawns and the spawn point inside", () => {
    let s = withPlayer(area(), "p2", { x: 1150, y: 750 });
    // One resident golem is dead and due back at its home (900, 200).
    const golemId = Object.keys(s.enemies)[0] ?? "";
    s = {
      ...s,
      enemies: Object.fromEntries(Object.entries(s.enemies).filter(([id]) => id !== golemId)),
      respawns: [{ template: "golem", at: { x: 900, y: 200 }, dueAt: 10 }],
    };
    const small = done(s, "set width=500 height=300");
    expect(outsideMap(small)).toEqual([]);
    expect(player(small, "p2").pos).toEqual({ x: 500 - PLAYER_RADIUS, y: 300 - PLAYER_RADIUS });
    expect(small.spawn).toEqual({ x: 150, y: 300 - PLAYER_RADIUS });

    // And it stays so as the zone runs: the golem comes back, enemies chase and go home.
    let later = withPlayer(small, "p3", { x: 400, y: 150 });
    for (let i = 0; i < 10; i++) {
      later = run(later, 30).state;
      expect(outsideMap(later), `after ${later.tick} ticks`).toEqual([]);
    }
    expect(Object.keys(later.enemies)).toHaveLength(AREA.enemies.length);
  });

  it("a reset after shrinking the map puts the zone's enemies inside it", () => {
    const small = done(area(), "set width=600 height=500");
    expect(outsideMap(done(small, "reset"))).toEqual([]);
  });

  it("leaves a bigger map's entities where they were", () => {
    const s = area();
    const big = done(s, "set width=5000 height=5000");
    expect(big.players).toEqual(s.players);
    expect(big.enemies).toEqual(s.enemies);
  });
});

describe("stats, help and unknown commands", () => {
  it("parses stats and stats reset, and nothing else", () => {
    const s = area();
    expect(gm(s, "stats")).toEqual({ kind: "stats", reset: false });
    expect(gm(s, "STATS reset")).toEqual({ kind: "stats", reset: true });
    for (const line of ["stats now", "stats reset now", "stats RESET"])
      expect(error(s, line)).toBe("usage: stats [reset]");
  });

  it("lists every command in help, and names an unknown one", () => {
    const s = area();
    for (const line of ["help", "?"]) expect(done(s, line).reply).toBe(GM_HELP);
    for (const verb of ["spawn", "clear", "reset", "set", "stats"]) expect(GM_HELP).toContain(verb);
    expect(error(s, "dance wildly")).toBe('unknown GM command "dance"; try help');
    expect(error(s, "   ")).toBe('unknown GM command ""; try help');
  });
});

describe("scatter", () => {
  it("moves every player to an open spot inside the map, the same spots for the same seed", () => {
    let s = area();
    for (let i = 2; i <= 6; i++) s = withPlayer(s, `p${i}`, { x: 150, y: 400 });
    const a = done(s, "scatter", 9);
    expect(a.reply).toBe("Scattered 6 players.");
    expect(outsideMap(a)).toEqual([]);
    for (const p of Object.values(a.players)) {
      expect(AREA.obstacles.some((o) => circleHitsRect(p.pos, PLAYER_RADIUS, o))).toBe(false);
    }
    expect(new Set(Object.values(a.players).map((p) => `${p.pos.x},${p.pos.y}`)).size).toBe(6);
    expect(done(s, "scatter", 9).players).toEqual(a.players);
  });
});

describe("who may use the console", () => {
  it("lets characters of gm and admin accounts change the zone, and no other character", () => {
    expect(mayRunGmCommands({ roles: ["player", "gm"] }, false)).toBe(true);
    expect(mayRunGmCommands({ roles: ["admin"] }, false)).toBe(true);
    expect(mayRunGmCommands({ roles: ["player"] }, false)).toBe(false);
    expect(mayRunGmCommands({ roles: [] }, false)).toBe(false);
    // A snapshot from a gateway that does not pass roles yet: no roles, no console.
    expect(mayRunGmCommands({}, false)).toBe(false);
    // The guest flag opens it to guests only, not to every account.
    expect(mayRunGmCommands({ roles: ["player"] }, true)).toBe(false);
  });

  it("lets guests change the zone only when the realm opens the console to them", () => {
    expect(mayRunGmCommands(undefined, false)).toBe(false);
    expect(mayRunGmCommands(undefined, true)).toBe(true);
  });

  it("leaves help and stats (reading only) open to everyone, and nothing that changes the zone", () => {
    for (const line of ["help", "?", "HELP", " stats ", "Stats", "stats now"])
      expect(isReadOnlyGmLine(line)).toBe(true);
    for (const line of [
      "stats reset",
      "STATS reset",
      "reset",
      "clear",
      "scatter",
      "set tick=1",
      "spawn 5 wisp",
      "",
      "dance",
    ])
      expect(isReadOnlyGmLine(line), line).toBe(false);
  });
});
