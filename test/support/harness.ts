/**
 * Starts the realm under wrangler's test harness (workerd via Miniflare, storage in memory,
 * a real HTTP/WebSocket server on 127.0.0.1 with a free port).
 */
import { createTestHarness, type TestHarness } from "wrangler";

export interface HarnessRealm {
  baseUrl: string;
  harness: TestHarness;
}

export async function startHarness(vars: Record<string, string> = {}): Promise<HarnessRealm> {
  process.env.WRANGLER_SEND_METRICS = "false";
  const harness = createTestHarness({
    workers: [{ configPath: "./wrangler.toml", vars: { LOG_LEVEL: "warn", ALLOW_GUESTS: "true", ...vars } }],
  });
  const { url } = await harness.listen();
  return { baseUrl: url.origin, harness };
}
