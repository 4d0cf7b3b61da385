/**
 * The character a session plays, as the gateway hands it to the zone (and as `welcome` shows it).
 * Validated again in the zone: nothing crosses a boundary unchecked.
 */
import { z } from "zod";
import { ROLES } from "../auth/jwt";

export const CharacterSnapshot = z.object({
  id: z.string().uuid(),
  accountId: z.string().uuid(),
  name: z.string().min(1).max(24),
  class: z.string().min(1).max(32),
  level: z.number().int().min(1),
  xp: z.number().int().min(0),
  hp: z.number().int(),
  mp: z.number().int(),
  str: z.number().int(),
  dex: z.number().int(),
  int: z.number().int(),
  vit: z.number().int(),
  zoneId: z.string(),
  roomId: z.string().max(64).nullable(),
  x: z.number().finite(),
  y: z.number().finite(),
  playSeconds: z.number().int().min(0),
  version: z.number().int().min(1),
  /**
   * The account's roles as Postgres holds them when the ticket is redeemed (not the access token's
   * copy, which may be up to 15 minutes old). Zones gate GM commands on them.
   */
  roles: z.array(z.enum(ROLES)).max(ROLES.length).optional(),
  /**
   * The refresh family of the login whose ticket opened this session (the ticket's `fam`), so a
   * zone that sends the character on (a `travel`) issues its next ticket bound to the same login,
   * which dies when that login is revoked. Server-side only: `welcome` leaves it out.
   */
  fam: z.string().min(1).max(64).optional(),
});
export type CharacterSnapshot = z.infer<typeof CharacterSnapshot>;

/** Header carrying the snapshot from gateway to zone (URI-encoded JSON; never from a client). */
export const CHARACTER_HEADER = "x-leviathan-character";
