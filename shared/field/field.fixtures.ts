/**
 * Shared fixtures for the field-zone tests: small zone definitions, players and enemies placed by
 * hand through the real `createField` / `joinField` / `addEnemy`, and a tick runner over `stepField`.
 */
import { createRng, type Rng } from "../sim/rng";
import type { Entrant } from "./character";
import { addEnemy, createField, joinField } from "./field";
import { type FieldCommand, stepField } from "./step";
import type { FieldEnemy, FieldEvent, FieldPlayer, FieldSettings, FieldState, Rect, Vec } from "./types";
import { DEFAULT_FIELD_SETTINGS, type FieldZoneDefinition } from "./zones";

export const HZ = DEFAULT_FIELD_SETTINGS.tickHz;

/** An open zone (no walls, no enemies) unless told otherwise. */
export function zone(
  over: {
    settings?: Partial<FieldSettings>;
    obstacles?: Rect[];
    spawn?: Vec;
    enemies?: FieldZoneDefinition["enemies"];
  } = {},
): FieldZoneDefinition {
  return {
    id: "test-zone",
    name: "Test Zone",
    settings: { ...DEFAULT_FIELD_SETTINGS, width: 2000, height: 2000, ...over.settings },
    obstacles: over.obstacles ?? [],
    spawn: over.spawn ?? { x: 100, y: 100 },
    enemies: over.enemies ?? [],
    gm: true,
  };
}

export const world = (over: Parameters<typeof zone>[0] = {}): FieldState => createField(zone(over));

/** A level-1 character of `classId` with every attribute 10, as the rulebook admits it. */
export const entrant = (id: string, classId = "mage", over: Partial<Entrant> = {}): Entrant => ({
  id,
  name: id,
  classId,
  attributes: { str: 10, dex: 10, int: 10, vit: 10 },
  level: 1,
  xp: 0,
  hp: 1000,
  mp: 1000,
  ...over,
});

/**
 * Adds a Mage (int 10, level 1: power 5) standing at `at`, with round pools of 100 hp and 100 mp
 * written over the rulebook's (a level-up derives them again), then `extra` (pools, cooldowns, a
 * death…). `classId` in `extra` joins a player of that class instead, with its skills.
 */
export function withPlayer(state: FieldState, id: string, at: Vec, extra: Partial<FieldPlayer> = {}): FieldState {
  const joined = joinField(state, entrant(id, extra.classId ?? "mage"));
  const p = joined.players[id] as FieldPlayer;
  const pools = { hp: 100, maxHp: 100, mp: 100, maxMp: 100 };
  return { ...joined, players: { ...joined.players, [id]: { ...p, ...pools, pos: { ...at }, ...extra } } };
}

/** Adds an enemy of `template` at `at` and returns the state with its id. */
export function withEnemy(
  state: FieldState,
  template: string,
  at: Vec,
  opts: { resident?: boolean; extra?: Partial<FieldEnemy> } = {},
): { state: FieldState; id: string } {
  const added = addEnemy(state, template, at, opts.resident ?? false);
  if (!added.id) throw new Error(`no enemy template ${template}`);
  const e = added.state.enemies[added.id] as FieldEnemy;
  return {
    state: { ...added.state, enemies: { ...added.state.enemies, [added.id]: { ...e, ...opts.extra } } },
    id: added.id,
  };
}

export const player = (state: FieldState, id: string): FieldPlayer => {
  const p = state.players[id];
  if (!p) throw new Error(`no player ${id}`);
  return p;
};

export type TickEvent = FieldEvent & { tick: number };

/** Runs `ticks` ticks after `state.tick`, feeding `commands(tick, state)` to each. */
export function run(
  state: FieldState,
  ticks: number,
  commands: (tick: number, state: FieldState) => FieldCommand[] = () => [],
  rng: Rng = createRng(1),
): { state: FieldState; events: TickEvent[] } {
  const events: TickEvent[] = [];
  let s = state;
  for (let i = 0; i < ticks; i++) {
    const tick = s.tick + 1;
    const out = stepField(s, commands(tick, s), { tick, rng });
    s = out.state;
    for (const e of out.events) events.push({ ...e, tick });
  }
  return { state: s, events };
}

/** Runs one tick with these commands. */
export const tickWith = (state: FieldState, commands: FieldCommand[]) => run(state, 1, () => commands);

/** Every number in `value`, nested, for "no NaN anywhere" checks. */
export function numbersIn(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (value && typeof value === "object") for (const v of Object.values(value)) numbersIn(v, out);
  return out;
}
