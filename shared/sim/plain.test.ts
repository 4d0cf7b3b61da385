import { describe, expect, it } from "vitest";
import { copyPlain } from "./plain";

describe("copyPlain", () => {
  it("copies nested objects and arrays so that changing the copy leaves the original alone", () => {
    const original = {
      id: "p1",
      hp: 10,
      targetId: null,
      effects: [{ name: "draught", ticks: 3 }],
      skills: { nova: 7 },
    };
    const copy = copyPlain(original);
    expect(copy).toEqual(original);
    copy.effects[0] = { name: "burn", ticks: 1 };
    copy.skills.nova = 99;
    (copy.effects as unknown[]).push(1);
    expect(original).toEqual({
      id: "p1",
      hp: 10,
      targetId: null,
      effects: [{ name: "draught", ticks: 3 }],
      skills: { nova: 7 },
    });
    expect(copy.effects).not.toBe(original.effects);
  });

  it("keeps a __proto__ key as a plain field instead of a prototype", () => {
    const parsed = JSON.parse('{"__proto__": {"admin": true}, "x": 1}') as Record<string, unknown>;
    const copy = copyPlain(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { admin?: boolean }).admin).toBeUndefined();
    expect(Object.keys(copy)).toEqual(["__proto__", "x"]);
  });

  it("returns primitives and null as they are", () => {
    expect(copyPlain(3)).toBe(3);
    expect(copyPlain("a")).toBe("a");
    expect(copyPlain(null)).toBe(null);
  });
});
