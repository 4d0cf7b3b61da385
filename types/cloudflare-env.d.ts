/**
 * The realm's environment: bindings, vars and secrets the Worker and its Durable Objects receive
 * (see wrangler.toml; the self-host config passes the same names). Declared here, in an ambient
 * file, so the gateway and the objects both see it as `Cloudflare.Env` without importing each
 * other: objects sit below the gateway (docs/architecture.md). It also tells `cloudflare:test` and
 * `cloudflare:workers` this Worker's shape.
 */
declare namespace Cloudflare {
  interface Env {
    ZONES: DurableObjectNamespace<import("../durable/zone/zone").ZoneDurableObject>;
    DIRECTORY: DurableObjectNamespace<import("../durable/directory/directory").DirectoryDurableObject>;
    LIMITER: DurableObjectNamespace<import("../durable/limiter/limiter").RateLimiterDurableObject>;
    /**
     * The web client's build (client/web/dist): wrangler.toml [assets] on Cloudflare and under
     * wrangler, a disk service in the self-host config. Absent when no client was built.
     */
    ASSETS?: Fetcher;
    REALM?: string;
    TICK_RATE_HZ?: string;
    MAX_CONNECTIONS?: string;
    LOG_LEVEL?: string;
    ALLOW_GUESTS?: string;
    GM_CONSOLE_FOR_GUESTS?: string;
    RECONNECT_GRACE_SECONDS?: string;
    ZONE_INSTANCE_CAP?: string;
    INSTANCE_IDLE_SECONDS?: string;
    /** Installed plugins the realm enables, comma-separated (docs/plugins.md). */
    PLUGINS?: string;
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
    /** This node's name in a clustered self-hosted realm (docs/selfhost.md); unset everywhere else. */
    NODE_ID?: string;
    /** Key of the HMAC on calls between nodes, and the one it replaces while a rotation runs. */
    NODE_SECRET?: string;
    NODE_SECRET_PREVIOUS?: string;
  }
  interface GlobalProps {
    mainModule: typeof import("../workers/gateway/index");
    durableNamespaces: "ZoneDurableObject" | "DirectoryDurableObject" | "RateLimiterDurableObject";
  }
}
