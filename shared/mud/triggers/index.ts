/**
 * Triggers: what content makes happen when players act in a room or a zone (docs/content.md,
 * "Triggers"), as data run by the pure core. The registry of conditions and actions is extended by
 * plugins (docs/architecture.md, rule 10); `fireTriggers` is called by movement, the dispatcher's
 * room verbs, the tick's timers, NPC deaths and `use`.
 */
export { setExitState } from "./actions";
export { holds } from "./conditions";
export { builtInTriggers, defaultTriggers } from "./defaults";
export {
  type Fired,
  fireTimers,
  fireTriggers,
  isRoomVerb,
  mattersWhileEmpty,
  nextTimerTick,
  type PlacedTrigger,
  triggersOf,
} from "./fire";
export {
  type ActionDef,
  type ConditionDef,
  MAX_TRIGGER_DEPTH,
  type TriggerContext,
  type TriggerEvent,
  TriggerRegistry,
  type TriggerRun,
} from "./registry";
export { TriggerOnSchema, triggersSchema } from "./schema";
