/**
 * Schemas of quests (`quests.json`) and factions (`factions.json`), and the reputation and
 * dialogue fields NPC templates gain from them: zod mirrors of shared/mud/types.ts with the limits
 * docs/content.md ("Quests", "Factions and reputation") explains. In a file of their own so that
 * schema.ts stays readable; schema.ts re-exports them and reads the files.
 */
import { z } from "zod";
import { type FactionDef, type QuestDef, REPUTATION_LIMIT } from "../mud/types";
import { intIn, slug, text } from "./parts";

/** A change of standing with one faction (quest rewards, NPC kills). */
export const ReputationChangeSchema = z.strictObject({
  faction: slug("faction id"),
  delta: intIn(-REPUTATION_LIMIT, REPUTATION_LIMIT).refine((d) => d !== 0, {
    error: "delta is 0, which changes nothing: use a positive or negative whole number, or remove the entry",
  }),
});

const line = (what: string) => text(what, 500);

/** What `talk` says by the player's standing; at least one line. */
export const DialogueSchema = z
  .strictObject({
    hostile: line("hostile line").optional(),
    neutral: line("neutral line").optional(),
    friendly: line("friendly line").optional(),
  })
  .refine((d) => d.hostile !== undefined || d.neutral !== undefined || d.friendly !== undefined, {
    error: 'dialogue has no lines: add "neutral" (and optionally "hostile", "friendly"), or remove it',
  });

/** What a quest step asks for; `kind` picks the shape. */
export const QuestObjectiveSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("kill"), npc: slug("NPC template id"), count: intIn(1, 1000) }),
  z.strictObject({ kind: z.literal("collect"), item: slug("item template id"), count: intIn(1, 100) }),
  z.strictObject({ kind: z.literal("reach"), room: slug("room id") }),
  z.strictObject({ kind: z.literal("talk"), npc: slug("NPC template id") }),
]);

export const QuestStepSchema = z.strictObject({
  id: slug("step id"),
  text: text("step text", 500),
  objective: QuestObjectiveSchema,
});

export const QuestRewardsSchema = z.strictObject({
  xp: intIn(0, 1_000_000).optional(),
  items: z.array(slug("item template id")).max(20).optional(),
  reputation: z.array(ReputationChangeSchema).max(8).optional(),
});

export const QuestSchema = z
  .strictObject({
    id: slug("quest id"),
    name: text("quest name", 60),
    description: text("quest description", 2000),
    giver: slug("NPC template id").optional(),
    level: intIn(1, 100).optional(),
    steps: z
      .array(QuestStepSchema)
      .min(1, 'a quest needs at least one step: add { "id": "…", "text": "…", "objective": { … } }')
      .max(20, "a quest has at most 20 steps: split it into two quests"),
    rewards: QuestRewardsSchema,
  })
  .superRefine((quest, ctx) => {
    const seen = new Set<string>();
    quest.steps.forEach((step, i) => {
      if (seen.has(step.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "id"],
          message: `step id "${step.id}" is used twice in this quest: rename one`,
        });
      }
      seen.add(step.id);
    });
  }) satisfies z.ZodType<QuestDef>;

const standing = intIn(-REPUTATION_LIMIT, REPUTATION_LIMIT);

export const FactionSchema = z
  .strictObject({
    id: slug("faction id"),
    name: text("faction name", 60),
    description: text("faction description", 2000),
    start: standing.optional(),
    hostileBelow: standing,
    friendlyAt: standing,
  })
  .refine((f) => f.friendlyAt > f.hostileBelow, {
    error:
      "friendlyAt must be above hostileBelow (between them a player is neutral): raise friendlyAt or lower hostileBelow",
    path: ["friendlyAt"],
  }) satisfies z.ZodType<FactionDef>;

export const QuestsFileSchema = z.strictObject({ quests: z.array(QuestSchema) });
export const FactionsFileSchema = z.strictObject({ factions: z.array(FactionSchema) });
