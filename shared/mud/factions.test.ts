import { describe, expect, it } from "vitest";
import { Outbox } from "./events";
import { adjustReputation, reputationOf, standingWith, standingWord } from "./factions";
import { LANTERNMERE, VERMIN, withQuests } from "./quests.fixtures";
import { MudScenario, texts } from "./testing";

const ALICE = "alice";

function scenario(roomId = "village-square") {
  const s = new MudScenario(9);
  withQuests(s.content);
  s.join(ALICE, { level: 3, roomId });
  const ctx = { world: s.world, content: s.content, out: new Outbox(), tick: 0, markCritical: () => {} };
  return { s, ctx };
}

describe("standing", () => {
  it("starts at the faction's start, and reads 0 for a faction the pack does not have", () => {
    const { s } = scenario();
    expect(reputationOf(s.player(ALICE), "vermin", s.content)).toBe(-50);
    expect(reputationOf(s.player(ALICE), "lanternmere", s.content)).toBe(0);
    expect(reputationOf(s.player(ALICE), "nobody", s.content)).toBe(0);
  });

  it("turns into a word by the faction's thresholds", () => {
    expect([-101, -100, 199, 200].map((v) => standingWord(LANTERNMERE, v))).toEqual([
      "hostile",
      "neutral",
      "neutral",
      "friendly",
    ]);
    expect(standingWith({}, { faction: "vermin" }, { factions: { vermin: VERMIN } })).toBe("neutral");
    expect(
      standingWith({ reputation: { vermin: -201 } }, { faction: "vermin" }, { factions: { vermin: VERMIN } }),
    ).toBe("hostile");
    expect(standingWith({}, {}, { factions: {} })).toBe("neutral");
  });

  it("changes by a delta, clamped to ±1000, and tells the player; a change that changes nothing says nothing", () => {
    const { s, ctx } = scenario();
    const alice = ctx.world.players[ALICE];
    if (!alice) throw new Error("alice joined");
    adjustReputation(ctx, alice, "lanternmere", 5000);
    expect(alice.reputation).toEqual({ lanternmere: 1000 });
    adjustReputation(ctx, alice, "lanternmere", 10);
    adjustReputation(ctx, alice, "no-such-faction", 10);
    adjustReputation(ctx, alice, "vermin", 0);
    expect(alice.reputation).toEqual({ lanternmere: 1000 });
    adjustReputation(ctx, alice, "vermin", -2000);
    expect(alice.reputation).toEqual({ lanternmere: 1000, vermin: -1000 });
    expect(ctx.out.items.map((o) => o.event.payload)).toEqual([
      { faction: "lanternmere", name: LANTERNMERE.name, standing: 1000, word: "friendly" },
      { faction: "vermin", name: VERMIN.name, standing: -1000, word: "hostile" },
    ]);
    expect(s.content.factions.vermin).toBe(VERMIN);
  });

  it("is listed by `reputation` with each faction's word and number", () => {
    const { s } = scenario();
    s.player(ALICE).reputation = { lanternmere: 300 };
    expect(texts(s.type(ALICE, "standing")[ALICE], "reputation")).toEqual([
      "Your standing:\n  the folk of Lanternmere: friendly (300)\n  the vermin of the well: neutral (-50)",
    ]);
  });
});

describe("NPCs by standing", () => {
  it("a faction's NPC that is not aggressive attacks on sight a player its faction is hostile to", () => {
    const { s } = scenario("smithy");
    s.run(5);
    expect(
      s.world.npcs[Object.keys(s.world.npcs).find((id) => s.world.npcs[id]?.templateId === "hadda-smith") as string]
        ?.targetId,
    ).toBeNull();
    s.player(ALICE).reputation = { lanternmere: -500 };
    const seen = s.run(3)[ALICE];
    expect(texts(seen, "combat")).toContain("Hadda the smith attacks Alice!");
  });

  it("an aggressive NPC never attacks on sight a player its faction is friendly with", () => {
    const friendly = scenario("well-shaft").s;
    friendly.player(ALICE).reputation = { vermin: 150 };
    expect(texts(friendly.run(40)[ALICE], "combat")).toEqual([]);
    // The same room, neutral: the rats attack as their template says.
    const neutral = scenario("well-shaft").s;
    expect(texts(neutral.run(40)[ALICE], "combat").some((t) => t.includes("attacks Alice!"))).toBe(true);
  });

  it("talk picks the line for the player's standing", () => {
    const { s } = scenario();
    s.player(ALICE).reputation = { lanternmere: -150 };
    expect(texts(s.type(ALICE, "talk bren")[ALICE], "say")).toEqual(['Old Bren the lamplighter says, "Begone!"']);
    // Hostile: no quest is given.
    expect(s.player(ALICE).quests).toBeUndefined();
  });
});
