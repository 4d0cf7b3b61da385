/**
 * A field zone's binary snapshots under a byte budget (shared/field/wire.ts): what the client
 * decodes is always what the zone believes it holds, the nearest go first, and nothing waits for
 * ever.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSnapshot, HANDLE, type WireEntity } from "../protocol/binary";
import { applyDelta, type EntityView, SnapshotHistory, type View } from "./delta";
import { Reckoner } from "./reckon";
import { SnapshotWire } from "./wire";

const HZ = 20;
const plain = (view: ReadonlyMap<string, EntityView>) =>
  Object.fromEntries([...view].map(([id, e]) => [id, JSON.parse(JSON.stringify(e))]));

/** A client of the wire: decodes each frame against the snapshot it holds and keeps the result. */
class Client {
  readonly held = new Map<number, { view: View; tick: number; handles: (string | undefined)[] }>();
  apply(bytes: Uint8Array): { n: number; view: View } {
    const decoded = decodeSnapshot(
      bytes,
      (n) => {
        const h = this.held.get(n);
        return h ? { view: h.view as ReadonlyMap<string, WireEntity>, handles: h.handles, tick: h.tick } : undefined;
      },
      HZ,
    );
    if ("unknownBase" in decoded) throw new Error(`unknown base ${decoded.unknownBase}`);
    const { frame, handles } = decoded;
    const base = frame.base === 0 ? new Map() : (this.held.get(frame.base)?.view as View);
    const view = applyDelta(base, frame as never);
    this.held.set(frame.n, { view, tick: frame.tick, handles });
    return { n: frame.n, view };
  }
}

function views(bodies: { id: string; x: number; y: number; vx: number; hp: number }[]) {
  const out = new Map<string, EntityView>();
  for (const b of bodies) {
    const v: EntityView = { id: b.id, k: "p", x: Math.round(b.x), y: Math.round(b.y), hp: b.hp };
    if (b.vx) v.vx = b.vx;
    out.set(b.id, v);
  }
  return out;
}

describe("binary snapshots within a byte budget", () => {
  it("leave each client holding exactly what the zone believes, whatever waits, records shared or not", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            vx: fc.array(fc.constantFrom(0, 100, -160, 40), { minLength: 6, maxLength: 6 }),
            hit: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
            present: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
            acked: fc.boolean(),
          }),
          { minLength: 3, maxLength: 25 },
        ),
        fc.constantFrom(20, 45, 90, 4000),
        (rounds, bytes) => {
          const wire = new SnapshotWire();
          const reckoner = new Reckoner();
          // Two clients with their own budgets and acks, sharing the zone's record cache.
          const clients = [
            { you: "p0", bytes, history: new SnapshotHistory(), owed: new Map<string, number>(), client: new Client() },
            {
              you: "p1",
              bytes: 60,
              history: new SnapshotHistory(),
              owed: new Map<string, number>(),
              client: new Client(),
            },
          ];
          const bodies = Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, x: 50 * i, y: 30 * i, vx: 0, hp: 60 }));
          rounds.forEach((r, t) => {
            const tick = t + 1;
            bodies.forEach((b, i) => {
              b.vx = r.vx[i] as number;
              b.x += b.vx / HZ;
              if (r.hit[i]) b.hp = Math.max(0, b.hp - 7);
            });
            // p0 and p1 are the clients; the others come and go.
            const shared = views(bodies.filter((_, i) => i <= 1 || r.present[i]));
            reckoner.apply(shared, tick, HZ);
            wire.stamp(shared);
            clients.forEach(({ you, bytes, history, owed, client }, c) => {
              const me = shared.get(you) as EntityView;
              const view = new Map(shared);
              const own = { id: me.id, k: "p", x: me.x, y: me.y, hp: me.hp, mp: tick } as EntityView;
              view.set(you, Object.assign(own, { [HANDLE]: (me as { [HANDLE]?: number })[HANDLE] }));
              const frame = wire.encode(history, view, you, { tick, ack: 0 }, { bytes, tickHz: HZ }, owed);
              const { n, view: decoded } = client.apply(frame);
              if (r.acked === (c === 0) || t === 0) {
                history.ack(n);
                expect(plain(decoded)).toEqual(plain(history.upcoming().baseView));
              }
            });
          });
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it("sends the nearest first and lets the far ones build up priority until they go", () => {
    const wire = new SnapshotWire();
    const history = new SnapshotHistory();
    const owed = new Map<string, number>();
    const client = new Client();
    const sentAt = new Map<string, number[]>();
    // The client at the origin; others at 20, 100, 200 and 300 units, each hit every round.
    const distances = [20, 100, 200, 300];
    for (let tick = 1; tick <= 40; tick++) {
      const shared = new Map<string, EntityView>([["me", { id: "me", k: "p", x: 0, y: 0, hp: 60 }]]);
      for (const d of distances) shared.set(`e${d}`, { id: `e${d}`, k: "e", x: d, y: 0, hp: 1000 - tick });
      wire.stamp(shared);
      // Room for the own body and about one other record a round, after the first full snapshot.
      const bytes = tick === 1 ? 4000 : 12;
      const frame = wire.encode(history, shared, "me", { tick, ack: 0 }, { bytes, tickHz: HZ }, owed);
      const { n, view } = client.apply(frame);
      history.ack(n);
      for (const d of distances)
        if (view.get(`e${d}`)?.hp === 1000 - tick) sentAt.get(`e${d}`)?.push(tick) ?? sentAt.set(`e${d}`, [tick]);
    }
    const counts = distances.map((d) => sentAt.get(`e${d}`)?.length ?? 0);
    // Everyone is updated now and then; the nearer, the more often.
    for (const c of counts) expect(c).toBeGreaterThan(1);
    for (let i = 1; i < counts.length; i++) expect(counts[i - 1]).toBeGreaterThanOrEqual(counts[i] as number);
    expect(counts[0]).toBeGreaterThan(counts[3] as number);
    expect(sentAt.get("e20")?.[1]).toBe(2);
  });
});
