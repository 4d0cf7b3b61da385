/** Creating a field zone's state, and players entering and leaving it. */
export type { Entrant } from "./character";

import { type Entrant, fieldPlayer } from "./character";
import { enemyTemplate } from "./content";
import { spawnEnemy } from "./enemy";
import { clampToBounds } from "./geometry";
import type { FieldSettings, FieldState, Vec } from "./types";
import { ENEMY_RADIUS, PLAYER_RADIUS } from "./types";
import type { FieldZoneDefinition } from "./zones";

/** The zone as its definition describes it: settings, walls, and its enemies at home. */
export function createField(
  definition: FieldZoneDefinition,
  settings: FieldSettings = definition.settings,
): FieldState {
  let state: FieldState = {
    zoneId: definition.id,
    tick: 0,
    settings,
    obstacles: definition.obstacles.map((o) => ({ ...o })),
    spawn: clampToBounds(definition.spawn, PLAYER_RADIUS, settings.width, settings.height),
    players: {},
    enemies: {},
    missiles: {},
    respawns: [],
    nextId: 1,
  };
  // Settings a GM changed may make the map smaller than the definition's: enemies start inside it, like the spawn.
  for (const { template, at } of definition.enemies) {
    state = addEnemy(state, template, clampToBounds(at, ENEMY_RADIUS, settings.width, settings.height), true).state;
  }
  return state;
}

/** Adds one enemy of `template` at `at`; `resident` ones come back after they die. */
export function addEnemy(
  state: FieldState,
  template: string,
  at: Vec,
  resident = false,
): { state: FieldState; id: string | null } {
  const definition = enemyTemplate(template);
  if (!definition) return { state, id: null };
  const id = `e${state.nextId}`;
  const enemy = { ...spawnEnemy(id, definition, at), ...(resident ? { resident: true } : {}) };
  return { state: { ...state, nextId: state.nextId + 1, enemies: { ...state.enemies, [id]: enemy } }, id };
}

/**
 * A player enters at `at`, the zone's spawn point unless told (or comes back to its body if still
 * present), as the character rulebook derives it (shared/field/character.ts).
 */
export function joinField(state: FieldState, entrant: Entrant, at: Vec = state.spawn): FieldState {
  if (state.players[entrant.id]) return state;
  return { ...state, players: { ...state.players, [entrant.id]: fieldPlayer(entrant, at) } };
}

export function leaveField(state: FieldState, playerId: string): FieldState {
  if (!state.players[playerId]) return state;
  const { [playerId]: _gone, ...players } = state.players;
  return { ...state, players };
}
