import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { gatewaySettings } from "../settings";

const WINDOW_MS = 60_000;

/**
 * The client's address. Behind a proxy of your own (TRUST_FORWARDED_FOR=true) its
 * X-Forwarded-For wins; otherwise CF-Connecting-IP, which Cloudflare and wrangler dev set.
 */
export function clientIp(c: { env: Env; req: { header(name: string): string | undefined } }): string {
  if (gatewaySettings(c.env).trustForwardedFor) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

/**
 * Per-minute limits on one route group, per client IP and (when the JSON body names one) per
 * username, counted by the realm's limiter object. Over the limit: 429 with Retry-After.
 */
export function rateLimit(options: {
  bucket: string;
}): MiddlewareHandler<{ Bindings: Env; Variables: GatewayVariables }> {
  if (!/^[a-z_]+$/.test(options.bucket)) throw new Error(`rate limit bucket "${options.bucket}" must be a-z and _`);
  return async function rateLimitMiddleware(c, next) {
    const settings = gatewaySettings(c.env);
    const keys = [{ key: `${options.bucket}:ip:${clientIp(c)}`, limit: settings.authRatePerIp }];
    const username = await usernameFromBody(c);
    if (username) keys.push({ key: `${options.bucket}:user:${username}`, limit: settings.authRatePerUsername });
    const limiter = c.env.LIMITER.getByName(`${realmConfig(c.env).realm}:limiter`);
    const verdict = await limiter.check(keys, WINDOW_MS);
    if (!verdict.allowed) {
      throw new HTTPException(429, {
        message: `too many requests; retry in ${verdict.retryAfterSeconds} s`,
        cause: "rate_limited",
        res: new Response(null, { headers: { "Retry-After": String(verdict.retryAfterSeconds) } }),
      });
    }
    await next();
  };
}

async function usernameFromBody(c: Context): Promise<string | undefined> {
  if (!c.req.header("content-type")?.includes("application/json")) return undefined;
  const body = await c.req.json().catch(() => undefined);
  const username = (body as { username?: unknown } | undefined)?.username;
  return typeof username === "string" ? username.trim().toLowerCase().slice(0, 64) : undefined;
}
