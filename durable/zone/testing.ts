/**
 * Test helpers for zone objects run inside workerd (`runInDurableObject`): the engine a zone runs,
 * checked to be of the kind the test expects.
 */
import { FieldEngine } from "../../shared/field/engine";
import { MudEngine } from "../../shared/mud/engine";
import type { ZoneDurableObject } from "./zone";

/** The MUD engine of a world zone (throws for a zone of another kind). */
export function mudOf(zone: ZoneDurableObject): MudEngine {
  const { engine } = zone.host;
  if (!(engine instanceof MudEngine)) throw new Error(`${zone.host.zoneId} runs a ${engine.kind} engine, not a MUD`);
  return engine;
}

/** The field engine of a field zone (throws for a zone of another kind). */
export function fieldOf(zone: ZoneDurableObject): FieldEngine {
  const { engine } = zone.host;
  if (!(engine instanceof FieldEngine))
    throw new Error(`${zone.host.zoneId} runs a ${engine.kind} engine, not a field`);
  return engine;
}
