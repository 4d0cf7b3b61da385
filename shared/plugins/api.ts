/**
 * The plugin API (docs/plugins.md): a plugin is a name, a version and a `setup` that registers
 * what it adds on the realm's registries (docs/architecture.md, rule 10). `setup` runs once, when
 * the realm starts, synchronously; what it registers afterwards is refused. Everything a plugin
 * registers runs inside the pure core: it gets time and randomness only from the contexts it is
 * handed, and does no I/O.
 */
import type { z } from "zod";
import type { NpcBehaviour } from "../mud/behaviours";
import type { CommandDefinition } from "../mud/commands/registry";
import type { ActionDef, ConditionDef } from "../mud/triggers";
import type { EffectTemplate } from "../mud/types";
import type { SkillRule } from "../rules/skills";
import type { ZoneKind } from "../zone/engine";

/** The registries a plugin may touch; its manifest (`plugin.json`) lists those it does. */
export const REGISTRIES = ["commands", "skills", "effects", "npcBehaviours", "zoneKinds", "triggers"] as const;
export type RegistryName = (typeof REGISTRIES)[number];

/** Plugin and effect names: lower-case words joined by `-`, as content ids are. */
export const PLUGIN_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** `major.minor.patch`, optionally with a pre-release tag (`1.0.0-beta.1`). */
export const PLUGIN_VERSION_PATTERN = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/**
 * Why a plugin was refused:
 * - `invalid`: a bad definition (name, version, a registered command, skill, effect, …);
 * - `duplicate`: a name another plugin or the realm already registered;
 * - `closed`: a registration after the realm started;
 * - `setup_failed`: its `setup` threw or returned a promise;
 * - `manifest`: its `plugin.json` is missing fields or disagrees with what it registers;
 * - `not_installed`: the realm's `PLUGINS` setting names a plugin that is not installed.
 */
export type PluginErrorCode = "invalid" | "duplicate" | "closed" | "setup_failed" | "manifest" | "not_installed";

/** A refused plugin: names the plugin and says what to fix. */
export class PluginError extends Error {
  override name = "PluginError";

  constructor(
    readonly plugin: string,
    readonly code: PluginErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`plugin ${plugin}: ${message}`, options);
  }
}

/** Named effect templates plugins share (content still writes its effects inline, docs/plugins.md). */
export interface EffectsRegistry {
  /** Adds a template under `id`; it must be a valid content effect (docs/content.md). */
  register(id: string, template: EffectTemplate): void;
  /** A template registered by this plugin or one loaded before it. */
  get(id: string): EffectTemplate | undefined;
}

/** The zod fields of a trigger step's content JSON, without its `type`. */
export type TriggerFields = Record<string, z.ZodType>;

/**
 * Conditions and actions for room and zone triggers (docs/content.md, "Triggers"): each names its
 * `type`, the zod fields of its content JSON and a pure function, as the built-ins do
 * (shared/mud/triggers/registry.ts).
 */
export interface TriggersRegistry {
  condition<F extends TriggerFields>(definition: ConditionDef<F>): void;
  action<F extends TriggerFields>(definition: ActionDef<F>): void;
}

/** What `setup` is handed: one registration point per registry. */
export interface PluginRealm {
  /** MUD commands, added after the built-in ones in every MUD zone. */
  readonly commands: { register(definition: CommandDefinition): void };
  /** Skills, for every zone kind (docs/decisions.md, D23). */
  readonly skills: { register(rule: SkillRule): void };
  readonly effects: EffectsRegistry;
  /** NPC behaviours content may name in an NPC's `behaviour` (docs/content.md). */
  readonly npcBehaviours: { register(behaviour: NpcBehaviour): void };
  /** Zone kinds, asked after the built-in field and MUD kinds (docs/architecture.md, "Zones"). */
  readonly zoneKinds: { register(kind: ZoneKind): void };
  readonly triggers: TriggersRegistry;
}

export interface PluginDefinition {
  name: string;
  version: string;
  /** Registers what the plugin adds. Synchronous: no I/O, no timers. */
  setup(realm: PluginRealm): void;
}

/** A checked plugin definition, as `definePlugin` returns it. */
export interface Plugin {
  readonly name: string;
  readonly version: string;
  readonly setup: (realm: PluginRealm) => void;
}

/** Checks a plugin's definition; throws a `PluginError` (`invalid`) that says what to fix. */
export function definePlugin(definition: PluginDefinition): Plugin {
  const name = typeof definition?.name === "string" ? definition.name : "(unnamed)";
  if (!PLUGIN_NAME_PATTERN.test(name)) {
    throw new PluginError(name, "invalid", 'name must be lower-case letters, digits and "-", e.g. "lantern-festival"');
  }
  if (typeof definition.version !== "string" || !PLUGIN_VERSION_PATTERN.test(definition.version)) {
    throw new PluginError(name, "invalid", 'version must be "major.minor.patch", e.g. "1.0.0"');
  }
  if (typeof definition.setup !== "function") {
    throw new PluginError(name, "invalid", "setup must be a function that registers what the plugin adds");
  }
  return Object.freeze({ name, version: definition.version, setup: definition.setup });
}
