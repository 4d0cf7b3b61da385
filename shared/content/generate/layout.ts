/**
 * The shape of a generated zone: rooms on a square grid, grown one at a time from the entry room
 * so that every room is reachable, plus a few extra links that close loops (a wilderness you can
 * walk around in, not only a tree of dead ends). Pure and seeded: the same rng state gives the same
 * layout, which is what lets a checked-in zone be regenerated exactly (docs/content.md).
 */
import type { Rng } from "../../sim/rng";

/** A compass step on the grid: north is towards smaller y, east towards larger x. */
export const STEPS = [
  { direction: "north", back: "south", dx: 0, dy: -1 },
  { direction: "east", back: "west", dx: 1, dy: 0 },
  { direction: "south", back: "north", dx: 0, dy: 1 },
  { direction: "west", back: "east", dx: -1, dy: 0 },
] as const;

export type CompassDirection = (typeof STEPS)[number]["direction"];

/** One room's place on the grid and the compass exits it has to its neighbours (by cell index). */
export interface Cell {
  x: number;
  y: number;
  /** Index of the cell it grew from; -1 for the entry cell. */
  parent: number;
  exits: Partial<Record<CompassDirection, number>>;
}

const key = (x: number, y: number) => `${x},${y}`;

/**
 * Grows `count` cells from (0,0): each new cell sits next to a random existing one and is linked to
 * it, so the layout is connected; then up to `loops` extra links join neighbouring cells that are
 * not yet linked. Every link is two-way (an exit and its way back). Bounded: it never loops forever
 * whatever the rng says, because a stuck attempt falls back to scanning cells in order.
 */
export function growLayout(rng: Rng, count: number, loops: number): Cell[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`a layout needs at least one room, got ${count}`);
  const cells: Cell[] = [{ x: 0, y: 0, parent: -1, exits: {} }];
  const at = new Map([[key(0, 0), 0]]);
  const link = (a: number, b: number, step: (typeof STEPS)[number]) => {
    (cells[a] as Cell).exits[step.direction] = b;
    (cells[b] as Cell).exits[step.back] = a;
  };
  const grow = (from: number, step: (typeof STEPS)[number]) => {
    const origin = cells[from] as Cell;
    const x = origin.x + step.dx;
    const y = origin.y + step.dy;
    if (at.has(key(x, y))) return false;
    at.set(key(x, y), cells.length);
    cells.push({ x, y, parent: from, exits: {} });
    link(from, cells.length - 1, step);
    return true;
  };
  while (cells.length < count) {
    // A few random tries, then the first free neighbour of any cell: a grid always has one.
    let grown = false;
    for (let attempt = 0; attempt < 8 && !grown; attempt++) {
      grown = grow(rng.int(0, cells.length - 1), STEPS[rng.int(0, STEPS.length - 1)] as (typeof STEPS)[number]);
    }
    for (let i = 0; i < cells.length && !grown; i++) for (const step of STEPS) if (!grown) grown = grow(i, step);
  }
  let added = 0;
  for (let attempt = 0; attempt < loops * 8 && added < loops; attempt++) {
    const from = rng.int(0, cells.length - 1);
    const step = STEPS[rng.int(0, STEPS.length - 1)] as (typeof STEPS)[number];
    const cell = cells[from] as Cell;
    const to = at.get(key(cell.x + step.dx, cell.y + step.dy));
    if (to === undefined || cell.exits[step.direction] !== undefined) continue;
    link(from, to, step);
    added++;
  }
  return cells;
}

/** Steps from the entry cell to every cell, walking the links (breadth first). */
export function distances(cells: readonly Cell[]): number[] {
  const dist = cells.map(() => -1);
  dist[0] = 0;
  const queue = [0];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const to of Object.values((cells[next] as Cell).exits)) {
      if (dist[to] === -1) {
        dist[to] = (dist[next] as number) + 1;
        queue.push(to);
      }
    }
  }
  return dist;
}
