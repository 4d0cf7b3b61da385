/**
 * Where triggers meet quests and factions (shared/mud/quests.ts, shared/mud/factions.ts): the
 * player's progress and standing, read through the quest and faction modules' own rules.
 */
import { reputationOf } from "../factions";
import { noteObjective, type QuestContext } from "../quests";
import type { MudPlayer, QuestProgress, ZoneContent } from "../world";
import type { TriggerContext } from "./registry";

/** The player's progress in `questId`; undefined before it started. */
export const playerQuest = (player: MudPlayer, questId: string): QuestProgress | undefined => player.quests?.[questId];

/** The player's standing with `factionId` (the faction's start until it earned any). */
export const reputationAt = (player: MudPlayer, factionId: string, content: ZoneContent): number =>
  reputationOf(player, factionId, content);

/** A trigger's context as the quest rules see it: critical changes reach the tick through it. */
export const questContext = (ctx: TriggerContext): QuestContext => ({
  world: ctx.world,
  content: ctx.content,
  out: ctx.out,
  tick: ctx.tick,
  markCritical: () => ctx.markCritical?.(),
});

/** Items a trigger gave, or a room it moved the player to, count for quests as picking up or walking do. */
export function noteForQuests(
  ctx: TriggerContext,
  player: MudPlayer,
  event: { kind: "collect"; item: string } | { kind: "reach"; room: string },
): void {
  noteObjective(questContext(ctx), player, event);
}
