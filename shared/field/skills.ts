/**
 * The Mage's skills in field zones: Magic Missile (a projectile with travel time), Arcane Nova
 * (area damage around the caster after a short cast) and Heal (self or an ally, after a cast).
 * Every rule is checked here, on the server: alive, not already casting, cooldown, mana, target,
 * range and line of fire. Mana is spent and the cooldown starts when the skill takes effect, so a
 * cast that fails at completion costs nothing. New skills join by registration in `SKILLS`.
 */
import { clearLine, direction, distance, scale } from "./geometry";
import {
  type CastRefusal,
  ENEMY_RADIUS,
  type FieldEvent,
  type FieldPlayer,
  type FieldState,
  isAlive,
  MISSILE_RADIUS,
  PLAYER_RADIUS,
  type SkillId,
  ticksFor,
  type Vec,
} from "./types";

export interface SkillDefinition {
  id: SkillId;
  name: string;
  manaCost: number;
  cooldownMs: number;
  /** 0 = instant. */
  castMs: number;
  /** Missile: how far it flies; Heal: how far the ally may be; Nova: its radius. */
  range: number;
  /** Damage or healing before the caster's power is added. */
  amount: number;
  /** Power counts this many times (healing scales harder than damage). */
  powerFactor: number;
  /** Missile only: units per second. */
  speed?: number;
}

export const SKILLS: Record<SkillId, SkillDefinition> = {
  missile: {
    id: "missile",
    name: "Magic Missile",
    manaCost: 8,
    cooldownMs: 500,
    castMs: 0,
    range: 600,
    amount: 10,
    powerFactor: 1,
    speed: 600,
  },
  nova: {
    id: "nova",
    name: "Arcane Nova",
    manaCost: 25,
    cooldownMs: 6000,
    castMs: 300,
    range: 160,
    amount: 12,
    powerFactor: 1,
  },
  heal: {
    id: "heal",
    name: "Heal",
    manaCost: 20,
    cooldownMs: 3000,
    castMs: 1000,
    range: 350,
    amount: 20,
    powerFactor: 2,
  },
};

/** Damage a skill deals to an enemy, applied (and deaths handled) by the tick step. */
export type SkillDamage = { by: string; target: string; amount: number; source: SkillId };

export const SKILL_IDS = Object.keys(SKILLS) as SkillId[];

/** What a client asks for; `aim` is an absolute point, `target` an entity id. */
export interface CastRequest {
  skill: string;
  aim?: Vec;
  target?: string;
}

const isSkill = (id: string): id is SkillId => Object.hasOwn(SKILLS, id);

/** An entity named by an id from the wire: own entries only, so "constructor" or "__proto__" name nobody. */
const byId = <T>(record: Record<string, T>, id: string): T | undefined =>
  Object.hasOwn(record, id) ? record[id] : undefined;

type Checked<T> = { ok: true; value: T } | { ok: false; reason: CastRefusal };
const refuse = (reason: CastRefusal) => ({ ok: false as const, reason });

/** Where a missile goes: towards a named enemy (range and line of fire checked) or an aim point. */
function missileDirection(state: FieldState, caster: FieldPlayer, request: CastRequest, range: number): Checked<Vec> {
  let point = request.aim;
  if (request.target !== undefined) {
    const enemy = byId(state.enemies, request.target);
    if (!enemy) return refuse("no_target");
    if (distance(caster.pos, enemy.pos) > range + ENEMY_RADIUS) return refuse("out_of_range");
    if (!clearLine(caster.pos, enemy.pos, state.obstacles)) return refuse("no_line_of_fire");
    point = enemy.pos;
  }
  const dir = point ? direction(caster.pos, point) : null;
  if (!dir) return refuse("no_target");
  // The missile leaves from the caster's edge: that first stretch must be open too.
  const muzzle = {
    x: caster.pos.x + dir.x * (PLAYER_RADIUS + MISSILE_RADIUS),
    y: caster.pos.y + dir.y * (PLAYER_RADIUS + MISSILE_RADIUS),
  };
  if (!clearLine(caster.pos, muzzle, state.obstacles)) return refuse("no_line_of_fire");
  return { ok: true, value: dir };
}

/** The player a Heal lands on: the named ally, or the caster. */
function healTarget(state: FieldState, caster: FieldPlayer, targetId: string | undefined): Checked<FieldPlayer> {
  const target = targetId === undefined ? caster : byId(state.players, targetId);
  if (!target || !isAlive(target)) return refuse("no_target");
  if (distance(caster.pos, target.pos) > SKILLS.heal.range) return refuse("out_of_range");
  if (!clearLine(caster.pos, target.pos, state.obstacles)) return refuse("no_line_of_fire");
  return { ok: true, value: target };
}

/** The checks every skill shares, at request time and again when a cast completes. */
function commonChecks(
  caster: FieldPlayer,
  skill: SkillDefinition,
  tick: number,
  atCompletion: boolean,
): CastRefusal | null {
  if (!isAlive(caster)) return "dead";
  if (!atCompletion && caster.cast) return "casting";
  if (tick < caster.readyAt[skill.id]) return "cooldown";
  if (caster.mp < skill.manaCost) return "mana";
  return null;
}

export const skillAmount = (skill: SkillDefinition, caster: FieldPlayer) =>
  skill.amount + caster.power * skill.powerFactor;

function spend(caster: FieldPlayer, skill: SkillDefinition, tick: number, tickHz: number): FieldPlayer {
  return {
    ...caster,
    mp: caster.mp - skill.manaCost,
    readyAt: { ...caster.readyAt, [skill.id]: tick + ticksFor(skill.cooldownMs, tickHz) },
  };
}

/** Handles one cast request at `tick`: refuses it, starts a cast, or (instant skills) resolves it. */
export function requestCast(
  state: FieldState,
  casterId: string,
  request: CastRequest,
  tick: number,
): { state: FieldState; events: FieldEvent[] } {
  const caster = state.players[casterId];
  if (!caster) return { state, events: [] };
  const refused = (reason: CastRefusal, readyInTicks?: number) => ({
    state,
    events: [
      {
        type: "refused",
        to: casterId,
        skill: request.skill,
        reason,
        ...(readyInTicks ? { readyInTicks } : {}),
      } as FieldEvent,
    ],
  });
  if (!isSkill(request.skill)) return refused("unknown_skill");
  const skill = SKILLS[request.skill];
  const common = commonChecks(caster, skill, tick, false);
  if (common) return refused(common, common === "cooldown" ? caster.readyAt[skill.id] - tick : undefined);
  const { tickHz } = state.settings;

  if (skill.id === "missile") {
    const dir = missileDirection(state, caster, request, skill.range);
    if (!dir.ok) return refused(dir.reason);
    const speed = skill.speed ?? 600;
    const perTick = speed / tickHz;
    // It moves on this tick already, so after `flight` moves (this one included) its range is spent.
    // ticksFor rounds up without tripping over float error (600 / (600 / 7) is not quite 7).
    const flight = ticksFor((skill.range / speed) * 1000, tickHz);
    const id = `m${state.nextId}`;
    const missile = {
      id,
      ownerId: casterId,
      pos: { x: caster.pos.x + dir.value.x * PLAYER_RADIUS, y: caster.pos.y + dir.value.y * PLAYER_RADIUS },
      vel: scale(dir.value, perTick),
      damage: skillAmount(skill, caster),
      expiresAt: tick + flight - 1,
    };
    return {
      state: {
        ...state,
        nextId: state.nextId + 1,
        players: { ...state.players, [casterId]: spend(caster, skill, tick, tickHz) },
        missiles: { ...state.missiles, [id]: missile },
      },
      events: [{ type: "cast", by: casterId, skill: skill.id, at: caster.pos }],
    };
  }

  let targetId: string | undefined;
  if (skill.id === "heal") {
    const target = healTarget(state, caster, request.target);
    if (!target.ok) return refused(target.reason);
    targetId = target.value.id;
  }
  const completesAt = tick + ticksFor(skill.castMs, tickHz);
  const cast = { skill: skill.id, completesAt, ...(targetId ? { targetId } : {}) };
  return {
    state: { ...state, players: { ...state.players, [casterId]: { ...caster, cast } } },
    events: [{ type: "cast", by: casterId, skill: skill.id, at: caster.pos, completesAt }],
  };
}

/** The enemies an Arcane Nova cast from `center` hits: bodies within its radius, not behind walls. */
export function novaVictims(state: FieldState, center: Vec): string[] {
  const reach = SKILLS.nova.range + ENEMY_RADIUS;
  return Object.values(state.enemies)
    .filter((e) => e.hp > 0 && distance(center, e.pos) <= reach && clearLine(center, e.pos, state.obstacles))
    .map((e) => e.id);
}

/**
 * Resolves the casts that complete at `tick`. Returns damage to apply to enemies (the caller
 * handles deaths) and heals already applied to players.
 */
export function completeCasts(
  state: FieldState,
  tick: number,
): {
  state: FieldState;
  events: FieldEvent[];
  damage: SkillDamage[];
} {
  const events: FieldEvent[] = [];
  const damage: SkillDamage[] = [];
  let players = state.players;
  for (const id of Object.keys(state.players)) {
    const caster = players[id];
    if (!caster?.cast || caster.cast.completesAt > tick) continue;
    const skill = SKILLS[caster.cast.skill];
    const done = { ...caster, cast: null };
    const problem = commonChecks(done, skill, tick, true);
    const target = skill.id === "heal" ? healTarget({ ...state, players }, done, caster.cast.targetId) : null;
    const reason = problem ?? (target && !target.ok ? target.reason : null);
    if (reason) {
      players = { ...players, [id]: done };
      events.push({ type: "refused", to: id, skill: skill.id, reason });
      continue;
    }
    const paid = spend(done, skill, tick, state.settings.tickHz);
    players = { ...players, [id]: paid };
    const amount = skillAmount(skill, caster);
    if (skill.id === "nova") {
      for (const victim of novaVictims(state, caster.pos))
        damage.push({ by: id, target: victim, amount, source: "nova" });
    } else if (target?.ok) {
      const healed = players[target.value.id] ?? target.value;
      const gained = Math.min(amount, healed.maxHp - healed.hp);
      players = { ...players, [healed.id]: { ...healed, hp: healed.hp + gained } };
      events.push({ type: "heal", by: id, target: healed.id, amount: gained, at: healed.pos });
    }
  }
  return { state: { ...state, players }, events, damage };
}
