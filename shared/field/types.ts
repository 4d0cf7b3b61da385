/**
 * Field zones: continuous 2D space with positions, projectiles and telegraphed attacks, next to
 * the text rooms of shared/mud. Everything here is plain JSON-safe data; time is counted in
 * ticks of the zone (durations given in milliseconds are converted with `ticksFor`).
 */
import type { EffectState, Modifier } from "../mud/types";
import type { Attributes } from "../rules/stats";

export interface Vec {
  x: number;
  y: number;
}

/** An axis-aligned obstacle: blocks movement, projectiles and line of fire. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Per-zone settings a GM may change at run time (`set key=value`). */
export interface FieldSettings {
  width: number;
  height: number;
  /** Simulation rate. */
  tickHz: number;
  /** Snapshot rate, at most the simulation rate. */
  snapshotHz: number;
  /** Clients receive only entities within this distance of their player. */
  viewRadius: number;
  /** Player speed in units per second. */
  playerSpeed: number;
  /**
   * Largest binary snapshot (bytes) a client gets in one round: what does not fit waits for a later
   * round, nearest first and the longest waiting rising (shared/protocol/binary.ts `encodeWithin`).
   */
  snapshotBytes: number;
}

/** A skill's id in the character rulebook (shared/rules/skills.ts): `magic-missile`, `cleave`… */
export type SkillId = string;

/** A cast waiting for its cast time to pass (instant skills never create one). */
export interface PendingCast {
  skill: SkillId;
  /** Tick at which the cast resolves. */
  completesAt: number;
  /** Heal: the player healed. */
  targetId?: string;
}

export interface FieldPlayer {
  id: string;
  name: string;
  pos: Vec;
  /** Normalised held movement direction (length ≤ 1), from the latest applied input. */
  move: Vec;
  /** Where the player aims (absolute point), from the latest input that had one. */
  aim: Vec | null;
  /** The character as the rulebook knows it (shared/rules): class, level, experience, attributes. */
  classId: string;
  level: number;
  /** Total experience; enemies killed here add to it (shared/field/character.ts). */
  xp: number;
  attributes: Attributes;
  /** What the character wears (the items' modifiers): counted in its sheet as in a MUD room. */
  equipped: { modifiers: Modifier[] }[];
  /** Active effects: buffs and debuffs count in the sheet, hots and dots pulse (shared/field/effects.ts). */
  effects: EffectState[];
  hp: number;
  /** Derived by the rulebook from class, attributes, level, equipment and effects. */
  maxHp: number;
  mp: number;
  maxMp: number;
  /** Spell power (the sheet's `spellPower`): added to spells' damage and healing. */
  power: number;
  /** Melee power (the sheet's `meleePower`): added to melee skills' damage. */
  might: number;
  /** The skills the character's class knows, by rulebook id. */
  skills: SkillId[];
  /** Tick from which each of its skills may be cast again. */
  readyAt: Record<SkillId, number>;
  cast: PendingCast | null;
  /** Damage is ignored up to and including this tick (set on respawn). */
  invulnerableUntil: number;
  /** Set while dead: the tick at which the player respawns. */
  respawnAt: number | null;
  /** Highest input `seq` applied by the simulation; every snapshot acknowledges it. */
  lastInputSeq: number;
}

export type EnemyState = "idle" | "pursue" | "windup" | "attack" | "recover" | "return";

/** A melee attack's danger area, broadcast at wind-up so clients can draw it and players dodge. */
export interface Telegraph {
  shape: "circle";
  x: number;
  y: number;
  r: number;
  /** Tick at which the hit lands (the end of the wind-up). */
  hitsAt: number;
}

export interface FieldEnemy {
  id: string;
  template: string;
  name: string;
  pos: Vec;
  home: Vec;
  hp: number;
  maxHp: number;
  state: EnemyState;
  /** Tick at which the current timed state (wind-up, attack, recover) ends. */
  stateUntil: number;
  targetId: string | null;
  telegraph: Telegraph | null;
  /** Placed by the zone definition: comes back a while after it dies (GM spawns do not). */
  resident?: boolean;
}

export interface Missile {
  id: string;
  ownerId: string;
  /** The skill that fired it (its hits name it as their `source`); absent in state saved before skills had one id. */
  source?: SkillId;
  pos: Vec;
  /** Units per tick. */
  vel: Vec;
  damage: number;
  /** Tick after which the missile fizzles (its range is spent). */
  expiresAt: number;
}

export interface FieldState {
  zoneId: string;
  tick: number;
  settings: FieldSettings;
  obstacles: Rect[];
  /** Where players enter and respawn. */
  spawn: Vec;
  players: Record<string, FieldPlayer>;
  enemies: Record<string, FieldEnemy>;
  missiles: Record<string, Missile>;
  /** Resident enemies waiting to come back. */
  respawns: { template: string; at: Vec; dueAt: number }[];
  /** Next number for generated entity ids (enemies, missiles). */
  nextId: number;
}

/** Living players can be targeted and hit; the dead and those waiting to respawn cannot. */
export function isAlive(player: FieldPlayer): boolean {
  return player.respawnAt === null && player.hp > 0;
}

/** Whole ticks covering `ms` at `tickHz` (at least one). */
export function ticksFor(ms: number, tickHz: number): number {
  return Math.max(1, Math.ceil((ms * tickHz) / 1000 - 1e-9));
}

/** Player and enemy bodies are circles of these radii. */
export const PLAYER_RADIUS = 12;
export const ENEMY_RADIUS = 14;
export const MISSILE_RADIUS = 5;

export type CastRefusal =
  | "unknown_skill"
  | "dead"
  | "casting"
  | "cooldown"
  | "mana"
  | "no_target"
  | "out_of_range"
  | "no_line_of_fire";

/**
 * What happened during a tick, for clients to animate and for tests to check. Every event but
 * `refused`, `xp` and `loot` (which go to one player) carries `at`, where it happened: a client hears of
 * it only within its view radius.
 */
export type FieldEvent =
  | { type: "cast"; by: string; skill: SkillId; at: Vec; completesAt?: number }
  | { type: "refused"; to: string; skill: string; reason: CastRefusal; readyInTicks?: number }
  | { type: "hit"; by: string; target: string; amount: number; source: SkillId | "melee"; at: Vec }
  | { type: "immune"; by: string; target: string; at: Vec }
  | { type: "heal"; by: string; target: string; amount: number; at: Vec }
  | { type: "telegraph"; by: string; shape: "circle"; x: number; y: number; r: number; hitsAt: number; at: Vec }
  | { type: "aggro"; by: string; target: string; at: Vec }
  | { type: "leash"; by: string; at: Vec }
  | { type: "death"; target: string; by?: string; at: Vec }
  | { type: "respawn"; target: string; at: Vec }
  /** Experience for a kill, to the killer only: `amount` gained, `xp` the new total. */
  | { type: "xp"; to: string; amount: number; xp: number; from: string }
  /** Items rolled on a kill's loot table, to the killer only: template ids, now among what it holds. */
  | { type: "loot"; to: string; items: string[]; from: string }
  | { type: "level_up"; target: string; level: number; at: Vec };
