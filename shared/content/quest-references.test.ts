import { describe, expect, it } from "vitest";
import { DIR, errorsAfter, type PackCopy } from "./fixture";

const QUESTS = `${DIR}/quests/test-errand.json`;
const FACTIONS = `${DIR}/factions/test-watch.json`;

const faction = { id: "watch", name: "the watch", description: "Guards.", hostileBelow: -100, friendlyAt: 100 };
const quest = () => ({
  id: "errand",
  name: "An Errand",
  description: "Run it.",
  giver: "lamplighter",
  steps: [
    { id: "rats", text: "Kill rats.", objective: { kind: "kill", npc: "well-rat", count: 2 } },
    { id: "mug", text: "Fetch a mug.", objective: { kind: "collect", item: "cracked-mug", count: 1 } },
    { id: "loft", text: "Go up.", objective: { kind: "reach", room: "inn-loft" } },
  ],
  rewards: { xp: 10, items: ["rat-tail"], reputation: [{ faction: "watch", delta: 5 }] },
});

/** The pack with one more quests file and factions file (split-list folders), `change`d. */
const withFiles = (change: (q: ReturnType<typeof quest>, copy: PackCopy) => void, factions: unknown[] = [faction]) =>
  errorsAfter((copy) => {
    const q = quest();
    change(q, copy);
    copy.files.push({ path: QUESTS, data: { quests: [q] } }, { path: FACTIONS, data: { factions } });
  });

describe("quests and factions in a pack", () => {
  it("validate when everything they name exists", () => {
    expect(withFiles(() => {})).toEqual([]);
  });

  it("name each missing NPC, item, room and faction where it is written, with the fix", () => {
    const errors = withFiles((q, copy) => {
      q.giver = "nobody";
      q.steps[0] = { id: "rats", text: "x", objective: { kind: "kill", npc: "ghost", count: 1 } };
      q.steps[2] = { id: "loft", text: "x", objective: { kind: "reach", room: "atlantis" } };
      q.rewards.items = ["gold-bar"];
      q.rewards.reputation = [{ faction: "guild", delta: 1 }];
      copy.npc("lamplighter").faction = "council";
    });
    expect(errors.map((e) => [e.file, e.path])).toEqual(
      expect.arrayContaining([
        [QUESTS, "quests.0.giver"],
        [QUESTS, "quests.0.steps.0.objective.npc"],
        [QUESTS, "quests.0.steps.2.objective.room"],
        [QUESTS, "quests.0.rewards.items.0"],
        [QUESTS, "quests.0.rewards.reputation.0.faction"],
        [`${DIR}/npcs.json`, expect.stringMatching(/^npcs\.\d+\.faction$/)],
      ]),
    );
    expect(errors).toHaveLength(6);
    const message = errors.find((e) => e.path.endsWith("reputation.0.faction"))?.message;
    expect(message).toMatch(
      /^no faction "guild" \(factions: .*"watch".*\): fix the id or add the faction to factions\.json$/,
    );
  });

  it("refuse collecting a container, or more than one of a unique item", () => {
    const bag = withFiles((q) => {
      q.steps[1] = { id: "mug", text: "x", objective: { kind: "collect", item: "travellers-satchel", count: 1 } };
    });
    expect(bag.map((e) => e.path)).toEqual(["quests.0.steps.1.objective.item"]);
    const unique = withFiles((q) => {
      q.steps[1] = { id: "mug", text: "x", objective: { kind: "collect", item: "watch-token", count: 2 } };
    });
    expect(unique.map((e) => e.path)).toEqual(["quests.0.steps.1.objective.count"]);
  });

  it("refuse repeated step ids, a zero delta and thresholds in the wrong order", () => {
    const steps = withFiles((q) => {
      (q.steps[1] as { id: string }).id = "rats";
    });
    expect(steps).toEqual([
      { file: QUESTS, path: "quests.0.steps.1.id", message: 'step id "rats" is used twice in this quest: rename one' },
    ]);
    const zero = withFiles((q) => {
      q.rewards.reputation = [{ faction: "watch", delta: 0 }];
    });
    expect(zero.map((e) => e.path)).toEqual(["quests.0.rewards.reputation.0.delta"]);
    const order = withFiles(() => {}, [{ ...faction, friendlyAt: -100 }]);
    expect(order.map((e) => [e.file, e.path])).toEqual([[FACTIONS, "factions.0.friendlyAt"]]);
  });
});
