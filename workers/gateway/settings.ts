/**
 * Gateway settings beyond the realm basics: accounts, tickets, rate limits and the database.
 * Parsed once per isolate; a missing secret is reported when a route needs it, with the fix.
 */
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import type { JwtSettings } from "../../shared/auth/jwt";
import { type DatabaseSettings, readDatabaseSettings } from "../../shared/db/client";
import { CLIENT_ADDRESS_MODES, type ClientAddressPolicy, parseCidrList } from "../../shared/net/client-address";
import type { Env } from "./env";

const Flag = z.enum(["true", "false"]).transform((v) => v === "true");

const Schema = z
  .object({
    ALLOW_GUESTS: Flag.default(false),
    CHARACTERS_PER_ACCOUNT: z.coerce.number().int().min(1).max(50).default(5),
    AUTH_RATE_PER_IP: z.coerce.number().int().min(1).default(30),
    TICKET_RATE_PER_ACCOUNT: z.coerce.number().int().min(1).default(30),
    LOGIN_THROTTLE_BASE_MS: z.coerce.number().int().min(100).max(600_000).default(1_000),
    CLIENT_ADDRESS: z.enum(CLIENT_ADDRESS_MODES as [string, ...string[]]).default("cloudflare"),
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((text, ctx) => {
        try {
          return parseCidrList(text);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
          return z.NEVER;
        }
      }),
    PROXY_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  })
  .superRefine((s, ctx) => {
    // Proxy mode with nothing to recognise the proxy by would count every player under the proxy's
    // own address: the one shared bucket these settings exist to prevent.
    if (s.CLIENT_ADDRESS === "proxy" && s.TRUSTED_PROXIES.length === 0 && !s.PROXY_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["CLIENT_ADDRESS"],
        message: "proxy needs TRUSTED_PROXIES (your proxies' addresses) or PROXY_SECRET (sent by your proxy)",
      });
    }
  });

/** Settings that were replaced, with what to set instead (a silent ignore would weaken limits). */
const RETIRED: Record<string, string> = {
  TRUST_FORWARDED_FOR:
    "set CLIENT_ADDRESS=proxy with TRUSTED_PROXIES (your proxies' addresses) or PROXY_SECRET instead; see docs/accounts.md",
  AUTH_RATE_PER_USERNAME:
    "logins are now throttled by failed attempts per username and client (docs/accounts.md); remove the setting",
};

export interface GatewaySettings {
  allowGuests: boolean;
  charactersPerAccount: number;
  authRatePerIp: number;
  ticketRatePerAccount: number;
  /** First wait of login throttling; each further failure doubles it (docs/accounts.md). */
  loginThrottleBaseMs: number;
  clientAddress: ClientAddressPolicy;
  jwtSecret: string | undefined;
  database: DatabaseSettings | undefined;
}

/** Access tokens live 15 minutes. */
export const ACCESS_TTL_SECONDS = 15 * 60;

let cached: { env: Env; settings: GatewaySettings } | undefined;

export function gatewaySettings(env: Env): GatewaySettings {
  if (cached?.env === env) return cached.settings;
  for (const [name, instead] of Object.entries(RETIRED)) {
    if ((env as unknown as Record<string, unknown>)[name] !== undefined) {
      throw new Error(`The gateway setting ${name} was retired: ${instead}`);
    }
  }
  const parsed = Schema.safeParse({
    ALLOW_GUESTS: env.ALLOW_GUESTS || undefined,
    CHARACTERS_PER_ACCOUNT: env.CHARACTERS_PER_ACCOUNT || undefined,
    AUTH_RATE_PER_IP: env.AUTH_RATE_PER_IP || undefined,
    TICKET_RATE_PER_ACCOUNT: env.TICKET_RATE_PER_ACCOUNT || undefined,
    LOGIN_THROTTLE_BASE_MS: env.LOGIN_THROTTLE_BASE_MS || undefined,
    CLIENT_ADDRESS: env.CLIENT_ADDRESS || undefined,
    TRUSTED_PROXIES: env.TRUSTED_PROXIES || undefined,
    PROXY_SECRET: env.PROXY_SECRET || undefined,
    JWT_SECRET: env.JWT_SECRET || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid gateway setting ${String(issue?.path[0])}: ${issue?.message}`, { cause: parsed.error });
  }
  const s = parsed.data;
  const settings: GatewaySettings = {
    allowGuests: s.ALLOW_GUESTS,
    charactersPerAccount: s.CHARACTERS_PER_ACCOUNT,
    authRatePerIp: s.AUTH_RATE_PER_IP,
    ticketRatePerAccount: s.TICKET_RATE_PER_ACCOUNT,
    loginThrottleBaseMs: s.LOGIN_THROTTLE_BASE_MS,
    clientAddress: {
      mode: s.CLIENT_ADDRESS as ClientAddressPolicy["mode"],
      trustedProxies: s.TRUSTED_PROXIES,
      proxySecret: s.PROXY_SECRET,
    },
    jwtSecret: s.JWT_SECRET,
    database: readDatabaseSettings(env),
  };
  cached = { env, settings };
  return settings;
}

/** The database settings, or a 503 that says how to configure them. */
export function requireDatabase(env: Env): DatabaseSettings {
  const database = gatewaySettings(env).database;
  if (!database) {
    throw new HTTPException(503, {
      message: "no database is configured: set DATABASE_URL (npm start and npm test start one for you)",
      cause: "database_unavailable",
    });
  }
  return database;
}

export function requireJwt(env: Env, realm: string): JwtSettings {
  const secret = gatewaySettings(env).jwtSecret;
  if (!secret) {
    throw new HTTPException(503, {
      message: "JWT_SECRET is not set: add it as a secret (32+ characters) to enable accounts",
      cause: "auth_unconfigured",
    });
  }
  return {
    secret,
    issuer: `leviathan:${realm}`,
    audience: `leviathan:${realm}:players`,
    ttlSeconds: ACCESS_TTL_SECONDS,
  };
}
