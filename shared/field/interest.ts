/**
 * Interest management for field zones: which entities lie within a client's view radius. A zone
 * rebuilds one `SpatialGrid` per snapshot (clear, insert every entity) and queries it once per
 * client, so the grid reuses its arrays across rebuilds and a query allocates nothing of its own.
 */

/**
 * Cell coordinates are clamped to ±CELL_LIMIT so that `cellKey` stays an exact integer (at most
 * 2^52 + 2^27, below 2^53) and never collides. Clamping is monotone, so a clamped range still
 * covers every point in it: only worlds wider than ~33 million cells lose speed (far cells share
 * an edge cell), never exactness.
 */
const CELL_LIMIT = 2 ** 25;
const CELL_SPAN = 2 * CELL_LIMIT + 1;

/**
 * Widening of a query's cell range relative to the magnitudes involved. `x - r` and the division
 * by the cell size round, so a point that passes the exact distance test at the very edge could
 * otherwise fall one cell outside the range; 1e-12 is far above double rounding error yet far
 * below any cell size a zone would use.
 */
const RANGE_PAD = 1e-12;

/** A uniform grid of points (entity ids at positions) answering "which ids are within r of here". */
export class SpatialGrid {
  /** Inserted points, index-aligned; cleared by setting lengths so their storage is reused. */
  private readonly ids: string[] = [];
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  /** Occupied cells: key → indices of the points in that cell. */
  private readonly cells = new Map<number, number[]>();
  /** Emptied bucket arrays from earlier rebuilds, handed out again before allocating new ones. */
  private readonly pool: number[][] = [];

  /**
   * @param cellSize Side of a square cell in world units. About the typical query radius is a good
   * choice: a query then visits 3×3 or 4×4 cells.
   * @throws Error when `cellSize` is not a finite number greater than 0.
   */
  constructor(readonly cellSize: number) {
    if (!(Number.isFinite(cellSize) && cellSize > 0)) {
      throw new Error(`SpatialGrid cellSize must be a finite number > 0 (got ${cellSize}); use about the view radius`);
    }
  }

  /** Number of points stored since the last `clear()` (skipped non-finite points not counted). */
  get size(): number {
    return this.ids.length;
  }

  /** Removes every point, keeping the arrays for the next rebuild. */
  clear(): void {
    for (const bucket of this.cells.values()) {
      bucket.length = 0;
      this.pool.push(bucket);
    }
    this.cells.clear();
    this.ids.length = 0;
    this.xs.length = 0;
    this.ys.length = 0;
  }

  /**
   * Adds `id` at (x, y). Ids are not deduplicated: insert each entity once per rebuild. A point
   * with a NaN or infinite coordinate has no place in space, so it is skipped and `false` returned.
   */
  insert(id: string, x: number, y: number): boolean {
    if (!(Number.isFinite(x) && Number.isFinite(y))) return false;
    const index = this.ids.length;
    this.ids.push(id);
    this.xs.push(x);
    this.ys.push(y);
    const key = cellKey(this.cellOf(x), this.cellOf(y));
    let bucket = this.cells.get(key);
    if (bucket === undefined) {
      bucket = this.pool.pop() ?? [];
      this.cells.set(key, bucket);
    }
    bucket.push(index);
    return true;
  }

  /**
   * Ids whose point lies within distance `r` of (x, y), boundary included (`dx² + dy² <= r²`),
   * in no particular order. The result replaces the contents of `out` (pass the same array each
   * time to avoid allocating). A NaN or infinite `x`, `y` or `r`, or a negative `r`, finds nothing.
   */
  query(x: number, y: number, r: number, out: string[] = []): string[] {
    out.length = 0;
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(r) && r >= 0)) return out;
    const r2 = r * r;
    const padX = (Math.abs(x) + r) * RANGE_PAD;
    const padY = (Math.abs(y) + r) * RANGE_PAD;
    const cx0 = this.cellOf(x - r - padX);
    const cx1 = this.cellOf(x + r + padX);
    const cy0 = this.cellOf(y - r - padY);
    const cy1 = this.cellOf(y + r + padY);
    // A radius far larger than the cells would visit more (mostly empty) cells than there are
    // occupied ones; scanning every point is then cheaper and bounds the work by the point count.
    if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > this.cells.size) {
      for (let i = 0; i < this.ids.length; i++) this.collect(i, x, y, r2, out);
      return out;
    }
    for (let cx = cx0; cx <= cx1; cx++) {
      for (let cy = cy0; cy <= cy1; cy++) {
        const bucket = this.cells.get(cellKey(cx, cy));
        if (bucket === undefined) continue;
        for (const i of bucket) this.collect(i, x, y, r2, out);
      }
    }
    return out;
  }

  /** Pushes point `i` to `out` if within √r2 of (x, y); `i` is always a stored index, hence the casts. */
  private collect(i: number, x: number, y: number, r2: number, out: string[]): void {
    const dx = (this.xs[i] as number) - x;
    const dy = (this.ys[i] as number) - y;
    if (dx * dx + dy * dy <= r2) out.push(this.ids[i] as string);
  }

  /** Clamped integer cell coordinate of a finite world coordinate. */
  private cellOf(v: number): number {
    const c = Math.floor(v / this.cellSize);
    return c < -CELL_LIMIT ? -CELL_LIMIT : c > CELL_LIMIT ? CELL_LIMIT : c;
  }
}

/** Unique exact-integer key of a clamped cell (both coordinates in [-CELL_LIMIT, CELL_LIMIT]). */
function cellKey(cx: number, cy: number): number {
  return (cx + CELL_LIMIT) * CELL_SPAN + (cy + CELL_LIMIT);
}
