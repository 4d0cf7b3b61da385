/**
 * Enumerations that travel on the wire. The protocol owns them (docs/protocol.md documents each);
 * the engines import them from here, so a change to what clients may receive is a change to the
 * protocol module, never a side effect of engine code.
 */

/** Kinds of MUD `event` frames. */
export const MUD_EVENT_TYPES = [
  "room",
  "examine",
  "info",
  "say",
  "emote",
  "arrive",
  "depart",
  "players",
  "help",
  "stats",
  "stat_update",
  "effects",
  "effect_start",
  "effect_end",
  "hp_change",
  "inventory",
  "item",
  "combat",
  "death",
  "respawn",
  "loot",
  "level_up",
  "quest",
  "reputation",
] as const;
export type MudEventType = (typeof MUD_EVENT_TYPES)[number];

/** Weather a zone reports in `welcome` and `weather` frames. */
export const WEATHERS = ["clear", "cloudy", "rain", "storm", "fog"] as const;
export type Weather = (typeof WEATHERS)[number];
