/**
 * Keys of the zone object's methods that its own modules and tests call but no other object may:
 * a Durable Object answers RPC for every method named by a string, and a symbol names none.
 */

/** Advances the zone to a moment (zone.ts): the clock's entry point, for the timer and the alarm. */
export const ADVANCE: unique symbol = Symbol("zone.advance");

/** Commits a change acknowledged to players before it is sent (zone.ts; docs/decisions.md D5). */
export const COMMIT: unique symbol = Symbol("zone.commit");
