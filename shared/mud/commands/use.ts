/**
 * Commands that fire triggers (docs/content.md, "Triggers"): `use <item>` and a room's own verbs
 * (`pull lever`), which the dispatcher finds through `findCommand` (world.ts).
 */
import { itemCandidates, itemName } from "../actors";
import { equipmentOf, inventoryOf } from "../items";
import { resolveOne } from "../target";
import { fireTriggers, type TriggerContext } from "../triggers";
import type { CommandContext, CommandDefinition, CommandRegistry } from "./registry";

/** A command's context as triggers see it: the same tick, world, outbox and hand-off. */
export function triggerContextOf(ctx: CommandContext): TriggerContext {
  return {
    world: ctx.world,
    content: ctx.content,
    rng: ctx.rng,
    tick: ctx.tick,
    out: ctx.out,
    markCritical: () => ctx.markCritical(),
    depart: (to, playerId) => ctx.depart(to, playerId),
    ...(ctx.triggers ? { triggers: ctx.triggers } : {}),
  };
}

/**
 * A room verb: `word` is a command trigger's word where the player stands. Its triggers whose
 * `args` match fire; a word with no matching `args` is "not here", and one whose triggers all held
 * back (conditions, `once`, cooldown) answers "Nothing happens.", so the player is never left
 * without a reply.
 */
export const roomVerb = (word: string): CommandDefinition => ({
  name: word,
  usage: `${word} …`,
  help: "Something you can do in this room.",
  run(ctx, args) {
    const { player } = ctx;
    const fired = fireTriggers(triggerContextOf(ctx), {
      event: "command",
      player,
      room: player.roomId,
      word,
      args,
    });
    if (fired.matched === 0) ctx.out.tell(player.id, "info", `You can't ${word} ${args || "that"} here.`);
    else if (fired.fired === 0) ctx.out.tell(player.id, "info", "Nothing happens.");
  },
});

export function registerUseCommand(registry: CommandRegistry): void {
  registry.register({
    name: "use",
    usage: "use <item>",
    help: "Use something you carry or wear: what it does here depends on the place. A potion is drunk, as with `drink`.",
    run(ctx, args) {
      const { player } = ctx;
      if (!args) return ctx.out.tell(player.id, "info", "What do you want to use?");
      const held = [...inventoryOf(ctx.world.items, player.id), ...equipmentOf(ctx.world.items, player.id)];
      const found = resolveOne(args, itemCandidates(ctx.content, held));
      if (!found.ok) return ctx.out.tell(player.id, "info", "You aren't carrying that.");
      const item = found.value.item;
      const fired = fireTriggers(triggerContextOf(ctx), {
        event: "item-used",
        player,
        room: player.roomId,
        item: item.templateId,
      });
      // A potion is drunk whether or not the room answered; `drink` says everything about it.
      const potion = ctx.content.items[item.templateId]?.use !== undefined && ctx.world.items[item.id] !== undefined;
      if (potion) return registry.exact("drink")?.run(ctx, args);
      if (fired.fired === 0)
        ctx.out.tell(player.id, "info", `Nothing happens when you use ${itemName(ctx.content, item)} here.`);
    },
  });
}
