/**
 * Quests and standing at the keyboard: talk (greet) to an NPC, quests (journal) and reputation
 * (standing). The rules are in shared/mud/quests.ts and shared/mud/factions.ts; docs/content.md
 * ("Quests", "Factions and reputation") says what content authors control.
 */
import { t } from "../../i18n/translate";
import { npcCandidates, npcTemplate } from "../actors";
import { reputationOf, standingWith, standingWord } from "../factions";
import { noteObjective, objectiveCount, startQuest } from "../quests";
import { resolveOne } from "../target";
import type { CommandContext, CommandRegistry } from "./registry";

/** Talking to an NPC: its line for the player's standing, a quest it gives, and talk objectives. */
function talk(ctx: CommandContext, args: string) {
  const { player, out } = ctx;
  if (!args) return out.tell(player.id, "info", t("talk.what"));
  const found = resolveOne(args, npcCandidates(ctx.world, ctx.content, player.roomId));
  if (!found.ok) return out.tell(player.id, "info", found.error.message);
  const template = npcTemplate(ctx.content, found.value.npc);
  const standing = standingWith(player, template, ctx.content);
  const line = template.dialogue?.[standing] ?? template.dialogue?.neutral;
  const npc = template.name.charAt(0).toUpperCase() + template.name.slice(1);
  out.room(player.roomId, "say", t("talk.room", { actor: player.name, npc: template.name }), [player.id]);
  // A line with quotation marks of its own is narration, shown as written; one without is speech.
  const heard = line?.includes('"') ? t("talk.narrates", { line }) : line ? t("talk.says", { npc, line }) : undefined;
  if (line && heard) out.tell(player.id, "say", heard, { from: template.name, text: line, standing });
  else out.tell(player.id, "info", t("talk.nothing", { npc }), { from: template.name, standing });
  // Counted before a quest is given, so a quest's own "talk to the giver" step needs a second talk.
  noteObjective(ctx, player, { kind: "talk", npc: template.id });
  // A hostile faction gives no work; one not yet started whose level the player meets is given.
  if (standing === "hostile") return;
  const offered = Object.values(ctx.content.quests).filter((q) => q.giver === template.id && !player.quests?.[q.id]);
  const fits = (quest: (typeof offered)[number]) => quest.level === undefined || player.level >= quest.level;
  for (const quest of offered.filter(fits)) startQuest(ctx, player, quest.id);
  // Work for later is mentioned only when there is none for now, so a first task is not drowned out.
  if (offered.some(fits)) return;
  for (const quest of offered) {
    out.tell(player.id, "info", t("quest.tooLow", { npc, level: quest.level ?? 0 }), { quest: quest.id });
  }
}

/** The journal: each active quest with its current step (and count), then the completed ones. */
function journal(ctx: CommandContext) {
  const { player, content } = ctx;
  const active: { quest: string; name: string; step: string; progress?: number; count?: number }[] = [];
  const done: { quest: string; name: string }[] = [];
  for (const [id, state] of Object.entries(player.quests ?? {})) {
    const quest = content.quests[id];
    // A quest this zone's pack does not know (taken in another pack's zone) is kept but not shown.
    if (!quest) continue;
    if (state.done) {
      done.push({ quest: id, name: quest.name });
      continue;
    }
    const step = quest.steps[Math.min(state.step, quest.steps.length - 1)];
    if (!step) continue;
    const count = objectiveCount(step.objective);
    active.push({
      quest: id,
      name: quest.name,
      step: step.text,
      ...(count > 1 ? { progress: state.progress, count } : {}),
    });
  }
  if (!active.length && !done.length) {
    return ctx.out.tell(player.id, "quest", t("quest.journal.none"), { active, done });
  }
  const lines = [
    ...(active.length ? [t("quest.journal.active")] : []),
    ...active.map((q) =>
      q.count === undefined
        ? t("quest.journal.entry", { quest: q.name, step: q.step })
        : t("quest.journal.entryCount", { quest: q.name, step: q.step, progress: q.progress ?? 0, count: q.count }),
    ),
    ...(done.length ? [t("quest.journal.done", { quests: done.map((q) => q.name).join(", ") })] : []),
  ];
  ctx.out.tell(player.id, "quest", { join: lines, with: "\n" }, { active, done });
}

/** Every faction of the pack with the player's standing number and word. */
function standings(ctx: CommandContext) {
  const factions = Object.values(ctx.content.factions).map((faction) => {
    const standing = reputationOf(ctx.player, faction.id, ctx.content);
    return { faction: faction.id, name: faction.name, standing, word: standingWord(faction, standing) };
  });
  if (!factions.length) return ctx.out.tell(ctx.player.id, "reputation", t("faction.none"), { factions });
  const lines = [
    t("faction.header"),
    ...factions.map((f) => t("faction.entry", { faction: f.name, word: t(`faction.${f.word}`), standing: f.standing })),
  ];
  ctx.out.tell(ctx.player.id, "reputation", { join: lines, with: "\n" }, { factions });
}

export function registerQuestCommands(registry: CommandRegistry): void {
  registry.register({
    name: "talk",
    aliases: ["greet", "ask"],
    usage: "talk <creature>",
    help: "Talk to someone in the room: what they say depends on how their faction regards you, and some have work for you.",
    run: talk,
  });
  registry.register({
    name: "quests",
    aliases: ["journal", "quest"],
    usage: "quests",
    help: "List your quests: each one under way with what to do next, and those you have finished.",
    run: (ctx) => journal(ctx),
  });
  registry.register({
    name: "reputation",
    aliases: ["standing", "factions"],
    usage: "reputation",
    help: "List the factions here and how each regards you: hostile, neutral or friendly, and your standing.",
    run: (ctx) => standings(ctx),
  });
}
