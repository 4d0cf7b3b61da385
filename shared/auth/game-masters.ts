/**
 * Who may run the commands that change a zone (a GM console, and later builder commands): the
 * same rule in every zone kind, decided by the zone's host and handed to its engine.
 */
import type { Role } from "./jwt";

/** Account roles whose sessions may change a zone through the GM console. */
export const GM_ROLES: readonly Role[] = ["gm", "admin"];

/**
 * Whether a session may run the GM commands that change a zone: a character whose account holds
 * a GM role, or a guest when the realm opens the console to guests (GM_CONSOLE_FOR_GUESTS, for
 * development, tests and benchmarks). `character` is undefined for a guest.
 */
export function mayRunGmCommands(
  character: { roles?: readonly string[] | undefined } | undefined,
  gmConsoleForGuests: boolean,
): boolean {
  if (!character) return gmConsoleForGuests;
  return (character.roles ?? []).some((role) => (GM_ROLES as readonly string[]).includes(role));
}
