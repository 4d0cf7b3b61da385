/**
 * Access tokens: compact JWS with HS256, issuer and audience checked, roles inside.
 * Verification returns a Result: a bad token is an expected input, not an exception.
 */
import { err, ok, type Result } from "../result";
import { fromBase64Url, fromUtf8, hmacKey, toBase64Url, utf8 } from "./encoding";

export const ROLES = ["player", "gm", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** The roles among `roles` that this realm knows (the database column holds free text). */
export const knownRoles = (roles: readonly string[]): Role[] =>
  roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));

export interface AccessClaims {
  /** Account id. */
  sub: string;
  username: string;
  roles: Role[];
  /**
   * The refresh-token family of the login this token descends from. Routes that read Postgres
   * refuse the token once that family is revoked (logout, token reuse): see docs/accounts.md.
   */
  fam?: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
}

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

export type JwtError = "malformed" | "bad_signature" | "expired" | "wrong_issuer" | "wrong_audience" | "bad_claims";

const HEADER = toBase64Url(utf8.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));

export async function signAccessToken(
  subject: { sub: string; username: string; roles: Role[]; fam?: string },
  settings: JwtSettings,
  nowSeconds: number,
): Promise<string> {
  const claims: AccessClaims = {
    ...subject,
    iss: settings.issuer,
    aud: settings.audience,
    iat: nowSeconds,
    exp: nowSeconds + settings.ttlSeconds,
  };
  const body = `${HEADER}.${toBase64Url(utf8.encode(JSON.stringify(claims)))}`;
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(settings.secret), utf8.encode(body));
  return `${body}.${toBase64Url(new Uint8Array(signature))}`;
}

export async function verifyAccessToken(
  token: string,
  settings: JwtSettings,
  nowSeconds: number,
): Promise<Result<AccessClaims, JwtError>> {
  const parts = token.split(".");
  if (parts.length !== 3) return err("malformed");
  const [header, payload, signatureText] = parts as [string, string, string];
  if (header !== HEADER) return err("malformed"); // Only HS256 is ever accepted: no `alg` games.
  const signature = fromBase64Url(signatureText);
  const payloadBytes = fromBase64Url(payload);
  if (!signature || !payloadBytes) return err("malformed");
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(settings.secret),
    signature,
    utf8.encode(`${header}.${payload}`),
  );
  if (!valid) return err("bad_signature");
  let claims: AccessClaims;
  try {
    claims = JSON.parse(fromUtf8.decode(payloadBytes)) as AccessClaims;
  } catch {
    return err("malformed");
  }
  // A signed `null` or number is still not claims: answer with a Result, never a TypeError.
  if (
    typeof claims !== "object" ||
    claims === null ||
    typeof claims.sub !== "string" ||
    typeof claims.exp !== "number" ||
    !Array.isArray(claims.roles) ||
    (claims.fam !== undefined && typeof claims.fam !== "string")
  ) {
    return err("bad_claims");
  }
  if (claims.iss !== settings.issuer) return err("wrong_issuer");
  if (claims.aud !== settings.audience) return err("wrong_audience");
  if (claims.exp <= nowSeconds) return err("expired");
  return ok(claims);
}
