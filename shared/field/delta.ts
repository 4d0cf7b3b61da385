/**
 * Per-client delta snapshots for field zones. The server sends each client the entities in its
 * view as a diff against the last snapshot that client ACKNOWLEDGED (not the last one sent), so a
 * lost frame costs nothing: the next frame is still relative to a view the client is known to hold.
 * Pure and deterministic: no clocks, no randomness, no I/O.
 *
 * Views are treated as immutable values. The server keeps the views it passes to
 * `SnapshotHistory.next` (no copy, to keep the per-snapshot cost at one diff), and frames refer to
 * the caller's entity objects, so the caller must build a fresh view (and fresh entity objects for
 * changed entities) each snapshot and serialize a frame before changing anything it references.
 * Sharing one unchanged entity object between snapshots and clients is fine and makes diffs cheaper.
 */
import { copyPlain, setOwnField } from "../sim/plain";

/** A field value: JSON without null (null on the wire means "field removed"). */
export type JsonValue = string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

/** One entity as a client sees it. Field values are never null: an absent field is omitted. */
export type EntityView = { id: string; [field: string]: JsonValue };
/** Entities in one client's view, by id. Never mutated once built (see the module comment). */
export type View = ReadonlyMap<string, EntityView>;
/** Changed fields of one entity; null means the field was removed. */
export type EntityPatch = { id: string; [field: string]: JsonValue | null };
/** Entities that arrived (in full), changed (only changed fields) and left (ids). */
export type ViewDelta = { add: EntityView[]; upd: EntityPatch[]; del: string[] };
/** `n` counts snapshots per client from 1; `base` is the snapshot it is relative to (0 = full). */
export type SnapshotFrame = { n: number; base: number } & ViewDelta;

const EMPTY: View = new Map();

/** Structural equality of JSON values (key order ignored, array order kept). */
export function jsonEqual(a: JsonValue | null | undefined, b: JsonValue | null | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let count = 0;
  for (const k in a) {
    if (!jsonEqual(a[k], b[k])) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}

/**
 * Fields of `next` that differ from `prev` (removed ones as null), or null when nothing changed.
 * Plain assignment is fine here: field names come from server code, not from the wire.
 */
function diffEntity(prev: EntityView, next: EntityView): EntityPatch | null {
  let patch: EntityPatch | null = null;
  for (const k in next) {
    const v = next[k] as JsonValue;
    const old = prev[k];
    // Primitives are compared by ===; only object-valued fields pay for the deep walk.
    if (v === old || (typeof v === "object" && typeof old === "object" && jsonEqual(v, old))) continue;
    patch ??= { id: next.id };
    patch[k] = v;
  }
  for (const k in prev) {
    if (next[k] !== undefined) continue;
    patch ??= { id: next.id };
    patch[k] = null;
  }
  return patch;
}

/**
 * What turns `base` into `next`: new entities in full, only the changed fields of changed ones,
 * and the ids that left. Order follows `next` (and `base` for `del`), so equal inputs give equal output.
 */
export function diffViews(base: View, next: View): ViewDelta {
  const add: EntityView[] = [];
  const upd: EntityPatch[] = [];
  const del: string[] = [];
  for (const [id, e] of next) {
    const prev = base.get(id);
    if (prev === undefined) add.push(e);
    else if (prev !== e) {
      const patch = diffEntity(prev, e);
      if (patch) upd.push(patch);
    }
  }
  for (const id of base.keys()) if (!next.has(id)) del.push(id);
  return { add, upd, del };
}

/**
 * Applies a delta without touching `base`. Values taken from the delta are deep-copied, so the
 * result never aliases the delta; unchanged entities and fields are shared with `base`, which is
 * safe because views are never mutated. A patch for an entity missing from `base` cannot come
 * from `diffViews` and is ignored.
 */
export function applyDelta(base: View, delta: ViewDelta): Map<string, EntityView> {
  const out = new Map(base);
  for (const id of delta.del) out.delete(id);
  for (const e of delta.add) out.set(e.id, copyPlain(e) as EntityView);
  for (const patch of delta.upd) {
    const prev = out.get(patch.id);
    if (prev === undefined) continue;
    // Shallow copy: untouched nested values stay shared with `base`, which nobody mutates.
    const e: EntityView = { ...prev };
    for (const k in patch) {
      if (k === "id") continue;
      const v = patch[k];
      if (v === null || v === undefined) delete e[k];
      else setOwnField(e as Record<string, unknown>, k, copyPlain(v));
    }
    out.set(patch.id, e);
  }
  return out;
}

/**
 * Server side, one per client: numbers snapshots, diffs each against the client's last
 * acknowledged one, and holds the un-acked views an ack may still name. Memory is bounded by
 * `maxPending` views plus the acknowledged one.
 */
export class SnapshotHistory {
  private nextN = 1;
  private ackedN = 0;
  /** null: no usable base, the next frame is full. */
  private ackedView: View | null = null;
  /** Sent, not yet acknowledged; insertion order is ascending `n`. */
  private readonly sent = new Map<number, View>();
  /** The tick each sent snapshot showed, where the encoder said (binary frames need the base's). */
  private readonly ticks = new Map<number, number>();
  private ackedTick = 0;

  constructor(private readonly maxPending = 32) {
    if (!Number.isInteger(maxPending) || maxPending < 1) {
      throw new RangeError(`SnapshotHistory: maxPending must be an integer >= 1, got ${maxPending}`);
    }
  }

  /** Number of un-acked views held (never more than `maxPending`). */
  get pending(): number {
    return this.sent.size;
  }

  /** The acknowledged snapshot deltas are relative to, or 0 when the next frame is full. */
  get base(): number {
    return this.ackedView ? this.ackedN : 0;
  }

  /** Makes the frame for `view` and keeps `view` (by reference: do not mutate it afterwards). */
  next(view: View): SnapshotFrame {
    const { n, base, baseView } = this.advance(view);
    return { n, base, ...diffViews(baseView, view) };
  }

  /**
   * What the next snapshot will be relative to, for an encoder that diffs by itself (protocol 2's
   * binary frames: shared/protocol/binary.ts): its number, its base, the base's view and tick.
   * Then `advance` with the view the client will hold.
   */
  upcoming(): { n: number; base: number; baseView: View; baseTick: number } {
    return { n: this.nextN, base: this.base, baseView: this.ackedView ?? EMPTY, baseTick: this.ackedTick };
  }

  /** Keeps `view` (of `tick`, when known) as the next snapshot and says its number and what it is relative to. */
  advance(view: View, tick?: number): { n: number; base: number; baseView: View } {
    const n = this.nextN++;
    const base = this.base;
    const baseView = this.ackedView ?? EMPTY;
    this.sent.set(n, view);
    if (tick !== undefined) this.ticks.set(n, tick);
    // Dropping the oldest un-acked views is safe: the base stays the acked view, and an ack that
    // names a dropped view is simply refused.
    for (const old of this.sent.keys()) {
      if (this.sent.size <= this.maxPending) break;
      this.sent.delete(old);
      this.ticks.delete(old);
    }
    return { n, base, baseView };
  }

  /**
   * The client holds snapshot `n`. Accepted (true) only for a number that was sent, is still held
   * and is newer than the current base; anything else (stale, duplicate, never sent, NaN, not a
   * number at all) is refused without changing state.
   */
  ack(n: number): boolean {
    if (typeof n !== "number" || !(n > this.ackedN)) return false;
    const view = this.sent.get(n);
    if (view === undefined) return false;
    this.ackedN = n;
    this.ackedView = view;
    this.ackedTick = this.ticks.get(n) ?? 0;
    for (const old of this.sent.keys()) {
      if (old > n) break;
      this.sent.delete(old);
      this.ticks.delete(old);
    }
    return true;
  }

  /**
   * Forgets the base so the next frame is full (client lost its state or reported an unknown base).
   * Un-acked views go too: an ack still in flight from before the resync may name a view the client
   * has since discarded, and accepting it would only earn another resync.
   */
  resync(): void {
    this.ackedView = null;
    this.sent.clear();
    this.ticks.clear();
  }
}

/** On success, `view` is the snapshot's view and `ack` the number to acknowledge. */
export type MirrorResult = { ok: true; view: View; ack: number } | { ok: false; reason: "unknown_base" };

/**
 * Client side: rebuilds views from frames. Keeps the views of the `keep` most recent snapshots,
 * because the server diffs against the last one it saw acknowledged, which may be older than the
 * latest applied (acks in flight) or newer than some that were lost.
 */
export class ClientMirror {
  private readonly views = new Map<number, View>();
  private latestN = 0;
  private latest: View = EMPTY;

  /** `keep` should exceed the snapshots sent per ack round trip, or deltas will earn resyncs. */
  constructor(private readonly keep = 64) {}

  /** Applies a frame; on success send `ack` to the server. On `unknown_base` ask for a resync. */
  apply(frame: SnapshotFrame): MirrorResult {
    const base = frame.base === 0 ? EMPTY : this.views.get(frame.base);
    if (base === undefined) return { ok: false, reason: "unknown_base" };
    const view: View = applyDelta(base, frame);
    this.views.set(frame.n, view);
    if (this.views.size > this.keep) {
      let oldest = frame.n;
      for (const k of this.views.keys()) if (k < oldest) oldest = k;
      this.views.delete(oldest);
    }
    // A late frame is still acked (the server refuses it if stale) but never rolls the view back.
    if (frame.n >= this.latestN) {
      this.latestN = frame.n;
      this.latest = view;
    }
    return { ok: true, view, ack: frame.n };
  }

  /** The view of snapshot `n` if it is still held (the base a new frame may name). */
  held(n: number): View | undefined {
    return this.views.get(n);
  }

  /** The view of the newest snapshot applied (empty before the first). */
  current(): View {
    return this.latest;
  }

  /** Forgets everything; only a full frame (base 0) applies afterwards. */
  reset(): void {
    this.views.clear();
    this.latestN = 0;
    this.latest = EMPTY;
  }
}
