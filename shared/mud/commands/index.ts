/** The realm's built-in commands; a content pack or plugin may register more on the same registry. */
import { registerCharacterCommands } from "./character";
import { registerCombatCommands } from "./combat";
import { registerItemCommands } from "./items";
import { CommandRegistry } from "./registry";
import { registerWorldCommands } from "./world";

export function defaultCommands(): CommandRegistry {
  const registry = new CommandRegistry();
  registerWorldCommands(registry);
  registerCharacterCommands(registry);
  registerItemCommands(registry);
  registerCombatCommands(registry);
  return registry;
}
