/**
 * Play tickets: short-lived, single-use capabilities to open one WebSocket for one character.
 * `<id>.<payload>.<hmac>`: the HMAC makes them unforgeable; the realm directory records each
 * id when it is redeemed, which makes them single-use; `exp` bounds their life (≤ 60 s).
 */
import { err, ok, type Result } from "../result";
import { fromBase64Url, fromUtf8, hmacKey, randomBytes, toBase64Url, utf8 } from "./encoding";

export const TICKET_TTL_SECONDS = 60;

export interface TicketClaims {
  /** Unique ticket id (what makes it single-use). */
  jti: string;
  accountId: string;
  characterId: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

export type TicketError = "malformed" | "forged" | "expired";

export async function issueTicket(
  subject: { accountId: string; characterId: string },
  secret: string,
  nowSeconds: number,
): Promise<{ ticket: string; claims: TicketClaims }> {
  const claims: TicketClaims = { jti: toBase64Url(randomBytes(16)), ...subject, exp: nowSeconds + TICKET_TTL_SECONDS };
  const payload = toBase64Url(utf8.encode(JSON.stringify(claims)));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(`ticket:${secret}`), utf8.encode(payload));
  return { ticket: `${payload}.${toBase64Url(new Uint8Array(mac))}`, claims };
}

/** Checks signature and expiry; single use is the caller's job (it needs shared state). */
export async function readTicket(
  ticket: string,
  secret: string,
  nowSeconds: number,
): Promise<Result<TicketClaims, TicketError>> {
  const parts = ticket.split(".");
  if (parts.length !== 2 || ticket.length > 1024) return err("malformed");
  const [payload, macText] = parts as [string, string];
  const mac = fromBase64Url(macText);
  const payloadBytes = fromBase64Url(payload);
  if (!mac || !payloadBytes) return err("malformed");
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(`ticket:${secret}`), mac, utf8.encode(payload));
  if (!valid) return err("forged");
  let claims: unknown;
  try {
    claims = JSON.parse(fromUtf8.decode(payloadBytes));
  } catch {
    return err("malformed");
  }
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
    typeof claims.exp === "number" &&
    Number.isFinite(claims.exp)
  );
}
