/**
 * Enemies of field zones: a small state machine per enemy, advanced once per tick.
 *
 *   idle → pursue → windup → attack → recover → pursue …
 *                     ↘ (target lost, too far, or dragged beyond the leash) → return → idle
 *
 * Melee attacks are telegraphed: at the start of the wind-up the enemy marks a circle on the ground
 * and the hit lands there when the wind-up ends, whoever is standing in it. The circle does not follow
 * the player, so watching the telegraph and stepping out is how players dodge.
 *
 * `stepEnemy` is pure: it reads the enemy, its template and the zone, and returns the next enemy with
 * the hits it dealt. Applying damage to players and removing dead enemies is the caller's job, so one
 * place (the zone step) owns every change to player hp.
 */
import { add, circlesOverlap, clearLine, direction, distance, moveCircle, scale } from "./geometry";
import {
  ENEMY_RADIUS,
  type FieldEnemy,
  type FieldEvent,
  type FieldPlayer,
  isAlive,
  PLAYER_RADIUS,
  type Rect,
  type Telegraph,
  ticksFor,
  type Vec,
} from "./types";

/**
 * Content data for a kind of enemy (a pack's field-enemies.json; docs/content.md). Distances are in
 * map units, speeds in units per second.
 */
export interface EnemyTemplate {
  id: string;
  name: string;
  maxHp: number;
  /** Pursuit speed in units per second; returning home is 1.5× this. */
  speed: number;
  /** An idle enemy notices living players within this distance (and in line of fire). */
  aggroRadius: number;
  /** A pursued target farther than this from the enemy is given up. */
  loseRadius: number;
  /** The enemy gives up once it is farther than this from its home. */
  leashRadius: number;
  /** The wind-up starts when the centre distance to the target is at most this. */
  attackRange: number;
  windupMs: number;
  attackMs: number;
  recoverMs: number;
  telegraphRadius: number;
  /** The telegraph's centre lies this far ahead of the enemy, towards its target. */
  telegraphOffset: number;
  damage: number;
  /** Experience the killer earns (the tick step awards it through the rulebook, shared/field/character.ts). */
  xp?: number;
  /** The pack's loot table the killer rolls when it dies (shared/mud/loot.ts), into what it holds here. */
  loot?: string;
}

/** A fresh enemy standing idle at its home with full health. */
export function spawnEnemy(id: string, template: EnemyTemplate, at: Vec): FieldEnemy {
  return {
    id,
    template: template.id,
    name: template.name,
    pos: { x: at.x, y: at.y },
    home: { x: at.x, y: at.y },
    hp: template.maxHp,
    maxHp: template.maxHp,
    state: "idle",
    stateUntil: 0,
    targetId: null,
    telegraph: null,
  };
}

/** What an enemy may read of its zone during one tick. */
export interface EnemyContext {
  /** The tick being computed. */
  tick: number;
  tickHz: number;
  players: Readonly<Record<string, FieldPlayer>>;
  obstacles: readonly Rect[];
  width: number;
  height: number;
}

/** Damage the caller should apply to a player (invulnerability has already been checked). */
export interface EnemyHit {
  playerId: string;
  damage: number;
}

export interface EnemyStep {
  enemy: FieldEnemy;
  hits: EnemyHit[];
  events: FieldEvent[];
}

type StateHandler = (enemy: FieldEnemy, template: EnemyTemplate, ctx: EnemyContext) => EnemyStep;

/** Within this distance of home a returning enemy counts as arrived (steps rarely land exactly). */
const HOME_SNAP = 2;
/** Slack for float error when a pursuit step stops exactly at attack range. */
const RANGE_EPSILON = 1e-6;
const RETURN_SPEED_FACTOR = 1.5;

/**
 * A deep copy of the enemy with `changes` applied, so the caller may keep both the old and the new
 * enemy (for snapshots or replays) without one aliasing the other's vectors.
 */
function next(enemy: FieldEnemy, changes: Partial<FieldEnemy> = {}): FieldEnemy {
  const merged = { ...enemy, ...changes };
  return {
    ...merged,
    pos: { ...merged.pos },
    home: { ...merged.home },
    telegraph: merged.telegraph ? { ...merged.telegraph } : null,
  };
}

const stay = (enemy: FieldEnemy): EnemyStep => ({ enemy: next(enemy), hits: [], events: [] });

/** Players sorted by id, so ties and hit order never depend on record insertion order. */
function playersById(ctx: EnemyContext): FieldPlayer[] {
  return Object.values(ctx.players).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The target if the enemy should keep fighting it: alive, within lose radius, enemy within leash. */
function engagedTarget(enemy: FieldEnemy, template: EnemyTemplate, ctx: EnemyContext): FieldPlayer | null {
  const target = enemy.targetId === null ? undefined : ctx.players[enemy.targetId];
  if (!target || !isAlive(target)) return null;
  if (distance(enemy.pos, target.pos) > template.loseRadius) return null;
  if (distance(enemy.pos, enemy.home) > template.leashRadius) return null;
  return target;
}

/** Gives up the fight and heads home. */
function disengage(enemy: FieldEnemy): EnemyStep {
  return {
    enemy: next(enemy, { state: "return", targetId: null, telegraph: null, stateUntil: 0 }),
    hits: [],
    events: [{ type: "leash", by: enemy.id, at: { ...enemy.pos } }],
  };
}

const idle: StateHandler = (enemy, template, ctx) => {
  let best: FieldPlayer | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const player of playersById(ctx)) {
    if (!isAlive(player)) continue;
    const d = distance(enemy.pos, player.pos);
    // Strictly closer only: on a tie the lower id (seen first) wins, deterministically.
    if (d > template.aggroRadius || d >= bestDistance) continue;
    if (!clearLine(enemy.pos, player.pos, ctx.obstacles)) continue;
    best = player;
    bestDistance = d;
  }
  if (!best) return stay(enemy);
  return {
    enemy: next(enemy, { state: "pursue", targetId: best.id }),
    hits: [],
    events: [{ type: "aggro", by: enemy.id, target: best.id, at: { ...enemy.pos } }],
  };
};

function startWindup(enemy: FieldEnemy, template: EnemyTemplate, ctx: EnemyContext, target: FieldPlayer): EnemyStep {
  // Standing exactly on the target has no facing; the circle is then centred on the enemy itself.
  const facing = direction(enemy.pos, target.pos) ?? { x: 0, y: 0 };
  const centre = add(enemy.pos, scale(facing, template.telegraphOffset));
  const telegraph: Telegraph = {
    shape: "circle",
    x: centre.x,
    y: centre.y,
    r: template.telegraphRadius,
    hitsAt: ctx.tick + ticksFor(template.windupMs, ctx.tickHz),
  };
  return {
    enemy: next(enemy, { state: "windup", telegraph, stateUntil: telegraph.hitsAt }),
    hits: [],
    events: [{ type: "telegraph", by: enemy.id, ...telegraph, at: { ...enemy.pos } }],
  };
}

const pursue: StateHandler = (enemy, template, ctx) => {
  const target = engagedTarget(enemy, template, ctx);
  if (!target) return disengage(enemy);
  const gap = distance(enemy.pos, target.pos);
  if (gap <= template.attackRange + RANGE_EPSILON) return startWindup(enemy, template, ctx, target);
  const heading = direction(enemy.pos, target.pos);
  if (!heading) return stay(enemy);
  // Stop at attack range rather than overshoot onto the player when a tick's step is long (low tick rate).
  const stride = Math.min(template.speed / ctx.tickHz, gap - template.attackRange);
  const pos = moveCircle(enemy.pos, scale(heading, stride), ENEMY_RADIUS, ctx.obstacles, ctx.width, ctx.height);
  return { enemy: next(enemy, { pos }), hits: [], events: [] };
};

const windup: StateHandler = (enemy, template, ctx) => {
  // The enemy stands still and the telegraph stays where it was drawn: that is the dodge window.
  if (ctx.tick < enemy.stateUntil) return stay(enemy);
  const hits: EnemyHit[] = [];
  const events: FieldEvent[] = [];
  const zone = enemy.telegraph;
  if (zone) {
    for (const player of playersById(ctx)) {
      if (!isAlive(player) || !circlesOverlap(player.pos, PLAYER_RADIUS, zone, zone.r)) continue;
      const at = { ...player.pos };
      if (ctx.tick <= player.invulnerableUntil) {
        events.push({ type: "immune", by: enemy.id, target: player.id, at });
        continue;
      }
      hits.push({ playerId: player.id, damage: template.damage });
      events.push({ type: "hit", by: enemy.id, target: player.id, amount: template.damage, source: "melee", at });
    }
  }
  const stateUntil = ctx.tick + ticksFor(template.attackMs, ctx.tickHz);
  return { enemy: next(enemy, { state: "attack", telegraph: null, stateUntil }), hits, events };
};

const attack: StateHandler = (enemy, template, ctx) => {
  if (ctx.tick < enemy.stateUntil) return stay(enemy);
  const stateUntil = ctx.tick + ticksFor(template.recoverMs, ctx.tickHz);
  return { enemy: next(enemy, { state: "recover", stateUntil }), hits: [], events: [] };
};

const recover: StateHandler = (enemy, template, ctx) => {
  if (ctx.tick < enemy.stateUntil) return stay(enemy);
  if (!engagedTarget(enemy, template, ctx)) return disengage(enemy);
  return { enemy: next(enemy, { state: "pursue", stateUntil: 0 }), hits: [], events: [] };
};

const returnHome: StateHandler = (enemy, template, ctx) => {
  const arrive = (): EnemyStep => ({
    enemy: next(enemy, { state: "idle", pos: { ...enemy.home }, hp: enemy.maxHp, stateUntil: 0 }),
    hits: [],
    events: [],
  });
  const remaining = distance(enemy.pos, enemy.home);
  const heading = direction(enemy.pos, enemy.home);
  if (remaining <= HOME_SNAP || !heading) return arrive();
  const stride = Math.min((template.speed * RETURN_SPEED_FACTOR) / ctx.tickHz, remaining);
  const pos = moveCircle(enemy.pos, scale(heading, stride), ENEMY_RADIUS, ctx.obstacles, ctx.width, ctx.height);
  // No progress means a wall pins it; a returning enemy ignores players, so left there it would be
  // stuck and harmless forever. Resetting it home is the usual "evade" behaviour.
  const stuck = pos.x === enemy.pos.x && pos.y === enemy.pos.y;
  if (stuck || distance(pos, enemy.home) <= HOME_SNAP) return arrive();
  return { enemy: next(enemy, { pos }), hits: [], events: [] };
};

const HANDLERS: Record<FieldEnemy["state"], StateHandler> = {
  idle,
  pursue,
  windup,
  attack,
  recover,
  return: returnHome,
};

/**
 * Advances one enemy by one tick: at most one state transition (or one movement step). Pure: the
 * inputs are never changed and the returned enemy shares no objects with them. `hits` are for the
 * caller to apply; an enemy's own death is the caller's business too.
 */
export function stepEnemy(enemy: FieldEnemy, template: EnemyTemplate, ctx: EnemyContext): EnemyStep {
  return HANDLERS[enemy.state](enemy, template, ctx);
}
