/**
 * Protocol 2's binary snapshot frame: the same delta a JSON `snapshot` carries (docs/protocol.md,
 * "Binary snapshots"), in a fraction of the bytes. Entities are named by small integer handles
 * the zone assigns (reused once an entity is gone; a handle means what it meant in the base
 * snapshot), known fields are bits of a mask in a fixed order, integers are LEB128 varints
 * (signed ones zigzagged), positions in an update are the difference from the base. Whatever a
 * field schema does not cover travels as JSON in an `extra` field, so nothing is ever lost.
 *
 * Encode once, send many: an entity's add record depends only on its view, and its update record
 * only on the pair (base view, new view); both are cached by object identity, so every client that
 * holds the same base entity shares one encoding (views are immutable values: shared/field/delta.ts).
 */

import { readValue, writeValue } from "./binary-values";
import { ByteReader, ByteWriter } from "./bytes";

/** A JSON field value (never null: null in a delta means "removed"). */
type Json = string | number | boolean | Json[] | { [key: string]: Json };
/** An entity as a client sees it (shared/field/delta.ts EntityView, restated so the protocol stands alone). */
export type WireEntity = { id: string; [field: string]: Json };
export type WireView = ReadonlyMap<string, WireEntity>;
/** A snapshot as JSON clients get it, decoded: apply `del`, `add`, then `upd` to the base. */
export interface DecodedSnapshot {
  type: "snapshot";
  n: number;
  base: number;
  tick: number;
  ack: number;
  add: WireEntity[];
  upd: { id: string; [field: string]: Json | null }[];
  del: string[];
  ev?: { type: string; [key: string]: unknown }[];
}

/** Largest handle a zone gives (one zone never holds more entities than this at once). */
export const MAX_HANDLE = 1 << 20;

/** First byte of every binary frame: what it is. */
export const BINARY_SNAPSHOT = 1;

/**
 * How a known field is written. `pos`: a zigzag varint, the difference from the base in updates.
 * `age`: a tick no later than the frame's, written as how many ticks before the frame it was.
 */
type FieldType = "str" | "uint" | "int" | "pos" | "tg" | "rd" | "age";
/** Known fields, by bit: the order is the wire format (append only; docs/protocol.md lists it). */
export const SNAPSHOT_FIELDS: readonly (readonly [name: string, type: FieldType])[] = [
  ["k", "str"],
  ["n", "str"],
  ["x", "pos"],
  ["y", "pos"],
  ["hp", "uint"],
  ["mhp", "uint"],
  ["s", "str"],
  ["t", "str"],
  ["o", "str"],
  ["c", "str"],
  ["inv", "uint"],
  ["tg", "tg"],
  ["mp", "uint"],
  ["mmp", "uint"],
  ["lv", "uint"],
  ["xp", "uint"],
  ["rd", "rd"],
  ["vx", "int"],
  ["vy", "int"],
  ["at", "age"],
];
/** The bit after the known fields: the remaining fields as one JSON object (a string). */
export const EXTRA_BIT = SNAPSHOT_FIELDS.length;
const BIT_OF = new Map(SNAPSHOT_FIELDS.map(([name], bit) => [name, bit]));

// ---- fields ---------------------------------------------------------------------------------

const isUint = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);

/** Whether `value` can be written as `type` in a frame of `tick` (otherwise it goes in `extra`, as JSON). */
function fits(type: FieldType, value: unknown, tick: number): boolean {
  switch (type) {
    case "age":
      return isUint(value) && value <= tick;
    case "str":
      return typeof value === "string";
    case "uint":
      return isUint(value);
    case "int":
    case "pos":
      return isInt(value);
    case "tg": {
      const t = value as Record<string, unknown>;
      return (
        typeof t === "object" &&
        t !== null &&
        Object.keys(t).length === 4 &&
        isInt(t.x) &&
        isInt(t.y) &&
        isUint(t.r) &&
        isUint(t.hitsAt)
      );
    }
    case "rd":
      return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every(isUint);
  }
}

function writeField(w: ByteWriter, type: FieldType, value: Json, base: Json | undefined, tick: number) {
  switch (type) {
    case "age":
      return w.uint(tick - (value as number));
    case "str":
      return w.str(value as string);
    case "uint":
      return w.uint(value as number);
    case "int":
      return w.int(value as number);
    case "pos":
      return w.int((value as number) - (typeof base === "number" ? base : 0));
    case "tg": {
      const t = value as { x: number; y: number; r: number; hitsAt: number };
      w.int(t.x);
      w.int(t.y);
      w.uint(t.r);
      return w.uint(t.hitsAt);
    }
    case "rd": {
      const entries = Object.entries(value as Record<string, number>);
      w.uint(entries.length);
      for (const [skill, tick] of entries) {
        w.str(skill);
        w.uint(tick);
      }
    }
  }
}

function readField(r: ByteReader, type: FieldType, base: Json | undefined, tick: number): Json {
  switch (type) {
    case "age": {
      const at = tick - r.uint();
      if (at < 0) throw new RangeError("a tick before tick 0");
      return at;
    }
    case "str":
      return r.str();
    case "uint":
      return r.uint();
    case "int":
      return r.int();
    case "pos":
      return r.int() + (typeof base === "number" ? base : 0);
    case "tg":
      return { x: r.int(), y: r.int(), r: r.uint(), hitsAt: r.uint() };
    case "rd": {
      const out: Record<string, number> = {};
      const count = r.uint();
      for (let i = 0; i < count; i++) {
        const skill = r.str();
        const tick = r.uint();
        if (skill !== "__proto__") out[skill] = tick;
      }
      return out;
    }
  }
}

// ---- records ----------------------------------------------------------------------------------

/** 2^bit for every bit a mask uses: masks go past 31 bits' reach of `|` and `&` only in theory, so they are plain numbers. */
const POW2 = Array.from({ length: 53 }, (_, bit) => 2 ** bit);
const bitSet = (mask: number, bit: number) => Math.floor(mask / (POW2[bit] as number)) % 2 === 1;
const typeOf = (bit: number) => (SNAPSHOT_FIELDS[bit] as readonly [string, FieldType])[1];
const nameOf = (bit: number) => (SNAPSHOT_FIELDS[bit] as readonly [string, FieldType])[0];

/**
 * Splits fields into the mask of those written natively (known, set, fitting their type) and the
 * rest, which go as one JSON object (`extra`, flagged by EXTRA_BIT).
 */
function split(
  fields: Record<string, Json | null>,
  tick: number,
): { mask: number; extra?: Record<string, Json | null> } {
  let mask = 0;
  let extra: Record<string, Json | null> | undefined;
  for (const key in fields) {
    if (key === "id") continue;
    const value = fields[key] as Json | null;
    const bit = BIT_OF.get(key);
    if (bit !== undefined && value !== null && fits(typeOf(bit), value, tick)) mask += 2 ** bit;
    else {
      extra ??= {};
      extra[key] = value;
    }
  }
  if (extra) mask += 2 ** EXTRA_BIT;
  return extra ? { mask, extra } : { mask };
}

function writeValues(
  w: ByteWriter,
  fields: Record<string, Json | null>,
  mask: number,
  base: WireEntity | undefined,
  tick: number,
) {
  for (let bit = 0; bit < SNAPSHOT_FIELDS.length; bit++) {
    if (!bitSet(mask, bit)) continue;
    writeField(w, typeOf(bit), fields[nameOf(bit)] as Json, base?.[nameOf(bit)], tick);
  }
}

/** An entity's add record in a frame of `tick`: handle, id, mask, values, then `extra` when flagged. */
export function encodeAdd(w: ByteWriter, handle: number, entity: WireEntity, tick: number): void {
  w.uint(handle);
  w.str(entity.id);
  const { mask, extra } = split(entity, tick);
  w.uint(mask);
  writeValues(w, entity, mask, undefined, tick);
  if (extra) w.str(JSON.stringify(extra));
}

/** Equality of JSON values, deep for objects and arrays (key order ignored). */
function same(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => same((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]));
}

/**
 * Whether `next` is on the same line as `base` (shared/field/reckon.ts): same start tick, same
 * velocity. Its `x` and `y` then follow from the base's and are never written.
 */
const onSameLine = (base: WireEntity, next: WireEntity): boolean =>
  next.at !== undefined && next.at === base.at && next.vx === base.vx && next.vy === base.vy;

/** Whether an update from `base` to `next` would write nothing (all fields equal, positions on one line). */
export function unchanged(base: WireEntity, next: WireEntity): boolean {
  const reckoned = onSameLine(base, next);
  for (const key in next) {
    if (key === "id" || (reckoned && (key === "x" || key === "y"))) continue;
    if (!same(next[key], base[key])) return false;
  }
  for (const key in base) if (next[key] === undefined) return false;
  return true;
}

/**
 * An entity's update record from `base` to `next` in a frame of `tick`, or false (nothing
 * written) when nothing changed: handle, the mask of fields set, the mask of known fields removed,
 * the set values (positions as differences from the base), then `extra` when flagged (removed
 * unknown fields appear in it as null). Positions that follow from the base's line are left out.
 */
export function encodeUpdate(w: ByteWriter, handle: number, base: WireEntity, next: WireEntity, tick: number): boolean {
  const changed: Record<string, Json | null> = {};
  const reckoned = onSameLine(base, next);
  let any = false;
  for (const key in next) {
    if (key === "id" || same(next[key], base[key])) continue;
    if (reckoned && (key === "x" || key === "y")) continue;
    changed[key] = next[key] as Json;
    any = true;
  }
  let clear = 0;
  for (const key in base) {
    if (key === "id" || next[key] !== undefined) continue;
    any = true;
    const bit = BIT_OF.get(key);
    if (bit === undefined) changed[key] = null;
    else clear += 2 ** bit;
  }
  if (!any) return false;
  w.uint(handle);
  const { mask, extra } = split(changed, tick);
  w.uint(mask);
  w.uint(clear);
  writeValues(w, changed, mask, base, tick);
  if (extra) w.str(JSON.stringify(extra));
  return true;
}

// ---- frames -----------------------------------------------------------------------------------

/**
 * Where the zone keeps an entity view's handle: a symbol-keyed property, which JSON, `for…in` and
 * the delta codec never see but an object spread carries along.
 */
export const HANDLE: unique symbol = Symbol("handle");
type Handled = WireEntity & { [HANDLE]?: number };

function handleOf(entity: Handled): number {
  const h = entity[HANDLE];
  if (h === undefined) throw new Error(`entity ${entity.id} has no handle: stamp views with HANDLE before encoding`);
  return h;
}

/**
 * Where the zone marks a shared view's revision: two views of one entity with the same revision
 * differ in nothing an update would write (`unchanged`), so a client holding one needs no record
 * for the other, and the encoder skips the pair without looking further.
 */
export const REVISION: unique symbol = Symbol("revision");
type Revised = WireEntity & { [REVISION]?: number };

/**
 * Where a view object keeps its encoded add record, its update records (base serial, record,
 * base serial, record…) and its own serial number, given the first time it serves as a base.
 */
const ADD_RECORD: unique symbol = Symbol("add record");
const UPDATE_RECORDS: unique symbol = Symbol("update records");
const SERIAL: unique symbol = Symbol("serial");
type Cached = WireEntity & { [ADD_RECORD]?: Uint8Array; [UPDATE_RECORDS]?: (number | Uint8Array)[]; [SERIAL]?: number };

/**
 * The records of shared view objects, kept on the objects themselves (symbol-keyed, so JSON and
 * the delta codec never see them; they go when the view does). Update records are keyed by their
 * base's serial number, not the base object: a view must never keep the views before it alive, or
 * every snapshot ever sent would stay in memory through the chain (and a weak map per view cost
 * the garbage collector more than the records themselves).
 */
export class RecordCache {
  /** One scratch buffer for every record and frame: only the finished bytes are allocated. */
  readonly scratch = new ByteWriter();
  private readonly eventScratch = new ByteWriter();
  private readonly events = new WeakMap<object, Uint8Array>();
  private serials = 0;
  hits = 0;
  misses = 0;

  /** `tick`: the frame's; a cached record is only ever reused within one snapshot round. */
  add(entity: WireEntity, shared: boolean, tick: number): Uint8Array {
    const cached = shared ? (entity as Cached)[ADD_RECORD] : undefined;
    if (cached) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const w = this.scratch.reset();
    encodeAdd(w, handleOf(entity), entity, tick);
    const bytes = w.done();
    if (shared) (entity as Cached)[ADD_RECORD] = bytes;
    return bytes;
  }

  /** An event's value (the events of a round are shared by every client near them: encoded once). */
  event(event: unknown): Uint8Array {
    const cacheable = typeof event === "object" && event !== null;
    const cached = cacheable ? this.events.get(event) : undefined;
    if (cached) return cached;
    const w = this.eventScratch.reset();
    writeValue(w, event);
    const bytes = w.done();
    if (cacheable) this.events.set(event, bytes);
    return bytes;
  }

  /** An empty array when nothing changed. */
  update(base: WireEntity, next: WireEntity, shared: boolean, tick: number): Uint8Array {
    let serial = 0;
    let records: (number | Uint8Array)[] | undefined;
    if (shared) {
      serial = (base as Cached)[SERIAL] ?? ++this.serials;
      (base as Cached)[SERIAL] = serial;
      records = (next as Cached)[UPDATE_RECORDS];
      if (records)
        for (let i = 0; i < records.length; i += 2)
          if (records[i] === serial) {
            this.hits++;
            return records[i + 1] as Uint8Array;
          }
    }
    this.misses++;
    const w = this.scratch.reset();
    const bytes = encodeUpdate(w, handleOf(next), base, next, tick) ? w.done() : EMPTY;
    if (shared) {
      if (records) records.push(serial, bytes);
      else (next as Cached)[UPDATE_RECORDS] = [serial, bytes];
    }
    return bytes;
  }
}

const EMPTY = new Uint8Array(0);

export interface SnapshotHeader {
  n: number;
  base: number;
  tick: number;
  ack: number;
  /** The events near this client, as JSON `snapshot.ev` carries them, or undefined. */
  ev?: readonly unknown[] | undefined;
}

/**
 * What one client may receive in one round, and the priorities it keeps between rounds. Records
 * that do not fit in `bytes` wait; waiting raises an entity's priority by its `weight` every round
 * until it is sent, so nothing waits for ever and the nearest (heaviest) go first.
 */
export interface SnapshotBudget {
  /** Most bytes of add and update records in one frame (the client's own body always goes). */
  bytes: number;
  /** This round's priority of an entity for this client (higher first); positive. */
  weight(entity: WireEntity): number;
  /** Priority each waiting entity has built up, by id: the caller keeps one per client. */
  owed: Map<string, number>;
  /** The base snapshot's tick and the zone's tick rate: an entity whose update waits still moves along its line. */
  baseTick: number;
  tickHz: number;
}

/**
 * One client's binary snapshot: the delta from `baseView` to `view`, whose entities carry their
 * handles (HANDLE). `shared(entity)`: whether its object is shared between clients (cache its
 * records) or private to this one (its own body with private fields: encode, do not keep).
 */
export function encodeSnapshot(
  header: SnapshotHeader,
  baseView: WireView,
  view: WireView,
  cache: RecordCache,
  shared: (entity: WireEntity) => boolean,
): Uint8Array {
  return encodeWithin(header, baseView, view, cache, shared).bytes;
}

/** An add or update record this round, for an entity of the view. */
interface Pending {
  id: string;
  entity: WireEntity;
  record: Uint8Array;
  added: boolean;
  priority: number;
}

/**
 * `encodeSnapshot` within a byte budget: the frame, and `held`, the view the client will hold once
 * it applies it (`view` itself when everything fit; otherwise the base's copy of each entity whose
 * update waits, and no entity whose arrival waits). Keep `held`, not `view`, as this snapshot.
 * Deletions always go: they are a handle each, and a handle must leave before it is reused.
 */
export function encodeWithin(
  header: SnapshotHeader,
  baseView: WireView,
  view: WireView,
  cache: RecordCache,
  shared: (entity: WireEntity) => boolean,
  budget?: SnapshotBudget,
): { bytes: Uint8Array; held: WireView } {
  let pending: Pending[] = [];
  let size = 0;
  let matched = 0;
  for (const [id, entity] of view) {
    const before = baseView.get(id);
    if (before === entity) {
      matched++;
      continue;
    }
    if (before !== undefined) {
      const sharedPair = shared(entity) && shared(before);
      const revision = (entity as Revised)[REVISION];
      // Equal revisions: one lifetime of the entity (a revision never outlives an absence), no change.
      if (sharedPair && revision !== undefined && revision === (before as Revised)[REVISION]) {
        matched++;
        continue;
      }
      // An entity that left the zone and came back under another handle is deleted and added again.
      if (handleOf(before) === handleOf(entity)) {
        matched++;
        const record = cache.update(before, entity, sharedPair, header.tick);
        if (!record.length) continue;
        pending.push({ id, entity, record, added: false, priority: 0 });
        size += record.length;
        continue;
      }
    }
    const record = cache.add(entity, shared(entity), header.tick);
    pending.push({ id, entity, record, added: true, priority: 0 });
    size += record.length;
  }
  let held = view;
  if (budget) {
    if (size > budget.bytes) {
      const chosen = withinBudget(pending, budget, shared);
      held = heldAfter(view, baseView, pending, chosen, (before) => alongLine(before, budget, header.tick));
      pending = chosen;
    } else if (budget.owed.size) for (const p of pending) budget.owed.delete(p.id);
  }
  // The frame is assembled in the scratch buffer (records are copied in) and copied out once.
  const w = cache.scratch.reset();
  w.byte(BINARY_SNAPSHOT);
  w.uint(header.n);
  w.uint(header.base);
  w.uint(header.tick);
  w.uint(header.ack);
  // Every base entity not matched above left the view (or came back under another handle).
  const deleted = baseView.size - matched;
  w.uint(deleted);
  if (deleted)
    for (const [id, entity] of baseView) {
      const now = view.get(id);
      if (now === undefined || (now !== entity && handleOf(now) !== handleOf(entity))) w.uint(handleOf(entity));
    }
  let adds = 0;
  for (const p of pending) if (p.added) adds++;
  w.uint(adds);
  for (const p of pending) if (p.added) w.bytes(p.record);
  w.uint(pending.length - adds);
  for (const p of pending) if (!p.added) w.bytes(p.record);
  const ev = header.ev ?? [];
  w.uint(ev.length);
  for (const event of ev) w.bytes(cache.event(event));
  return { bytes: w.done(), held };
}

/** The records that go this round: private ones first, then by priority while they fit. */
function withinBudget(pending: Pending[], budget: SnapshotBudget, shared: (entity: WireEntity) => boolean): Pending[] {
  const { owed } = budget;
  if (owed.size) {
    const ids = new Set(pending.map((p) => p.id));
    for (const id of owed.keys()) if (!ids.has(id)) owed.delete(id);
  }
  for (const p of pending) p.priority = shared(p.entity) ? (owed.get(p.id) ?? 0) + budget.weight(p.entity) : Infinity;
  const order = pending.slice().sort((a, b) => b.priority - a.priority);
  const chosen: Pending[] = [];
  let room = budget.bytes;
  for (const p of order) {
    if (p.priority === Infinity || p.record.length <= room) {
      chosen.push(p);
      room -= p.record.length;
      owed.delete(p.id);
    } else owed.set(p.id, p.priority);
  }
  return chosen;
}

/**
 * The view a client holds after a frame that carried only `chosen` of the `pending` records: an
 * entity whose update waited is as the base had it, moved along its line (`waited`).
 */
function heldAfter(
  view: WireView,
  baseView: WireView,
  pending: Pending[],
  chosen: Pending[],
  waited: (before: WireEntity) => WireEntity,
): WireView {
  const sent = new Set(chosen);
  const held = new Map(view);
  for (const p of pending) {
    if (sent.has(p)) continue;
    if (p.added) held.delete(p.id);
    else held.set(p.id, waited(baseView.get(p.id) as WireEntity));
  }
  return held;
}

/**
 * A base entity as a client decoding a frame of `tick` without its record holds it: moved along its
 * line (the decoder's rule, docs/protocol.md "Positions on a line"), or the base object itself.
 * The copy keeps the handle and revision (symbols travel with a spread).
 */
function alongLine(before: WireEntity, { baseTick, tickHz }: SnapshotBudget, tick: number): WireEntity {
  const at = before.at;
  if (typeof at !== "number") return before;
  const dx = lineShift(before.x, before.vx, at, baseTick, tick, tickHz);
  const dy = lineShift(before.y, before.vy, at, baseTick, tick, tickHz);
  if (dx === 0 && dy === 0) return before;
  // A copy private to one client: no cached records, no serial of the object it copies.
  const moved: Cached = { ...before, [ADD_RECORD]: undefined, [UPDATE_RECORDS]: undefined, [SERIAL]: undefined };
  if (dx !== 0) moved.x = (before.x as number) + dx;
  if (dy !== 0) moved.y = (before.y as number) + dy;
  return moved;
}

/**
 * A client's copy of one snapshot: its view, and which entity each handle named in it (an array
 * indexed by handle: handles are small and dense, and copying a short array per snapshot is far
 * cheaper than copying a map).
 */
export interface HeldSnapshot {
  view: WireView;
  handles: readonly (string | undefined)[];
  /** The snapshot's `tick`: positions on a line are extrapolated from it. */
  tick: number;
}

/**
 * How far, in whole units, velocity `v` (units per second) carries an entity on a line in `ticks`
 * ticks at `tickHz` ticks a second: the protocol's formula to the bit (IEEE doubles, round half up).
 */
export const travelled = (v: number, ticks: number, tickHz: number): number => Math.round((v * ticks) / tickHz);

/** How far a coordinate on a line starting at tick `at` moves from tick `from` to tick `to` (0 when it is no number). */
function lineShift(
  coordinate: Json | undefined,
  v: Json | undefined,
  at: number,
  from: number,
  to: number,
  tickHz: number,
) {
  if (typeof coordinate !== "number" || typeof v !== "number") return 0;
  return travelled(v, to - at, tickHz) - travelled(v, from - at, tickHz);
}

/**
 * Decodes a binary snapshot into the JSON frame it stands for, against the client's copy of its
 * base (`baseOf(base)`; a full snapshot, `base` 0, needs none), and the handle table of the new
 * snapshot. `tickHz`: the zone's tick rate (the `field` message's `tickRate`), for positions on a
 * line. Returns `{ unknownBase }` when the base is not held (ask for a resync); throws RangeError
 * on a malformed frame.
 */
export function decodeSnapshot(
  bytes: Uint8Array,
  baseOf: (n: number) => HeldSnapshot | undefined,
  tickHz: number,
): { frame: DecodedSnapshot; handles: (string | undefined)[] } | { unknownBase: number } {
  if (!(tickHz > 0)) throw new RangeError(`tickHz must be positive, got ${tickHz}`);
  const r = new ByteReader(bytes);
  if (r.byte() !== BINARY_SNAPSHOT) throw new RangeError("not a binary snapshot frame");
  const n = r.uint();
  const base = r.uint();
  const tick = r.uint();
  const ack = r.uint();
  const held: HeldSnapshot | undefined = base === 0 ? { view: new Map(), handles: [], tick } : baseOf(base);
  if (!held) return { unknownBase: base };
  const handles = held.handles.slice();
  const del: string[] = [];
  for (let i = r.uint(); i > 0; i--) {
    const h = r.uint();
    const id = handles[h];
    if (id === undefined) throw new RangeError(`deleted handle ${h} is not in the base`);
    del.push(id);
    handles[h] = undefined;
  }
  const add: WireEntity[] = [];
  for (let i = r.uint(); i > 0; i--) {
    const h = r.uint();
    const entity = { id: r.str() } as WireEntity;
    const mask = r.uint();
    readValues(r, entity, mask, undefined, tick);
    if (bitSet(mask, EXTRA_BIT)) Object.assign(entity, parseExtra(r.str()));
    // A handle is an index into a dense table: a huge one from a broken peer must not allocate gigabytes.
    if (h > MAX_HANDLE) throw new RangeError(`handle ${h} is larger than ${MAX_HANDLE}`);
    handles[h] = entity.id;
    add.push(entity);
  }
  const upd: DecodedSnapshot["upd"] = [];
  const patched = new Map<string, DecodedSnapshot["upd"][number]>();
  for (let i = r.uint(); i > 0; i--) {
    const h = r.uint();
    const id = handles[h];
    const before = id === undefined ? undefined : held.view.get(id);
    if (id === undefined || !before) throw new RangeError(`updated handle ${h} is not in the base`);
    const patch: DecodedSnapshot["upd"][number] = { id };
    const mask = r.uint();
    const clear = r.uint();
    readValues(r, patch, mask, before, tick);
    for (let bit = 0; bit < SNAPSHOT_FIELDS.length; bit++) if (bitSet(clear, bit)) patch[nameOf(bit)] = null;
    if (bitSet(mask, EXTRA_BIT)) Object.assign(patch, parseExtra(r.str()));
    upd.push(patch);
    patched.set(id, patch);
  }
  // Entities that stay on their line (same `at`, same velocity) move along it unwritten.
  const gone = del.length ? new Set(del) : undefined;
  for (const [id, before] of held.view) {
    const at = before.at;
    if (typeof at !== "number" || gone?.has(id)) continue;
    const patch = patched.get(id);
    if (patch && ("at" in patch || "vx" in patch || "vy" in patch)) continue;
    const dx = lineShift(before.x, before.vx, at, held.tick, tick, tickHz);
    const dy = lineShift(before.y, before.vy, at, held.tick, tick, tickHz);
    if (dx === 0 && dy === 0) continue;
    let moved = patch;
    if (!moved) {
      moved = { id };
      upd.push(moved);
    }
    if (dx !== 0 && !("x" in moved)) moved.x = (before.x as number) + dx;
    if (dy !== 0 && !("y" in moved)) moved.y = (before.y as number) + dy;
  }
  const ev: NonNullable<DecodedSnapshot["ev"]> = [];
  for (let i = r.uint(); i > 0; i--) {
    const event = readValue(r);
    if (typeof event !== "object" || event === null || typeof (event as { type?: unknown }).type !== "string") {
      throw new RangeError("an event is not an object with a type");
    }
    ev.push(event as NonNullable<DecodedSnapshot["ev"]>[number]);
  }
  if (!r.done) throw new RangeError("bytes left over after the snapshot");
  const frame: DecodedSnapshot = { type: "snapshot", n, base, tick, ack, add, upd, del };
  if (ev.length) frame.ev = ev;
  return { frame, handles };
}

function readValues(
  r: ByteReader,
  into: Record<string, Json | null>,
  mask: number,
  base: WireEntity | undefined,
  tick: number,
) {
  for (let bit = 0; bit < SNAPSHOT_FIELDS.length; bit++) {
    if (bitSet(mask, bit)) into[nameOf(bit)] = readField(r, typeOf(bit), base?.[nameOf(bit)], tick);
  }
}

function parseExtra(text: string): Record<string, Json | null> {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RangeError("a snapshot's extra fields are not a JSON object");
  }
  const out: Record<string, Json | null> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "id" || k === "__proto__") continue;
    out[k] = v as Json | null;
  }
  return out;
}
