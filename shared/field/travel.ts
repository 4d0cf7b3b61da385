/**
 * Travel in and out of a field zone (docs/architecture.md, "Travel and hand-off"): a traveller
 * enters at one of the zone's named places (its spawn when the place is unknown), and a living
 * body that walks into an exit region leaves for the exit's `zone-id:place`, reported once until
 * it steps out of the region again or is handed over.
 */
import { type Departure, type Destination, destinationOf } from "../world/traveller";
import { clampToBounds, pointInRect } from "./geometry";
import { type FieldState, isAlive, PLAYER_RADIUS, type Vec } from "./types";
import type { FieldExit, FieldZoneDefinition } from "./zones";

/** Where a traveller to `place` enters: the place, kept on the map as it is now, or the spawn. */
export function placePoint(definition: FieldZoneDefinition, state: FieldState, place: string | undefined): Vec {
  const places = definition.places ?? {};
  const at = place !== undefined && Object.hasOwn(places, place) ? places[place] : undefined;
  if (!at) return { ...state.spawn };
  return clampToBounds(at, PLAYER_RADIUS, state.settings.width, state.settings.height);
}

/** The exit region `pos` lies in, if any (the first one listed). */
export function exitAt(exits: readonly FieldExit[], pos: Vec): FieldExit | undefined {
  return exits.find((exit) => pointInRect(pos, exit));
}

/** Where an exit of `zoneId` leads. */
export const exitDestination = (exit: FieldExit, zoneId: string): Destination => destinationOf(exit.to, zoneId);

/**
 * The players (by player id, the keys of `entities`) whose living bodies stand in an exit region
 * and were not already reported as leaving. `leaving` is updated: a player enters it when reported
 * and leaves it once its body is out of every exit region (or gone).
 */
export function departuresOf(
  definition: FieldZoneDefinition,
  state: FieldState,
  entities: Readonly<Record<string, string>>,
  leaving: Set<string>,
): Departure[] {
  const exits = definition.exits ?? [];
  if (!exits.length && !leaving.size) return [];
  const out: Departure[] = [];
  for (const [playerId, id] of Object.entries(entities)) {
    const body = state.players[id];
    const exit = body && isAlive(body) ? exitAt(exits, body.pos) : undefined;
    if (!exit) {
      leaving.delete(playerId);
      continue;
    }
    if (leaving.has(playerId)) continue;
    leaving.add(playerId);
    out.push({ playerId, to: exitDestination(exit, definition.id) });
  }
  return out;
}
