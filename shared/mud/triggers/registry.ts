/**
 * The registry of trigger conditions and actions (docs/architecture.md, rule 10): each has a name
 * (`type` in content), the zod fields of its JSON and a pure function. The built-ins are registered
 * by `defaultTriggers` (index.ts); a plugin registers more on the same registry, and the content
 * schema is built from the registry (schema.ts), so a condition or action exists exactly when the
 * validator accepts it. docs/content.md, "Triggers", documents the built-ins.
 */
import { z } from "zod";
import type { Rng } from "../../sim/rng";
import type { Destination } from "../../world/traveller";
import type { Outbox } from "../events";
import type { TriggerDef, TriggerStep } from "../types";
import type { MudNpc, MudPlayer, MudWorld, ZoneContent } from "../world";

/** Chained events (a teleport's `enter`) deeper than this fire no triggers: no trigger loops forever. */
export const MAX_TRIGGER_DEPTH = 3;

/** What firing triggers needs: the tick's working world and its outputs. */
export interface TriggerContext {
  world: MudWorld;
  content: ZoneContent;
  rng: Rng;
  tick: number;
  out: Outbox;
  /** Items moved, NPCs or players changed: the tick is committed before its events are sent. */
  markCritical?(): void;
  /**
   * Hands a player over to another zone after the tick (a command's context has it, with the same
   * meaning); absent where no hand-off can start (an idle zone).
   */
  depart?(to: Destination, playerId?: string): void;
  /** The conditions and actions content may name; the built-ins when absent. */
  triggers?: TriggerRegistry;
  /** How many events deep this firing is (0 for a player's own act). */
  depth?: number;
}

/** What happened: the event a trigger's `on` is matched against. */
export type TriggerEvent =
  | { event: "enter"; player: MudPlayer; room: string }
  | { event: "exit"; player: MudPlayer; room: string; exit: string }
  | { event: "command"; player: MudPlayer; room: string; word: string; args: string }
  | { event: "timer" }
  | { event: "npc-death"; npc: MudNpc; killer?: MudPlayer; room: string }
  | { event: "item-used"; player: MudPlayer; room: string; item: string };

/** What a condition or action sees while its trigger fires. */
export interface TriggerRun extends TriggerContext {
  trigger: TriggerDef;
  event: TriggerEvent;
  /** The online player the event is about; absent for timers. */
  player?: MudPlayer;
  /** The room the event happened in (a room trigger: its room); absent for a zone's timer. */
  here?: string;
  /** Fires the triggers of an event an action caused, one level deeper. */
  chain(event: TriggerEvent): void;
}

/** A fields object as content writes it, without its `type`. */
type Fields = Record<string, z.ZodType>;

export interface ConditionDef<F extends Fields = Fields> {
  type: string;
  /** One line for `help`-like listings and error messages. */
  summary: string;
  fields: F;
  /** It draws from the tick's RNG: an idle zone must run it on its tick (shared/mud/idle.ts). */
  draws?: boolean;
  /** It is about the event's player: false without one, and a timer may not use it. */
  needsPlayer?: boolean;
  /** It reads `room`, defaulting to the event's room: a zone's timer must name one. */
  usesRoom?: boolean | ((step: TriggerStep) => boolean);
  test(run: TriggerRun, args: z.output<z.ZodObject<F>>): boolean;
}

export interface ActionDef<F extends Fields = Fields> {
  type: string;
  summary: string;
  fields: F;
  /**
   * It changes the world with nobody online (NPCs, exits). An idle zone runs a timer only when one
   * of its actions does, one of its conditions draws, or it keeps `once`/cooldown state.
   */
  whileEmpty: boolean;
  needsPlayer?: boolean;
  /** It reads `room`, defaulting to the event's room (for some of its forms, when a function says so). */
  usesRoom?: boolean | ((step: TriggerStep) => boolean);
  run(run: TriggerRun, args: z.output<z.ZodObject<F>>): void;
}

/** Conditions and actions by name. */
export class TriggerRegistry {
  private readonly conditionsByType = new Map<string, ConditionDef>();
  private readonly actionsByType = new Map<string, ActionDef>();

  condition<F extends Fields>(definition: ConditionDef<F>): this {
    if (this.conditionsByType.has(definition.type)) {
      throw new Error(`trigger condition "${definition.type}" is registered twice`);
    }
    this.conditionsByType.set(definition.type, definition as unknown as ConditionDef);
    return this;
  }

  action<F extends Fields>(definition: ActionDef<F>): this {
    if (this.actionsByType.has(definition.type)) {
      throw new Error(`trigger action "${definition.type}" is registered twice`);
    }
    this.actionsByType.set(definition.type, definition as unknown as ActionDef);
    return this;
  }

  conditions(): readonly ConditionDef[] {
    return [...this.conditionsByType.values()];
  }

  actions(): readonly ActionDef[] {
    return [...this.actionsByType.values()];
  }

  conditionOf(step: TriggerStep): ConditionDef | undefined {
    return this.conditionsByType.get(step.type);
  }

  actionOf(step: TriggerStep): ActionDef | undefined {
    return this.actionsByType.get(step.type);
  }

  /** The JSON of one condition, discriminated on `type`. */
  conditionSchema(): z.ZodType<TriggerStep> {
    return stepSchema("condition", this.conditions());
  }

  /** The JSON of one action, discriminated on `type`. */
  actionSchema(): z.ZodType<TriggerStep> {
    return stepSchema("action", this.actions());
  }
}

function stepSchema(what: string, defs: readonly { type: string; fields: Fields }[]): z.ZodType<TriggerStep> {
  const names = defs.map((d) => `"${d.type}"`).join(", ");
  const options = defs.map((d) => z.strictObject({ type: z.literal(d.type), ...d.fields }));
  if (options.length === 0) return z.never({ error: `no trigger ${what}s are registered` });
  return z.discriminatedUnion(
    "type",
    options as unknown as [
      z.ZodObject<{ type: z.ZodLiteral<string> }>,
      ...z.ZodObject<{ type: z.ZodLiteral<string> }>[],
    ],
    {
      error: (issue) =>
        issue.code === "invalid_union"
          ? `"type" must name ${what === "action" ? "an" : "a"} ${what}: one of ${names}`
          : undefined,
    },
  ) as unknown as z.ZodType<TriggerStep>;
}

const fieldSchemas = new WeakMap<object, z.ZodType>();

/**
 * Reads a step's own fields with its definition's schema (defaults filled in); undefined when they
 * do not parse (content validated against another registry). The schema is built once per definition.
 */
export function argsOf<F extends Fields>(
  definition: { fields: F },
  step: TriggerStep,
): z.output<z.ZodObject<F>> | undefined {
  let schema = fieldSchemas.get(definition);
  if (!schema) {
    schema = z.strictObject(definition.fields);
    fieldSchemas.set(definition, schema);
  }
  const { type: _type, ...rest } = step;
  const parsed = schema.safeParse(rest);
  return parsed.success ? (parsed.data as z.output<z.ZodObject<F>>) : undefined;
}
