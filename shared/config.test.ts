import { describe, expect, it } from "vitest";
import {
  baseZoneOf,
  ConfigError,
  directoryObjectName,
  instanceOf,
  parseZoneObjectName,
  readRealmConfig,
  ZONE_ID_PATTERN,
  zoneObjectName,
} from "./config";

/** Runs `readRealmConfig` expecting a ConfigError and returns it. */
function configError(env: Parameters<typeof readRealmConfig>[0]): ConfigError {
  try {
    readRealmConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe("readRealmConfig", () => {
  it("uses the documented defaults when nothing is set", () => {
    expect(readRealmConfig({})).toEqual({
      realm: "local",
      tickRateHz: 10,
      maxConnections: 5000,
      logLevel: "info",
      gmConsoleForGuests: false,
      reconnectGraceMs: 60_000,
      zoneInstanceCap: 0,
      instanceIdleMs: 600_000,
      plugins: [],
    });
  });

  it("reads string vars (as wrangler passes them) and numbers", () => {
    expect(
      readRealmConfig({
        REALM: "eu-west",
        TICK_RATE_HZ: "20",
        MAX_CONNECTIONS: "1200",
        LOG_LEVEL: "debug",
        GM_CONSOLE_FOR_GUESTS: "true",
        RECONNECT_GRACE_SECONDS: "0",
        ZONE_INSTANCE_CAP: "150",
        PLUGINS: " lantern-festival, other-plugin ",
      }),
    ).toEqual({
      realm: "eu-west",
      tickRateHz: 20,
      maxConnections: 1200,
      logLevel: "debug",
      gmConsoleForGuests: true,
      reconnectGraceMs: 0,
      zoneInstanceCap: 150,
      instanceIdleMs: 600_000,
      plugins: ["lantern-festival", "other-plugin"],
    });
    expect(configError({ PLUGINS: "lantern festival" }).message).toMatch(
      /PLUGINS.*comma-separated list of plugin names/,
    );
    expect(configError({ RECONNECT_GRACE_SECONDS: "-1" }).message).toMatch(/RECONNECT_GRACE_SECONDS/);
    expect(readRealmConfig({ GM_CONSOLE_FOR_GUESTS: "false" }).gmConsoleForGuests).toBe(false);
    expect(readRealmConfig({ TICK_RATE_HZ: 30, MAX_CONNECTIONS: 19_000 })).toMatchObject({
      tickRateHz: 30,
      maxConnections: 19_000,
    });
  });

  it("accepts the limits of each range", () => {
    expect(readRealmConfig({ TICK_RATE_HZ: "1", MAX_CONNECTIONS: "1", REALM: "a" })).toMatchObject({
      tickRateHz: 1,
      maxConnections: 1,
      realm: "a",
    });
    expect(readRealmConfig({ TICK_RATE_HZ: "60", REALM: `r${"x".repeat(31)}` }).tickRateHz).toBe(60);
  });

  it.each([
    ["REALM", "EU"],
    ["REALM", "eu:west"],
    ["REALM", "-eu"],
    ["REALM", ""],
    ["REALM", `r${"x".repeat(32)}`],
    ["TICK_RATE_HZ", "fast"],
    ["TICK_RATE_HZ", "0"],
    ["TICK_RATE_HZ", "61"],
    ["TICK_RATE_HZ", ""],
    ["MAX_CONNECTIONS", "0"],
    ["MAX_CONNECTIONS", "2.5"],
    ["MAX_CONNECTIONS", "19001"],
    ["MAX_CONNECTIONS", "lots"],
    ["LOG_LEVEL", "verbose"],
    ["LOG_LEVEL", "INFO"],
    ["GM_CONSOLE_FOR_GUESTS", "yes"],
    ["GM_CONSOLE_FOR_GUESTS", "TRUE"],
    ["GM_CONSOLE_FOR_GUESTS", ""],
  ])("refuses %s=%j with a ConfigError that names the variable", (name, value) => {
    const error = configError({ [name]: value });
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain(`Invalid realm setting ${name}:`);
    expect(error.message).toContain("wrangler.toml [vars]");
    expect(error.cause).toBeDefined();
  });
});

describe("instances", () => {
  it("name an instance of a zone with ~, and find the zone it runs", () => {
    expect(instanceOf("whispering-woods", "2")).toBe("whispering-woods~2");
    expect(baseZoneOf("whispering-woods~2")).toBe("whispering-woods");
    expect(baseZoneOf("start")).toBe("start");
    for (const bad of ["start~", "~2", "start~2~3", "start~A", "start~-x"])
      expect(ZONE_ID_PATTERN.test(bad)).toBe(false);
  });
});

describe("Durable Object names", () => {
  it("carry the realm", () => {
    expect(zoneObjectName("eu", "start")).toBe("eu:zone:start");
    expect(directoryObjectName("eu")).toBe("eu:directory");
  });

  it.each([
    ["local", "start"],
    ["eu-west", "dungeon_7-b"],
    ["na", "0"],
    ["local", "whispering-woods~2"],
  ])("round-trips realm %s and zone %s", (realm, zoneId) => {
    expect(ZONE_ID_PATTERN.test(zoneId)).toBe(true);
    expect(parseZoneObjectName(zoneObjectName(realm, zoneId))).toEqual({ realm, zoneId });
  });

  it.each([undefined, "", "eu:directory", "zone:start", "eu:zone:", ":zone:start", "eu-zone-start"])(
    "does not read %j as a zone name",
    (name) => {
      expect(parseZoneObjectName(name)).toBeUndefined();
    },
  );
});

describe("ZONE_ID_PATTERN", () => {
  it.each(["start", "a", "0-zone", "z_1", "x".repeat(64)])("accepts %j", (id) => {
    expect(ZONE_ID_PATTERN.test(id)).toBe(true);
  });

  it.each(["", "Start", "-start", "_start", "a b", "a:b", "a/b", "x".repeat(65), "zoné"])("refuses %j", (id) => {
    expect(ZONE_ID_PATTERN.test(id)).toBe(false);
  });
});
