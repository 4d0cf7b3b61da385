import { describe, expect, it } from "vitest";
import { Outbox } from "./events";
import { readMudWorld, writeMudWorld } from "./persisted";
import { advanceQuest, noteObjective, startQuest } from "./quests";
import { RAT_TROUBLE, withQuests } from "./quests.fixtures";
import { MudScenario, ofType, texts } from "./testing";
import { spawnItem } from "./world";

const ALICE = "alice";

function scenario(level = 3) {
  const s = new MudScenario(4);
  withQuests(s.content);
  s.join(ALICE, { level });
  return s;
}

/** A quest context on the scenario's world, as a command's would be. */
function ctxOf(s: MudScenario) {
  const flags = { critical: false };
  const markCritical = () => {
    flags.critical = true;
  };
  return { ctx: { world: s.world, content: s.content, out: new Outbox(), tick: s.tick, markCritical }, flags };
}

/** Fights the rat `attack` picks until it dies. */
function killRat(s: MudScenario) {
  s.type(ALICE, "attack rat");
  s.until((_, w) => w.players[ALICE]?.targetId === null);
}

describe("talking to a quest giver", () => {
  it("says its neutral line, and gives its quest to a player of the quest's level", () => {
    const s = scenario();
    const seen = s.type(ALICE, "talk bren")[ALICE];
    expect(texts(seen, "say")).toEqual(['Old Bren the lamplighter says, "Mind the well."']);
    expect(texts(seen, "quest")).toEqual([
      "New quest: Rat Trouble. Bren wants the well rats gone.",
      "Rat Trouble: Kill two well rats.",
    ]);
    expect(s.player(ALICE).quests).toEqual({ "rat-trouble": { step: 0, progress: 0 } });
    // Talking again gives nothing twice.
    expect(texts(s.type(ALICE, "greet bren")[ALICE], "quest")).toEqual([]);
  });

  it("shows a line with quotation marks of its own as narration, not wrapped in more quotes", () => {
    const s = scenario();
    const bren = s.content.npcs.lamplighter;
    if (!bren) throw new Error("the pack has Bren");
    s.content.npcs.lamplighter = { ...bren, dialogue: { neutral: '"Mind the well." Bren taps his pole.' } };
    expect(texts(s.type(ALICE, "talk bren")[ALICE], "say")).toEqual(['"Mind the well." Bren taps his pole.']);
  });

  it("mentions work for a higher level only when it has none for the player now", () => {
    const s = scenario(2);
    s.content.quests["night-watch"] = { ...RAT_TROUBLE, id: "night-watch", name: "Night Watch", level: 9 };
    const seen = s.type(ALICE, "talk bren")[ALICE];
    expect(Object.keys(s.player(ALICE).quests ?? {})).toEqual([RAT_TROUBLE.id]);
    expect(texts(seen, "info").some((line) => line.includes("level 9"))).toBe(false);
    // With Rat Trouble taken, the next talk names the later work.
    expect(texts(s.type(ALICE, "talk bren")[ALICE], "info").some((line) => line.includes("level 9"))).toBe(true);
  });

  it("gives nothing to a player below the quest's level, and says why", () => {
    const s = scenario(1);
    const seen = s.type(ALICE, "talk bren")[ALICE];
    expect(texts(seen, "info")).toEqual([
      "Old Bren the lamplighter has a task for someone of level 2; come back when you have grown.",
    ]);
    expect(s.player(ALICE).quests).toBeUndefined();
  });

  it("answers a name nobody here has, or no name, without failing", () => {
    const s = scenario();
    expect(texts(s.type(ALICE, "talk")[ALICE])).toEqual(["Talk to whom?"]);
    expect(texts(s.type(ALICE, "talk hadda")[ALICE])).toHaveLength(1);
    expect(s.player(ALICE).quests).toBeUndefined();
  });
});

describe("a quest played through", () => {
  it("counts kills, collects, reaches and talks, then rewards experience, an item and standing", () => {
    const s = scenario();
    s.type(ALICE, "talk bren");
    s.type(ALICE, "down");
    killRat(s);
    expect(s.player(ALICE).quests?.["rat-trouble"]).toEqual({ step: 0, progress: 1 });
    expect(texts(s.screens[ALICE], "quest")).toContain("Rat Trouble: Kill two well rats. (1/2)");
    expect(s.player(ALICE).reputation).toEqual({ vermin: -80 });
    killRat(s);
    expect(s.player(ALICE).quests?.["rat-trouble"]).toEqual({ step: 1, progress: 0 });

    s.type(ALICE, "up");
    s.type(ALICE, "east");
    s.clear();
    s.type(ALICE, "get mug");
    const handed = s.screens[ALICE];
    expect(texts(handed, "item")).toEqual(["You pick up a cracked clay mug.", "You hand over a cracked clay mug."]);
    expect(s.inventory(ALICE)).not.toContain("cracked-mug");
    expect(s.last?.critical).toBe(true);
    expect(s.player(ALICE).quests?.["rat-trouble"]).toEqual({ step: 2, progress: 0 });

    s.type(ALICE, "up");
    expect(s.player(ALICE).quests?.["rat-trouble"]).toEqual({ step: 3, progress: 0 });
    s.type(ALICE, "down");
    s.type(ALICE, "west");

    // Bren walks his rounds: fetch him back to the square.
    const bren = Object.values(s.world.npcs).find((n) => n.templateId === "lamplighter");
    if (bren) bren.roomId = "village-square";
    const xp = s.player(ALICE).xp;
    s.clear();
    s.type(ALICE, "talk bren");
    const end = s.screens[ALICE];
    expect(texts(end, "quest")).toContain("Quest complete: Rat Trouble!");
    expect(texts(end, "item")).toEqual(["You receive a moonpetal draught."]);
    expect(s.player(ALICE).xp).toBe(xp + 40);
    expect(s.inventory(ALICE)).toContain("moonpetal-draught");
    expect(s.player(ALICE).reputation).toEqual({ vermin: -210, lanternmere: 250 });
    expect(texts(end, "reputation")).toEqual([
      "Your standing with the folk of Lanternmere rises to 250 (friendly).",
      "Your standing with the vermin of the well falls to -210 (hostile).",
    ]);
    expect(s.last?.critical).toBe(true);
    expect(s.player(ALICE).quests?.["rat-trouble"]).toMatchObject({ done: true });

    // Friendly now: Bren's friendly line, and the journal lists the quest as done.
    expect(texts(s.type(ALICE, "talk bren")[ALICE], "say")).toEqual([
      'Old Bren the lamplighter says, "Bless you, friend."',
    ]);
    const journal = ofType(s.type(ALICE, "quests")[ALICE], "quest");
    expect(journal.map((e) => e.text)).toEqual(["Completed: Rat Trouble."]);
    expect(journal[0]?.payload).toEqual({ active: [], done: [{ quest: "rat-trouble", name: "Rat Trouble" }] });
  });

  it("a player past the end of a quest a builder cut shorter stands at its last step, and can finish it", () => {
    const s = scenario();
    s.player(ALICE).quests = { [RAT_TROUBLE.id]: { step: 5, progress: 0 } };
    expect(texts(s.type(ALICE, "quests")[ALICE], "quest").join("\n")).toContain("Tell Bren.");
    s.type(ALICE, "talk bren");
    expect(s.player(ALICE).quests?.[RAT_TROUBLE.id]?.done).toBe(true);
  });

  it("completes a step at once when it already holds: the player carries the item, or stands in the room", () => {
    const s = scenario();
    const mug = spawnItem(s.world, s.content, "cracked-mug", "village-square");
    s.world.items[mug.id] = { ...mug, location: { kind: "inventory", ownerId: ALICE } };
    const { ctx, flags } = ctxOf(s);
    const alice = s.player(ALICE);
    startQuest(ctx, alice, "rat-trouble");
    advanceQuest(ctx, alice, "rat-trouble");
    // The mug was already in the pack: handed over, and the loft step is next.
    expect(alice.quests?.["rat-trouble"]).toEqual({ step: 2, progress: 0 });
    expect(ctx.world.items[mug.id]).toBeUndefined();
    expect(flags.critical).toBe(true);
    alice.roomId = "inn-loft";
    noteObjective(ctx, alice, { kind: "talk", npc: "lamplighter" });
    expect(alice.quests?.["rat-trouble"]).toEqual({ step: 2, progress: 0 });
    noteObjective(ctx, alice, { kind: "reach", room: "inn-loft" });
    expect(alice.quests?.["rat-trouble"]).toEqual({ step: 3, progress: 0 });
  });

  it("ignores unknown quests and quests not started, and never starts one twice", () => {
    const s = scenario();
    const { ctx } = ctxOf(s);
    const alice = s.player(ALICE);
    startQuest(ctx, alice, "no-such-quest");
    advanceQuest(ctx, alice, "rat-trouble");
    noteObjective(ctx, alice, { kind: "kill", npc: "well-rat" });
    expect(alice.quests).toBeUndefined();
    startQuest(ctx, alice, "rat-trouble");
    noteObjective(ctx, alice, { kind: "kill", npc: "well-rat" });
    startQuest(ctx, alice, "rat-trouble");
    expect(alice.quests).toEqual({ "rat-trouble": { step: 0, progress: 1 } });
  });
});

describe("the journal", () => {
  it("lists an active quest with its step and count, and says when there is none", () => {
    const s = scenario();
    expect(texts(s.type(ALICE, "journal")[ALICE])).toEqual(["You have no quests yet. Talk to the people you meet."]);
    s.type(ALICE, "talk bren");
    const { ctx } = ctxOf(s);
    noteObjective(ctx, s.player(ALICE), { kind: "kill", npc: "well-rat" });
    const [shown] = ofType(s.type(ALICE, "quests")[ALICE], "quest");
    expect(shown?.text).toBe("Quests:\n  Rat Trouble: Kill two well rats. (1/2)");
    expect(shown?.payload).toEqual({
      active: [{ quest: "rat-trouble", name: "Rat Trouble", step: RAT_TROUBLE.steps[0]?.text, progress: 1, count: 2 }],
      done: [],
    });
  });
});

describe("quest state saved with the world", () => {
  it("reads back from the stored row, and a row from before quests reads as none", () => {
    const s = scenario();
    s.type(ALICE, "talk bren");
    s.player(ALICE).reputation = { lanternmere: 12 };
    const read = readMudWorld(JSON.parse(JSON.stringify(writeMudWorld(s.world))));
    expect(read.ok && read.value.players[ALICE]).toMatchObject({
      quests: { "rat-trouble": { step: 0, progress: 0 } },
      reputation: { lanternmere: 12 },
    });
    const old = JSON.parse(JSON.stringify(writeMudWorld(s.world)));
    delete old.players[ALICE].quests;
    delete old.players[ALICE].reputation;
    const before = readMudWorld(old);
    expect(before.ok && before.value.players[ALICE]?.quests).toBeUndefined();
  });

  it("survives logging out and back in to the same zone", () => {
    const s = scenario();
    s.type(ALICE, "talk bren");
    s.player(ALICE).reputation = { vermin: -70 };
    s.leave(ALICE);
    s.join(ALICE, { level: 3 });
    expect(s.player(ALICE).quests).toEqual({ "rat-trouble": { step: 0, progress: 0 } });
    expect(s.player(ALICE).reputation).toEqual({ vermin: -70 });
  });
});
