/**
 * `dance`: an emote with a reward. The room sees the dancer, and the dancer gains the festive
 * effect (renewed, not stacked, by dancing again). Nobody dances mid-fight.
 */
import type { CommandDefinition } from "../../mud/commands/registry";
import { applyEffect } from "../../mud/effects";
import type { EffectTemplate } from "../../mud/types";
import { FESTIVAL_SOURCE } from "./festive";

/** The command, given the festive template it applies (looked up through the realm's effects). */
export function danceCommand(festive: EffectTemplate): CommandDefinition {
  return {
    name: "dance",
    usage: "dance",
    help: "Dance beneath the festival lanterns; it lifts your spirits for a while.",
    run(ctx) {
      const { player } = ctx;
      if (player.targetId) return ctx.out.tell(player.id, "info", "You are too busy fighting to dance.");
      player.effects = applyEffect(player.effects, festive, FESTIVAL_SOURCE, ctx.tick).effects;
      ctx.out.tell(player.id, "effect_start", `You dance beneath the lanterns. ${festive.name} takes hold.`, {
        name: festive.name,
        kind: festive.kind,
        duration_ticks: festive.duration_ticks,
      });
      ctx.out.room(player.roomId, "emote", `${player.name} dances beneath the lanterns.`, [player.id], {
        from: player.name,
      });
    },
  };
}
