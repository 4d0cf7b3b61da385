import { describe, expect, it } from "vitest";
import { createRng } from "../../sim/rng";
import { type Cell, distances, growLayout, STEPS } from "./layout";

const back = Object.fromEntries(STEPS.map((s) => [s.direction, s.back]));

describe("growLayout", () => {
  it.each([1, 2, 20, 60])("grows %i connected rooms whose every exit comes back the opposite way", (count) => {
    for (let seed = 0; seed < 20; seed++) {
      const cells = growLayout(createRng(seed), count, 4);
      expect(cells).toHaveLength(count);
      expect(distances(cells).filter((d) => d < 0)).toEqual([]);
      cells.forEach((cell, i) => {
        for (const [direction, to] of Object.entries(cell.exits)) {
          expect((cells[to] as Cell).exits[back[direction] as keyof Cell["exits"]]).toBe(i);
          const step = STEPS.find((s) => s.direction === direction);
          expect([(cells[to] as Cell).x - cell.x, (cells[to] as Cell).y - cell.y]).toEqual([step?.dx, step?.dy]);
        }
      });
      expect(new Set(cells.map((c) => `${c.x},${c.y}`)).size).toBe(count);
    }
  });

  it("closes loops: a layout with loops has more links than a tree", () => {
    const links = (cells: Cell[]) => cells.reduce((n, c) => n + Object.keys(c.exits).length, 0) / 2;
    expect(links(growLayout(createRng(5), 30, 0))).toBe(29);
    expect(links(growLayout(createRng(5), 30, 5))).toBeGreaterThan(29);
  });

  it("is the same for the same seed and differs for another", () => {
    expect(growLayout(createRng(42), 24, 4)).toEqual(growLayout(createRng(42), 24, 4));
    expect(growLayout(createRng(42), 24, 4)).not.toEqual(growLayout(createRng(43), 24, 4));
  });

  it("refuses an empty layout", () => {
    expect(() => growLayout(createRng(1), 0, 0)).toThrow(RangeError);
  });
});
