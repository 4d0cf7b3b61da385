/**
 * What a player earns and the context the rules that grant it run in: experience through the
 * rulebook's `applyXp` (level-ups included), shared by kills (fight.ts) and quest rewards
 * (quests.ts), and `QuestContext`, which both a command's and a fight's context satisfy.
 */
import { t } from "../i18n/translate";
import { applyXp } from "../rules/stats";
import type { Outbox } from "./events";
import { equippedTemplates } from "./items";
import type { MudPlayer, MudWorld, ZoneContent } from "./world";

/** What quest and reputation rules read and change: the tick's working world, and its outbox. */
export interface QuestContext {
  world: MudWorld;
  content: ZoneContent;
  out: Outbox;
  tick: number;
  /** Items moved or a level was reached: the tick is committed before its events are sent. */
  markCritical(): void;
}

/**
 * `amount` experience for `player`: its level, experience and pools as the rulebook gives them
 * (each level reached refills its pools, counting its gear), told to it, and each level reached
 * told to it and its room. Critical when a level is reached (docs/architecture.md, rule 8).
 */
export function gainXp(
  ctx: Pick<QuestContext, "world" | "content" | "out"> & { markCritical?(): void },
  player: MudPlayer,
  amount: number,
): void {
  const gear = { equipped: equippedTemplates(ctx.world.items, ctx.content.items, player.id), effects: player.effects };
  const gained = applyXp(player, amount, gear);
  Object.assign(player, { level: gained.state.level, xp: gained.state.xp, hp: gained.state.hp, mp: gained.state.mp });
  ctx.out.tell(player.id, "info", t("reward.xp", { amount }), { xp: amount });
  if (gained.levelUps.length) ctx.markCritical?.();
  for (const level of gained.levelUps) {
    ctx.out.tell(player.id, "level_up", t("reward.level.self", { level }), { level });
    ctx.out.room(player.roomId, "level_up", t("reward.level.room", { name: player.name, level }), [player.id], {
      level,
    });
  }
}
