/**
 * The content schema of triggers (docs/content.md, "Triggers"), built from a trigger registry so
 * that what the validator accepts is exactly what the registry can run. shared/content/schema.ts
 * uses it with the built-ins for rooms' and zones' `triggers`; the cross-file checks (ids that
 * exist, words that clash) are in shared/content/references.ts.
 */
import { z } from "zod";
import { intIn, slug } from "../../content/parts";
import type { TriggerStep } from "../types";
import type { TriggerRegistry } from "./registry";

/** What players type as a room verb: one lower-case word. */
const verb = z
  .string()
  .max(24, "a command word is at most 24 characters: shorten it")
  .regex(/^[a-z]+$/, 'a command word is one lower-case word players type, e.g. "pull"');

const exitName = z.string().min(1).max(32);
const room = slug("room id").optional();

const timer = z
  .strictObject({
    event: z.literal("timer"),
    everyTicks: intIn(1, 1_000_000),
    offsetTicks: intIn(0, 999_999).optional(),
  })
  .refine((t) => (t.offsetTicks ?? 0) < t.everyTicks, {
    error: "offsetTicks must be below everyTicks: it is where in each period the timer fires",
    path: ["offsetTicks"],
  });

const EVENTS = '"enter", "exit", "command", "timer", "npc-death" or "item-used"';

/** A trigger's `on`: discriminated on `event`. */
export const TriggerOnSchema = z.discriminatedUnion(
  "event",
  [
    z.strictObject({ event: z.literal("enter"), room }),
    z.strictObject({ event: z.literal("exit"), room, exit: exitName.optional() }),
    z.strictObject({
      event: z.literal("command"),
      word: verb,
      args: z.string().trim().min(1).max(100).optional(),
      room,
    }),
    timer,
    z.strictObject({ event: z.literal("npc-death"), npc: slug("NPC template id"), room }),
    z.strictObject({ event: z.literal("item-used"), item: slug("item template id"), room }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? `"event" must be ${EVENTS}` : undefined) },
);

/** Whether a step needs a room it did not name (it then reads the event's room). */
const needsRoom = (usesRoom: boolean | ((step: TriggerStep) => boolean) | undefined, step: TriggerStep) =>
  step.room === undefined && (typeof usesRoom === "function" ? usesRoom(step) : usesRoom === true);

/**
 * The schema of a `triggers` list: of a room (`level: "room"`: they fire in that room, so `on`
 * names no room) or of a zone.
 */
export function triggersSchema(registry: TriggerRegistry, level: "room" | "zone") {
  const trigger = z
    .strictObject({
      id: slug("trigger id"),
      on: TriggerOnSchema,
      if: z.array(registry.conditionSchema()).max(20).optional(),
      do: z
        .array(registry.actionSchema())
        .min(1, 'a trigger does something: add an action to "do", e.g. { "type": "message", "text": "…" }')
        .max(20),
      once: z.enum(["ever", "per-player"]).optional(),
      cooldownTicks: intIn(1, 1_000_000).optional(),
    })
    .superRefine((t, ctx) => {
      const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
      if (level === "room" && "room" in t.on && t.on.room !== undefined) {
        issue(
          ["on", "room"],
          `a room's trigger fires in its own room: remove "room" (only a zone's trigger names one)`,
        );
      }
      if (t.on.event !== "timer") return;
      if (t.once === "per-player") {
        issue(["once"], 'a timer has no player: use "once": "ever", or an event a player causes');
      }
      const steps = [
        ...(t.if ?? []).map((step, i) => ({ step, path: ["if", i], def: registry.conditionOf(step) })),
        ...t.do.map((step, i) => ({ step, path: ["do", i], def: registry.actionOf(step) })),
      ];
      for (const { step, path, def } of steps) {
        if (def?.needsPlayer) {
          issue(
            [...path, "type"],
            `a timer has no player, so "${step.type}" would never act: remove it or use an event a player causes`,
          );
        } else if (level === "zone" && needsRoom(def?.usesRoom, step)) {
          issue([...path], `a zone's timer happens in no room: add "room" to this "${step.type}"`);
        }
      }
    });
  return z.array(trigger).max(50);
}
