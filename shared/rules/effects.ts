/**
 * What each kind of effect does to a character's sheet: buffs and debuffs change a stat while they
 * last, damage and healing over time pulse hit points. Part of the character rulebook, so an effect
 * counts the same in a MUD room and in a field (docs/decisions.md, D23); the MUD's effect clock
 * (shared/mud/effects.ts) and the field's (shared/field/effects.ts) both read these rules.
 */
import type { EffectKind, EffectState, Modifier } from "../mud/types";

/** How one kind of effect acts. Extending the game with a kind means adding a rule here. */
export interface EffectKindRule {
  /** A stat modifier while the effect is active. */
  modifier?(effect: EffectState): Modifier | undefined;
  /** Hit points added (or, negative, removed) on each interval. */
  pulse?(effect: EffectState): number;
}

const size = (effect: EffectState) => {
  const m = Number(effect.magnitude);
  return Number.isFinite(m) ? Math.round(Math.abs(m)) : 0;
};

/** The effect kinds, by name: a lookup rather than a switch, so new kinds are one entry each. */
export const EFFECT_KINDS: Readonly<Record<EffectKind, EffectKindRule>> = {
  buff: { modifier: (e) => (e.stat ? { stat: e.stat, flat: size(e) } : undefined) },
  debuff: { modifier: (e) => (e.stat ? { stat: e.stat, flat: -size(e) } : undefined) },
  dot: { pulse: (e) => -size(e) },
  hot: { pulse: (e) => size(e) },
};

/** The rule of a kind named by stored data; an unknown kind (old or corrupt data) has none. */
export const effectRule = (kind: string): EffectKindRule | undefined =>
  Object.hasOwn(EFFECT_KINDS, kind) ? EFFECT_KINDS[kind as EffectKind] : undefined;

/** The stat modifiers of every active buff and debuff (magnitude is a flat amount). */
export function effectModifiers(effects: readonly EffectState[]): Modifier[] {
  const out: Modifier[] = [];
  for (const effect of effects) {
    const modifier = effectRule(effect.kind)?.modifier?.(effect);
    if (modifier) out.push(modifier);
  }
  return out;
}
