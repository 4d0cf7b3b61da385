/**
 * The trigger actions that move quests and reputation, through the quest and faction modules
 * (shared/mud/quests.ts, shared/mud/factions.ts), so a trigger's quest step rewards and reports
 * exactly as a kill or a conversation does.
 */
import { z } from "zod";
import { slug } from "../../content/parts";
import { adjustReputation } from "../factions";
import { advanceQuest, startQuest } from "../quests";
import { questContext } from "./quest-hooks";
import type { TriggerRegistry } from "./registry";

export function registerQuestActions(registry: TriggerRegistry): void {
  registry
    .action({
      type: "start-quest",
      summary: "the player starts this quest (nothing if it already has)",
      fields: { quest: slug("quest id") },
      whileEmpty: false,
      needsPlayer: true,
      run(run, { quest }) {
        if (run.player) startQuest(questContext(run), run.player, quest);
      },
    })
    .action({
      type: "advance-quest",
      summary: "the player's current step of this quest is done (the last one rewards)",
      fields: { quest: slug("quest id") },
      whileEmpty: false,
      needsPlayer: true,
      run(run, { quest }) {
        if (run.player) advanceQuest(questContext(run), run.player, quest);
      },
    })
    .action({
      type: "adjust-reputation",
      summary: "the player's standing with this faction moves by `delta`",
      fields: { faction: slug("faction id"), delta: z.number().int().min(-10_000).max(10_000) },
      whileEmpty: false,
      needsPlayer: true,
      run(run, { faction, delta }) {
        if (run.player) adjustReputation(questContext(run), run.player, faction, delta);
      },
    });
}
