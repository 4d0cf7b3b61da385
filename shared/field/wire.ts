/**
 * A field zone's side of protocol 2's binary snapshots (shared/protocol/binary.ts): the small
 * integer handle of every entity (reused once the entity is gone; a client resolves a handle in
 * the snapshot a frame is relative to, so reuse is safe), and the record cache that lets every
 * client holding the same base share one encoding of an entity's change.
 */
import { encodeWithin, HANDLE, REVISION, RecordCache, unchanged, type WireEntity } from "../protocol/binary";
import type { EntityView, SnapshotHistory, View } from "./delta";

export class SnapshotWire {
  private readonly handles = new Map<string, number>();
  private readonly free: number[] = [];
  private nextHandle = 1;
  private readonly cache = new RecordCache();
  /** Each entity's view of the previous round, to carry its revision over when nothing changed. */
  private previous = new Map<string, EntityView>();
  private nextRevision = 1;

  /**
   * Gives every entity of this round's shared views its handle and its revision (stamped on the
   * view object: the previous round's revision when nothing an update would write changed, else a
   * new one) and frees the handles of entities that are gone. Call once per snapshot round, before
   * `encode`.
   */
  stamp(views: ReadonlyMap<string, EntityView>): void {
    for (const [id, h] of this.handles) {
      if (views.has(id)) continue;
      this.handles.delete(id);
      this.free.push(h);
    }
    // Lowest first, so handles stay small (one byte below 128).
    this.free.sort((a, b) => b - a);
    for (const [id, view] of views) {
      let h = this.handles.get(id);
      if (h === undefined) {
        h = this.free.pop() ?? this.nextHandle++;
        this.handles.set(id, h);
      }
      const stamped = view as EntityView & { [HANDLE]?: number; [REVISION]?: number };
      stamped[HANDLE] = h;
      const before = this.previous.get(id) as typeof stamped | undefined;
      stamped[REVISION] =
        before?.[REVISION] !== undefined && unchanged(before, view) ? before[REVISION] : this.nextRevision++;
    }
    this.previous = views as Map<string, EntityView>;
  }

  /**
   * One client's binary snapshot of `view` (built from this round's shared views), kept in its
   * history as the client will hold it. Every entity object but the client's own body (`you`, a
   * private copy with its mana and cooldowns) is shared with the other clients, this round and in
   * the rounds a base comes from. At most `limits.bytes` of records go (its own body always does);
   * the rest wait with the priority they built up in `owed`, nearest first (`nearness`).
   */
  encode(
    history: SnapshotHistory,
    view: View,
    you: string,
    header: { tick: number; ack: number; ev?: readonly unknown[] | undefined },
    limits: { bytes: number; tickHz: number },
    owed: Map<string, number>,
  ): Uint8Array {
    const { n, base, baseView, baseTick } = history.upcoming();
    const me = view.get(you);
    const budget = {
      bytes: limits.bytes,
      tickHz: limits.tickHz,
      baseTick,
      owed,
      weight: (e: WireEntity) => nearness(me, e),
    };
    const shared = (e: WireEntity) => e.id !== you;
    const { bytes, held } = encodeWithin(
      { n, base, tick: header.tick, ack: header.ack, ev: header.ev },
      baseView,
      view,
      this.cache,
      shared,
      budget,
    );
    history.advance(held as View, header.tick);
    return bytes;
  }
}

/** An entity's weight for a client: 1 beside it, halved 100 units away, a quarter at 300. */
function nearness(me: WireEntity | undefined, e: WireEntity): number {
  if (!me) return 1;
  const d = Math.hypot(Number(e.x) - Number(me.x), Number(e.y) - Number(me.y));
  return Number.isFinite(d) ? 100 / (100 + d) : 1;
}
