/**
 * Starting a realm with plugins (docs/plugins.md): each plugin's `setup` runs once, in the order
 * given, against registration points that check what it adds and refuse names already taken; the
 * result holds the registries a zone runs with, the defaults first and then the plugins' additions
 * in that same order, so every zone (and every replay) builds the same registries.
 */

import { type NpcBehaviour, NpcBehaviours } from "../mud/behaviours";
import { defaultCommands } from "../mud/commands";
import type { CommandDefinition } from "../mud/commands/registry";
import { mudKind } from "../mud/engine";
import { builtInTriggers, defaultTriggers, type TriggerRegistry } from "../mud/triggers";
import type { EffectTemplate, NpcTemplate } from "../mud/types";
import { registerSkill, resolveSkill, type SkillRule } from "../rules/skills";
import type { ZoneKind } from "../zone/engine";
import { defaultZoneKinds, type ZoneKinds } from "../zone/registry";
import { type Plugin, PluginError, type PluginRealm, type RegistryName } from "./api";
import { checkBehaviour, checkCommand, checkEffect, checkSkill, checkTriggerStep, checkZoneKind } from "./checks";

/** The registries of a started realm. */
export interface Realm {
  /** The plugins it runs, in load order. */
  readonly plugins: readonly string[];
  /** Which registries each plugin touched (its manifest must declare them). */
  readonly touched: ReadonlyMap<string, ReadonlySet<RegistryName>>;
  /** A fresh MUD command registry: the built-in commands, then the plugins'. */
  commands(): ReturnType<typeof defaultCommands>;
  readonly behaviours: NpcBehaviours;
  /** The named effect templates plugins registered. */
  effect(id: string): EffectTemplate | undefined;
  /** The skills plugins added to the rulebook. */
  readonly skills: readonly SkillRule[];
  /** The zone kinds: field, MUD (with the plugins' commands and behaviours), then the plugins' kinds. */
  zoneKinds(): ZoneKinds;
  /** The trigger conditions and actions: the built-ins, then the plugins'. */
  readonly triggers: TriggerRegistry;
  /** NPC templates naming a behaviour this realm does not know, with the fix. */
  checkBehaviours(npcs: readonly NpcTemplate[]): string[];
}

/**
 * Skills live in the rulebook's one table per isolate (shared/rules/skills.ts), shared by every zone
 * kind; a realm started again in the same isolate (tests, a second zone kind list) finds its
 * plugin's skills already there and keeps them, rather than refusing its own skill as a duplicate.
 */
const skillOwners = new Map<string, string>();

/** Runs each plugin's setup and returns the registries; throws the first `PluginError`. */
export function startRealm(plugins: readonly Plugin[]): Realm {
  const probe = defaultCommands();
  const commands: CommandDefinition[] = [];
  const behaviours = new NpcBehaviours();
  const effects = new Map<string, EffectTemplate>();
  const skills: { rule: SkillRule; plugin: string }[] = [];
  const kinds: ZoneKind[] = [];
  const kindNames = new Set(defaultZoneKinds().names().concat("chat"));
  const touched = new Map<string, Set<RegistryName>>();
  // The built-in conditions and actions, then the plugins' (the shared built-in registry is never extended).
  const triggers = builtInTriggers();
  let extendsTriggers = false;
  const onTriggers = (plugin: string, register: () => void) => {
    try {
      register();
    } catch (cause) {
      throw new PluginError(plugin, "duplicate", (cause as Error).message, { cause });
    }
    extendsTriggers = true;
  };
  const loaded: string[] = [];

  for (const plugin of plugins) {
    if (loaded.includes(plugin.name)) {
      throw new PluginError(plugin.name, "duplicate", "is loaded twice: list it once");
    }
    const uses = new Set<RegistryName>();
    touched.set(plugin.name, uses);
    let open = true;
    // Every registration goes through here: refused once setup has returned.
    const gate = (registry: RegistryName) => {
      if (!open) {
        throw new PluginError(
          plugin.name,
          "closed",
          `registered on ${registry} after the realm started: register in setup`,
        );
      }
      uses.add(registry);
    };
    const realm: PluginRealm = {
      commands: {
        register(definition) {
          gate("commands");
          checkCommand(plugin.name, definition);
          try {
            probe.register(definition);
          } catch (cause) {
            throw new PluginError(plugin.name, "duplicate", `command ${definition.name}: ${(cause as Error).message}`, {
              cause,
            });
          }
          commands.push(definition);
        },
      },
      skills: {
        register(rule) {
          gate("skills");
          checkSkill(plugin.name, rule);
          const mine = skillOwners.get(rule.id) === plugin.name;
          for (const word of [rule.id, ...rule.aliases]) {
            const taken =
              resolveSkill(word) ?? skills.find((s) => s.rule.id === word || s.rule.aliases.includes(word))?.rule;
            if (taken && !(mine && taken.id === rule.id)) {
              throw new PluginError(plugin.name, "duplicate", `skill word "${word}" already names skill ${taken.id}`);
            }
          }
          skills.push({ rule, plugin: plugin.name });
        },
      },
      effects: {
        register(id, template) {
          gate("effects");
          const checked = checkEffect(plugin.name, id, template);
          if (effects.has(id)) throw new PluginError(plugin.name, "duplicate", `effect ${id} is already registered`);
          effects.set(id, checked);
        },
        get: (id) => effects.get(id),
      },
      npcBehaviours: {
        register(behaviour: NpcBehaviour) {
          gate("npcBehaviours");
          checkBehaviour(plugin.name, behaviour);
          if (behaviours.get(behaviour.name)) {
            throw new PluginError(plugin.name, "duplicate", `NPC behaviour ${behaviour.name} is already registered`);
          }
          behaviours.register(behaviour);
        },
      },
      zoneKinds: {
        register(kind) {
          gate("zoneKinds");
          checkZoneKind(plugin.name, kind);
          if (kindNames.has(kind.name)) {
            throw new PluginError(plugin.name, "duplicate", `zone kind ${kind.name} is already registered`);
          }
          kindNames.add(kind.name);
          kinds.push(kind);
        },
      },
      triggers: {
        condition(definition) {
          gate("triggers");
          checkTriggerStep(plugin.name, "condition", definition);
          onTriggers(plugin.name, () => triggers.condition(definition));
        },
        action(definition) {
          gate("triggers");
          checkTriggerStep(plugin.name, "action", definition);
          onTriggers(plugin.name, () => triggers.action(definition));
        },
      },
    };
    try {
      const returned: unknown = plugin.setup(realm);
      if (returned instanceof Promise) {
        throw new PluginError(plugin.name, "setup_failed", "setup returned a promise: it must be synchronous (no I/O)");
      }
    } catch (cause) {
      if (cause instanceof PluginError) throw cause;
      throw new PluginError(plugin.name, "setup_failed", `setup threw: ${(cause as Error)?.message ?? cause}`, {
        cause,
      });
    } finally {
      open = false;
    }
    loaded.push(plugin.name);
  }

  // Only now, with every plugin accepted, do skills enter the rulebook: a refused realm adds none.
  for (const { rule, plugin } of skills) {
    if (skillOwners.get(rule.id) === plugin) continue;
    registerSkill(rule);
    skillOwners.set(rule.id, plugin);
  }

  const frozenCommands = Object.freeze([...commands]);
  const realmTriggers = extendsTriggers ? triggers : defaultTriggers();
  const mud = mudKind({ commands: () => defaultCommands(frozenCommands), behaviours, triggers: realmTriggers });
  return {
    plugins: Object.freeze([...loaded]),
    touched,
    commands: () => defaultCommands(frozenCommands),
    behaviours,
    effect: (id) => effects.get(id),
    skills: Object.freeze(skills.map((s) => s.rule)),
    triggers: realmTriggers,
    zoneKinds: () => defaultZoneKinds({ mud, kinds }),
    checkBehaviours: (npcs) =>
      npcs.flatMap((npc) =>
        npc.behaviour === undefined || behaviours.get(npc.behaviour)
          ? []
          : [
              `NPC ${npc.id} names behaviour "${npc.behaviour}", which no enabled plugin registers` +
                ` (known: ${behaviours.names().join(", ") || "none"}): enable its plugin or remove the field`,
            ],
      ),
  };
}
