/**
 * Quests (docs/content.md, "Quests"): a player's progress through a quest's steps, each with one
 * objective (kill, collect, reach, talk), and the rewards of the last step. Progress lives on the
 * player (`MudPlayer.quests`), so it is saved with the world and travels with the character.
 *
 * A step whose objective already holds when it becomes current (the player stands in the room, or
 * already carries the items) completes at once. A collect step counts the items the player carries
 * in its pack (not worn, not inside a bag) whenever it picks one up or is given one, and hands
 * `count` of them over when it completes. Pure: everything changes in place through the context.
 */
import { t } from "../i18n/translate";
import { adjustReputation } from "./factions";
import { holdsTemplate, inventoryOf } from "./items";
import { gainXp, type QuestContext } from "./rewards";
import type { QuestDef, QuestObjective } from "./types";
import { type MudPlayer, spawnItem } from "./world";

export type { QuestContext } from "./rewards";

/** Something a player did that a quest step may be waiting for. */
export type QuestEvent =
  | { kind: "kill"; npc: string }
  | { kind: "collect"; item: string }
  | { kind: "reach"; room: string }
  | { kind: "talk"; npc: string };

/** How many a step's objective needs: kills and items are counted, a place or a talk happens once. */
export const objectiveCount = (objective: QuestObjective): number =>
  objective.kind === "kill" || objective.kind === "collect" ? objective.count : 1;

/** The items of `templateId` in the player's pack: what a collect step counts and hands over. */
const carried = (ctx: QuestContext, player: MudPlayer, templateId: string) =>
  inventoryOf(ctx.world.items, player.id).filter((item) => item.templateId === templateId);

/** The quest's current step, or undefined when the player has not started it or has finished it. */
function current(ctx: QuestContext, player: MudPlayer, questId: string) {
  const state = player.quests?.[questId];
  const quest = ctx.content.quests[questId];
  // A builder may have cut the quest shorter since (docs/admin.md, "Content"): a player past its new
  // end stands at its last step rather than stuck with no step at all.
  const step = state && !state.done ? quest?.steps[Math.min(state.step, quest.steps.length - 1)] : undefined;
  return quest && state && step ? { quest, state, step } : undefined;
}

/**
 * Gives `player` the quest `questId` at its first step and tells it so. Nothing happens for a quest
 * the zone's content does not have, or one the player has already started or finished.
 */
export function startQuest(ctx: QuestContext, player: MudPlayer, questId: string): void {
  const quest = ctx.content.quests[questId];
  if (!quest || player.quests?.[questId]) return;
  player.quests = { ...player.quests, [questId]: { step: 0, progress: 0 } };
  ctx.out.tell(player.id, "quest", t("quest.start", { quest: quest.name, description: quest.description }), {
    quest: quest.id,
    name: quest.name,
    started: true,
  });
  enterStep(ctx, player, quest);
}

/**
 * Completes the current step of `questId`: a collect step hands its items over, the next step
 * begins, and after the last the quest is done and its rewards are given. Nothing happens for a
 * quest the player has not started or has finished.
 */
export function advanceQuest(ctx: QuestContext, player: MudPlayer, questId: string): void {
  const at = current(ctx, player, questId);
  if (!at) return;
  const { quest, state, step } = at;
  if (step.objective.kind === "collect") handOver(ctx, player, step.objective.item, step.objective.count);
  const next = state.step + 1;
  if (next < quest.steps.length) {
    player.quests = { ...player.quests, [questId]: { step: next, progress: 0 } };
    enterStep(ctx, player, quest);
    return;
  }
  player.quests = { ...player.quests, [questId]: { step: state.step, progress: state.progress, done: true } };
  ctx.out.tell(player.id, "quest", t("quest.complete", { quest: quest.name }), {
    quest: quest.id,
    name: quest.name,
    done: true,
  });
  reward(ctx, player, quest);
}

/**
 * Counts `event` toward every active quest of `player` whose current step waits for it: a kill
 * adds one, a collect recounts the pack, a reach or a talk completes the step. A step whose count
 * is reached completes (advanceQuest); one still short tells the player its progress.
 */
export function noteObjective(ctx: QuestContext, player: MudPlayer, event: QuestEvent): void {
  for (const questId of Object.keys(player.quests ?? {})) {
    const at = current(ctx, player, questId);
    if (!at || !matches(at.step.objective, event)) continue;
    const { quest, state, step } = at;
    const need = objectiveCount(step.objective);
    const progress =
      step.objective.kind === "kill"
        ? state.progress + 1
        : step.objective.kind === "collect"
          ? carried(ctx, player, step.objective.item).length
          : need;
    if (progress >= need) {
      advanceQuest(ctx, player, questId);
      continue;
    }
    if (progress === state.progress) continue;
    player.quests = { ...player.quests, [questId]: { step: state.step, progress } };
    ctx.out.tell(
      player.id,
      "quest",
      t("quest.progress", { quest: quest.name, step: step.text, progress, count: need }),
      { quest: quest.id, step: step.id, progress, count: need },
    );
  }
}

function matches(objective: QuestObjective, event: QuestEvent): boolean {
  switch (objective.kind) {
    case "kill":
    case "talk":
      return event.kind === objective.kind && event.npc === objective.npc;
    case "collect":
      return event.kind === "collect" && event.item === objective.item;
    case "reach":
      return event.kind === "reach" && event.room === objective.room;
  }
}

/** A step became current: tell the player, then complete it at once if it already holds. */
function enterStep(ctx: QuestContext, player: MudPlayer, quest: QuestDef): void {
  const at = current(ctx, player, quest.id);
  if (!at) return;
  const { step } = at;
  ctx.out.tell(player.id, "quest", t("quest.step", { quest: quest.name, step: step.text }), {
    quest: quest.id,
    step: step.id,
  });
  const objective = step.objective;
  if (objective.kind === "reach" && player.roomId === objective.room) advanceQuest(ctx, player, quest.id);
  else if (objective.kind === "collect" && carried(ctx, player, objective.item).length > 0) {
    noteObjective(ctx, player, { kind: "collect", item: objective.item });
  }
}

/** `count` items of `templateId` leave the player's pack (and the world) for the quest. */
function handOver(ctx: QuestContext, player: MudPlayer, templateId: string, count: number): void {
  const given = carried(ctx, player, templateId).slice(0, count);
  if (!given.length) return;
  const items = { ...ctx.world.items };
  for (const item of given) delete items[item.id];
  ctx.world.items = items;
  ctx.markCritical();
  const name = ctx.content.items[templateId]?.name ?? templateId;
  const text = given.length === 1 ? name : `${given.length} × ${name}`;
  ctx.out.tell(player.id, "item", t("quest.handOver", { items: text }), {
    action: "quest",
    item: name,
    count: given.length,
  });
}

/** The quest's rewards: experience, items into the pack (a unique one already held is skipped), standing. */
function reward(ctx: QuestContext, player: MudPlayer, quest: QuestDef): void {
  const { xp, items = [], reputation = [] } = quest.rewards;
  if (xp) gainXp(ctx, player, xp);
  for (const templateId of items) {
    const template = ctx.content.items[templateId];
    if (!template) continue;
    if (template.unique && holdsTemplate(ctx.world.items, player.id, templateId)) {
      ctx.out.tell(player.id, "info", t("quest.reward.full", { item: template.name }));
      continue;
    }
    const item = spawnItem(ctx.world, ctx.content, templateId, player.roomId);
    ctx.world.items[item.id] = { ...item, location: { kind: "inventory", ownerId: player.id } };
    ctx.markCritical();
    ctx.out.tell(player.id, "item", t("quest.reward.item", { item: template.name }), {
      action: "reward",
      item: template.name,
      itemId: item.id,
    });
    noteObjective(ctx, player, { kind: "collect", item: templateId });
  }
  for (const change of reputation) adjustReputation(ctx, player, change.faction, change.delta);
}
