/** The realm's built-in commands; a content pack or plugin may register more on the same registry. */
import { registerCharacterCommands } from "./character";
import { registerCombatCommands } from "./combat";
import { registerGmCommands } from "./gm";
import { registerItemCommands } from "./items";
import { registerQuestCommands } from "./quests";
import { type CommandDefinition, CommandRegistry } from "./registry";
import { registerWorldCommands } from "./world";

/**
 * The built-in commands, then `extra` (the enabled plugins' commands, docs/plugins.md) in the order
 * given: the same order every time, since it decides what an abbreviation finds.
 */
export function defaultCommands(extra: readonly CommandDefinition[] = []): CommandRegistry {
  const registry = new CommandRegistry();
  registerWorldCommands(registry);
  registerCharacterCommands(registry);
  registerItemCommands(registry);
  registerCombatCommands(registry);
  registerQuestCommands(registry);
  // Last of the built-ins: GM commands are found by exact name only (registry.ts), so they take
  // no abbreviation from anyone.
  registerGmCommands(registry);
  for (const definition of extra) registry.register(definition);
  return registry;
}
