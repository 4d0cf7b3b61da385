/**
 * The schema of an effect as content writes it (an item's `use.effect`, a trigger's `apply-effect`).
 * In a file of its own, importing nothing of the pack, so that schema.ts and the trigger actions
 * (shared/mud/triggers) both use it without an import cycle.
 */
import { z } from "zod";
import { type EffectKind, type EffectTemplate, MODIFIABLE } from "../mud/types";
import { intIn, text } from "./parts";

/** Listed once per kind so that a new kind in shared/mud/types.ts fails to compile here until handled. */
const EFFECT_KIND_SET: Record<EffectKind, true> = { buff: true, debuff: true, dot: true, hot: true };
const EFFECT_KINDS = Object.keys(EFFECT_KIND_SET) as [EffectKind, ...EffectKind[]];

export const EffectTemplateSchema = z
  .strictObject({
    name: text("effect name", 60),
    kind: z.enum(EFFECT_KINDS),
    duration_ticks: intIn(1, 100_000),
    interval_ticks: intIn(1, 100_000),
    magnitude: intIn(1, 10_000),
    stat: z.enum(MODIFIABLE).optional(),
  })
  .superRefine((effect, ctx) => {
    const changesStat = effect.kind === "buff" || effect.kind === "debuff";
    if (changesStat && effect.stat === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["stat"],
        message: `a ${effect.kind} changes a stat: add "stat" (one of ${MODIFIABLE.join(", ")})`,
      });
    }
    if (!changesStat && effect.stat !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["stat"],
        message: `a ${effect.kind} changes hit points, not a stat: remove "stat" or make the kind buff or debuff`,
      });
    }
    if (effect.interval_ticks > effect.duration_ticks) {
      ctx.addIssue({
        code: "custom",
        path: ["interval_ticks"],
        message: `interval_ticks (${effect.interval_ticks}) is longer than duration_ticks (${effect.duration_ticks}), so the effect would never fire: make it at most ${effect.duration_ticks}`,
      });
    }
  }) satisfies z.ZodType<EffectTemplate>;
