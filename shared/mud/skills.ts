/**
 * Spells cast with `cast <skill> [target]`, in a registry a content pack can extend. The Mage's
 * three (from the Arcane Realms roadmap): Magic Missile, Arcane Nova and Heal.
 */
import {
  livingNpcsIn,
  npcCandidates,
  npcName,
  npcStats,
  npcTemplate,
  onlinePlayersIn,
  playerStats,
  sentence,
} from "./actors";
import { resolveAttack } from "./combat";
import type { CommandContext } from "./commands/registry";
import { applyEffect } from "./effects";
import { hurtNpc } from "./fight";
import { resolveOne } from "./target";

export interface SkillDefinition {
  id: string;
  name: string;
  aliases: string[];
  mpCost: number;
  /** Classes that know it. */
  classes: string[];
  description: string;
  /** Returns false when the cast did not happen (no mana is spent then). */
  cast(ctx: CommandContext, target: string): boolean;
}

export const SKILLS: SkillDefinition[] = [
  {
    id: "magic-missile",
    name: "Magic Missile",
    aliases: ["missile", "mm"],
    mpCost: 5,
    classes: ["mage"],
    description: "A bolt of force at one enemy, driven by intelligence.",
    cast(ctx, target) {
      const here = npcCandidates(ctx.world, ctx.content, ctx.player.roomId);
      const chosen = target
        ? resolveOne(target, here)
        : ctx.player.targetId && ctx.world.npcs[ctx.player.targetId]?.roomId === ctx.player.roomId
          ? { ok: true as const, value: { npc: ctx.world.npcs[ctx.player.targetId] } }
          : { ok: false as const, error: { message: "Cast it at whom?" } };
      if (!chosen.ok || !chosen.value.npc) {
        ctx.out.tell(ctx.player.id, "info", chosen.ok ? "Cast it at whom?" : chosen.error.message);
        return false;
      }
      const npc = chosen.value.npc;
      const result = resolveAttack(
        playerStats(ctx.world, ctx.content, ctx.player),
        npcStats(npcTemplate(ctx.content, npc), npc),
        { damage: { min: 3, max: 7 } },
        ctx.rng,
        "spell",
      );
      const name = npcName(ctx.content, npc);
      ctx.player.targetId ??= npc.id;
      if (!result.hit) {
        ctx.out.tell(ctx.player.id, "combat", `Your missile streaks past ${name}.`, {
          skill: "magic-missile",
          hit: false,
        });
        return true;
      }
      ctx.out.tell(ctx.player.id, "combat", `Your missile strikes ${name} for ${result.damage}.`, {
        skill: "magic-missile",
        hit: true,
        damage: result.damage,
      });
      ctx.out.room(ctx.player.roomId, "combat", `${ctx.player.name}'s missile strikes ${name}.`, [ctx.player.id]);
      hurtNpc(ctx, npc, result.damage, ctx.player);
      return true;
    },
  },
  {
    id: "arcane-nova",
    name: "Arcane Nova",
    aliases: ["nova"],
    mpCost: 12,
    classes: ["mage"],
    description: "A ring of force that strikes every enemy in the room.",
    cast(ctx) {
      const targets = livingNpcsIn(ctx.world, ctx.player.roomId);
      if (!targets.length) {
        ctx.out.tell(ctx.player.id, "info", "There is nothing here to strike.");
        return false;
      }
      ctx.out.room(ctx.player.roomId, "combat", `${ctx.player.name} erupts in a ring of arcane force!`, [], {
        skill: "arcane-nova",
      });
      const stats = playerStats(ctx.world, ctx.content, ctx.player);
      for (const npc of targets) {
        const result = resolveAttack(
          stats,
          npcStats(npcTemplate(ctx.content, npc), npc),
          { damage: { min: 2, max: 5 } },
          ctx.rng,
          "spell",
        );
        if (!result.hit) continue;
        ctx.out.tell(ctx.player.id, "combat", `The nova hits ${npcName(ctx.content, npc)} for ${result.damage}.`, {
          skill: "arcane-nova",
          damage: result.damage,
        });
        hurtNpc(ctx, npc, result.damage, ctx.player);
      }
      return true;
    },
  },
  {
    id: "heal",
    name: "Heal",
    aliases: [],
    mpCost: 8,
    classes: ["mage"],
    description: "Mends wounds over a few seconds: yourself, or a player in the room.",
    cast(ctx, target) {
      const others = onlinePlayersIn(ctx.world, ctx.player.roomId);
      const chosen = target ? resolveOne(target, others) : { ok: true as const, value: ctx.player };
      if (!chosen.ok) {
        ctx.out.tell(ctx.player.id, "info", chosen.error.message);
        return false;
      }
      const who = chosen.value;
      const applied = applyEffect(
        who.effects,
        { name: "Heal", kind: "hot", duration_ticks: 30, interval_ticks: 10, magnitude: 6 },
        ctx.player.id,
        ctx.tick,
      );
      who.effects = applied.effects;
      const whom = who.id === ctx.player.id ? "yourself" : who.name;
      ctx.out.tell(ctx.player.id, "effect_start", `Warm light wraps ${whom}.`, { skill: "heal", target: who.name });
      if (who.id !== ctx.player.id) ctx.out.tell(who.id, "effect_start", `${ctx.player.name}'s warm light wraps you.`);
      return true;
    },
  },
];

export function findSkill(word: string): SkillDefinition | undefined {
  const lower = word.toLowerCase();
  return (
    SKILLS.find((s) => s.id === lower || s.aliases.includes(lower) || s.name.toLowerCase() === lower) ??
    SKILLS.find((s) => s.id.startsWith(lower))
  );
}

export const skillLine = (s: SkillDefinition) => `${s.name} (${s.mpCost} mp): ${sentence(s.description)}`;
