/** Fighting and recovering: attack (kill), flee, cast, rest. */
import { t } from "../../i18n/translate";
import { npcCandidates, npcText, playerStats } from "../actors";
import { castCommand } from "../cast";
import { SWING_TICKS } from "../fight";
import { resolveOne } from "../target";
import { openExits } from "../world";
import type { CommandRegistry } from "./registry";
import { move } from "./world";

export function registerCombatCommands(registry: CommandRegistry): void {
  registry.register({
    name: "attack",
    aliases: ["kill", "k", "hit"],
    usage: "attack <creature>",
    help: "Start fighting a creature in the room; you keep swinging every two seconds until it or you falls, or you flee.",
    run(ctx, args) {
      if (!args) return ctx.out.tell(ctx.player.id, "info", t("combat.attack.what"));
      const found = resolveOne(args, npcCandidates(ctx.world, ctx.content, ctx.player.roomId));
      if (!found.ok) return ctx.out.tell(ctx.player.id, "info", found.error.message);
      const { npc } = found.value;
      const name = npcText(ctx.content, npc);
      ctx.player.targetId = npc.id;
      ctx.player.resting = false;
      ctx.player.nextSwingTick = ctx.tick; // the first swing lands this tick
      npc.targetId ??= ctx.player.id;
      ctx.out.tell(ctx.player.id, "combat", t("combat.attack.self", { target: name }), { target: found.value.name });
      ctx.out.room(ctx.player.roomId, "combat", t("combat.attack.room", { actor: ctx.player.name, target: name }), [
        ctx.player.id,
      ]);
    },
  });
  registry.register({
    name: "flee",
    usage: "flee",
    help: "Try to run from a fight through a random exit; it works more often the quicker you are.",
    run(ctx) {
      const fighting =
        ctx.player.targetId !== null ||
        Object.values(ctx.world.npcs).some((n) => n.targetId === ctx.player.id && n.roomId === ctx.player.roomId);
      if (!fighting) return ctx.out.tell(ctx.player.id, "info", t("combat.flee.notFighting"));
      const exits = openExits(ctx.content.rooms[ctx.player.roomId], ctx.world.zoneId, ctx.world);
      const dex = playerStats(ctx.world, ctx.content, ctx.player).dex;
      const chance = Math.min(0.9, 0.5 + dex / 100);
      if (!exits.length || ctx.rng.next() >= chance) {
        ctx.player.nextSwingTick = Math.max(ctx.player.nextSwingTick, ctx.tick + SWING_TICKS / 2);
        return ctx.out.tell(ctx.player.id, "combat", t("combat.flee.failed"));
      }
      const [exit] = exits[ctx.rng.int(0, exits.length - 1)] as [string, string];
      for (const npc of Object.values(ctx.world.npcs)) if (npc.targetId === ctx.player.id) npc.targetId = null;
      ctx.player.targetId = null;
      ctx.out.tell(ctx.player.id, "combat", t("combat.flee.self", { exit }), { exit });
      ctx.out.room(ctx.player.roomId, "combat", t("combat.flee.room", { actor: ctx.player.name, exit }), [
        ctx.player.id,
      ]);
      move(ctx, exit);
    },
  });
  registry.register({
    name: "cast",
    aliases: ["c"],
    usage: "cast <skill> [target]",
    help: "Use a skill or spell you know. `cast` alone lists them.",
    run(ctx, args) {
      castCommand(ctx, args);
    },
  });
  registry.register({
    name: "rest",
    usage: "rest",
    help: "Sit and recover health and mana twice as fast; any action gets you up.",
    run(ctx) {
      if (ctx.player.targetId || Object.values(ctx.world.npcs).some((n) => n.targetId === ctx.player.id)) {
        return ctx.out.tell(ctx.player.id, "info", t("combat.rest.fighting"));
      }
      ctx.player.resting = true;
      ctx.out.tell(ctx.player.id, "info", t("combat.rest.self"));
      ctx.out.room(ctx.player.roomId, "emote", t("combat.rest.room", { actor: ctx.player.name }), [ctx.player.id]);
    },
  });
}
