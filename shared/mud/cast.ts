/**
 * Casting in the MUD: `cast <skill> [target]` checks the rulebook's rules for the skill (known to
 * the class, mana, cooldown), runs its shape's MUD presentation (shared/mud/skills.ts), and charges
 * mana and starts the cooldown only when the skill took effect, as the field does (docs/decisions.md,
 * D23). The MUD resolves every skill on the tick it is typed: cast times are the field's.
 */
import { joined, t } from "../i18n/translate";
import { findSkill, resolveSkill, type SkillRule, skillsOf } from "../rules/skills";
import type { CommandContext } from "./commands/registry";
import { MUD_SHAPES, skillLine } from "./skills";

/**
 * The tick rate MUD durations are written for (the realm's default), as `SWING_TICKS` and effect
 * durations are: a skill's cooldown in milliseconds becomes this many ticks per second.
 */
export const MUD_TICK_HZ = 10;

/** A cooldown in MUD ticks: whole ticks covering it, at least one for any cooldown at all. */
export const cooldownTicks = (skill: Pick<SkillRule, "cooldownMs">): number =>
  skill.cooldownMs > 0 ? Math.max(1, Math.ceil((skill.cooldownMs * MUD_TICK_HZ) / 1000 - 1e-9)) : 0;

/** The skills a class knows, as rules. */
export const knownSkills = (classId: string): SkillRule[] => skillsOf(classId).flatMap((id) => resolveSkill(id) ?? []);

/** The `cast` command: lists the skills without arguments, else casts one. */
export function castCommand(ctx: CommandContext, args: string): void {
  const known = knownSkills(ctx.player.classId);
  if (!args) {
    const skills = known.length ? joined(known.map(skillLine), "\n") : t("cast.noSpells");
    ctx.out.tell(ctx.player.id, "info", t("cast.what", { skills }), { skills: known.map((s) => s.id) });
    return;
  }
  const [word = "", ...rest] = args.split(" ");
  const skill = findSkill(word);
  if (!skill || !known.includes(skill)) {
    ctx.out.tell(ctx.player.id, "info", t("cast.unknown", { word }));
    return;
  }
  if (ctx.player.mp < skill.manaCost) {
    ctx.out.tell(
      ctx.player.id,
      "info",
      t("cast.noMana", { cost: skill.manaCost, skill: skill.name, mp: ctx.player.mp }),
    );
    return;
  }
  const readyAt = ctx.player.skillReadyAt?.[skill.id] ?? 0;
  if (ctx.tick < readyAt) {
    const seconds = Math.ceil((readyAt - ctx.tick) / MUD_TICK_HZ);
    ctx.out.tell(ctx.player.id, "info", t("cast.notReady", { skill: skill.name, seconds }), {
      skill: skill.id,
      readyInTicks: readyAt - ctx.tick,
    });
    return;
  }
  ctx.player.resting = false;
  if (!MUD_SHAPES[skill.shape](ctx, rest.join(" "), skill)) return;
  ctx.player.mp -= skill.manaCost;
  ctx.player.skillReadyAt = { ...ctx.player.skillReadyAt, [skill.id]: ctx.tick + cooldownTicks(skill) };
}
