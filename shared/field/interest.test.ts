import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "../sim/rng";
import { SpatialGrid } from "./interest";

interface Point {
  id: string;
  x: number;
  y: number;
}

const bruteForce = (points: Point[], x: number, y: number, r: number): string[] =>
  points
    .filter((p) => (p.x - x) ** 2 + (p.y - y) ** 2 <= r * r)
    .map((p) => p.id)
    .sort();

const sorted = (ids: string[]): string[] => [...ids].sort();

const gridOf = (cellSize: number, points: Point[]): SpatialGrid => {
  const grid = new SpatialGrid(cellSize);
  for (const p of points) grid.insert(p.id, p.x, p.y);
  return grid;
};

/** Points spread over [-half, half)², some snapped to whole numbers so cell edges and exact radii occur. */
const randomWorld = (rng: Rng, n: number, half: number): Point[] =>
  Array.from({ length: n }, (_, i) => {
    const x = rng.next() * 2 * half - half;
    const y = rng.next() * 2 * half - half;
    return rng.next() < 0.3 ? { id: `e${i}`, x: Math.round(x), y: Math.round(y) } : { id: `e${i}`, x, y };
  });

describe("SpatialGrid", () => {
  it("matches brute force exactly on random worlds", () => {
    for (const seed of [1, 2, 3, 42, 1234, 99999]) {
      const rng = createRng(seed);
      const half = rng.int(50, 2_000);
      const points = randomWorld(rng, rng.int(200, 800), half);
      const grid = gridOf(rng.int(1, 400), points);
      expect(grid.size).toBe(points.length);
      const out: string[] = [];
      for (let q = 0; q < 200; q++) {
        // Half the queries are centred on a point, so some neighbours sit exactly on whole-number radii.
        const centre = rng.next() < 0.5 ? points[rng.int(0, points.length - 1)] : null;
        const x = centre ? centre.x : rng.next() * 2.4 * half - 1.2 * half;
        const y = centre ? centre.y : rng.next() * 2.4 * half - 1.2 * half;
        const r = rng.next() < 0.3 ? rng.int(0, 300) : rng.next() * half;
        expect(sorted(grid.query(x, y, r, out))).toEqual(bruteForce(points, x, y, r));
      }
    }
  });

  it("includes points exactly on the radius and excludes those just beyond", () => {
    const grid = gridOf(10, [
      { id: "on", x: 3, y: 4 },
      { id: "axis", x: -5, y: 0 },
      { id: "beyond", x: 5.000001, y: 0 },
      { id: "corner", x: 0, y: -5 },
    ]);
    expect(sorted(grid.query(0, 0, 5))).toEqual(["axis", "corner", "on"]);
    // Same on cell edges: (10, 0) is the first point of the next cell.
    const edge = gridOf(10, [{ id: "a", x: 10, y: 0 }]);
    expect(edge.query(0, 0, 10)).toEqual(["a"]);
    expect(edge.query(20, 0, 10)).toEqual(["a"]);
  });

  it("handles negative coordinates across the origin", () => {
    const points = [
      { id: "a", x: -0.5, y: -0.5 },
      { id: "b", x: 0.5, y: 0.5 },
      { id: "c", x: -15, y: -25 },
      { id: "d", x: -100, y: 3 },
    ];
    const grid = gridOf(10, points);
    expect(sorted(grid.query(0, 0, 1))).toEqual(["a", "b"]);
    expect(sorted(grid.query(-12, -22, 5))).toEqual(["c"]);
    expect(sorted(grid.query(-95, 0, 6))).toEqual(["d"]);
  });

  it("finds points many cells away when the radius is far larger than a cell", () => {
    const rng = createRng(7);
    const points = randomWorld(rng, 300, 1_000);
    const grid = gridOf(1, points);
    for (const r of [50, 500, 1_500, 1e9]) {
      expect(sorted(grid.query(10, -20, r))).toEqual(bruteForce(points, 10, -20, r));
    }
    expect(grid.query(0, 0, 1e9)).toHaveLength(300);
  });

  it("with r = 0 finds only points exactly at the query position", () => {
    const grid = gridOf(5, [
      { id: "here", x: 2, y: 3 },
      { id: "near", x: 2, y: 3.0000001 },
    ]);
    expect(grid.query(2, 3, 0)).toEqual(["here"]);
    expect(grid.query(0, 0, 0)).toEqual([]);
  });

  it("skips non-finite points and answers non-finite or negative queries with nothing", () => {
    const grid = new SpatialGrid(10);
    expect(grid.insert("nan", Number.NaN, 0)).toBe(false);
    expect(grid.insert("inf", 0, Number.POSITIVE_INFINITY)).toBe(false);
    expect(grid.insert("ninf", Number.NEGATIVE_INFINITY, 0)).toBe(false);
    expect(grid.insert("ok", 1, 1)).toBe(true);
    expect(grid.size).toBe(1);
    expect(grid.query(0, 0, 100)).toEqual(["ok"]);
    expect(grid.query(Number.NaN, 0, 100)).toEqual([]);
    expect(grid.query(0, Number.POSITIVE_INFINITY, 100)).toEqual([]);
    expect(grid.query(0, 0, Number.NaN)).toEqual([]);
    expect(grid.query(0, 0, Number.POSITIVE_INFINITY)).toEqual([]);
    expect(grid.query(0, 0, -1)).toEqual([]);
  });

  it("copes with huge coordinates without collisions or endless loops", () => {
    const points = [
      { id: "far", x: 1e300, y: -1e300 },
      { id: "big", x: 1e15, y: 1e15 },
      { id: "home", x: 0, y: 0 },
    ];
    const grid = gridOf(0.001, points);
    expect(grid.query(1e300, -1e300, 1)).toEqual(["far"]);
    expect(grid.query(1e15, 1e15, 0)).toEqual(["big"]);
    expect(grid.query(0, 0, 1)).toEqual(["home"]);
  });

  it("reuses itself after clear()", () => {
    const grid = gridOf(10, [
      { id: "old1", x: 1, y: 1 },
      { id: "old2", x: 50, y: 50 },
    ]);
    grid.clear();
    expect(grid.size).toBe(0);
    expect(grid.query(0, 0, 1_000)).toEqual([]);
    grid.insert("new", 51, 49);
    expect(grid.size).toBe(1);
    expect(grid.query(50, 50, 5)).toEqual(["new"]);
    expect(grid.query(1, 1, 5)).toEqual([]);
  });

  it("returns every point sharing one position, and replaces the contents of out", () => {
    const grid = gridOf(10, [
      { id: "a", x: 5, y: 5 },
      { id: "b", x: 5, y: 5 },
      { id: "c", x: 5, y: 5 },
    ]);
    const out = ["stale"];
    const result = grid.query(5, 5, 0, out);
    expect(result).toBe(out);
    expect(sorted(result)).toEqual(["a", "b", "c"]);
  });

  it("rejects a cell size that is not a finite positive number", () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new SpatialGrid(bad)).toThrow(/cellSize must be a finite number > 0/);
    }
  });
});
