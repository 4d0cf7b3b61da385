import { describe, expect, it } from "vitest";
import { matchesTarget, ordinal, parseTarget, resolveOne, resolveTarget, type Targetable } from "./target";

const thing = (id: string, name: string, keywords: string[] = []) => ({ id, name, keywords });
const room = [
  thing("s1", "a rusty sword", ["blade"]),
  thing("c1", "a gold coin", ["coin", "gold"]),
  thing("s2", "a shiny sword", ["blade"]),
  thing("o1", "the half-orc guard"),
  thing("c2", "a gold coin", ["coin", "gold"]),
  thing("p1", "Alice"),
  thing("c3", "a copper coin", ["coin"]),
];
const ids = (r: ReturnType<typeof resolveTarget<(typeof room)[number]>>) =>
  r.ok ? r.value.matches.map((m) => m.id) : r.error.code;

describe("resolveTarget", () => {
  it("matches by case-insensitive prefix of any word of the name", () => {
    expect(ids(resolveTarget("sword", room))).toEqual(["s1"]);
    expect(ids(resolveTarget("SW", room))).toEqual(["s1"]);
    expect(ids(resolveTarget("shi", room))).toEqual(["s2"]);
    expect(ids(resolveTarget("alice", room))).toEqual(["p1"]);
    expect(ids(resolveTarget("ALI", room))).toEqual(["p1"]);
  });

  it("matches keywords too", () => {
    expect(ids(resolveTarget("blade", room))).toEqual(["s1"]);
    expect(ids(resolveTarget("2.blade", room))).toEqual(["s2"]);
  });

  it("requires every typed word to match", () => {
    expect(ids(resolveTarget("shiny sw", room))).toEqual(["s2"]);
    expect(ids(resolveTarget("copper co", room))).toEqual(["c3"]);
    expect(ids(resolveTarget("rusty coin", room))).toBe("not_found");
  });

  it("matches prefixes, not the middle of words", () => {
    expect(ids(resolveTarget("word", room))).toBe("not_found");
    expect(ids(resolveTarget("old", room))).toBe("not_found");
  });

  it("matches each part of a hyphenated word, and the whole", () => {
    expect(ids(resolveTarget("orc", room))).toEqual(["o1"]);
    expect(ids(resolveTarget("half-o", room))).toEqual(["o1"]);
  });

  it("does not treat articles in names as matching words", () => {
    // Only Alice's name starts with "a"; "a rusty sword" does not count.
    expect(ids(resolveTarget("all.a", room))).toEqual(["p1"]);
    expect(ids(resolveTarget("all.the", room))).toBe("not_found");
    expect(ids(resolveTarget("a", [thing("x", "an apple")]))).toEqual(["x"]);
  });

  it("ignores a leading article", () => {
    expect(ids(resolveTarget("the guard", room))).toEqual(["o1"]);
    expect(ids(resolveTarget("a shiny sword", room))).toEqual(["s2"]);
  });

  it("picks the Nth match with N.name, counting from 1 in the order given", () => {
    expect(ids(resolveTarget("1.sword", room))).toEqual(["s1"]);
    expect(ids(resolveTarget("2.sword", room))).toEqual(["s2"]);
    expect(ids(resolveTarget("3.coin", room))).toEqual(["c3"]);
    expect(ids(resolveTarget("2.gold", room))).toEqual(["c2"]);
  });

  it("explains when there are fewer matches than asked for", () => {
    expect(resolveTarget("3.sword", room)).toEqual({
      ok: false,
      error: { code: "too_few", message: 'You see only 2 "sword" here, so there is no 3rd.' },
    });
  });

  it("rejects 0.name, counting from 1", () => {
    expect(resolveTarget("0.sword", room)).toEqual({
      ok: false,
      error: { code: "bad_index", message: 'Count from 1: "1.sword" is the first.' },
    });
  });

  it("returns every match for all.name, in order", () => {
    expect(resolveTarget("all.coin", room)).toEqual({
      ok: true,
      value: { all: true, matches: [room[1], room[4], room[6]] },
    });
    expect(ids(resolveTarget("ALL.gold", room))).toEqual(["c1", "c2"]);
  });

  it("returns everything for all", () => {
    expect(ids(resolveTarget("all", room))).toEqual(room.map((t) => t.id));
    expect(resolveTarget("all", [])).toEqual({
      ok: false,
      error: { code: "not_found", message: "There is nothing here." },
    });
  });

  it("says plainly when nothing matches", () => {
    expect(resolveTarget("x", room)).toEqual({
      ok: false,
      error: { code: "not_found", message: 'You don\'t see "x" here.' },
    });
    expect(resolveTarget("  Dragon  ", room)).toMatchObject({ error: { message: 'You don\'t see "dragon" here.' } });
    expect(resolveTarget("all.gem", room)).toMatchObject({ error: { message: 'You don\'t see any "gem" here.' } });
    expect(resolveTarget("sword", [])).toMatchObject({ error: { code: "not_found" } });
  });

  it("asks what was meant when nothing was typed", () => {
    for (const input of ["", "   ", "all.", "2.", "all.  "]) {
      expect(resolveTarget(input, room), JSON.stringify(input)).toMatchObject({ ok: false, error: { code: "empty" } });
    }
  });

  it("works for anything with a name, keywords optional", () => {
    const players: (Targetable & { id: string })[] = [
      { id: "u1", name: "Bob" },
      { id: "u2", name: "Bobby" },
    ];
    const r = resolveTarget("2.bob", players);
    expect(r.ok && r.value.matches[0]?.id).toBe("u2");
  });
});

describe("resolveOne", () => {
  it("returns the single target", () => {
    expect(resolveOne("2.sword", room)).toEqual({ ok: true, value: room[2] });
  });

  it("refuses all. for one-target commands", () => {
    expect(resolveOne("all.coin", room)).toEqual({
      ok: false,
      error: { code: "not_one", message: "You can only do that to one thing at a time." },
    });
  });

  it("passes errors through", () => {
    expect(resolveOne("troll", room)).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});

describe("helpers", () => {
  it("parses queries", () => {
    expect(parseTarget("3.Rusty Sword")).toEqual({
      ok: true,
      value: { all: false, index: 3, words: ["rusty", "sword"] },
    });
    expect(parseTarget("all.coin")).toEqual({ ok: true, value: { all: true, words: ["coin"] } });
    expect(parseTarget("99999999999999999999.x")).toMatchObject({ ok: false, error: { code: "bad_index" } });
  });

  it("matches on name and keywords only", () => {
    expect(matchesTarget({ name: "a rusty sword", keywords: ["blade"] }, ["bla"])).toBe(true);
    expect(matchesTarget({ name: "a rusty sword" }, ["bla"])).toBe(false);
  });

  it("writes ordinals", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "23rd",
      "101st",
      "111th",
    ]);
  });
});
