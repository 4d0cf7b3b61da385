/**
 * Realm settings read from Worker vars (wrangler.toml [vars], or the generated workerd config).
 * Parsed once per isolate; a bad value fails loudly with the variable named.
 */
import { z } from "zod";

const RealmConfigSchema = z.object({
  REALM: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "lower-case letters, digits and -, at most 32"),
  TICK_RATE_HZ: z.coerce.number().min(1).max(60),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).max(19_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]),
  GM_CONSOLE_FOR_GUESTS: z.enum(["true", "false"]),
  RECONNECT_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600),
  ZONE_INSTANCE_CAP: z.coerce.number().int().min(0).max(19_000),
  INSTANCE_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400),
  PLUGINS: z
    .string()
    .transform((list) =>
      list
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== ""),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a comma-separated list of plugin names, e.g. "lantern-festival"'),
      ),
    ),
});

export type RealmConfig = {
  realm: string;
  tickRateHz: number;
  maxConnections: number;
  logLevel: LogLevel;
  /**
   * Guests may use the GM console of field zones (development, tests and the benchmark only);
   * otherwise only accounts with the `gm` or `admin` role may.
   */
  gmConsoleForGuests: boolean;
  /**
   * How long a character whose connection dropped stays in the world, shown as linkdead, so that
   * reconnecting resumes it where it was; 0 lets it go at once (docs/architecture.md, "Reconnect").
   */
  reconnectGraceMs: number;
  /**
   * Players a zone holds before travellers into it go to a new instance of it (`<zone>~2`, …); 0
   * never splits (docs/architecture.md, "Parties and instances").
   */
  zoneInstanceCap: number;
  /** How long an instance stays once nobody is in it and nothing is owed, before it is discarded. */
  instanceIdleMs: number;
  /**
   * The installed plugins this realm enables, by name (docs/plugins.md); none by default. The order
   * written does not matter: plugins load in the installed list's order.
   */
  plugins: string[];
};
export type LogLevel = "debug" | "info" | "warn" | "error";

const DEFAULTS = {
  REALM: "local",
  TICK_RATE_HZ: "10",
  MAX_CONNECTIONS: "5000",
  LOG_LEVEL: "info",
  GM_CONSOLE_FOR_GUESTS: "false",
  RECONNECT_GRACE_SECONDS: "60",
  ZONE_INSTANCE_CAP: "0",
  INSTANCE_IDLE_SECONDS: "600",
  PLUGINS: "",
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function readRealmConfig(env: Partial<Record<keyof typeof DEFAULTS, unknown>>): RealmConfig {
  const parsed = RealmConfigSchema.safeParse({
    REALM: env.REALM ?? DEFAULTS.REALM,
    TICK_RATE_HZ: env.TICK_RATE_HZ ?? DEFAULTS.TICK_RATE_HZ,
    MAX_CONNECTIONS: env.MAX_CONNECTIONS ?? DEFAULTS.MAX_CONNECTIONS,
    LOG_LEVEL: env.LOG_LEVEL ?? DEFAULTS.LOG_LEVEL,
    GM_CONSOLE_FOR_GUESTS: env.GM_CONSOLE_FOR_GUESTS ?? DEFAULTS.GM_CONSOLE_FOR_GUESTS,
    RECONNECT_GRACE_SECONDS: env.RECONNECT_GRACE_SECONDS ?? DEFAULTS.RECONNECT_GRACE_SECONDS,
    ZONE_INSTANCE_CAP: env.ZONE_INSTANCE_CAP ?? DEFAULTS.ZONE_INSTANCE_CAP,
    INSTANCE_IDLE_SECONDS: env.INSTANCE_IDLE_SECONDS ?? DEFAULTS.INSTANCE_IDLE_SECONDS,
    PLUGINS: env.PLUGINS ?? DEFAULTS.PLUGINS,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `Invalid realm setting ${String(issue?.path[0])}: ${issue?.message}. Fix it in wrangler.toml [vars] or the environment.`,
      { cause: parsed.error },
    );
  }
  const c = parsed.data;
  return {
    realm: c.REALM,
    tickRateHz: c.TICK_RATE_HZ,
    maxConnections: c.MAX_CONNECTIONS,
    logLevel: c.LOG_LEVEL,
    gmConsoleForGuests: c.GM_CONSOLE_FOR_GUESTS === "true",
    reconnectGraceMs: c.RECONNECT_GRACE_SECONDS * 1000,
    zoneInstanceCap: c.ZONE_INSTANCE_CAP,
    instanceIdleMs: c.INSTANCE_IDLE_SECONDS * 1000,
    plugins: c.PLUGINS,
  };
}

/** Zone ids as they appear in URLs and DO names. */
export const ZONE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}(~[a-z0-9][a-z0-9-]{0,31})?$/;

/**
 * Zone ids name a zone of the content, or an instance of one: `<zone>~<instance>` (e.g.
 * `whispering-woods~2`) runs the same content as `<zone>` in its own object, with its own state
 * (docs/architecture.md, "Parties and instances").
 */
export const baseZoneOf = (zoneId: string): string => zoneId.split("~")[0] as string;
export const instanceOf = (baseZone: string, instance: string): string => `${baseZone}~${instance}`;

/** Durable Object names carry the realm so several realms can share one deployment. */
export const zoneObjectName = (realm: string, zoneId: string) => `${realm}:zone:${zoneId}`;
export const directoryObjectName = (realm: string) => `${realm}:directory`;
export const limiterObjectName = (realm: string) => `${realm}:limiter`;

/** Inverse of zoneObjectName; undefined when the name is not a zone's. */
export function parseZoneObjectName(name: string | undefined): { realm: string; zoneId: string } | undefined {
  const match = name?.match(/^([^:]+):zone:(.+)$/);
  return match ? { realm: match[1] as string, zoneId: match[2] as string } : undefined;
}
