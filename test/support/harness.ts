/**
 * Starts the realm under wrangler's test harness (workerd via Miniflare, storage in memory,
 * a real HTTP/WebSocket server on 127.0.0.1 with a free port), wired to the test Postgres.
 */
import { inject } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";

/** Known to tests, so they can mint tokens and tickets the way an attacker with the key could. */
export const TEST_JWT_SECRET = "test-secret-that-is-long-enough-0123456789";
/**
 * The tests stand in for a trusted reverse proxy (CLIENT_ADDRESS=proxy): with this secret their
 * X-Forwarded-For gives each simulated player an address of its own (see test/support/api.ts).
 */
export const TEST_PROXY_SECRET = "test-proxy-secret-0123456789";

export interface HarnessRealm {
  baseUrl: string;
  harness: TestHarness;
}

export async function startHarness(vars: Record<string, string> = {}): Promise<HarnessRealm> {
  process.env.WRANGLER_SEND_METRICS = "false";
  const harness = createTestHarness({
    workers: [
      {
        configPath: "./wrangler.toml",
        vars: {
          LOG_LEVEL: "warn",
          ALLOW_GUESTS: "true",
          DATABASE_URL: inject("databaseUrl"),
          JWT_SECRET: TEST_JWT_SECRET,
          CLIENT_ADDRESS: "proxy",
          PROXY_SECRET: TEST_PROXY_SECRET,
          ...vars,
        },
      },
    ],
  });
  const { url } = await harness.listen();
  return { baseUrl: url.origin, harness };
}
