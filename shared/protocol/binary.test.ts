import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyDelta, diffViews, type EntityView, type View } from "../field/delta";
import { decodeSnapshot, encodeSnapshot, HANDLE, type HeldSnapshot, RecordCache, type WireEntity } from "./binary";
import { ByteReader, ByteWriter } from "./bytes";

/** Stamps each entity of a view with a handle, as the zone does before encoding. */
function stamped(view: Map<string, EntityView>, handles: Map<string, number>): Map<string, EntityView> {
  for (const [id, e] of view) {
    let h = handles.get(id);
    if (h === undefined) {
      h = handles.size + 1;
      handles.set(id, h);
    }
    (e as EntityView & { [HANDLE]?: number })[HANDLE] = h;
  }
  return view;
}

const entity = fc.record(
  {
    k: fc.constantFrom("p", "e", "m"),
    n: fc.string({ maxLength: 8 }),
    x: fc.integer({ min: -5000, max: 5000 }),
    y: fc.integer({ min: 0, max: 5000 }),
    hp: fc.nat(500),
    mhp: fc.nat(500),
    s: fc.constantFrom("idle", "pursue", "windup", "dead"),
    tg: fc.record({ x: fc.integer(), y: fc.integer(), r: fc.nat(200), hitsAt: fc.nat(1e9) }),
    rd: fc.dictionary(fc.constantFrom("magic-missile", "heal", "arcane-nova"), fc.nat(1e6)),
    vx: fc.integer({ min: -500, max: 500 }),
    // Outside the schema, or not fitting it: carried as JSON.
    odd: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean()),
    hpFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  },
  { requiredKeys: ["k", "x", "y"] },
);
const view = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e1", "m9"), entity, { maxKeys: 6 });
const toView = (d: Record<string, Record<string, unknown>>): Map<string, EntityView> =>
  new Map(Object.entries(d).map(([id, e]) => [id, { id, ...e } as EntityView]));

describe("binary snapshots", () => {
  it("decode to exactly the delta the JSON codec would send, for any pair of views", () => {
    fc.assert(
      fc.property(view, view, (a, b) => {
        const handles = new Map<string, number>();
        const base = stamped(toView(a), handles);
        const next = stamped(toView(b), handles);
        const bytes = encodeSnapshot({ n: 2, base: 1, tick: 7, ack: 3 }, base, next, new RecordCache(), () => true);
        const held: HeldSnapshot = {
          view: base as ReadonlyMap<string, WireEntity>,
          handles: [...base.values()].reduce<(string | undefined)[]>((table, e) => {
            table[(e as { [HANDLE]?: number })[HANDLE] as number] = e.id;
            return table;
          }, []),
          tick: 6,
        };
        const decoded = decodeSnapshot(bytes, (n) => (n === 1 ? held : undefined), 20);
        if ("unknownBase" in decoded) throw new Error("base not found");
        const viaBinary = applyDelta(base, decoded.frame as never);
        const viaJson = applyDelta(base, diffViews(base, next));
        expect(toPlain(viaBinary)).toEqual(toPlain(viaJson));
        expect(toPlain(viaBinary)).toEqual(toPlain(next));
        expect(decoded.frame).toMatchObject({ n: 2, base: 1, tick: 7, ack: 3 });
      }),
      { seed: 1729, numRuns: 400 },
    );
  });

  it("carries any events exactly as JSON would", () => {
    const event = fc
      .dictionary(
        fc.oneof(
          fc.constantFrom("by", "target", "at", "amount", "x", "items", "__proto__"),
          fc.string({ maxLength: 6 }),
        ),
        fc.jsonValue({ maxDepth: 3 }),
        { maxKeys: 6 },
      )
      .chain((fields) => fc.constantFrom("hit", "telegraph", "new-kind").map((type) => ({ ...fields, type })));
    fc.assert(
      fc.property(fc.array(event, { maxLength: 4 }), fc.double(), (ev, odd) => {
        const withOdd = ev.map((e) => ({ ...e, f: odd, gone: undefined }));
        const bytes = encodeSnapshot(
          { n: 1, base: 0, tick: 1, ack: 0, ev: withOdd },
          new Map(),
          new Map(),
          new RecordCache(),
          () => true,
        );
        const decoded = decodeSnapshot(bytes, () => undefined, 20);
        if ("unknownBase" in decoded) throw new Error("base not found");
        expect(decoded.frame.ev ?? []).toEqual(JSON.parse(JSON.stringify(withOdd)));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("follows a handle that was freed and given to another entity, against each base", () => {
    const base = new Map([["m1", { id: "m1", k: "m", x: 1, y: 1 } as EntityView]]);
    (base.get("m1") as EntityView & { [HANDLE]?: number })[HANDLE] = 3;
    const next = new Map([["m2", { id: "m2", k: "m", x: 9, y: 9 } as EntityView]]);
    (next.get("m2") as EntityView & { [HANDLE]?: number })[HANDLE] = 3;
    const bytes = encodeSnapshot({ n: 5, base: 4, tick: 1, ack: 0 }, base, next, new RecordCache(), () => true);
    const decoded = decodeSnapshot(
      bytes,
      () => ({ view: base, handles: [undefined, undefined, undefined, "m1"], tick: 0 }),
      20,
    );
    if ("unknownBase" in decoded) throw new Error("base not found");
    expect(decoded.frame.del).toEqual(["m1"]);
    expect(decoded.frame.add).toEqual([{ id: "m2", k: "m", x: 9, y: 9 }]);
    expect(decoded.handles).toEqual([undefined, undefined, undefined, "m2"]);
  });

  it("says which base it lacks, and refuses a malformed frame with a RangeError", () => {
    const bytes = encodeSnapshot(
      { n: 9, base: 7, tick: 1, ack: 0 },
      new Map(),
      new Map(),
      new RecordCache(),
      () => true,
    );
    expect(decodeSnapshot(bytes, () => undefined, 20)).toEqual({ unknownBase: 7 });
    expect(() => decodeSnapshot(bytes.subarray(0, 3), () => undefined, 20)).toThrow(RangeError);
    expect(() => decodeSnapshot(new Uint8Array([2, 0]), () => undefined, 20)).toThrow(RangeError);
  });

  it("encodes a moving entity's update in a few bytes, once for every client holding the same base", () => {
    const cache = new RecordCache();
    const before = {
      id: "golem-1",
      k: "e",
      n: "Arcane Golem",
      x: 900,
      y: 200,
      hp: 60,
      mhp: 60,
      s: "idle",
    } as EntityView;
    const after = { ...before, x: 905, y: 198, s: "pursue" } as EntityView;
    (before as EntityView & { [HANDLE]?: number })[HANDLE] = 2;
    (after as EntityView & { [HANDLE]?: number })[HANDLE] = 2;
    const base: View = new Map([["golem-1", before]]);
    const next: View = new Map([["golem-1", after]]);
    const frames = Array.from({ length: 50 }, () =>
      encodeSnapshot({ n: 10, base: 9, tick: 100, ack: 0 }, base, next, cache, () => true),
    );
    // One encoding of the update, shared by the fifty clients.
    expect(cache.misses).toBe(1);
    expect(cache.hits).toBe(49);
    const json = JSON.stringify({ type: "snapshot", n: 10, base: 9, tick: 100, ack: 0, ...diffViews(base, next) });
    expect(frames[0]?.length).toBeLessThan(24);
    expect((frames[0]?.length ?? 0) * 4).toBeLessThan(json.length);
  });

  it("writes varints and zigzag integers up to 2^53 and reads them back", () => {
    const values = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 53 - 1];
    const w = new ByteWriter();
    for (const v of values) w.uint(v);
    for (const v of [0, -1, 1, -64, 64, -(2 ** 40)]) w.int(v);
    w.str("wisp ✨");
    w.str("p12");
    w.str("a".repeat(33));
    w.str("Brannoc the Bold, first of his name");
    const r = new ByteReader(w.done());
    expect(values.map(() => r.uint())).toEqual(values);
    expect([0, -1, 1, -64, 64, -(2 ** 40)].map(() => r.int())).toEqual([0, -1, 1, -64, 64, -(2 ** 40)]);
    expect(r.str()).toBe("wisp ✨");
    expect(r.str()).toBe("p12");
    expect(r.str()).toBe("a".repeat(33));
    expect(r.str()).toBe("Brannoc the Bold, first of his name");
    expect(r.done).toBe(true);
  });
});

const stamp = <T extends object>(e: T, h: number): T => Object.assign(e, { [HANDLE]: h });

describe("docs/protocol.md, Binary snapshots", () => {
  it("shows the example frame byte for byte as the encoder writes it, with its sizes", () => {
    const doc = readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8");
    const section = doc.slice(doc.indexOf("### Binary snapshots"), doc.indexOf("### `error` (server → client)"));
    const block = section.slice(section.indexOf("```text") + 7, section.indexOf("```", section.indexOf("```text") + 7));
    const documented = block
      .split("\n")
      .map((line) => /^\s*((?:[0-9a-f]{2} )*[0-9a-f]{2})(?:\s|$)/.exec(line)?.[1] ?? "")
      .join(" ")
      .trim()
      .split(/\s+/);
    const base = new Map<string, EntityView>([
      [
        "e1",
        stamp(
          {
            id: "e1",
            k: "e",
            t: "golem",
            n: "Arcane Golem",
            x: 830,
            y: 230,
            hp: 60,
            mhp: 60,
            s: "windup",
            tg: { x: 830, y: 234, r: 45, hitsAt: 5212 },
          },
          1,
        ),
      ],
      ["p4", stamp({ id: "p4", k: "p", n: "Ada", x: 820, y: 235, hp: 60, mhp: 60, vx: 160, at: 5200 }, 2)],
      ["m31", stamp({ id: "m31", k: "m", o: "p4", x: 700, y: 240, vx: 300, at: 5195 }, 3)],
    ]);
    const next = new Map<string, EntityView>([
      [
        "e1",
        stamp({ id: "e1", k: "e", t: "golem", n: "Arcane Golem", x: 830, y: 230, hp: 60, mhp: 60, s: "attack" }, 1),
      ],
      ["p4", stamp({ id: "p4", k: "p", n: "Ada", x: 828, y: 235, hp: 45, mhp: 60, vx: 160, at: 5200 }, 2)],
      ["m32", stamp({ id: "m32", k: "m", o: "p4", x: 840, y: 235, vx: 300, at: 5212 }, 3)],
    ]);
    const ev = [{ type: "hit", by: "e1", target: "p4", amount: 15, source: "melee", at: { x: 820, y: 235 } }];
    const header = { n: 212, base: 211, tick: 5212, ack: 151, ev };
    const bytes = encodeSnapshot(header, base, next, new RecordCache(), () => true);
    expect(documented).toEqual([...bytes].map((b) => b.toString(16).padStart(2, "0")));
    // Decoded against the base (tick 5211), it is the next view: Ada moved 8 units along her line.
    const held = { view: base as ReadonlyMap<string, WireEntity>, handles: [undefined, "e1", "p4", "m31"], tick: 5211 };
    const decoded = decodeSnapshot(bytes, () => held, 20);
    if ("unknownBase" in decoded) throw new Error("base not found");
    expect(toPlain(applyDelta(base, decoded.frame as never))).toEqual(toPlain(next));
    const json = JSON.stringify({
      type: "snapshot",
      n: 212,
      base: 211,
      tick: 5212,
      ack: 151,
      ...diffViews(base, next),
      ev,
    });
    expect(section.replace(/\s+/g, " ")).toContain(
      `${bytes.length} bytes, where the JSON \`snapshot\` takes ${json.length}`,
    );
  });
});

function toPlain(view: ReadonlyMap<string, EntityView>) {
  return Object.fromEntries([...view].map(([id, e]) => [id, JSON.parse(JSON.stringify(e))]));
}
