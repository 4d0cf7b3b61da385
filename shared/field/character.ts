/**
 * Characters in a field, through the character rulebook (shared/rules; docs/decisions.md, D23): a
 * player's pools, powers and skills are its sheet, derived from class, attributes, level,
 * equipment and effects exactly as a MUD room derives them; kills award the enemy's experience
 * with the rulebook's `applyXp`, level-ups included; and what the zone writes back for the
 * character (pools, position, level, experience) comes from here.
 */
import type { CharacterSnapshot } from "../protocol/character";
import type { AdmittedCharacter } from "../rules/admission";
import { characterSheet, type Gear } from "../rules/sheet";
import { resolveSkill } from "../rules/skills";
import { applyXp } from "../rules/stats";
import type { FieldEvent, FieldPlayer, Vec } from "./types";

/** Who enters a field: an admitted character (its `id` the field's entity id), and what it wears. */
export type Entrant = AdmittedCharacter & Gear;

/** The rulebook's sheet for a field player, from its own class, attributes, level, gear and effects. */
export function fieldSheet(player: Pick<FieldPlayer, "classId" | "attributes" | "level" | "equipped" | "effects">) {
  return characterSheet(
    { classId: player.classId, attributes: player.attributes, level: player.level },
    { equipped: player.equipped, effects: player.effects },
  );
}

/**
 * The player with its derived numbers brought up to date (after a level-up or an effect came or
 * went): maxima, powers and skills from the sheet, pools clamped into the new maxima, and a ready
 * time for every skill it knows (kept for those it already had).
 */
export function withSheet(player: FieldPlayer): FieldPlayer {
  const sheet = fieldSheet(player);
  const readyAt = Object.fromEntries(sheet.skills.map((id) => [id, player.readyAt[id] ?? 0]));
  return {
    ...player,
    maxHp: sheet.stats.maxHp,
    maxMp: sheet.stats.maxMp,
    hp: Math.min(player.hp, sheet.stats.maxHp),
    mp: Math.min(player.mp, sheet.stats.maxMp),
    power: sheet.spellPower,
    might: sheet.meleePower,
    skills: sheet.skills,
    readyAt,
  };
}

/** A new field player for `entrant`, standing at `at`; stored pools are clamped into its maxima. */
export function fieldPlayer(entrant: Entrant, at: Vec): FieldPlayer {
  const equipped = (entrant.equipped ?? []).map((item) => ({ modifiers: [...item.modifiers] }));
  const base: FieldPlayer = {
    id: entrant.id,
    name: entrant.name,
    classId: entrant.classId,
    level: entrant.level,
    xp: entrant.xp,
    attributes: { ...entrant.attributes },
    equipped,
    effects: [...(entrant.effects ?? [])],
    pos: { ...at },
    move: { x: 0, y: 0 },
    aim: null,
    hp: entrant.hp,
    maxHp: 0,
    mp: entrant.mp,
    maxMp: 0,
    power: 0,
    might: 0,
    skills: [],
    readyAt: {},
    cast: null,
    invulnerableUntil: -1,
    respawnAt: null,
    lastInputSeq: 0,
  };
  const derived = withSheet({ ...base, hp: Number.POSITIVE_INFINITY, mp: Number.POSITIVE_INFINITY });
  // A character enters alive: at least 1 hp, at most its maximum (a stored value may be stale).
  return {
    ...derived,
    hp: Math.min(derived.maxHp, Math.max(1, finiteOr(entrant.hp, derived.maxHp))),
    mp: Math.min(derived.maxMp, Math.max(0, finiteOr(entrant.mp, derived.maxMp))),
  };
}

const finiteOr = (value: number, fallback: number) => (Number.isFinite(value) ? value : fallback);

/**
 * `amount` experience for the player `playerId` (who killed `from`), through the rulebook's
 * `applyXp`: each level reached refills hp and mana to the new maxima, which count the player's
 * gear. Events: `xp` to the player, and a `level_up` per level reached, seen around it.
 */
export function awardXp(
  players: Record<string, FieldPlayer>,
  playerId: string,
  amount: number,
  from: string,
  events: FieldEvent[],
): Record<string, FieldPlayer> {
  const player = Object.hasOwn(players, playerId) ? players[playerId] : undefined;
  // Nobody to award (the killer left) or nothing to award: the same record, unchanged.
  if (!player || !(amount > 0)) return players;
  const gear = { equipped: player.equipped, effects: player.effects };
  const gained = applyXp(player, amount, gear);
  let next: FieldPlayer = { ...player, xp: gained.state.xp, level: gained.state.level };
  if (gained.levelUps.length) next = withSheet({ ...next, hp: gained.state.hp, mp: gained.state.mp });
  events.push({ type: "xp", to: playerId, amount: next.xp - player.xp, xp: next.xp, from });
  for (const level of gained.levelUps) events.push({ type: "level_up", target: playerId, level, at: { ...next.pos } });
  return { ...players, [playerId]: next };
}

/** The skills a field player may cast, as the `field` message lists them (docs/protocol.md). */
export function fieldSkills(player: Pick<FieldPlayer, "skills"> | undefined) {
  return (player?.skills ?? []).flatMap((id) => {
    const rule = resolveSkill(id);
    if (!rule) return [];
    const { name, manaCost, cooldownMs, castMs, range } = rule;
    return [{ id: rule.id, name, manaCost, cooldownMs, castMs, range }];
  });
}

/**
 * The character as the zone writes it back after time in the field: its pools (never written as
 * dead: a character saved at 0 hp comes back with 1), position, level and experience.
 */
export function fieldCharacterState(character: CharacterSnapshot, player: FieldPlayer): CharacterSnapshot {
  const { hp, mp, pos, level, xp } = player;
  return { ...character, hp: Math.max(1, hp), mp, x: pos.x, y: pos.y, level, xp };
}
