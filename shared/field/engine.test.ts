/**
 * The field engine behind the zone engine contract (shared/zone/engine.ts), driven as a zone hosts
 * it: sessions admitted and released, inputs, casts and GM lines received, ticks stepped and
 * snapshots published, the field settled after a reload, and its state serialized and restored, on
 * the real Test Area of the content pack.
 */
import { describe, expect, it } from "vitest";
import { loadArcaneRealms } from "../content/arcane-realms";
import type { WindowSummary } from "../metrics/window";
import { playerStats } from "../mud/actors";
import type { EffectState } from "../mud/types";
import { type MudWorld, zoneContent } from "../mud/world";
import type { CharacterSnapshot } from "../protocol/character";
import { parsedCharacter as character } from "../protocol/character.fixtures";
import { characterSheet } from "../rules/sheet";
import { createRng } from "../sim/rng";
import type { CarriedItem, Traveller } from "../world/traveller";
import {
  type Delivery,
  type EngineMessage,
  type EngineSession,
  isOutcome,
  NOTHING,
  type Outcome,
  type ReceiveContext,
  type TickStats,
} from "../zone/engine";
import { fieldZone } from "./content";
import type { SnapshotFrame } from "./delta";
import { FIELD_KIND, FieldEngine } from "./engine";
import { createField } from "./field";
import { withEnemy } from "./field.fixtures";

const ZONE = "test-area";
const NOW = 50_000;

/** Tick measurements that answer with fixed figures and remember what they were asked. */
class KeptStats implements TickStats {
  readonly asked: number[] = [];
  readonly resets: number[] = [];
  summary(now: number): WindowSummary {
    this.asked.push(now);
    return {
      windowSeconds: 10,
      ticks: 200,
      tickP50Ms: 0.4,
      tickP99Ms: 1.5,
      tickMaxMs: 2,
      snapshots: 200,
      bytes: 12_000,
      players: 1,
      bytesPerPlayerPerSecond: 1200,
    };
  }
  reset(now: number): void {
    this.resets.push(now);
  }
}

const ctxAt = (now = NOW, stats: TickStats = new KeptStats()): ReceiveContext => ({ tick: 0, now, stats });

const ADA_ID = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

function guest(name: string, over: Partial<EngineSession> = {}): EngineSession {
  const sessionId = `session-${name.toLowerCase()}`;
  return { sessionId, playerId: sessionId, name, gm: false, ...over };
}

function hero(id: string, name: string, over: Partial<CharacterSnapshot> = {}): EngineSession {
  const c = character(id, { name, class: "mage", ...over });
  return { sessionId: `session-${name.toLowerCase()}`, playerId: c.id, name, character: c, gm: false };
}

function create(): FieldEngine {
  const engine = FIELD_KIND.create(ZONE, createRng(7));
  if (!(engine instanceof FieldEngine)) throw new Error("the field kind opened something other than a FieldEngine");
  return engine;
}

/** The engine's ticks, numbered from 1 as a zone runs them. */
function stepper(engine: FieldEngine, seed = 3) {
  const rng = createRng(seed);
  let tick = 0;
  return (n = 1): void => {
    for (let i = 0; i < n; i++) {
      tick += 1;
      engine.step({ tick, now: tick * 50, rng });
    }
  };
}

function accepted(result: ReturnType<FieldEngine["receive"]>): Outcome {
  if (!isOutcome(result)) throw new Error(`refused: ${result.code} ${result.message}`);
  return result;
}

/** The one pre-encoded frame of `out` for `sessionId`, parsed (messages such as a console reply aside). */
function frameFor(out: readonly Delivery[], sessionId: string): Record<string, unknown> {
  const frames = out.flatMap((d) => ("session" in d.to && d.to.session === sessionId && "text" in d ? [d.text] : []));
  expect(frames).toHaveLength(1);
  return JSON.parse(frames[0] as string) as Record<string, unknown>;
}

type Snapshot = SnapshotFrame & { type: "snapshot"; tick: number; ack: number; ev?: unknown[] };

/** Each session's snapshot in `out`, by session id. */
function snapshots(out: readonly Delivery[]): Record<string, Snapshot> {
  const by: Record<string, Snapshot> = {};
  for (const d of out) {
    if (!("session" in d.to) || !("text" in d)) throw new Error("snapshots go to one session each, pre-encoded");
    const frame = JSON.parse(d.text) as Snapshot;
    expect(frame.type).toBe("snapshot");
    by[d.to.session] = frame;
  }
  return by;
}

/** Admits `session` and returns its entity id from the `field` message. */
function enter(engine: FieldEngine, session: EngineSession): string {
  return frameFor(engine.admit(session).out, session.sessionId).you as string;
}

const input = (seq: number, x: number, y: number): EngineMessage => ({ type: "input", seq, move: { x, y } });
const command = (line: string): EngineMessage => ({ type: "command", line });

describe("the field kind", () => {
  it("claims the content's field zones and names its payload field_world", () => {
    expect(FIELD_KIND.claims("test-area")).toBe(true);
    expect(FIELD_KIND.claims("start")).toBe(false);
    expect(FIELD_KIND.stateName).toBe("field_world");
  });

  it("opens the zone as its content defines it, at its tick rate, clean", () => {
    const engine = create();
    expect(engine.tickHz).toBe(20);
    expect(engine.dirty).toBe(false);
    expect(engine.announcesPresence).toBe(false);
    expect(engine.population()).toBe(3); // two golems and a wisp
    expect(engine.state).toEqual(create().state);
  });
});

describe("admitting a session", () => {
  it("sends that session alone the field, pre-encoded, naming its new body at the spawn point", () => {
    const engine = create();
    const ada = guest("Ada");
    const admitted = engine.admit(ada);

    expect(admitted.critical).toBe(false);
    expect(admitted.out).toHaveLength(1);
    expect(admitted.out[0]?.to).toEqual({ session: ada.sessionId });
    const field = frameFor(admitted.out, ada.sessionId);
    expect(field).toMatchObject({
      type: "field",
      width: 1200,
      height: 800,
      tickRate: 20,
      snapshotRate: 20,
      viewRadius: 500,
      spawn: { x: 150, y: 400 },
      gm: false,
    });
    expect(field.obstacles).toHaveLength(3);
    expect((field.skills as { id: string }[]).map((s) => s.id)).toContain("magic-missile");

    const you = field.you as string;
    expect(engine.state.players[you]).toMatchObject({ name: "Ada", classId: "mage", pos: { x: 150, y: 400 } });
    expect(engine.population()).toBe(4);
    expect(engine.dirty).toBe(true);
  });

  it("opens the whole console to a GM session in a zone that has one, and to nobody where there is none", () => {
    const engine = create();
    expect(frameFor(engine.admit(guest("Gail", { gm: true })).out, "session-gail").gm).toBe(true);

    const definition = fieldZone(ZONE);
    if (!definition) throw new Error("no test-area");
    const closed = new FieldEngine({ ...definition, gm: false }, createField(definition), {});
    const gail = guest("Gail", { gm: true });
    expect(frameFor(closed.admit(gail).out, gail.sessionId).gm).toBe(false);
    expect(closed.receive(gail, command("help"), ctxAt())).toMatchObject({ code: "unsupported", field: "line" });
  });

  it("gives a second session of the same player the same body back, not a new one", () => {
    const engine = create();
    const first = hero(ADA_ID, "Ada");
    const you = enter(engine, first);
    accepted(engine.receive(first, input(1, 1, 0), ctxAt()));
    stepper(engine)(3);
    const moved = engine.state.players[you]?.pos;
    const population = engine.population();

    const second = { ...first, sessionId: "session-ada-2" };
    expect(enter(engine, second)).toBe(you);
    expect(engine.population()).toBe(population);
    // It stands where the body stood, holding nothing, counting its inputs from 1 again.
    expect(engine.state.players[you]).toMatchObject({ pos: moved, move: { x: 0, y: 0 }, lastInputSeq: 0 });
    accepted(engine.receive(second, input(1, 0, 1), ctxAt()));
  });

  it("gives two players two bodies", () => {
    const engine = create();
    const a = enter(engine, guest("Ada"));
    const b = enter(engine, guest("Bob"));
    expect(a).not.toBe(b);
    expect(Object.keys(engine.state.players).sort()).toEqual([a, b].sort());
  });
});

describe("snapshots", () => {
  it("are owed only after a snapshot tick, one per connected session, the first full and numbered 1", () => {
    const engine = create();
    const ada = guest("Ada");
    const bob = guest("Bob");
    const a = enter(engine, ada);
    const b = enter(engine, bob);
    expect(engine.publish()).toEqual([]);

    const step = stepper(engine);
    step();
    const first = snapshots(engine.publish());
    expect(Object.keys(first).sort()).toEqual([ada.sessionId, bob.sessionId]);
    const mine = first[ada.sessionId];
    expect(mine).toMatchObject({ type: "snapshot", n: 1, base: 0, tick: 1, ack: 0, upd: [], del: [] });
    const ids = mine?.add.map((e) => e.id);
    expect(ids).toContain(a);
    expect(ids).toContain(b);
    // Its own entity carries the private fields.
    expect(mine?.add.find((e) => e.id === a)).toMatchObject({
      k: "p",
      n: "Ada",
      x: 150,
      y: 400,
      mp: expect.any(Number),
    });

    // Asked again without a tick: nothing more is owed.
    expect(engine.publish()).toEqual([]);
    step();
    expect(snapshots(engine.publish())[ada.sessionId]).toMatchObject({ n: 2, base: 0, tick: 2 });
  });

  it("come at the snapshot rate: a GM who slows it makes only every fourth tick a snapshot tick", () => {
    const engine = create();
    const gail = guest("Gail", { gm: true });
    const ada = guest("Ada");
    enter(engine, gail);
    enter(engine, ada);
    const changed = accepted(engine.receive(gail, command("set snapshot=5"), ctxAt()));
    // Everyone is told the map again, with the new rate.
    for (const session of [gail, ada]) expect(frameFor(changed.out, session.sessionId).snapshotRate).toBe(5);

    const step = stepper(engine);
    for (let tick = 1; tick <= 3; tick++) {
      step();
      expect(engine.publish()).toEqual([]);
    }
    step();
    const round = snapshots(engine.publish());
    expect(Object.keys(round)).toHaveLength(2);
    expect(round[ada.sessionId]).toMatchObject({ n: 1, base: 0, tick: 4 });
  });

  it("are deltas against the snapshot a session acknowledged", () => {
    const engine = create();
    const ada = guest("Ada");
    const you = enter(engine, ada);
    const step = stepper(engine);
    step();
    snapshots(engine.publish());
    accepted(engine.receive(ada, { type: "ack", n: 1 }, ctxAt()));
    accepted(engine.receive(ada, input(1, 1, 0), ctxAt()));
    step();
    const delta = snapshots(engine.publish())[ada.sessionId];
    expect(delta).toMatchObject({ n: 2, base: 1, add: [], del: [], ack: 1 });
    expect(delta?.upd).toContainEqual(expect.objectContaining({ id: you, x: 158 }));

    accepted(engine.receive(ada, { type: "resync" }, ctxAt()));
    step();
    const full = snapshots(engine.publish())[ada.sessionId];
    expect(full).toMatchObject({ n: 3, base: 0 });
    expect(full?.add.map((e) => e.id)).toContain(you);
  });
});

describe("inputs and casts", () => {
  it("move the player on the following ticks, at its speed, and are acknowledged in snapshots", () => {
    const engine = create();
    const ada = guest("Ada");
    const you = enter(engine, ada);
    const step = stepper(engine);

    accepted(engine.receive(ada, input(1, 1, 0), ctxAt()));
    expect(engine.state.players[you]?.pos).toEqual({ x: 150, y: 400 });
    step(5);
    // 160 units a second at 20 ticks a second, held until told otherwise.
    expect(engine.state.players[you]?.pos.x).toBeCloseTo(190);
    expect(engine.state.players[you]?.pos.y).toBeCloseTo(400);
    expect(snapshots(engine.publish())[ada.sessionId]?.ack).toBe(1);

    accepted(engine.receive(ada, input(2, 0, 0), ctxAt()));
    step(3);
    expect(engine.state.players[you]?.pos.x).toBeCloseTo(190);
  });

  it("keep only the newest input before a tick, and ignore an older one arriving late", () => {
    const engine = create();
    const ada = guest("Ada");
    const you = enter(engine, ada);
    const step = stepper(engine);
    accepted(engine.receive(ada, input(2, 0, 1), ctxAt()));
    accepted(engine.receive(ada, input(1, 1, 0), ctxAt()));
    step();
    expect(engine.state.players[you]?.pos.x).toBeCloseTo(150);
    expect(engine.state.players[you]?.pos.y).toBeCloseTo(408);
    expect(engine.state.players[you]?.lastInputSeq).toBe(2);
  });

  it("are refused as rate_limited beyond the input budget, which refills with time", () => {
    const engine = create();
    const ada = guest("Ada");
    enter(engine, ada);
    let seq = 0;
    for (let i = 0; i < 10; i++) accepted(engine.receive(ada, input(++seq, 1, 0), ctxAt(NOW)));
    expect(engine.receive(ada, input(++seq, 1, 0), ctxAt(NOW))).toMatchObject({ code: "rate_limited" });
    // 20 a second: one more 50 ms later, and only one.
    accepted(engine.receive(ada, input(++seq, 1, 0), ctxAt(NOW + 50)));
    expect(engine.receive(ada, input(++seq, 1, 0), ctxAt(NOW + 50))).toMatchObject({ code: "rate_limited" });
    // Another player's budget is its own.
    const bob = guest("Bob");
    enter(engine, bob);
    accepted(engine.receive(bob, input(1, 1, 0), ctxAt(NOW)));
  });

  it("refuses a fifth cast waiting for the same tick, and takes casts again after it", () => {
    const engine = create();
    const ada = guest("Ada");
    enter(engine, ada);
    const cast: EngineMessage = { type: "cast", skill: "magic-missile", aim: { x: 900, y: 400 } };
    for (let i = 0; i < 4; i++) accepted(engine.receive(ada, cast, ctxAt()));
    expect(engine.receive(ada, cast, ctxAt())).toMatchObject({ code: "rate_limited" });
    stepper(engine)();
    accepted(engine.receive(ada, cast, ctxAt()));
  });

  it("are refused from a session that was never admitted", () => {
    const engine = create();
    enter(engine, guest("Ada"));
    const stranger = guest("Zed");
    expect(engine.receive(stranger, input(1, 1, 0), ctxAt())).toMatchObject({ code: "hello_required" });
    expect(engine.receive(stranger, { type: "ack", n: 1 }, ctxAt())).toMatchObject({ code: "hello_required" });
  });
});

describe("the GM console", () => {
  it("answers help to anyone, to that session only", () => {
    const engine = create();
    const ada = guest("Ada");
    enter(engine, ada);
    const help = accepted(engine.receive(ada, command("help"), ctxAt()));
    expect(help.out).toEqual([
      { to: { session: ada.sessionId }, message: { type: "info", text: expect.stringMatching(/^spawn /) } },
    ]);
  });

  it("does not log a reading line as a GM change, nor mark the zone for a save", () => {
    const engine = create();
    const ada = guest("Ada");
    enter(engine, ada);
    engine.serialize();
    const help = accepted(engine.receive(ada, command("help"), ctxAt()));
    expect(help.log).toBeUndefined();
    expect(engine.dirty).toBe(false);
  });

  it("refuses a line that changes the zone to a player who is no GM, changing nothing", () => {
    const engine = create();
    const ada = guest("Ada");
    enter(engine, ada);
    const before = engine.state;
    for (const line of ["spawn 1 wisp 300 300", "clear", "set view=100", "stats reset"]) {
      expect(engine.receive(ada, command(line), ctxAt())).toMatchObject({ code: "forbidden", field: "line" });
    }
    expect(engine.state).toBe(before);
  });

  it("lets a GM spawn an enemy where asked, logged for the operator", () => {
    const engine = create();
    const gail = guest("Gail", { gm: true });
    enter(engine, gail);
    const before = engine.population();
    const spawned = accepted(engine.receive(gail, command("spawn 1 wisp 300 300"), ctxAt()));

    expect(spawned.out).toEqual([
      { to: { session: gail.sessionId }, message: { type: "info", text: "Spawned 1 wisp." } },
    ]);
    expect(spawned.log).toEqual({
      event: "field.gm",
      detail: { sessionId: gail.sessionId, line: "spawn 1 wisp 300 300" },
    });
    expect(engine.population()).toBe((before ?? 0) + 1);
    const wisps = Object.values(engine.state.enemies).filter((e) => e.template === "wisp");
    expect(wisps.map((e) => e.pos)).toContainEqual({ x: 300, y: 300 });
  });

  it("lets a GM change the tick rate the zone asks to run at, and tells everyone the new map", () => {
    const engine = create();
    const gail = guest("Gail", { gm: true });
    const ada = guest("Ada");
    enter(engine, gail);
    enter(engine, ada);
    const changed = accepted(engine.receive(gail, command("set tick=10 width=1000"), ctxAt()));
    expect(engine.tickHz).toBe(10);
    for (const session of [gail, ada]) {
      expect(frameFor(changed.out, session.sessionId)).toMatchObject({ type: "field", tickRate: 10, width: 1000 });
    }
  });

  it("refuses a line it cannot read as invalid", () => {
    const engine = create();
    const gail = guest("Gail", { gm: true });
    enter(engine, gail);
    expect(engine.receive(gail, command("spawn 1 dragon"), ctxAt())).toMatchObject({
      code: "invalid",
      field: "line",
      message: expect.stringMatching(/no enemy template "dragon"/),
    });
  });

  it("reports the zone's tick measurements on stats, and only a GM may reset them", () => {
    const engine = create();
    const ada = guest("Ada");
    const gail = guest("Gail", { gm: true });
    enter(engine, ada);
    enter(engine, gail);
    const stats = new KeptStats();

    const read = accepted(engine.receive(ada, command("stats"), ctxAt(NOW, stats)));
    expect(stats.asked).toEqual([NOW]);
    expect(stats.resets).toEqual([]);
    expect(read.out).toEqual([
      {
        to: { session: ada.sessionId },
        message: {
          type: "info",
          text: "tick p50 0.4 ms, p99 1.5 ms over 200 ticks; 5 entities; 1200 B/s per player",
          payload: expect.objectContaining({ ticks: 200, entities: 5, tickRate: 20 }),
        },
      },
    ]);

    accepted(engine.receive(gail, command("stats reset"), ctxAt(NOW + 1, stats)));
    expect(stats.resets).toEqual([NOW + 1]);
  });
});

describe("releasing a session", () => {
  it("keeps the body while another session plays the player, but stops that session's snapshots", () => {
    const engine = create();
    const first = hero(ADA_ID, "Ada");
    const second = { ...first, sessionId: "session-ada-2" };
    const you = enter(engine, first);
    enter(engine, second);

    expect(engine.release(first, false).out).toEqual([]);
    expect(engine.state.players[you]).toBeDefined();
    stepper(engine)();
    expect(Object.keys(snapshots(engine.publish()))).toEqual([second.sessionId]);
    expect(engine.receive(first, input(1, 1, 0), ctxAt())).toMatchObject({ code: "hello_required" });
  });

  it("removes the body with the player's last session", () => {
    const engine = create();
    const ada = guest("Ada");
    const bob = guest("Bob");
    const you = enter(engine, ada);
    enter(engine, bob);
    const population = engine.population();
    engine.serialize();

    engine.release(ada, true);
    expect(engine.state.players[you]).toBeUndefined();
    expect(engine.population()).toBe(population - 1);
    expect(engine.dirty).toBe(true);
    stepper(engine)();
    const round = snapshots(engine.publish());
    expect(Object.keys(round)).toEqual([bob.sessionId]);
    expect(round[bob.sessionId]?.add.map((e) => e.id)).not.toContain(you);

    // Coming back is a new arrival with a new body.
    const back = enter(engine, ada);
    expect(back).not.toBe(you);
  });

  it("changes nothing for a session that never entered", () => {
    const engine = create();
    enter(engine, guest("Ada"));
    engine.serialize();
    const before = engine.state;
    expect(engine.release(guest("Zed"), true).out).toEqual([]);
    expect(engine.state).toBe(before);
    expect(engine.dirty).toBe(false);
  });
});

describe("settling after a reload", () => {
  it("removes the bodies of players without a session", () => {
    const engine = create();
    const a = enter(engine, guest("Ada"));
    const b = enter(engine, hero(ADA_ID, "Hero"));
    const settled = engine.settle([]);
    expect(settled.out).toEqual([]);
    expect(engine.state.players[a]).toBeUndefined();
    expect(engine.state.players[b]).toBeUndefined();
    expect(engine.population()).toBe(3);
  });

  it("gives a surviving session its body back and describes the field to it again", () => {
    const engine = create();
    const ada = guest("Ada");
    const bob = guest("Bob");
    const a = enter(engine, ada);
    const b = enter(engine, bob);

    const restored = FIELD_KIND.restore(ZONE, JSON.parse(JSON.stringify(engine.serialize())));
    if (!restored.ok) throw new Error(restored.error);
    const again = restored.value as FieldEngine;
    const settled = again.settle([ada]);

    expect(settled.out).toHaveLength(1);
    expect(frameFor(settled.out, ada.sessionId)).toMatchObject({ type: "field", you: a });
    expect(again.state.players[a]).toBeDefined();
    expect(again.state.players[b]).toBeUndefined();
    // Its snapshots start over, in full.
    stepper(again)();
    expect(snapshots(again.publish())[ada.sessionId]).toMatchObject({ n: 1, base: 0 });
    accepted(again.receive(ada, input(1, 1, 0), ctxAt()));
  });
});

describe("the character as the zone holds it", () => {
  it("has the field's pools, position, level and experience, the rest as the session brought it", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada", { hp: 20, mp: 10, x: 0, y: 0, playSeconds: 42 });
    const you = enter(engine, ada);
    accepted(engine.receive(ada, input(1, 0, 1), ctxAt()));
    stepper(engine)(4);

    const body = engine.state.players[you];
    if (!body) throw new Error("no body");
    const held = engine.characterOf(ada);
    expect(held).toEqual({
      ...ada.character,
      hp: body.hp,
      mp: body.mp,
      x: body.pos.x,
      y: body.pos.y,
      level: body.level,
      xp: body.xp,
    });
    expect(held?.y).toBeCloseTo(432);
    expect(held?.hp).toBe(20);
    expect(held?.playSeconds).toBe(42);
  });

  it("has no character for a guest", () => {
    const engine = create();
    const ada = guest("Ada");
    enter(engine, ada);
    expect(engine.characterOf(ada)).toBeUndefined();
  });
});

describe("the stored field", () => {
  it("is serialized with its version, which clears dirty, and restores through JSON to the same field", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    const gail = guest("Gail", { gm: true });
    const you = enter(engine, ada);
    enter(engine, gail);
    accepted(engine.receive(gail, command("spawn 2 golem"), ctxAt()));
    accepted(engine.receive(ada, input(1, 1, 1), ctxAt()));
    stepper(engine)(6);
    expect(engine.dirty).toBe(true);

    const payload = engine.serialize();
    expect(engine.dirty).toBe(false);
    expect(payload.v).toBe(2);

    const restored = FIELD_KIND.restore(ZONE, JSON.parse(JSON.stringify(payload)));
    if (!restored.ok) throw new Error(restored.error);
    const again = restored.value as FieldEngine;
    expect(again).toBeInstanceOf(FieldEngine);
    expect(again.state).toEqual(engine.state);
    expect(again.dirty).toBe(false);
    expect(again.population()).toBe(engine.population());
    // Players keep their bodies across the reload.
    expect(enter(again, ada)).toBe(you);
    expect(again.characterOf(ada)).toEqual(engine.characterOf(ada));
  });

  it("refuses a payload from a newer version, or one that is no field, naming field_world", () => {
    const engine = create();
    const payload = JSON.parse(JSON.stringify(engine.serialize()));
    const newer = FIELD_KIND.restore(ZONE, { ...payload, v: 9 });
    expect(newer).toEqual({ ok: false, error: "field_world: version 9 is newer than this code reads (2)" });
    for (const raw of ["garbage", { v: 1, state: {}, entities: {} }, { ...payload, entities: { a: 1 } }]) {
      const restored = FIELD_KIND.restore(ZONE, raw);
      expect(!restored.ok && restored.error).toMatch(/^field_world: /);
    }
  });
});

/** The engine's ticks numbered from 1, each one's outcome kept. */
function ticker(engine: FieldEngine, seed = 3) {
  const rng = createRng(seed);
  let tick = 0;
  return (n = 1): Outcome[] =>
    Array.from({ length: n }, () => {
      tick += 1;
      return engine.step({ tick, now: tick * 50, rng });
    });
}

const WARD: EffectState = {
  name: "Ward",
  kind: "buff",
  duration_ticks: 100,
  interval_ticks: 0,
  magnitude: 2,
  stat: "vit",
  source: "npc-4",
  remaining_ticks: 40,
};

/** Ada's worn cap and staff, a rat's tail in her pack, a satchel with a mug in it. */
const ADA_ITEMS: CarriedItem[] = [
  { templateId: "iron-cap", slot: "head", durability: 97 },
  { templateId: "apprentice-staff", slot: "weapon", durability: 100 },
  { templateId: "rat-tail" },
  { templateId: "travellers-satchel" },
  { templateId: "cracked-mug", inside: 3 },
];

/** Ada handed over from the start zone to `place` of the Test Area. */
function travellerAda(over: Partial<CharacterSnapshot> = {}, place: string | undefined = "portal"): Traveller {
  return {
    transferId: "transfer-ada-1",
    from: "start",
    to: { zoneId: ZONE, ...(place ? { place } : {}) },
    departedAt: NOW,
    character: character(ADA_ID, { name: "Ada", class: "mage", level: 2, xp: 150, hp: 23, mp: 11, ...over }),
    carried: { effects: [{ ...WARD }], items: ADA_ITEMS.map((item) => ({ ...item })) },
    write: null,
  };
}

const bodyOf = (engine: FieldEngine, id: string) => {
  const body = engine.state.players[id];
  if (!body) throw new Error(`no body ${id}`);
  return body;
};

describe("a traveller handed over", () => {
  it("is recorded without a word, and enters with its session at the place, as its character and effects were", () => {
    const engine = create();
    engine.serialize();
    const sent = travellerAda();
    expect(engine.arrive(sent)).toBe(NOTHING);
    expect(engine.dirty).toBe(true);
    expect(engine.population()).toBe(3);

    const ada = hero(ADA_ID, "Ada", { hp: 70, mp: 30, level: 1, xp: 0 });
    const you = enter(engine, ada);
    expect(bodyOf(engine, you)).toMatchObject({ pos: { x: 150, y: 400 }, level: 2, xp: 150, hp: 23, mp: 11 });
    expect(bodyOf(engine, you).effects).toEqual([WARD]);
  });

  it("enters at a place of the zone other than the spawn, and at the spawn for a place it does not know", () => {
    const definition = fieldZone(ZONE);
    if (!definition) throw new Error("no test-area");
    const zone = { ...definition, places: { ...definition.places, grove: { x: 600, y: 100 } } };
    const engine = new FieldEngine(zone, createField(zone), {});
    engine.arrive(travellerAda({}, "grove"));
    expect(bodyOf(engine, enter(engine, hero(ADA_ID, "Ada"))).pos).toEqual({ x: 600, y: 100 });

    const other = new FieldEngine(zone, createField(zone), {});
    other.arrive({ ...travellerAda({}, "tower-study") });
    expect(bodyOf(other, enter(other, hero(ADA_ID, "Ada"))).pos).toEqual({ x: 150, y: 400 });
  });

  it("is taken once however often the same hand-off is sent", () => {
    const engine = create();
    engine.arrive(travellerAda());
    engine.arrive(travellerAda());
    enter(engine, hero(ADA_ID, "Ada"));
    expect(engine.depart(ADA_ID)?.items).toEqual(ADA_ITEMS);
  });

  it("leaves again with its items, effects and pools, and a second zone takes it as it left, through a reload", () => {
    const engine = create();
    engine.arrive(travellerAda());
    const ada = hero(ADA_ID, "Ada");
    const you = enter(engine, ada);
    ticker(engine)(3);
    const held = engine.characterOf(ada);
    expect(held).toMatchObject({ level: 2, xp: 150, hp: 23 });
    engine.serialize();

    const carried = engine.depart(ADA_ID);
    expect(carried).toEqual({ effects: [{ ...WARD, remaining_ticks: 37 }], items: ADA_ITEMS });
    expect(engine.state.players[you]).toBeUndefined();
    expect(engine.population()).toBe(3);
    expect(engine.dirty).toBe(true);
    // Handed over and forgotten: nothing is left to hand over twice.
    expect(engine.depart(ADA_ID)).toBeUndefined();
    expect(engine.depart("nobody")).toBeUndefined();

    if (!held || !carried) throw new Error("nothing held");
    const next = create();
    next.arrive({ ...travellerAda(), transferId: "transfer-ada-2", character: held, carried });
    const restored = FIELD_KIND.restore(ZONE, JSON.parse(JSON.stringify(next.serialize())));
    if (!restored.ok) throw new Error(restored.error);
    const again = restored.value as FieldEngine;
    const body = bodyOf(again, enter(again, ada));
    expect(body).toMatchObject({ level: 2, xp: 150, hp: 23, mp: held.mp, effects: [{ ...WARD, remaining_ticks: 37 }] });
    expect(again.depart(ADA_ID)?.items).toEqual(ADA_ITEMS);
  });

  it("has its worn items counted exactly as the MUD's rulebook counts them in a room", () => {
    const engine = create();
    engine.arrive(travellerAda({ vit: 9, int: 12 }));
    const body = bodyOf(engine, enter(engine, hero(ADA_ID, "Ada")));

    const content = zoneContent(loadArcaneRealms(), "start");
    if (!content) throw new Error("no start zone");
    const world: MudWorld = {
      zoneId: "start",
      tick: 0,
      npcs: {},
      nextId: 4,
      players: {
        [ADA_ID]: {
          id: ADA_ID,
          name: "Ada",
          classId: "mage",
          attributes: { str: 10, dex: 10, int: 12, vit: 9 },
          level: 2,
          xp: 150,
          hp: 23,
          mp: 11,
          roomId: "tower-study",
          effects: [{ ...WARD }],
          targetId: null,
          resting: false,
          nextSwingTick: 0,
          online: true,
        },
      },
      items: {
        "item-1": {
          id: "item-1",
          templateId: "iron-cap",
          location: { kind: "equipped", ownerId: ADA_ID, slot: "head" },
        },
        "item-2": {
          id: "item-2",
          templateId: "apprentice-staff",
          location: { kind: "equipped", ownerId: ADA_ID, slot: "weapon" },
        },
        "item-3": { id: "item-3", templateId: "rat-tail", location: { kind: "inventory", ownerId: ADA_ID } },
      },
    };
    const player = world.players[ADA_ID];
    if (!player) throw new Error("no MUD player");
    const inRoom = playerStats(world, content, player);
    expect(body.maxHp).toBe(inRoom.maxHp);
    expect(body.maxMp).toBe(inRoom.maxMp);
    // And the gear does count: the cap's vitality and the staff's mana are in it.
    const bare = characterSheet(
      { classId: "mage", attributes: { str: 10, dex: 10, int: 12, vit: 9 }, level: 2 },
      { effects: [WARD] },
    );
    expect(body.maxHp).toBeGreaterThan(bare.stats.maxHp);
    expect(body.maxMp).toBeGreaterThan(bare.stats.maxMp);
  });
});

describe("an exit", () => {
  it("reports the player leaving once when its body walks in, by player id, towards the exit's place", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    const bob = guest("Bob");
    enter(engine, ada);
    enter(engine, bob);
    const tick = ticker(engine);
    // Standing at the spawn is not leaving.
    expect(tick(2).flatMap((o) => o.departures ?? [])).toEqual([]);

    accepted(engine.receive(ada, input(1, -1, 0), ctxAt()));
    const outcomes = tick(40);
    expect(outcomes.flatMap((o) => o.departures ?? [])).toEqual([
      { playerId: ADA_ID, to: { zoneId: "start", place: "tower-steps" } },
    ]);
    // Reported with no output and nothing to commit: the host hands the player over (depart).
    const reported = outcomes.find((o) => o.departures?.length);
    expect(reported).toEqual({ out: [], critical: false, changedPlayers: [], departures: expect.any(Array) });
    expect(engine.depart(ADA_ID)).toEqual({ effects: [], items: [] });
    expect(tick(5).flatMap((o) => o.departures ?? [])).toEqual([]);
  });

  it("reports a guest by its session id", () => {
    const engine = create();
    const bob = guest("Bob");
    enter(engine, bob);
    accepted(engine.receive(bob, input(1, -1, 0), ctxAt()));
    expect(
      ticker(engine)(40)
        .flatMap((o) => o.departures ?? [])
        .map((d) => d.playerId),
    ).toEqual([bob.sessionId]);
  });
});

describe("holdings", () => {
  it("stay when the player's last session leaves, so a reconnect wears them again", () => {
    const engine = create();
    // Effects end with the body (as today); the items are what must come back.
    engine.arrive({ ...travellerAda(), carried: { effects: [], items: ADA_ITEMS } });
    const ada = hero(ADA_ID, "Ada", { level: 2, xp: 150 });
    const first = bodyOf(engine, enter(engine, ada));
    engine.release(ada, true);
    expect(Object.values(engine.state.players)).toEqual([]);

    // Through a reload too: holdings are saved with the field.
    const restored = FIELD_KIND.restore(ZONE, JSON.parse(JSON.stringify(engine.serialize())));
    if (!restored.ok) throw new Error(restored.error);
    const again = restored.value as FieldEngine;
    again.settle([]);
    const back = bodyOf(again, enter(again, ada));
    expect(back.equipped).toEqual(first.equipped);
    expect(back.maxHp).toBe(first.maxHp);
    expect(again.depart(ADA_ID)?.items).toEqual(ADA_ITEMS);
  });
});

describe("loot", () => {
  /** Ada and Bob at the spawn, a golem at 1 hp in Ada's line of fire, and Ada's missile on its way. */
  function golemHunt(seed: number) {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    const bob = guest("Bob");
    const you = enter(engine, ada);
    const bobs = enter(engine, bob);
    const golem = withEnemy(engine.state, "golem", { x: 350, y: 400 }, { extra: { hp: 1 } });
    engine.state = golem.state;
    accepted(engine.receive(ada, { type: "cast", skill: "magic-missile", aim: { x: 350, y: 400 } }, ctxAt()));
    const tick = ticker(engine, seed);
    const events: Record<string, unknown[]> = { [ada.sessionId]: [], [bob.sessionId]: [] };
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(...tick());
      for (const [session, frame] of Object.entries(snapshots(engine.publish())))
        events[session]?.push(...(frame.ev ?? []));
    }
    return { engine, ada, bob, you, bobs, golem: golem.id, events, outcomes };
  }

  it("rolls the golem's table for its killer with the tick's seeded rng, into its holdings, told to it alone", () => {
    const { engine, ada, bob, you, golem, events, outcomes } = golemHunt(1);
    expect(engine.state.enemies[golem]).toBeUndefined();
    const loot = { type: "loot", to: you, items: ["iron-cap"], from: golem };
    expect(events[ada.sessionId]).toContainEqual(loot);
    expect(events[bob.sessionId]).toContainEqual(expect.objectContaining({ type: "death", target: golem }));
    expect(events[bob.sessionId]).not.toContainEqual(expect.objectContaining({ type: "loot" }));
    // The kill is committed before anyone hears of it, and Ada's character is written at once.
    expect(outcomes.filter((o) => o.critical)).toEqual([{ out: [], critical: true, changedPlayers: [ADA_ID] }]);
    expect(engine.depart(ADA_ID)?.items).toEqual([{ templateId: "iron-cap", durability: 120 }]);
  });

  it("is the same for the same seed, and another seed may drop nothing", () => {
    expect(golemHunt(2).engine.depart(ADA_ID)?.items).toEqual([{ templateId: "rusted-shortsword", durability: 60 }]);
    expect(golemHunt(2).engine.depart(ADA_ID)?.items).toEqual([{ templateId: "rusted-shortsword", durability: 60 }]);
    const empty = golemHunt(7);
    expect(empty.events[empty.ada.sessionId]).not.toContainEqual(expect.objectContaining({ type: "loot" }));
    expect(empty.outcomes.some((o) => o.critical)).toBe(false);
    expect(empty.engine.depart(ADA_ID)).toEqual({ effects: [], items: [] });
  });

  it("a guest takes is gone with its last session", () => {
    const engine = create();
    const gus = guest("Gus");
    const you = enter(engine, gus);
    engine.state = withEnemy(engine.state, "golem", { x: 350, y: 400 }, { extra: { hp: 1 } }).state;
    accepted(engine.receive(gus, { type: "cast", skill: "magic-missile", aim: { x: 350, y: 400 } }, ctxAt()));
    const outcomes = ticker(engine, 1)(20);
    expect(outcomes.flatMap((o) => o.changedPlayers ?? [])).toEqual([gus.sessionId]);
    expect(engine.state.players[you]).toBeDefined();
    engine.release(gus, true);
    expect(engine.depart(gus.sessionId)).toBeUndefined();
  });
});
