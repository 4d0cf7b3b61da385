/**
 * Play tickets: short-lived, single-use capabilities to open one WebSocket for one character.
 * `<payload>.<hmac>`: the HMAC makes them unforgeable; the realm directory records each ticket's
 * id (`jti`) when it is redeemed, which makes them single-use; `exp` bounds their life (≤ 60 s).
 * An optional `zone` claim names where the character lands (a zone sending it on knows before
 * Postgres does).
 */
import { ZONE_ID_PATTERN } from "../config";
import { err, ok, type Result } from "../result";
import { randomBytes, toBase64Url } from "./encoding";
import { readSignedJson, signJson } from "./signed";

export const TICKET_TTL_SECONDS = 60;

export interface TicketClaims {
  /** Unique ticket id (what makes it single-use). */
  jti: string;
  accountId: string;
  characterId: string;
  /** The refresh family of the login that asked for it, so a revoked login's tickets die too. */
  fam?: string;
  /**
   * The zone the character is to land in, when the issuer knows better than Postgres: a zone that
   * hands a travelling character a ticket names the destination while the row's write is in flight.
   */
  zone?: string;
  /**
   * The character as the zone handing it over holds it (a CharacterSnapshot, validated by its
   * reader): with `zone`, the gateway lands it there without reading Postgres (docs/decisions.md D29).
   */
  character?: Record<string, unknown>;
  /** Expiry, epoch seconds. */
  exp: number;
}

export type TicketError = "malformed" | "forged" | "expired";

export async function issueTicket(
  subject: { accountId: string; characterId: string; fam?: string; zone?: string; character?: Record<string, unknown> },
  secret: string,
  nowSeconds: number,
): Promise<{ ticket: string; claims: TicketClaims }> {
  // A ticket readTicket would refuse is a bug of the issuer: fail here, where it can be fixed.
  if (subject.zone !== undefined && !ZONE_ID_PATTERN.test(subject.zone)) {
    throw new RangeError(`issueTicket: zone ${JSON.stringify(subject.zone)} is not a zone id (ZONE_ID_PATTERN)`);
  }
  const claims: TicketClaims = { jti: toBase64Url(randomBytes(16)), ...subject, exp: nowSeconds + TICKET_TTL_SECONDS };
  return { ticket: await signJson(claims, `ticket:${secret}`), claims };
}

/** Checks signature and expiry; single use is the caller's job (it needs shared state). */
export async function readTicket(
  ticket: string,
  secret: string,
  nowSeconds: number,
): Promise<Result<TicketClaims, TicketError>> {
  const read = await readSignedJson(ticket, `ticket:${secret}`);
  if (!read.ok) return read;
  const claims = read.value;
  // Checked even though only our key signs tickets: a missing exp must never read as "not expired".
  if (!isTicketClaims(claims)) return err("malformed");
  if (claims.exp <= nowSeconds) return err("expired");
  return ok(claims);
}

function isTicketClaims(value: unknown): value is TicketClaims {
  if (typeof value !== "object" || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    typeof claims.jti === "string" &&
    typeof claims.accountId === "string" &&
    typeof claims.characterId === "string" &&
    (claims.fam === undefined || typeof claims.fam === "string") &&
    (claims.zone === undefined || (typeof claims.zone === "string" && ZONE_ID_PATTERN.test(claims.zone))) &&
    (claims.character === undefined || (typeof claims.character === "object" && claims.character !== null)) &&
    typeof claims.exp === "number" &&
    Number.isFinite(claims.exp)
  );
}
