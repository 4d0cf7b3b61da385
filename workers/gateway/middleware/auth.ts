import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { type AccessClaims, type Role, verifyAccessToken } from "../../../shared/auth/jwt";
import type { Database } from "../../../shared/db/client";
import { checkLoginFamily } from "../../../shared/db/sessions";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { requireJwt } from "../settings";

const MESSAGES = {
  malformed: "the access token is malformed",
  bad_signature: "the access token is not ours",
  expired: "the access token expired; refresh it with POST /auth/refresh",
  wrong_issuer: "the access token was issued for another realm",
  wrong_audience: "the access token was issued for another audience",
  bad_claims: "the access token is missing claims",
} as const;

/**
 * Requires `Authorization: Bearer <access token>`; puts its claims in `c.var.account`.
 * With `roles`, the account must hold one of them (403 otherwise).
 */
export function requireAuth(
  options: { roles?: Role[] } = {},
): MiddlewareHandler<{ Bindings: Env; Variables: GatewayVariables & { account: AccessClaims } }> {
  const roles = options.roles ?? [];
  return async function authMiddleware(c, next) {
    const header = c.req.header("authorization") ?? "";
    const token = header.match(/^Bearer ([A-Za-z0-9._-]+)$/)?.[1];
    if (!token) {
      throw new HTTPException(401, {
        message: "send Authorization: Bearer <accessToken> (from POST /auth/login)",
        cause: "unauthorized",
      });
    }
    const jwt = requireJwt(c.env, realmConfig(c.env).realm);
    const verified = await verifyAccessToken(token, jwt, Math.floor(Date.now() / 1000));
    if (!verified.ok) throw new HTTPException(401, { message: MESSAGES[verified.error], cause: "unauthorized" });
    if (roles.length > 0 && !roles.some((role) => verified.value.roles.includes(role))) {
      throw new HTTPException(403, { message: `requires one of the roles: ${roles.join(", ")}`, cause: "forbidden" });
    }
    c.set("account", verified.value);
    await next();
  };
}

const SESSION_MESSAGES = {
  revoked: "this login was signed out (logout or a reused refresh token); log in again",
  disabled: "the account is disabled",
  unknown_account: "the account no longer exists",
} as const;

/**
 * For routes that read Postgres anyway: refuses an access token whose login was revoked since it
 * was issued, or whose account was disabled, instead of honouring it for the rest of its 15
 * minutes. Call it inside the route's `withDatabase`. Tokens without a login family (from before
 * families were recorded) are refused with a request to refresh.
 */
export async function requireLiveLogin(db: Database, claims: Pick<AccessClaims, "sub" | "fam">): Promise<void> {
  if (!claims.fam) {
    throw new HTTPException(401, {
      message: "this access token does not name its login; refresh it with POST /auth/refresh",
      cause: "invalid_token",
    });
  }
  const problem = await checkLoginFamily(db, claims.sub, claims.fam);
  if (problem) throw new HTTPException(401, { message: SESSION_MESSAGES[problem], cause: "session_revoked" });
}
