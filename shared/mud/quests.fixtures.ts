/**
 * Test support: the start zone's content with a quest, two factions and faction NPCs added, for the
 * quest and reputation tests (the real pack's quests are the content's own, not these).
 */
import type { FactionDef, NpcTemplate, QuestDef } from "./types";
import type { ZoneContent } from "./world";

export const LANTERNMERE: FactionDef = {
  id: "lanternmere",
  name: "the folk of Lanternmere",
  description: "Villagers.",
  hostileBelow: -100,
  friendlyAt: 200,
};

export const VERMIN: FactionDef = {
  id: "vermin",
  name: "the vermin of the well",
  description: "Rats.",
  start: -50,
  hostileBelow: -200,
  friendlyAt: 100,
};

/** Bren's errand: two rats, a mug, the inn's loft, back to Bren. */
export const RAT_TROUBLE: QuestDef = {
  id: "rat-trouble",
  name: "Rat Trouble",
  description: "Bren wants the well rats gone.",
  giver: "lamplighter",
  level: 2,
  steps: [
    { id: "rats", text: "Kill two well rats.", objective: { kind: "kill", npc: "well-rat", count: 2 } },
    { id: "mug", text: "Fetch a cracked mug.", objective: { kind: "collect", item: "cracked-mug", count: 1 } },
    { id: "loft", text: "Look in on the inn's loft.", objective: { kind: "reach", room: "inn-loft" } },
    { id: "back", text: "Tell Bren.", objective: { kind: "talk", npc: "lamplighter" } },
  ],
  rewards: {
    xp: 40,
    items: ["moonpetal-draught"],
    reputation: [
      { faction: "lanternmere", delta: 250 },
      { faction: "vermin", delta: -100 },
    ],
  },
};

/** `content` with the quest and factions, Bren and Hadda of Lanternmere, and the rats vermin. */
export function withQuests(content: ZoneContent): ZoneContent {
  const npc = (id: string, over: Partial<NpcTemplate>) => {
    content.npcs = { ...content.npcs, [id]: { ...(content.npcs[id] as NpcTemplate), ...over } };
  };
  npc("lamplighter", {
    faction: "lanternmere",
    dialogue: { neutral: "Mind the well.", friendly: "Bless you, friend.", hostile: "Begone!" },
  });
  npc("hadda-smith", { faction: "lanternmere" });
  npc("well-rat", { faction: "vermin", reputationOnKill: [{ faction: "vermin", delta: -30 }] });
  content.quests = { [RAT_TROUBLE.id]: RAT_TROUBLE };
  content.factions = { [LANTERNMERE.id]: LANTERNMERE, [VERMIN.id]: VERMIN };
  return content;
}
