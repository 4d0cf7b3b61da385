import { describe, expect, it } from "vitest";
import { stableStringify, stateHash } from "./hash";
import { createRng } from "./rng";

describe("stableStringify", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(stableStringify({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("drops undefined properties like JSON.stringify does", () => {
    expect(stableStringify({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(stableStringify([undefined, 1])).toBe("[null,1]");
  });

  it("escapes keys and strings as JSON", () => {
    expect(stableStringify({ 'qu"ote': "line\nbreak" })).toBe('{"qu\\"ote":"line\\nbreak"}');
  });
});

describe("stateHash", () => {
  it("is 64-bit FNV-1a of the stable JSON, as 16 hex digits", () => {
    // Checked against an independent FNV-1a implementation (which gives the published 85944171f73967e8 for "foobar").
    expect(stateHash({ a: 1 })).toBe("9c3e82dd6fcae8b1");
    expect(stateHash("")).toBe("07cc7607b4949e25");
    expect(stateHash(null)).toBe("5b9bc4ba528108e4");
    expect(stateHash({ anything: [1, 2, 3] })).toMatch(/^[0-9a-f]{16}$/);
  });

  it("does not depend on the order properties were written in", () => {
    const a = { tick: 10, weather: "rain", players: { p2: { hp: 3 }, p1: { hp: 9, name: "Ann" } } };
    const b = { players: { p1: { name: "Ann", hp: 9 }, p2: { hp: 3 } }, weather: "rain", tick: 10 };
    expect(stateHash(a)).toBe(stateHash(b));
    expect(stateHash({ a: 1, b: undefined })).toBe(stateHash({ a: 1 }));
  });

  it("detects a change anywhere in the state", () => {
    const base = { tick: 10, weather: "rain", log: [1, 2, 3], nested: { deep: { value: "x" } } };
    const variants = [
      { ...base, tick: 11 },
      { ...base, weather: "storm" },
      { ...base, log: [1, 3, 2] },
      { ...base, log: [1, 2] },
      { ...base, nested: { deep: { value: "y" } } },
      { ...base, extra: 0 },
      { ...base, tick: "10" },
    ];
    const hashes = new Set([base, ...variants].map(stateHash));
    expect(hashes.size).toBe(variants.length + 1);
  });

  it("gives what 64-bit FNV-1a in BigInt arithmetic gives, for any text", () => {
    const fnv = (text: string) => {
      let h = 0xcbf29ce484222325n;
      for (let i = 0; i < text.length; i++)
        h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
      return h.toString(16).padStart(16, "0");
    };
    const rng = createRng(42);
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: rng.int(0, 40) }, () => String.fromCharCode(rng.int(0, 0xffff))).join("");
      expect(stateHash(text)).toBe(fnv(stableStringify(text)));
    }
  });

  it("tells apart values that differ only in characters beyond Latin-1", () => {
    expect(stateHash({ name: "Ωmega" })).not.toBe(stateHash({ name: "\u00a9mega" }));
  });
});
