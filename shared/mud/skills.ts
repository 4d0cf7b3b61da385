/**
 * The MUD's presentation of the rulebook's skills (shared/rules/skills.ts): what each skill shape
 * does in a room, told in text. `cast <skill> [target]` (shared/mud/cast.ts) checks and charges the
 * rulebook's mana and cooldown, then runs the shape here; a content pack's skill of a known shape
 * needs nothing new here.
 */

import { t } from "../i18n/translate";
import type { SkillRule, SkillShape } from "../rules/skills";
import {
  livingNpcsIn,
  npcCandidates,
  npcStats,
  npcTemplate,
  npcText,
  onlinePlayersIn,
  playerStats,
  sentence,
} from "./actors";
import { resolveAttack } from "./combat";
import type { CommandContext } from "./commands/registry";
import { applyEffect } from "./effects";
import { hurtNpc, weaponOf } from "./fight";
import { resolveOne } from "./target";

/** Carries out one skill; returns false when it did not happen (nothing is spent then). */
export type MudCast = (ctx: CommandContext, target: string, skill: SkillRule) => boolean;

/** Who a single-target skill is aimed at: the creature named, or the one being fought here. */
function chosenNpc(ctx: CommandContext, target: string) {
  const here = npcCandidates(ctx.world, ctx.content, ctx.player.roomId);
  const chosen = target
    ? resolveOne(target, here)
    : ctx.player.targetId && ctx.world.npcs[ctx.player.targetId]?.roomId === ctx.player.roomId
      ? { ok: true as const, value: { npc: ctx.world.npcs[ctx.player.targetId] } }
      : undefined;
  if (!chosen?.ok || !chosen.value.npc) {
    ctx.out.tell(ctx.player.id, "info", chosen && !chosen.ok ? chosen.error.message : t("skill.atWhom"));
    return undefined;
  }
  return chosen.value.npc;
}

/** The word a skill's lines use for it: the last word of its name ("Magic Missile": "missile"). */
const noun = (skill: SkillRule) => (skill.name.split(" ").at(-1) ?? skill.name).toLowerCase();

/** One enemy, named or fought, struck by a spell of `mud.damage` plus half the caster's int. */
const bolt: MudCast = (ctx, target, skill) => {
  const npc = chosenNpc(ctx, target);
  if (!npc) return false;
  const result = resolveAttack(
    playerStats(ctx.world, ctx.content, ctx.player),
    npcStats(npcTemplate(ctx.content, npc), npc),
    skill.mud,
    ctx.rng,
    "spell",
  );
  const name = npcText(ctx.content, npc);
  ctx.player.targetId ??= npc.id;
  if (!result.hit) {
    ctx.out.tell(ctx.player.id, "combat", t("skill.bolt.miss", { skill: noun(skill), target: name }), {
      skill: skill.id,
      hit: false,
    });
    return true;
  }
  ctx.out.tell(
    ctx.player.id,
    "combat",
    t("skill.bolt.hit", { skill: noun(skill), target: name, damage: result.damage }),
    {
      skill: skill.id,
      hit: true,
      damage: result.damage,
    },
  );
  const seen = t("skill.bolt.room", { actor: ctx.player.name, skill: noun(skill), target: name });
  ctx.out.room(ctx.player.roomId, "combat", seen, [ctx.player.id]);
  hurtNpc(ctx, npc, result.damage, ctx.player);
  return true;
};

/** Every living creature in the room, each rolled separately. */
const burst: MudCast = (ctx, _target, skill) => {
  const targets = livingNpcsIn(ctx.world, ctx.player.roomId);
  if (!targets.length) {
    ctx.out.tell(ctx.player.id, "info", t("skill.nothingToStrike"));
    return false;
  }
  ctx.out.room(ctx.player.roomId, "combat", t("skill.burst.room", { actor: ctx.player.name }), [], {
    skill: skill.id,
  });
  const stats = playerStats(ctx.world, ctx.content, ctx.player);
  for (const npc of targets) {
    const result = resolveAttack(stats, npcStats(npcTemplate(ctx.content, npc), npc), skill.mud, ctx.rng, "spell");
    if (!result.hit) continue;
    const hit = t("skill.burst.hit", { skill: noun(skill), target: npcText(ctx.content, npc), damage: result.damage });
    ctx.out.tell(ctx.player.id, "combat", hit, { skill: skill.id, damage: result.damage });
    hurtNpc(ctx, npc, result.damage, ctx.player);
  }
  return true;
};

/** The caster, or a player in the room, gets the skill's healing effect. */
const mend: MudCast = (ctx, target, skill) => {
  const effect = skill.mud.effect;
  if (!effect) return false;
  const others = onlinePlayersIn(ctx.world, ctx.player.roomId);
  const chosen = target ? resolveOne(target, others) : { ok: true as const, value: ctx.player };
  if (!chosen.ok) {
    ctx.out.tell(ctx.player.id, "info", chosen.error.message);
    return false;
  }
  const who = chosen.value;
  who.effects = applyEffect(who.effects, effect, ctx.player.id, ctx.tick).effects;
  const self = who.id === ctx.player.id;
  // The caster reads "you" for itself; the room never reads a name twice ("Merlin's light wraps Merlin").
  const told = self ? t("skill.mend.self") : t("skill.mend.caster", { target: who.name });
  ctx.out.tell(ctx.player.id, "effect_start", told, {
    skill: skill.id,
    target: who.name,
  });
  if (!self) ctx.out.tell(who.id, "effect_start", t("skill.mend.target", { actor: ctx.player.name }));
  const seen = self
    ? t("skill.mend.roomSelf", { target: who.name })
    : t("skill.mend.room", { actor: ctx.player.name, target: who.name });
  ctx.out.room(ctx.player.roomId, "emote", seen, [ctx.player.id, who.id], { skill: skill.id, target: who.name });
  return true;
};

/**
 * A melee sweep with the wielded weapon: the creature named or fought first, then others in the
 * room in id order, up to `mud.maxTargets`; each is rolled like a swing.
 */
const cleave: MudCast = (ctx, target, skill) => {
  const fought = ctx.player.targetId ? ctx.world.npcs[ctx.player.targetId] : undefined;
  const engaged = fought?.roomId === ctx.player.roomId && fought.respawnAtTick === null ? fought : undefined;
  const first = target ? chosenNpc(ctx, target) : (engaged ?? livingNpcsIn(ctx.world, ctx.player.roomId)[0]);
  if (!first) {
    if (!target) ctx.out.tell(ctx.player.id, "info", t("skill.nothingToStrike"));
    return false;
  }
  const others = livingNpcsIn(ctx.world, ctx.player.roomId)
    .filter((n) => n.id !== first.id)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const victims = [first, ...others].slice(0, Math.max(1, skill.mud.maxTargets ?? 1));
  const stats = playerStats(ctx.world, ctx.content, ctx.player);
  const weapon = weaponOf(ctx, ctx.player);
  ctx.player.targetId ??= first.id;
  ctx.out.room(
    ctx.player.roomId,
    "combat",
    t("skill.cleave.room", { actor: ctx.player.name, skill: noun(skill) }),
    [],
    {
      skill: skill.id,
    },
  );
  for (const npc of victims) {
    const result = resolveAttack(stats, npcStats(npcTemplate(ctx.content, npc), npc), weapon, ctx.rng, "melee");
    const name = npcText(ctx.content, npc);
    if (!result.hit) {
      ctx.out.tell(ctx.player.id, "combat", t("skill.cleave.miss", { skill: noun(skill), target: name }), {
        skill: skill.id,
        hit: false,
      });
      continue;
    }
    const hit = t("skill.cleave.hit", { skill: noun(skill), target: name, damage: result.damage });
    ctx.out.tell(ctx.player.id, "combat", hit, {
      skill: skill.id,
      hit: true,
      damage: result.damage,
    });
    hurtNpc(ctx, npc, result.damage, ctx.player);
  }
  return true;
};

/** Each shape's MUD presentation. */
export const MUD_SHAPES: Readonly<Record<SkillShape, MudCast>> = { bolt, burst, mend, cleave };

export const skillLine = (s: SkillRule) => `${s.name} (${s.manaCost} mp): ${sentence(s.description)}`;
