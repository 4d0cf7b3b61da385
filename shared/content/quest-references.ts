/**
 * Cross-file rules of a pack's quests and factions, checked once every file parses (as
 * references.ts does for zones, items and NPCs): ids are unique; every NPC, item, room and faction
 * a quest or an NPC template names exists; a collect objective asks for something a player can
 * hold that many of. docs/content.md ("Quests", "Factions and reputation") states the same rules.
 */
import type { FactionDef, ItemTemplate, QuestDef, ReputationChange } from "../mud/types";
import type { ContentError } from "./content-error";
import { indexById, type Located } from "./references";

/** What the quest and faction files of a pack parse to, each value with where it came from. */
export interface ParsedQuestContent {
  quests: Located<QuestDef>[];
  factions: Located<FactionDef>[];
}

const list = (names: Iterable<string>) => [...names].map((n) => `"${n}"`).join(", ") || "none";

export function checkQuestReferences(
  pack: ParsedQuestContent & {
    zones: Located<{ rooms: { id: string }[] }>[];
    items: Located<ItemTemplate>[];
    npcs: Located<{ id: string; faction?: string; reputationOnKill?: ReputationChange[] }>[];
  },
): ContentError[] {
  const errors: ContentError[] = [];
  const add = (file: string, path: string, message: string) => errors.push({ file, path, message });

  const quests = indexById("quest", pack.quests, add);
  const factions = indexById("faction", pack.factions, add);
  const npcs = new Set(pack.npcs.map((n) => n.value.id));
  const items = new Map(pack.items.map((i) => [i.value.id, i.value]));
  const rooms = new Set(pack.zones.flatMap((z) => z.value.rooms.map((r) => r.id)));

  const faction = (file: string, path: string, id: string) => {
    if (!factions.has(id)) {
      add(
        file,
        path,
        `no faction "${id}" (factions: ${list(factions.keys())}): fix the id or add the faction to factions.json`,
      );
    }
  };
  const npc = (file: string, path: string, id: string) => {
    if (!npcs.has(id)) add(file, path, `no NPC template "${id}": fix the id or add it to npcs.json`);
  };
  const item = (file: string, path: string, id: string) => {
    if (!items.has(id)) add(file, path, `no item template "${id}": fix the id or add it to items.json`);
  };

  for (const entry of pack.npcs) {
    const { faction: own, reputationOnKill } = entry.value;
    if (own !== undefined) faction(entry.file, `${entry.path}.faction`, own);
    reputationOnKill?.forEach((change, i) => {
      faction(entry.file, `${entry.path}.reputationOnKill.${i}.faction`, change.faction);
    });
  }

  for (const { file, path, value: quest } of quests.values()) {
    if (quest.giver !== undefined) npc(file, `${path}.giver`, quest.giver);
    quest.steps.forEach((step, i) => {
      const at = `${path}.steps.${i}.objective`;
      const objective = step.objective;
      switch (objective.kind) {
        case "kill":
        case "talk":
          npc(file, `${at}.npc`, objective.npc);
          break;
        case "reach":
          if (!rooms.has(objective.room)) {
            add(file, `${at}.room`, `no room "${objective.room}" in this pack: fix the room id`);
          }
          break;
        case "collect": {
          const template = items.get(objective.item);
          if (!template) item(file, `${at}.item`, objective.item);
          else if (template.type === "container") {
            // Collected items are taken when the step completes; a bag would take its contents with it.
            add(
              file,
              `${at}.item`,
              `"${objective.item}" is a container, and collected items are handed over: collect something else (a container's contents would go with it)`,
            );
          } else if (template.unique && objective.count > 1) {
            add(
              file,
              `${at}.count`,
              `"${objective.item}" is unique, so a player holds at most one: make count 1, or make the item not unique`,
            );
          }
          break;
        }
      }
    });
    quest.rewards.items?.forEach((id, i) => {
      item(file, `${path}.rewards.items.${i}`, id);
    });
    quest.rewards.reputation?.forEach((change, i) => {
      faction(file, `${path}.rewards.reputation.${i}.faction`, change.faction);
    });
  }
  return errors;
}
