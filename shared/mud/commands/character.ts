/** The character sheet and active effects: stats (sheet), effects (status). */

import { joined, t } from "../../i18n/translate";
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
      const text = t("character.sheet", {
        name: p.name,
        level: sheet.level,
        class: p.classId,
        hp: sheet.hp,
        maxHp: sheet.max_hp,
        mp: sheet.mp,
        maxMp: sheet.max_mp,
        xp: sheet.xp,
        next: xpForLevel(sheet.level + 1),
        str: sheet.str,
        dex: sheet.dex,
        int: sheet.int,
        vit: sheet.vit,
        attack: sheet.attack,
        defense: sheet.defense,
      });
      const payload = Object.fromEntries(VISIBLE_KEYS.map((k) => [k, sheet[k]]));
      ctx.out.tell(p.id, "stats", text, { ...payload, class: p.classId, name: p.name });
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
        ? joined(
            effects.map((e) => t("character.effect", { name: e.name, kind: e.kind, ticks: e.remaining_ticks })),
            "\n",
          )
        : t("character.noEffects");
      ctx.out.tell(ctx.player.id, "effects", text, { effects });
    },
  });
}
