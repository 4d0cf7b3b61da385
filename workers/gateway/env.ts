import type { DirectoryDurableObject } from "../../durable/directory/directory";
import type { RateLimiterDurableObject } from "../../durable/limiter/limiter";
import type { ZoneDurableObject } from "../../durable/zone/zone";

/** Bindings, vars and secrets the Worker and its Durable Objects receive (see wrangler.toml). */
export interface Env {
  ZONES: DurableObjectNamespace<ZoneDurableObject>;
  DIRECTORY: DurableObjectNamespace<DirectoryDurableObject>;
  LIMITER: DurableObjectNamespace<RateLimiterDurableObject>;
  REALM?: string;
  TICK_RATE_HZ?: string;
  MAX_CONNECTIONS?: string;
  LOG_LEVEL?: string;
  ALLOW_GUESTS?: string;
  GM_CONSOLE_FOR_GUESTS?: string;
  CHARACTERS_PER_ACCOUNT?: string;
  AUTH_RATE_PER_IP?: string;
  TICKET_RATE_PER_ACCOUNT?: string;
  LOGIN_THROTTLE_BASE_MS?: string;
  /** Where client addresses come from: cloudflare, socket or proxy (docs/accounts.md). */
  CLIENT_ADDRESS?: string;
  TRUSTED_PROXIES?: string;
  /** Secrets. */
  JWT_SECRET?: string;
  /** Shared secret a trusted reverse proxy sends in x-leviathan-proxy-secret (CLIENT_ADDRESS=proxy). */
  PROXY_SECRET?: string;
  DATABASE_URL?: string;
  DATABASE_DRIVER?: string;
  NEON_WS_PROXY?: string;
}
