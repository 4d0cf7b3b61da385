/**
 * readDatabaseSettings: the driver follows the URL (Neon's hosts → the Neon driver, anything else →
 * pg over TCP) unless DATABASE_DRIVER says otherwise, and bad input fails loudly at startup.
 * The drivers themselves are tested against a real Postgres in test/db/drivers.test.ts.
 */
import { describe, expect, it } from "vitest";
import { readDatabaseSettings } from "./client";

describe("readDatabaseSettings", () => {
  it("returns undefined without a DATABASE_URL", () => {
    expect(readDatabaseSettings({})).toBeUndefined();
    expect(readDatabaseSettings({ DATABASE_URL: "" })).toBeUndefined();
    expect(readDatabaseSettings({ DATABASE_URL: "   ", DATABASE_DRIVER: "neon" })).toBeUndefined();
  });

  it("chooses the Neon driver for *.neon.tech hosts", () => {
    for (const url of [
      "postgres://user:secret@ep-cool-darkness-123456.us-east-2.aws.neon.tech/neondb?sslmode=require",
      "postgresql://user:secret@ep-cool-darkness-123456-pooler.eu-central-1.aws.neon.tech/neondb",
      "postgres://user@EP-UPPER.US-EAST-2.AWS.NEON.TECH/db",
    ]) {
      expect(readDatabaseSettings({ DATABASE_URL: url }), url).toEqual({
        url,
        driver: "neon",
        neonProxy: undefined,
        connectTimeoutMs: 5000,
      });
    }
  });

  it("chooses pg for every other host, including look-alikes", () => {
    for (const url of [
      "postgres://postgres@127.0.0.1:5432/leviathan",
      "postgres://postgres@localhost/leviathan",
      "postgres://app:pw@db.internal:6432/realm",
      "postgres://app@[::1]:5432/realm",
      "postgres://app@neon.tech.example.com/realm",
      "postgres://app@notneon.tech/realm",
    ]) {
      expect(readDatabaseSettings({ DATABASE_URL: url })?.driver, url).toBe("pg");
    }
  });

  it("lets DATABASE_DRIVER override the choice, and passes NEON_WS_PROXY along", () => {
    expect(
      readDatabaseSettings({
        DATABASE_URL: " postgres://postgres@db.internal:5432/realm ",
        DATABASE_DRIVER: " neon ",
        NEON_WS_PROXY: " proxy.internal:5433/v1 ",
      }),
    ).toEqual({
      url: "postgres://postgres@db.internal:5432/realm",
      driver: "neon",
      neonProxy: "proxy.internal:5433/v1",
      connectTimeoutMs: 5000,
    });
    expect(
      readDatabaseSettings({ DATABASE_URL: "postgres://u@ep-x.us-east-2.aws.neon.tech/db", DATABASE_DRIVER: "pg" })
        ?.driver,
    ).toBe("pg");
    expect(
      readDatabaseSettings({ DATABASE_URL: "postgres://u@localhost/db", DATABASE_DRIVER: "", NEON_WS_PROXY: "  " }),
    ).toMatchObject({ driver: "pg", neonProxy: undefined });
  });

  it("rejects a DATABASE_URL that is not a URL", () => {
    for (const url of ["not a url", "localhost:5432/db", "postgres://user@host:notaport/db"]) {
      expect(() => readDatabaseSettings({ DATABASE_URL: url }), url).toThrow(/DATABASE_URL is not a valid URL/);
    }
  });

  it("rejects an unknown DATABASE_DRIVER", () => {
    expect(() => readDatabaseSettings({ DATABASE_URL: "postgres://u@localhost/db", DATABASE_DRIVER: "mysql" })).toThrow(
      'DATABASE_DRIVER must be "pg" or "neon", got "mysql"',
    );
    expect(() => readDatabaseSettings({ DATABASE_URL: "postgres://u@localhost/db", DATABASE_DRIVER: "Neon" })).toThrow(
      /must be "pg" or "neon"/,
    );
  });
});
