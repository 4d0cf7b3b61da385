/** The character sheet and active effects: stats (sheet), effects (status). */

import { VISIBLE_KEYS, visibleStats, xpForLevel } from "../../rules/stats";
import { playerStats } from "../actors";
import type { CommandRegistry } from "./registry";

export function registerCharacterCommands(registry: CommandRegistry): void {
  registry.register({
    name: "stats",
    aliases: ["sheet", "score"],
    usage: "stats",
    help: "Show your level, experience, health, mana and attributes.",
    run(ctx) {
      const p = ctx.player;
      const sheet = visibleStats(p, playerStats(ctx.world, ctx.content, p));
      const lines = [
        `${p.name}, level ${sheet.level} ${p.classId}`,
        `HP ${sheet.hp}/${sheet.max_hp}  MP ${sheet.mp}/${sheet.max_mp}  XP ${sheet.xp} (next level at ${xpForLevel(sheet.level + 1)})`,
        `STR ${sheet.str}  DEX ${sheet.dex}  INT ${sheet.int}  VIT ${sheet.vit}  ATK ${sheet.attack}  DEF ${sheet.defense}`,
      ];
      const payload = Object.fromEntries(VISIBLE_KEYS.map((k) => [k, sheet[k]]));
      ctx.out.tell(p.id, "stats", lines.join("\n"), { ...payload, class: p.classId, name: p.name });
    },
  });
  registry.register({
    name: "effects",
    aliases: ["status", "affects"],
    usage: "effects",
    help: "List the effects on you and how long they last.",
    run(ctx) {
      const effects = ctx.player.effects.map((e) => ({
        name: e.name,
        kind: e.kind,
        remaining_ticks: e.remaining_ticks,
      }));
      const text = effects.length
        ? effects.map((e) => `${e.name} (${e.kind}), ${e.remaining_ticks} ticks left`).join("\n")
        : "No effects are on you.";
      ctx.out.tell(ctx.player.id, "effects", text, { effects });
    },
  });
}
