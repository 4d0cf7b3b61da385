/** The festival's effect: dancing beneath the lanterns leaves a dancer lighter on its feet. */
import type { EffectTemplate } from "../../mud/types";

/** The id other plugins (and this one's command) look the effect up by. */
export const FESTIVE = "festive";

/** A minute at the realm's 10 Hz: +2 dexterity. */
export const FESTIVE_TEMPLATE: EffectTemplate = {
  name: "Festive Spirit",
  kind: "buff",
  stat: "dex",
  magnitude: 2,
  duration_ticks: 600,
  interval_ticks: 1,
};

/** The source festive effects are applied from: one per dancer, renewed by dancing again. */
export const FESTIVAL_SOURCE = "lantern-festival";
