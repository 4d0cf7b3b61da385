/**
 * Dead reckoning for snapshots (docs/protocol.md, "Binary snapshots", moving entities): an entity
 * that moves in a straight line is published on a line the client can draw by itself. Its view
 * carries the tick its line starts at (`at`) and its velocity (`vx`, `vy`, whole units per second),
 * and its `x`, `y` are the line's position at the snapshot's tick:
 *
 *   x(tick) = anchorX + travelled(vx, tick − at, tickHz)
 *
 * so any client holding one snapshot of the line knows every later position without being told
 * (binary snapshots leave such positions out). The line is kept while it stays within
 * RECKON_TOLERANCE units of where the entity really is and its velocity does not change; otherwise a
 * new line starts at the true position. Pure: the only state is the anchors, fed by the caller.
 */
import { travelled } from "../protocol/binary";
import type { EntityView } from "./delta";

/** Largest distance (units, per axis) a published position may stray from the true one. */
export const RECKON_TOLERANCE = 2;

interface Anchor {
  x: number;
  y: number;
  at: number;
  vx: number;
  vy: number;
}

export class Reckoner {
  private readonly anchors = new Map<string, Anchor>();

  /**
   * Puts every moving view of this snapshot round on its line: sets `at` and replaces `x`, `y` by
   * the line's position (views are fresh objects each round, so this edits nothing shared yet).
   * Views without velocity are left as they are and lose their line; lines of entities that are
   * gone are forgotten.
   */
  apply(views: ReadonlyMap<string, EntityView>, tick: number, tickHz: number): void {
    for (const id of this.anchors.keys()) if (!views.has(id)) this.anchors.delete(id);
    for (const [id, view] of views) {
      const vx = typeof view.vx === "number" ? view.vx : 0;
      const vy = typeof view.vy === "number" ? view.vy : 0;
      const x = view.x;
      const y = view.y;
      if ((vx === 0 && vy === 0) || typeof x !== "number" || typeof y !== "number") {
        this.anchors.delete(id);
        continue;
      }
      let anchor = this.anchors.get(id);
      if (anchor && anchor.vx === vx && anchor.vy === vy && anchor.at <= tick) {
        const lineX = anchor.x + travelled(vx, tick - anchor.at, tickHz);
        const lineY = anchor.y + travelled(vy, tick - anchor.at, tickHz);
        if (Math.abs(lineX - x) <= RECKON_TOLERANCE && Math.abs(lineY - y) <= RECKON_TOLERANCE) {
          view.x = lineX;
          view.y = lineY;
          view.at = anchor.at;
          continue;
        }
      }
      anchor = { x, y, at: tick, vx, vy };
      this.anchors.set(id, anchor);
      view.at = tick;
    }
  }

  /** Every line starts over (the tick rate changed, or the clients start from full snapshots). */
  reset(): void {
    this.anchors.clear();
  }
}
