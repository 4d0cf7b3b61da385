/**
 * Effects on field players, on the field's own clock: an effect's ticks are the zone's simulation
 * ticks (docs/content.md), so one that came in with a character runs here as it would in a MUD
 * room. Hots and dots pulse through the MUD's effect rules (shared/mud/effects.ts, `tickEffects`,
 * without its regeneration: the field regenerates mana itself), and when a buff or debuff ends the
 * player's sheet is derived again, so its maxima follow (shared/field/character.ts).
 */
import { tickEffects } from "../mud/effects";
import { withSheet } from "./character";
import { type FieldPlayer, isAlive } from "./types";

/** One tick of a living player's effects: the player after it; hp 0 means the caller kills it. */
export function tickFieldEffects(player: FieldPlayer, tick: number): FieldPlayer {
  if (!player.effects?.length || !isAlive(player)) return player;
  const ticked = tickEffects(
    player.effects,
    { hp: player.hp, mp: player.mp, maxHp: player.maxHp, maxMp: player.maxMp },
    // In combat, tickEffects runs the effects only: regeneration is the field step's.
    { tick, inCombat: true, vit: player.attributes.vit, int: player.attributes.int },
  );
  const next = { ...player, effects: ticked.effects, hp: ticked.hp, mp: ticked.mp };
  return ticked.effects.length === player.effects.length ? next : withSheet(next);
}
