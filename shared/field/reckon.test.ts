import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSnapshot, encodeSnapshot, HANDLE, REVISION, RecordCache, type WireEntity } from "../protocol/binary";
import { applyDelta, type EntityView, type View } from "./delta";
import { RECKON_TOLERANCE, Reckoner } from "./reckon";
import { SnapshotWire } from "./wire";

const HZ = 20;

/** A round's views: fresh objects, as shared/field/snapshot.ts builds them, stamped with handles. */
function round(entities: { id: string; x: number; y: number; vx: number; vy: number }[]): Map<string, EntityView> {
  const views = new Map<string, EntityView>();
  entities.forEach(({ id, x, y, vx, vy }, i) => {
    const view: EntityView = { id, k: "p", x: Math.round(x), y: Math.round(y) };
    if (vx) view.vx = vx;
    if (vy) view.vy = vy;
    (view as EntityView & { [HANDLE]?: number })[HANDLE] = i + 1;
    views.set(id, view);
  });
  return views;
}

const handlesOf = (view: View) =>
  [...view.values()].reduce<(string | undefined)[]>((table, e) => {
    table[(e as { [HANDLE]?: number })[HANDLE] as number] = e.id;
    return table;
  }, []);

const plain = (view: ReadonlyMap<string, EntityView>) =>
  Object.fromEntries([...view].map(([id, e]) => [id, JSON.parse(JSON.stringify(e))]));

describe("dead reckoning", () => {
  it("keeps a straight walker on one line, within the tolerance, and starts a new line when it turns", () => {
    const reckoner = new Reckoner();
    const published: EntityView[] = [];
    let x = 100.4;
    for (let tick = 1; tick <= 60; tick++) {
      const vx = tick <= 40 ? 71 : -71;
      x += vx / HZ;
      const views = round([{ id: "p1", x, y: 50, vx, vy: 0 }]);
      reckoner.apply(views, tick, HZ);
      const view = views.get("p1") as EntityView;
      expect(Math.abs((view.x as number) - Math.round(x))).toBeLessThanOrEqual(RECKON_TOLERANCE);
      published.push(view);
    }
    expect(new Set(published.slice(0, 40).map((v) => v.at))).toEqual(new Set([1]));
    expect(published[40]?.at).toBe(41);
    // Standing still: no line.
    const still = round([{ id: "p1", x, y: 50, vx: 0, vy: 0 }]);
    reckoner.apply(still, 61, HZ);
    expect(still.get("p1")?.at).toBeUndefined();
  });

  it("sends nothing for an entity moving along its line, and the client puts it where the server did", () => {
    const reckoner = new Reckoner();
    const views: Map<string, EntityView>[] = [];
    for (let tick = 1; tick <= 10; tick++) {
      const v = round([{ id: "m1", x: 100 + tick * 15, y: 200 - tick * 5, vx: 300, vy: -100 }]);
      reckoner.apply(v, tick, HZ);
      views.push(v);
    }
    const [base, next] = [views[2] as View, views[9] as View];
    const bytes = encodeSnapshot({ n: 10, base: 3, tick: 10, ack: 0 }, base, next, new RecordCache(), () => true);
    // kind, n, base, tick, ack, and four empty lists: no record at all.
    expect(bytes.length).toBe(9);
    const decoded = decodeSnapshot(bytes, () => ({ view: base as never, handles: handlesOf(base), tick: 3 }), HZ);
    if ("unknownBase" in decoded) throw new Error("base not found");
    expect(plain(applyDelta(base, decoded.frame as never))).toEqual(plain(next));
  });

  it("decodes to the server's view against any earlier snapshot, whatever the movers do, revisions and all", () => {
    const mover = fc.record({
      vx: fc.constantFrom(0, 71, -71, 100, 300, -250, 33),
      vy: fc.constantFrom(0, 71, -100, 300, 7),
      // How far the body strays from straight-line motion this tick (walls, knockback).
      jitter: fc.constantFrom(0, 0, 0, 0.4, 3, -5),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(mover, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(10, 20, 30),
        (ticks, pickBase, pickNext, hz) => {
          const reckoner = new Reckoner();
          // Handles and revisions as the zone stamps them (a revision kept skips the pair unread).
          const wire = new SnapshotWire();
          const pos = [
            { x: 10.5, y: 20 },
            { x: 500, y: 500.25 },
            { x: -40, y: 0 },
          ];
          const rounds: Map<string, EntityView>[] = [];
          ticks.forEach((movers, t) => {
            const entities = movers.map((m, i) => {
              const p = pos[i] as { x: number; y: number };
              p.x += m.vx / hz + m.jitter;
              p.y += m.vy / hz;
              return { id: `e${i}`, x: p.x, y: p.y, vx: m.vx, vy: m.vy };
            });
            // Entity e2 leaves and comes back now and then.
            const views = round(t % 7 === 3 ? entities.slice(0, 2) : entities);
            reckoner.apply(views, t + 1, hz);
            wire.stamp(views);
            rounds.push(views);
          });
          const b = pickBase % (rounds.length - 1);
          const n = b + 1 + (pickNext % (rounds.length - b - 1));
          const base = rounds[b] as View;
          const next = rounds[n] as View;
          const bytes = encodeSnapshot(
            { n: n + 1, base: b + 1, tick: n + 1, ack: 0 },
            base,
            next,
            new RecordCache(),
            () => true,
          );
          const held = { view: base as ReadonlyMap<string, WireEntity>, handles: handlesOf(base), tick: b + 1 };
          const decoded = decodeSnapshot(bytes, (k) => (k === b + 1 ? held : undefined), hz);
          if ("unknownBase" in decoded) throw new Error("base not found");
          expect(plain(applyDelta(base, decoded.frame as never))).toEqual(plain(next));
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe("revisions", () => {
  it("carry over while an entity only moves along its line, and change with anything else", () => {
    const reckoner = new Reckoner();
    const wire = new SnapshotWire();
    const revisions: (number | undefined)[] = [];
    for (let tick = 1; tick <= 6; tick++) {
      const views = round([{ id: "p1", x: 100 + tick * 5, y: 50, vx: 100, vy: 0 }]);
      if (tick >= 5) (views.get("p1") as EntityView).hp = 40;
      reckoner.apply(views, tick, HZ);
      wire.stamp(views);
      revisions.push((views.get("p1") as { [REVISION]?: number })[REVISION]);
    }
    expect(new Set(revisions.slice(0, 4)).size).toBe(1);
    expect(revisions[4]).not.toBe(revisions[3]);
    expect(revisions[5]).toBe(revisions[4]);
  });
});
