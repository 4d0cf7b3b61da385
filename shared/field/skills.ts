/**
 * Skills in field zones: the field's presentation of the rulebook's skills (shared/rules/skills.ts,
 * one id per skill in every zone kind). Each shape is placed in space: a bolt is a projectile with
 * travel time (Magic Missile), a burst strikes around the caster after a short cast (Arcane Nova),
 * a mend heals the caster or an ally after a cast (Heal), a cleave sweeps an arc in front of the
 * caster at once (Cleave, shared/field/cleave.ts). Every rule is checked here, on the server:
 * known to the class, alive, not already casting, cooldown, mana, target, range and line of fire.
 * Mana is spent and the cooldown starts when the skill takes effect, so a cast that fails at
 * completion costs nothing. `cast.skill` may name a skill by an alias (the old field ids
 * `missile` and `nova`); events always carry the id.
 */
import { skillPower } from "../rules/sheet";
import { resolveSkill, type SkillRule } from "../rules/skills";
import { cleaveVictims, strikeDirection } from "./cleave";
import { clearLine, distance, scale } from "./geometry";
import {
  type CastRefusal,
  ENEMY_RADIUS,
  type FieldEvent,
  type FieldPlayer,
  type FieldState,
  isAlive,
  PLAYER_RADIUS,
  type SkillId,
  ticksFor,
  type Vec,
} from "./types";

/** Damage a skill deals to an enemy, applied (and deaths handled) by the tick step. */
export type SkillDamage = { by: string; target: string; amount: number; source: SkillId };

/** What a client asks for; `aim` is an absolute point, `target` an entity id. */
export interface CastRequest {
  skill: string;
  aim?: Vec;
  target?: string;
}

/** An entity named by an id from the wire: own entries only, so "constructor" or "__proto__" name nobody. */
const byId = <T>(record: Record<string, T>, id: string): T | undefined =>
  Object.hasOwn(record, id) ? record[id] : undefined;

type Checked<T> = { ok: true; value: T } | { ok: false; reason: CastRefusal };
const refuse = (reason: CastRefusal) => ({ ok: false as const, reason });

/** The player a mend lands on: the named ally, or the caster. */
function mendTarget(
  state: FieldState,
  caster: FieldPlayer,
  skill: SkillRule,
  targetId: string | undefined,
): Checked<FieldPlayer> {
  const target = targetId === undefined ? caster : byId(state.players, targetId);
  if (!target || !isAlive(target)) return refuse("no_target");
  if (distance(caster.pos, target.pos) > skill.range) return refuse("out_of_range");
  if (!clearLine(caster.pos, target.pos, state.obstacles)) return refuse("no_line_of_fire");
  return { ok: true, value: target };
}

/** The checks every skill shares, at request time and again when a cast completes. */
function commonChecks(caster: FieldPlayer, skill: SkillRule, tick: number, atCompletion: boolean): CastRefusal | null {
  if (!isAlive(caster)) return "dead";
  if (!atCompletion && caster.cast) return "casting";
  if (tick < (caster.readyAt[skill.id] ?? 0)) return "cooldown";
  if (caster.mp < skill.manaCost) return "mana";
  return null;
}

/** Damage or healing of `skill` cast by `caster`: its amount plus the caster's power times its factor. */
export const skillAmount = (skill: SkillRule, caster: Pick<FieldPlayer, "power" | "might">) =>
  skill.amount + skillPower({ spellPower: caster.power, meleePower: caster.might }, skill) * skill.powerFactor;

function spend(caster: FieldPlayer, skill: SkillRule, tick: number, tickHz: number): FieldPlayer {
  return {
    ...caster,
    mp: caster.mp - skill.manaCost,
    readyAt: { ...caster.readyAt, [skill.id]: tick + ticksFor(skill.cooldownMs, tickHz) },
  };
}

/** The skill a request names, if the caster knows it (an alias names the same skill). */
export function knownSkill(caster: Pick<FieldPlayer, "skills">, word: string): SkillRule | undefined {
  const skill = resolveSkill(word);
  return skill && (caster.skills ?? []).includes(skill.id) ? skill : undefined;
}

export interface CastOutcome {
  state: FieldState;
  events: FieldEvent[];
  /** Instant melee skills: damage for the step to apply this tick. */
  damage: SkillDamage[];
}

/** Handles one cast request at `tick`: refuses it, starts a cast, or (instant skills) resolves it. */
export function requestCast(state: FieldState, casterId: string, request: CastRequest, tick: number): CastOutcome {
  const caster = state.players[casterId];
  if (!caster) return { state, events: [], damage: [] };
  const refused = (reason: CastRefusal, readyInTicks?: number): CastOutcome => ({
    state,
    events: [
      { type: "refused", to: casterId, skill: request.skill, reason, ...(readyInTicks ? { readyInTicks } : {}) },
    ],
    damage: [],
  });
  const skill = knownSkill(caster, request.skill);
  if (!skill) return refused("unknown_skill");
  const common = commonChecks(caster, skill, tick, false);
  if (common) return refused(common, common === "cooldown" ? (caster.readyAt[skill.id] ?? 0) - tick : undefined);
  const { tickHz } = state.settings;
  const paid = () => ({ ...state.players, [casterId]: spend(caster, skill, tick, tickHz) });
  const castEvent: FieldEvent = { type: "cast", by: casterId, skill: skill.id, at: caster.pos };

  if (skill.shape === "bolt") {
    const dir = strikeDirection(state, caster, request, skill.range, true);
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
      source: skill.id,
      pos: { x: caster.pos.x + dir.value.x * PLAYER_RADIUS, y: caster.pos.y + dir.value.y * PLAYER_RADIUS },
      vel: scale(dir.value, perTick),
      damage: skillAmount(skill, caster),
      expiresAt: tick + flight - 1,
    };
    return {
      state: { ...state, nextId: state.nextId + 1, players: paid(), missiles: { ...state.missiles, [id]: missile } },
      events: [castEvent],
      damage: [],
    };
  }

  if (skill.shape === "cleave") {
    const dir = strikeDirection(state, caster, request, skill.range, false);
    if (!dir.ok) return refused(dir.reason);
    const amount = skillAmount(skill, caster);
    const damage = cleaveVictims(state, caster.pos, dir.value, skill).map((target) => ({
      by: casterId,
      target,
      amount,
      source: skill.id,
    }));
    return { state: { ...state, players: paid() }, events: [castEvent], damage };
  }

  let targetId: string | undefined;
  if (skill.shape === "mend") {
    const target = mendTarget(state, caster, skill, request.target);
    if (!target.ok) return refused(target.reason);
    targetId = target.value.id;
  }
  const completesAt = tick + ticksFor(skill.castMs, tickHz);
  const cast = { skill: skill.id, completesAt, ...(targetId ? { targetId } : {}) };
  return {
    state: { ...state, players: { ...state.players, [casterId]: { ...caster, cast } } },
    events: [{ ...castEvent, completesAt }],
    damage: [],
  };
}

/** The enemies a burst of radius `range` from `center` hits: bodies within it, not behind walls. */
export function burstVictims(state: FieldState, center: Vec, range: number): string[] {
  const reach = range + ENEMY_RADIUS;
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
    const done = { ...caster, cast: null };
    // Looked up by id or alias: a cast saved before the ids were merged ("nova") still resolves.
    const skill = resolveSkill(caster.cast.skill);
    if (!skill) {
      players = { ...players, [id]: done };
      continue;
    }
    const problem = commonChecks(done, skill, tick, true);
    const target = skill.shape === "mend" ? mendTarget({ ...state, players }, done, skill, caster.cast.targetId) : null;
    const reason = problem ?? (target && !target.ok ? target.reason : null);
    if (reason) {
      players = { ...players, [id]: done };
      events.push({ type: "refused", to: id, skill: skill.id, reason });
      continue;
    }
    const paid = spend(done, skill, tick, state.settings.tickHz);
    players = { ...players, [id]: paid };
    const amount = skillAmount(skill, caster);
    if (skill.shape === "burst") {
      for (const victim of burstVictims(state, caster.pos, skill.range))
        damage.push({ by: id, target: victim, amount, source: skill.id });
    } else if (target?.ok) {
      const healed = players[target.value.id] ?? target.value;
      const gained = Math.min(amount, healed.maxHp - healed.hp);
      players = { ...players, [healed.id]: { ...healed, hp: healed.hp + gained } };
      events.push({ type: "heal", by: id, target: healed.id, amount: gained, at: healed.pos });
    }
  }
  return { state: { ...state, players }, events, damage };
}
