import { describe, expect, it } from "vitest";
import { diffViews, type EntityView, SnapshotHistory, type View } from "../../shared/field/delta";
import { moveCircle } from "../../shared/field/geometry";
import { PLAYER_RADIUS, type Vec } from "../../shared/field/types";
import type { ClientMessage } from "../../shared/protocol/messages";
import { type FieldFrame, FieldWorld, quantizeMove, type SnapshotFrame } from "./field";

const FIELD: FieldFrame = {
  type: "field",
  you: "p1",
  width: 1000,
  height: 1000,
  tickRate: 20,
  snapshotRate: 20,
  viewRadius: 300,
  playerSpeed: 100,
  obstacles: [{ x: 600, y: 0, w: 50, h: 1000 }],
  spawn: { x: 100, y: 100 },
  skills: [],
  gm: false,
};

const body = (id: string, pos: Vec, extra: Partial<EntityView> = {}): EntityView => ({
  id,
  k: "p",
  x: Math.round(pos.x),
  y: Math.round(pos.y),
  ...extra,
});

/**
 * A server that moves the player by its held input once a tick, with inputs and snapshots each
 * delayed by `oneWayMs`, as the realm does (shared/field/step.ts moves with the same moveCircle).
 */
function simulate(oneWayMs: number, script: (world: FieldWorld, t: number) => void, untilMs: number) {
  const sent: { at: number; message: ClientMessage }[] = [];
  let now = 0;
  const world = new FieldWorld((message) => sent.push({ at: now, message }));
  const history = new SnapshotHistory();
  let pos: Vec = { x: 100, y: 100 };
  let move: Vec = { x: 0, y: 0 };
  let lastSeq = 0;
  const inFlight: { at: number; frame: SnapshotFrame }[] = [];
  world.onField(FIELD, 0);
  const errors: number[] = [];
  const other: Vec = { x: 200, y: 150 };
  for (let tick = 1; tick * 50 <= untilMs; tick++) {
    const serverNow = tick * 50;
    for (const s of sent.filter((s) => s.at + oneWayMs <= serverNow && s.at + oneWayMs > serverNow - 50)) {
      if (s.message.type === "input") {
        move = s.message.move;
        lastSeq = s.message.seq;
        if (s.message.ack) history.ack(s.message.ack);
      } else if (s.message.type === "ack") history.ack(s.message.n);
    }
    pos = moveCircle(pos, { x: move.x * 5, y: move.y * 5 }, PLAYER_RADIUS, FIELD.obstacles, 1000, 1000);
    other.x += 5;
    const view: View = new Map([
      ["p1", body("p1", pos)],
      ["e1", body("e1", other, { k: "e" })],
    ]);
    const frame = history.next(view);
    inFlight.push({
      at: serverNow + oneWayMs,
      frame: { type: "snapshot", tick, ack: lastSeq, ...frame } as SnapshotFrame,
    });
    // The client's frames between this tick and the next.
    for (let t = serverNow; t < serverNow + 50; t += 10) {
      now = t;
      while (inFlight.length > 0 && (inFlight[0] as { at: number }).at <= now) {
        world.onSnapshot((inFlight.shift() as { frame: SnapshotFrame }).frame, now);
      }
      script(world, now);
      world.advance(now);
      const predicted = world.predictedPosition();
      if (predicted && t % 50 === 0) errors.push(Math.hypot(predicted.x - pos.x, predicted.y - pos.y));
    }
  }
  return { world, sent, errors, server: pos };
}

describe("FieldWorld", () => {
  it("predicts its own walk ahead of the server and settles on the server's position when it stops", () => {
    const { world, errors, server } = simulate(
      40,
      (w, t) => {
        if (t === 200) w.setMove(1, 0, t);
        if (t === 1200) w.setMove(0, 0, t);
      },
      2500,
    );
    // While walking, the prediction runs about one round trip ahead of the authoritative body...
    const walking = errors.slice(10, 22);
    expect(Math.max(...walking)).toBeLessThan(20);
    // ...and once it stops, both agree to within a unit.
    const final = world.predictedPosition() as Vec;
    expect(Math.abs(final.x - server.x)).toBeLessThan(1.5);
    expect(Math.abs(final.y - server.y)).toBeLessThan(1.5);
    expect(server.x).toBeGreaterThan(150);
  });

  it("is stopped by the same walls as the server", () => {
    const { world, server } = simulate(30, (w, t) => t === 100 && w.setMove(1, 0, t), 8000);
    // The wall starts at x = 600: the body stops within one stride (5) of touching it.
    expect(server.x).toBeGreaterThan(600 - PLAYER_RADIUS - 5);
    expect(server.x).toBeLessThanOrEqual(600 - PLAYER_RADIUS);
    expect(Math.abs((world.predictedPosition() as Vec).x - server.x)).toBeLessThan(1.5);
  });

  it("snaps to the server after a jump (a respawn or a GM move) instead of sliding there", () => {
    const world = new FieldWorld(() => undefined);
    world.onField(FIELD, 0);
    world.onSnapshot(
      { type: "snapshot", n: 1, base: 0, tick: 1, ack: 0, add: [body("p1", { x: 100, y: 100 })], upd: [], del: [] },
      0,
    );
    world.onSnapshot(
      { type: "snapshot", n: 2, base: 1, tick: 2, ack: 0, add: [], upd: [{ id: "p1", x: 900, y: 900 }], del: [] },
      50,
    );
    expect(world.predictedPosition()).toEqual({ x: 900, y: 900 });
  });

  it("draws others between the two snapshots around the moment it renders", () => {
    const world = new FieldWorld(() => undefined);
    world.onField(FIELD, 0);
    world.onSnapshot(
      {
        type: "snapshot",
        n: 1,
        base: 0,
        tick: 1,
        ack: 0,
        add: [body("e1", { x: 0, y: 0 }, { k: "e" })],
        upd: [],
        del: [],
      },
      1000,
    );
    world.onSnapshot(
      { type: "snapshot", n: 2, base: 1, tick: 2, ack: 0, add: [], upd: [{ id: "e1", x: 10, y: 20 }], del: [] },
      1050,
    );
    // Rendered 100 ms in the past: at 1125 that is 1025, halfway between the snapshots.
    const [e1] = world.entities(1125, 100);
    expect(e1?.x).toBeCloseTo(5);
    expect(e1?.y).toBeCloseTo(10);
  });

  it("acknowledges snapshots while standing still and asks for a resync when it lost the base", () => {
    const sent: ClientMessage[] = [];
    const world = new FieldWorld((m) => sent.push(m));
    world.onField(FIELD, 0);
    let base: View = new Map();
    for (let n = 1; n <= 5; n++) {
      const view = new Map([["e1", body("e1", { x: n, y: 0 })]]);
      world.onSnapshot(
        { type: "snapshot", n, base: n - 1, tick: n, ack: 0, ...diffViews(base, view) } as SnapshotFrame,
        n * 50,
      );
      base = view;
    }
    expect(sent).toContainEqual({ type: "ack", n: 5 });
    world.onSnapshot({ type: "snapshot", n: 9, base: 7, tick: 9, ack: 0, add: [], upd: [], del: [] }, 500);
    expect(sent.at(-1)).toEqual({ type: "resync" });
  });

  it("numbers its inputs, at most 20 a second, the newest value winning", () => {
    const sent: ClientMessage[] = [];
    const world = new FieldWorld((m) => sent.push(m));
    world.onField(FIELD, 0);
    world.setMove(1, 0, 0);
    world.setAim(10, 10, 10);
    world.setAim(20, 20, 20);
    world.advance(70);
    const inputs = sent.filter((m) => m.type === "input");
    expect(inputs.map((m) => m.type === "input" && m.seq)).toEqual([1, 2]);
    expect(inputs[0]).toMatchObject({ move: { x: 1, y: 0 } });
    expect(inputs[1]).toMatchObject({ aim: { x: 20, y: 20 } });
  });

  it("sends an analog stick dragged at 60 Hz as at most 20 inputs a second, and always its last value", () => {
    const sent: ClientMessage[] = [];
    const world = new FieldWorld((m) => sent.push(m));
    world.onField(FIELD, 0);
    for (let frame = 0; frame <= 60; frame++) {
      const t = frame * (1000 / 60);
      const angle = frame / 10;
      world.setMove(Math.cos(angle) * 0.9, Math.sin(angle) * 0.9, t);
      world.advance(t);
    }
    world.setMove(0, 0, 1001);
    world.advance(1100);
    const inputs = sent.filter((m) => m.type === "input");
    expect(inputs.length).toBeLessThanOrEqual(22);
    expect(inputs.at(-1)).toMatchObject({ move: { x: 0, y: 0 } });
  });

  it("rounds movement to 32 directions and quarter speeds", () => {
    expect(quantizeMove({ x: 0.6, y: 0.8 })).toEqual({ x: 0.55557, y: 0.83147 });
    expect(quantizeMove({ x: -1, y: 0 })).toEqual({ x: -1, y: 0 });
    expect(quantizeMove({ x: 0.05, y: 0.05 })).toEqual({ x: 0, y: 0 });
    expect(Math.hypot(quantizeMove({ x: 0.3, y: 0.3 }).x, quantizeMove({ x: 0.3, y: 0.3 }).y)).toBeCloseTo(0.5);
  });

  it("tells which snapshot it holds and which input it sent last, and reports a resync with its reason", () => {
    const sent: ClientMessage[] = [];
    const world = new FieldWorld((m) => sent.push(m));
    const resyncs: { n: number; reason: string }[] = [];
    world.on("resync", (r) => resyncs.push(r));
    world.onField(FIELD, 0);
    expect(world.applied).toBe(0);
    expect(world.inputSeq).toBe(0);
    world.onSnapshot({ type: "snapshot", n: 1, base: 0, tick: 1, ack: 0, add: [], upd: [], del: [] }, 0);
    world.onSnapshot({ type: "snapshot", n: 2, base: 1, tick: 2, ack: 0, add: [], upd: [], del: [] }, 50);
    expect(world.applied).toBe(2);
    world.setMove(1, 0, 60);
    world.setMove(0, 0, 70);
    // The stop came within 50 ms of the start: it waits for its slot, then goes.
    expect(world.inputSeq).toBe(1);
    world.advance(110);
    expect(world.inputSeq).toBe(2);
    expect(sent.at(-1)).toMatchObject({ type: "input", seq: 2, ack: 2 });
    world.onSnapshot({ type: "snapshot", n: 9, base: 7, tick: 9, ack: 2, add: [], upd: [], del: [] }, 100);
    expect(resyncs).toEqual([{ n: 9, reason: "unknown_base" }]);
    expect(world.applied).toBe(2);
  });

  it("can leave acknowledging to the caller's own inputs (ackEvery: 0)", () => {
    const sent: ClientMessage[] = [];
    const world = new FieldWorld((m) => sent.push(m), { ackEvery: 0 });
    world.onField(FIELD, 0);
    for (let n = 1; n <= 12; n++) {
      world.onSnapshot(
        { type: "snapshot", n, base: n - 1, tick: n, ack: 0, add: [], upd: [], del: [] } as SnapshotFrame,
        n * 50,
      );
    }
    expect(world.applied).toBe(12);
    expect(sent.filter((m) => m.type === "ack")).toEqual([]);
    const every3 = new FieldWorld((m) => sent.push(m), { ackEvery: 3 });
    for (let n = 1; n <= 6; n++) {
      every3.onSnapshot({ type: "snapshot", n, base: n - 1, tick: n, ack: 0, add: [], upd: [], del: [] }, n * 50);
    }
    expect(sent.filter((m) => m.type === "ack")).toEqual([
      { type: "ack", n: 3 },
      { type: "ack", n: 6 },
    ]);
  });
});
