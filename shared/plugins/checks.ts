/**
 * The shapes a plugin's registrations must have, checked when it registers them (docs/plugins.md):
 * a plugin is code, so TypeScript catches most mistakes, but a realm must still refuse a bad one
 * with a message naming the plugin and the field rather than fail later inside a tick.
 */
import { z } from "zod";
import { EffectTemplateSchema } from "../content/schema";
import type { EffectTemplate } from "../mud/types";
import { PLUGIN_NAME_PATTERN, PluginError } from "./api";

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", `${what} must be a function`);
const word = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "a lower-case word (letters, digits, -), at most 32");
const name = z.string().regex(PLUGIN_NAME_PATTERN, 'lower-case letters, digits and "-", e.g. "skittish"');
const count = z.number().finite().min(0);

const CommandSchema = z.object({
  name: word,
  aliases: z.array(word).optional(),
  usage: z.string().min(1).max(120),
  help: z.string().min(1).max(500),
  run: fn("run"),
});

const SkillSchema = z.object({
  id: name,
  name: z.string().min(1).max(60),
  aliases: z.array(word),
  classes: z.array(name),
  description: z.string().min(1).max(500),
  shape: z.enum(["bolt", "burst", "mend", "cleave"]),
  manaCost: count,
  cooldownMs: count,
  castMs: count,
  range: count,
  scaling: z.enum(["spell", "melee"]),
  amount: count,
  powerFactor: count,
  speed: count.optional(),
  arcDegrees: z.number().min(1).max(360).optional(),
  mud: z.object({
    damage: z
      .object({ min: z.number().int().min(0), max: z.number().int().min(0) })
      .refine((d) => d.min <= d.max, "damage.min must not exceed damage.max")
      .optional(),
    effect: EffectTemplateSchema.optional(),
    maxTargets: z.number().int().min(1).optional(),
  }),
});

const BehaviourSchema = z.object({ name, act: fn("act") });

const TriggerStepSchema = z.object({
  type: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a lower-case word as content writes it, e.g. "fireworks"'),
  summary: z.string().min(1).max(300),
  fields: z.record(
    z.string(),
    z.custom<z.ZodType>((v) => v instanceof z.ZodType, "a zod schema"),
  ),
});
const ConditionSchema = TriggerStepSchema.extend({ test: fn("test") });
const ActionSchema = TriggerStepSchema.extend({ run: fn("run"), whileEmpty: z.boolean() });

const ZoneKindSchema = z.object({
  name,
  stateName: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "lower-case letters, digits and _, e.g. voxel_world"),
  claims: fn("claims"),
  create: fn("create"),
  restore: fn("restore"),
});

/** The first problem zod found, as "field: message". */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return `${path}${issue?.message ?? "invalid"}`;
}

function check<T>(schema: z.ZodType, plugin: string, what: string, value: T): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new PluginError(plugin, "invalid", `bad ${what}: ${firstIssue(result.error)}`);
  return value;
}

export const checkCommand = <T>(plugin: string, value: T) => check(CommandSchema, plugin, "command", value);
export const checkSkill = <T>(plugin: string, value: T) => check(SkillSchema, plugin, "skill", value);
export const checkBehaviour = <T>(plugin: string, value: T) => check(BehaviourSchema, plugin, "NPC behaviour", value);
export const checkTriggerStep = <T>(plugin: string, what: "condition" | "action", value: T) =>
  check(what === "condition" ? ConditionSchema : ActionSchema, plugin, `trigger ${what}`, value);
export const checkZoneKind = <T>(plugin: string, value: T) => check(ZoneKindSchema, plugin, "zone kind", value);

/** A named effect: the id a plugin's name is, the template as content would write it (defaults filled in). */
export function checkEffect(plugin: string, id: string, template: EffectTemplate): EffectTemplate {
  check(name, plugin, "effect id", id);
  const result = EffectTemplateSchema.safeParse(template);
  if (!result.success) throw new PluginError(plugin, "invalid", `bad effect ${id}: ${firstIssue(result.error)}`);
  return Object.freeze(result.data);
}
