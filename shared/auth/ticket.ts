/**
 * Play tickets: short-lived, single-use capabilities to open one WebSocket for one character.
 * `<id>.<payload>.<hmac>`: the HMAC makes them unforgeable; the realm directory records each
 * id when it is redeemed, which makes them single-use; `exp` bounds their life (≤ 60 s).
 */
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
  /** Expiry, epoch seconds. */
  exp: number;
}

export type TicketError = "malformed" | "forged" | "expired";

export async function issueTicket(
  subject: { accountId: string; characterId: string; fam?: string },
  secret: string,
  nowSeconds: number,
): Promise<{ ticket: string; claims: TicketClaims }> {
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
    typeof claims.exp === "number" &&
    Number.isFinite(claims.exp)
  );
}
