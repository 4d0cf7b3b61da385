import { describe, expect, it } from "vitest";
import type { DrawnEntity } from "../../sdk";
import { drawScene, hpColor, type Scene } from "./field-draw";

/** A 2D context that records the text drawn and accepts every other call. */
function fakeContext() {
  const texts: string[] = [];
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get: (target, key) =>
      key in target ? target[key] : key === "fillText" ? (text: string) => texts.push(text) : () => undefined,
    set: (target, key, value) => {
      target[key] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, texts };
}

describe("field-draw", () => {
  it("colours a health bar by how full it is", () => {
    expect(hpColor(1)).toBe("#5fd16b");
    expect(hpColor(0.4)).toBe("#f0c341");
    expect(hpColor(0.1)).toBe("#e85b5b");
  });

  it("draws a frame with names, floating numbers and a touch stick", () => {
    const { ctx, texts } = fakeContext();
    const entities = [
      { id: "p1", k: "p", x: 100, y: 100, hp: 10, mhp: 10, n: "Ada" },
      { id: "e1", k: "e", x: 200, y: 100, hp: 3, mhp: 10, n: "Golem", tg: { x: 150, y: 100, r: 40, hitsAt: 12 } },
      { id: "m1", k: "m", x: 150, y: 100 },
    ] as DrawnEntity[];
    const scene: Scene = {
      cam: { cx: 100, cy: 100, scale: 1, w: 400, h: 300 },
      width: 1000,
      height: 1000,
      obstacles: [{ x: 0, y: 0, w: 10, h: 10 }],
      entities,
      you: "p1",
      tick: 10,
      telegraphStart: new Map([["e1:12", 8]]),
      floats: [{ text: "-5", x: 200, y: 100, color: "#ffd54f", born: 0 }],
      flashes: [{ x: 100, y: 100, r: 50, color: "#c89bff", born: 0, until: 500 }],
      now: 100,
      hover: "e1",
      aim: { x: 200, y: 100 },
      stick: { origin: { x: 50, y: 250 }, at: { x: 80, y: 250 } },
    };
    drawScene(ctx, scene);
    expect(texts).toEqual(expect.arrayContaining(["Golem", "Ada", "-5"]));
    expect(ctx.globalAlpha).toBe(1);
  });
});
