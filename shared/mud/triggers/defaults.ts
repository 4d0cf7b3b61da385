/** The built-in trigger conditions and actions, registered on a fresh registry. */
import { registerActions } from "./actions";
import { registerConditions } from "./conditions";
import { registerQuestActions } from "./quest-actions";
import { TriggerRegistry } from "./registry";

/** A new registry with every built-in condition and action; a plugin registers more on it. */
export function builtInTriggers(): TriggerRegistry {
  const registry = new TriggerRegistry();
  registerConditions(registry);
  registerActions(registry);
  registerQuestActions(registry);
  return registry;
}

let shared: TriggerRegistry | undefined;

/**
 * The built-ins, built once and shared: what a zone without plugins runs and what the content
 * schema accepts. Not to be extended in place; a plugin starts from `builtInTriggers()`.
 */
export function defaultTriggers(): TriggerRegistry {
  shared ??= builtInTriggers();
  return shared;
}
