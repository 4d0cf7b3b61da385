import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AccessClaims } from "../../../shared/auth/jwt";
import { limiterObjectName } from "../../../shared/config";
import { rateKeyOf } from "../../../shared/net/client-address";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { gatewaySettings } from "../settings";

const WINDOW_MS = 60_000;

type Variables = GatewayVariables & { account?: AccessClaims };

/**
 * Per-minute request limits on one route group, counted by the realm's limiter object before
 * anything reads the body. `per: "address"` counts each client address (from the trusted source
 * only: a request with no trusted address is not counted there, never pooled with others);
 * `per: "account"` counts each signed-in account (mount it after requireAuth). Over the limit:
 * 429 rate_limited with Retry-After.
 */
export function rateLimit(options: {
  bucket: string;
  per: "address" | "account";
}): MiddlewareHandler<{ Bindings: Env; Variables: Variables }> {
  if (!/^[a-z_]+$/.test(options.bucket)) throw new Error(`rate limit bucket "${options.bucket}" must be a-z and _`);
  return async function rateLimitMiddleware(c, next) {
    const settings = gatewaySettings(c.env);
    let key: { key: string; limit: number } | undefined;
    if (options.per === "address") {
      const address = c.get("clientAddress");
      if (address) key = { key: `${options.bucket}:ip:${rateKeyOf(address)}`, limit: settings.authRatePerIp };
    } else {
      const account = c.get("account");
      if (!account) throw new Error(`rate limit "${options.bucket}" per account must run after requireAuth`);
      // Per login (account and refresh family): a leaked token of a signed-out login cannot use up
      // the budget of the owner's next login.
      key = {
        key: `${options.bucket}:account:${account.sub}:${account.fam ?? "-"}`,
        limit: settings.ticketRatePerAccount,
      };
    }
    if (key) {
      const limiter = c.env.LIMITER.getByName(limiterObjectName(realmConfig(c.env).realm));
      const verdict = await limiter.check([key], WINDOW_MS);
      if (!verdict.allowed) {
        throw new HTTPException(429, {
          message: `too many requests; retry in ${verdict.retryAfterSeconds} s`,
          cause: "rate_limited",
          res: new Response(null, { headers: { "Retry-After": String(verdict.retryAfterSeconds) } }),
        });
      }
    }
    await next();
  };
}
