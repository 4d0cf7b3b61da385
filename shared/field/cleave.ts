/**
 * Where a skill is aimed, and what a melee sweep reaches. A bolt or a cleave is aimed at a named
 * enemy (range and line of fire checked) or at a point; a cleave then strikes every living enemy
 * whose body lies within its reach and inside its arc, centred on that direction, with nothing
 * solid in between (docs/protocol.md, field skills).
 */
import type { SkillRule } from "../rules/skills";
import { clearLine, direction, distance } from "./geometry";
import {
  type CastRefusal,
  ENEMY_RADIUS,
  type FieldPlayer,
  type FieldState,
  MISSILE_RADIUS,
  PLAYER_RADIUS,
  type Vec,
} from "./types";

type Checked<T> = { ok: true; value: T } | { ok: false; reason: CastRefusal };
const refuse = (reason: CastRefusal) => ({ ok: false as const, reason });

/**
 * The unit direction a skill goes in: towards `request.target` (an enemy within `range` of the
 * caster's centre plus its body, in line of fire) or towards `request.aim`. A projectile
 * (`muzzle`) leaves from the caster's edge, so that first stretch must be open too.
 */
export function strikeDirection(
  state: FieldState,
  caster: FieldPlayer,
  request: { aim?: Vec; target?: string },
  range: number,
  muzzle: boolean,
): Checked<Vec> {
  let point = request.aim;
  if (request.target !== undefined) {
    const enemy = Object.hasOwn(state.enemies, request.target) ? state.enemies[request.target] : undefined;
    if (!enemy) return refuse("no_target");
    if (distance(caster.pos, enemy.pos) > range + ENEMY_RADIUS) return refuse("out_of_range");
    if (!clearLine(caster.pos, enemy.pos, state.obstacles)) return refuse("no_line_of_fire");
    point = enemy.pos;
  }
  const dir = point ? direction(caster.pos, point) : null;
  if (!dir) return refuse("no_target");
  if (muzzle) {
    const edge = {
      x: caster.pos.x + dir.x * (PLAYER_RADIUS + MISSILE_RADIUS),
      y: caster.pos.y + dir.y * (PLAYER_RADIUS + MISSILE_RADIUS),
    };
    if (!clearLine(caster.pos, edge, state.obstacles)) return refuse("no_line_of_fire");
  }
  return { ok: true, value: dir };
}

/**
 * Living enemies a cleave from `from` towards `dir` reaches: body within `range` (the enemy's
 * radius counts), centre within half of `arcDegrees` of `dir` (an enemy standing on the caster
 * counts), and a clear line to it. Sorted by id, so damage applies in a stable order.
 */
export function cleaveVictims(
  state: FieldState,
  from: Vec,
  dir: Vec,
  skill: Pick<SkillRule, "range" | "arcDegrees">,
): string[] {
  const halfArc = ((skill.arcDegrees ?? 90) / 2) * (Math.PI / 180);
  const minCos = Math.cos(halfArc);
  return Object.values(state.enemies)
    .filter((e) => {
      if (e.hp <= 0) return false;
      const d = distance(from, e.pos);
      if (d > skill.range + ENEMY_RADIUS) return false;
      const towards = direction(from, e.pos);
      if (towards && towards.x * dir.x + towards.y * dir.y < minCos - 1e-9) return false;
      return clearLine(from, e.pos, state.obstacles);
    })
    .map((e) => e.id)
    .sort();
}
