import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../sim/rng";
import { ClientMirror, type EntityView, type SnapshotFrame, SnapshotHistory, type View } from "./delta";
import { withEnemy, withPlayer, world } from "./field.fixtures";
import { clientView, eventsFor, sharedViews } from "./snapshot";
import { type FieldCommand, stepField } from "./step";
import type { FieldEvent, FieldState, Vec } from "./types";

/** Every entity's real (unquantized) position. */
function positions(s: FieldState): Map<string, Vec> {
  const out = new Map<string, Vec>();
  for (const p of Object.values(s.players)) out.set(p.id, p.pos);
  for (const e of Object.values(s.enemies)) out.set(e.id, e.pos);
  for (const m of Object.values(s.missiles)) out.set(m.id, m.pos);
  return out;
}

/** Brute force: the ids within viewRadius of the player, by real positions, boundary included. */
function expectedIds(s: FieldState, playerId: string): string[] {
  const me = s.players[playerId]?.pos as Vec;
  const r = s.settings.viewRadius;
  return [...positions(s)]
    .filter(([, p]) => (p.x - me.x) ** 2 + (p.y - me.y) ** 2 <= r * r)
    .map(([id]) => id)
    .sort();
}

const ids = (view: View) => [...view.keys()].sort();
/** A view as plain sorted JSON, what a client holds after parsing. */
const plain = (view: View): EntityView[] =>
  JSON.parse(JSON.stringify([...view.values()].sort((a, b) => (a.id < b.id ? -1 : 1))));

function addMissile(s: FieldState, id: string, at: Vec): FieldState {
  const missile = { id, ownerId: "p1", pos: at, vel: { x: 1, y: 0 }, damage: 1, expiresAt: 1e9 };
  return { ...s, missiles: { ...s.missiles, [id]: missile } };
}

/** A world with players, enemies and missiles at random fractional positions. */
function randomWorld(rng: Rng, n: number): FieldState {
  let s = world({ settings: { width: 3000, height: 3000, viewRadius: 50 + rng.int(0, 600) } });
  const spot = () => ({ x: rng.next() * 3000, y: rng.next() * 3000 });
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.3) s = withPlayer(s, `p${i}`, spot());
    else if (r < 0.8) s = withEnemy(s, rng.next() < 0.5 ? "golem" : "wisp", spot()).state;
    else s = addMissile(s, `m${i}`, spot());
  }
  return withPlayer(s, "me", spot());
}

describe("clientView", () => {
  it("holds exactly the entities within viewRadius of the player's real position (random worlds)", () => {
    const rng = createRng(11);
    let seen = 0;
    for (let w = 0; w < 40; w++) {
      const s = randomWorld(rng, 300);
      const shared = sharedViews(s);
      for (const p of Object.values(s.players)) {
        const view = clientView(s, shared, p.id);
        expect(ids(view), `world ${w}, ${p.id}`).toEqual(expectedIds(s, p.id));
        seen += view.size;
      }
    }
    expect(seen).toBeGreaterThan(2000);
  });

  it("decides by real positions, the viewer's and the entities', not the quantized ones it sends", () => {
    let s = world({ settings: { width: 6000, height: 6000, viewRadius: 500 } });
    // v1 stands on whole units; the entities do not.
    s = withPlayer(s, "v1", { x: 1000, y: 1000 });
    s = addMissile(s, "a", { x: 1500.4, y: 1000 }); // 500.4 away, sent as exactly 500: out
    s = addMissile(s, "b", { x: 1300.5, y: 1399.5 }); // 499.9 away, sent as (1301, 1400), 500.6: in
    s = addMissile(s, "c", { x: 1300, y: 1400 }); // exactly 500: in
    // The viewers do not stand on whole units; the entities do.
    s = withPlayer(s, "v2", { x: 3000.49, y: 3000.49 });
    s = addMissile(s, "d", { x: 3301, y: 3400 }); // 499.9 away, 500.6 from where v2 is sent: in
    s = withPlayer(s, "v3", { x: 999.6, y: 5000 });
    s = addMissile(s, "e", { x: 1500, y: 5000 }); // 500.4 away, exactly 500 from where v3 is sent: out
    const shared = sharedViews(s);
    expect(ids(clientView(s, shared, "v1"))).toEqual(["b", "c", "v1"]);
    expect(ids(clientView(s, shared, "v2"))).toEqual(["d", "v2"]);
    expect(ids(clientView(s, shared, "v3"))).toEqual(["v3"]);
    // What is sent is quantized all the same.
    expect(clientView(s, shared, "v1").get("b")).toMatchObject({ x: 1301, y: 1400 });
    expect(clientView(s, shared, "v2").get("v2")).toMatchObject({ x: 3000, y: 3000 });
  });

  it("gives the player itself its private fields (mana, cooldowns, level, xp), which no other client ever sees", () => {
    let s = withPlayer(
      world(),
      "me",
      { x: 500, y: 500 },
      { mp: 42, readyAt: { "magic-missile": 7, "arcane-nova": 0, heal: 99 }, level: 3, xp: 420 },
    );
    s = withPlayer(s, "other", { x: 520, y: 500 });
    const shared = sharedViews(s);
    const mine = clientView(s, shared, "me");
    expect(mine.get("me")).toMatchObject({
      k: "p",
      x: 500,
      y: 500,
      mp: 42,
      mmp: 100,
      rd: { "magic-missile": 7, "arcane-nova": 0, heal: 99 },
      lv: 3,
      xp: 420,
    });
    const theirs = clientView(s, shared, "other");
    const meSeen = theirs.get("me");
    expect(meSeen).toBeDefined();
    for (const key of ["mp", "mmp", "rd", "lv", "xp"]) expect(meSeen).not.toHaveProperty(key);
    // Building my view did not leak my fields into the shared view the others get.
    expect(shared.views.get("me")).not.toHaveProperty("mp");
    expect(clientView(s, shared, "nobody").size).toBe(0);
  });
});

describe("eventsFor", () => {
  const at = (x: number, y: number) => ({ x, y });
  let s = world({ settings: { width: 4000, height: 4000, viewRadius: 500 } });
  s = withPlayer(s, "p1", at(1000, 1000));
  s = withPlayer(s, "p2", at(1000, 1300));
  s = withPlayer(s, "p3", at(3500, 3500));
  const events: FieldEvent[] = [
    { type: "refused", to: "p1", skill: "arcane-nova", reason: "mana" },
    { type: "hit", by: "e1", target: "p3", amount: 5, source: "melee", at: at(3500, 3500) },
    { type: "cast", by: "p3", skill: "magic-missile", at: at(3500, 3500) },
    { type: "cast", by: "p1", skill: "arcane-nova", at: at(1000, 1000), completesAt: 9 },
    { type: "death", target: "e7", by: "p2", at: at(1300, 600) }, // exactly 500 from p1
    { type: "aggro", by: "e8", target: "p2", at: at(1000, 1800.5) }, // 500.5 from p2, about p2
    { type: "leash", by: "e9", at: at(1000, 500.1) }, // 499.9 from p1, 799.9 from p2
    { type: "respawn", target: "p3", at: at(1000, 1000) }, // p3 respawning far from where it is
  ];
  const heard = (id: string) => eventsFor(events, s, id).map((e) => events.indexOf(e));

  it("refusals go only to the player refused; events about a player reach it wherever they happen", () => {
    expect(heard("p1")).toEqual([0, 3, 4, 6, 7]);
    expect(heard("p2")).toEqual([3, 4, 5, 7]);
    expect(heard("p3")).toEqual([1, 2, 7]);
    expect(heard("gone")).toEqual([]);
  });
});

/** Random inputs and casts for `playerIds` this tick. */
function script(rng: Rng, s: FieldState, playerIds: string[], seqs: Record<string, number>): FieldCommand[] {
  const commands: FieldCommand[] = [];
  const { width, height } = s.settings;
  for (const id of playerIds) {
    if (rng.next() < 0.3) {
      seqs[id] = (seqs[id] ?? 0) + 1;
      const move = { x: rng.next() * 2 - 1, y: rng.next() * 2 - 1 };
      commands.push({
        kind: "input",
        playerId: id,
        seq: seqs[id],
        move,
        aim: { x: rng.next() * width, y: rng.next() * height },
      });
    }
    if (rng.next() < 0.1) {
      const enemies = Object.keys(s.enemies);
      const r = rng.next();
      if (r < 0.4) commands.push({ kind: "cast", playerId: id, skill: "magic-missile" });
      else if (r < 0.7 && enemies.length) {
        commands.push({
          kind: "cast",
          playerId: id,
          skill: "magic-missile",
          target: enemies[rng.int(0, enemies.length - 1)] ?? "",
        });
      } else if (r < 0.85) commands.push({ kind: "cast", playerId: id, skill: "arcane-nova" });
      else
        commands.push({
          kind: "cast",
          playerId: id,
          skill: "heal",
          target: playerIds[rng.int(0, playerIds.length - 1)] ?? id,
        });
    }
  }
  return commands;
}

/** One client over a lossy link: frames may be lost or late; acks come back late. */
class Link {
  readonly history = new SnapshotHistory(16);
  readonly mirror = new ClientMirror();
  /** What the server meant each frame to show, as the client should rebuild it. */
  readonly sent = new Map<number, EntityView[]>();
  private frames: { at: number; text: string }[] = [];
  private acks: { at: number; n: number }[] = [];
  applied = 0;
  deltas = 0;
  lost = 0;
  heard: FieldEvent[] = [];
  seen = new Set<string>();

  constructor(
    readonly id: string,
    private readonly rng: Rng,
  ) {}

  send(tick: number, view: View, events: FieldEvent[]): void {
    const frame = this.history.next(view);
    this.sent.set(frame.n, plain(view));
    this.heard.push(...events);
    if (this.rng.next() < 0.2) {
      this.lost++;
      return;
    }
    // Delivered in order (one socket), some ticks later.
    const last = this.frames.at(-1)?.at ?? 0;
    this.frames.push({ at: Math.max(last, tick + this.rng.int(0, 4)), text: JSON.stringify(frame) });
  }

  deliver(tick: number): void {
    while (this.frames[0] && this.frames[0].at <= tick) {
      const frame = JSON.parse((this.frames.shift() as { text: string }).text) as SnapshotFrame;
      const result = this.mirror.apply(frame);
      if (!result.ok) throw new Error(`${this.id}: unknown base ${frame.base}`);
      expect(plain(result.view), `${this.id} frame ${frame.n}`).toEqual(this.sent.get(frame.n));
      for (const id of result.view.keys()) this.seen.add(id);
      this.applied++;
      if (frame.base > 0) this.deltas++;
      this.acks.push({ at: tick + this.rng.int(0, 6), n: result.ack });
    }
    for (const ack of this.acks.filter((a) => a.at <= tick)) this.history.ack(ack.n);
    this.acks = this.acks.filter((a) => a.at > tick);
  }
}

/** Runs the zone, sending snapshots every other tick to one Link per observed player. */
function play(
  s0: FieldState,
  ticks: number,
  seed: number,
  observed: string[],
  commands: (rng: Rng, s: FieldState) => FieldCommand[],
) {
  const rng = createRng(seed);
  const links = observed.map((id, i) => new Link(id, createRng(seed * 31 + i)));
  let s = s0;
  let pending: FieldEvent[] = [];
  const all: FieldEvent[] = [];
  for (let tick = 1; tick <= ticks; tick++) {
    const out = stepField(s, commands(rng, s), { tick, rng });
    s = out.state;
    pending.push(...out.events);
    all.push(...out.events);
    if (tick % 2 === 0) {
      const shared = sharedViews(s);
      for (const link of links) {
        const view = clientView(s, shared, link.id);
        expect(ids(view)).toEqual(expectedIds(s, link.id));
        link.send(tick, view, eventsFor(pending, s, link.id));
      }
      pending = [];
    }
    for (const link of links) link.deliver(tick);
  }
  return { state: s, links, events: all };
}

describe("snapshots end to end", () => {
  it("over lossy links with late acks, each client's mirror equals the server's view of every frame it applies", () => {
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      let s = world({
        settings: { width: 1600, height: 1200, viewRadius: 350 },
        obstacles: [
          { x: 500, y: 300, w: 60, h: 200 },
          { x: 900, y: 700, w: 150, h: 60 },
        ],
      });
      const players = ["p1", "p2", "p3", "p4", "p5"];
      for (const id of players) s = withPlayer(s, id, { x: rng.int(100, 1500), y: rng.int(100, 1100) });
      for (let i = 0; i < 14; i++) {
        s = withEnemy(
          s,
          i % 2 ? "golem" : "wisp",
          { x: rng.int(50, 1550), y: rng.int(50, 1150) },
          { resident: i < 4 },
        ).state;
      }
      const seqs: Record<string, number> = {};
      const out = play(s, 400, seed, ["p1", "p2"], (r, cur) => script(r, cur, players, seqs));
      for (const link of out.links) {
        expect(link.applied).toBeGreaterThan(100);
        expect(link.lost).toBeGreaterThan(10);
        expect(link.deltas).toBeGreaterThan(link.applied / 2);
      }
      // The world really changed under them: fights, deaths and missiles in flight.
      expect(out.events.filter((e) => e.type === "hit").length).toBeGreaterThan(10);
      expect(out.events.some((e) => e.type === "death")).toBe(true);
    }
  });

  it("a client on the far side of the map hears nothing of a fight there: no entity, no event", () => {
    let s = world({ settings: { width: 3000, height: 1000, viewRadius: 400 } });
    s = withPlayer(s, "far", { x: 100, y: 500 });
    s = withPlayer(s, "fighter", { x: 2500, y: 500 }, { hp: 100 });
    for (const [x, y] of [
      [2650, 450],
      [2700, 600],
      [2800, 500],
      [2600, 300],
      [2900, 700],
    ] as const) {
      s = withEnemy(s, x % 200 ? "golem" : "wisp", { x, y }).state;
    }
    const seqs: Record<string, number> = {};
    const out = play(s, 300, 5, ["far", "fighter"], (rng, cur) => {
      // The fighter shoots at enemies (all on its side) and novas; the far client stands still.
      const enemies = Object.keys(cur.enemies);
      const commands: FieldCommand[] = [];
      if (rng.next() < 0.3) {
        seqs.fighter = (seqs.fighter ?? 0) + 1;
        commands.push({
          kind: "input",
          playerId: "fighter",
          seq: seqs.fighter,
          move: { x: rng.next() - 0.3, y: rng.next() * 2 - 1 },
        });
      }
      if (enemies.length && rng.next() < 0.3) {
        commands.push({
          kind: "cast",
          playerId: "fighter",
          skill: "magic-missile",
          target: enemies[rng.int(0, enemies.length - 1)] ?? "",
        });
      }
      if (rng.next() < 0.05) commands.push({ kind: "cast", playerId: "fighter", skill: "arcane-nova" });
      return commands;
    });
    const [far, fighter] = out.links as [Link, Link];
    expect(out.events.filter((e) => e.type === "hit").length).toBeGreaterThan(5);
    expect([...fighter.seen].some((id) => id.startsWith("e"))).toBe(true);
    expect(fighter.heard.length).toBeGreaterThan(5);
    expect([...far.seen]).toEqual(["far"]);
    expect(far.heard).toEqual([]);
    expect(far.applied).toBeGreaterThan(50);
  });
});
