import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * One `vitest run` covers every layer:
 *  - unit:     the pure core in shared/, and the objects' session logic over in-memory ports, on Node
 *  - runtime:  Durable Objects and gateway inside workerd (vitest plugin, isolated storage)
 *  - e2e:      real WebSocket clients against the worker started by wrangler
 *  - db:       both database drivers (pg, and Neon through selfhost/neon-proxy.mjs) on a real Postgres
 *  - browser:  the web client in Debian's Chromium (playwright-core), served by the realm
 *  - selfhost: the same smoke suite against plain workerd from the generated self-host config
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          // `*.node.test.ts` beside the objects test their session logic over in-memory ports, without workerd.
          include: [
            "shared/**/*.test.ts",
            "scripts/**/*.test.ts",
            "selfhost/**/*.test.ts",
            "durable/**/*.node.test.ts",
            "client/**/*.test.ts",
            "bench/**/*.test.ts",
          ],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // Quiet the per-command info lines; warnings and errors still show. Guest GMs drive the field tests.
            miniflare: { bindings: { LOG_LEVEL: "warn", ALLOW_GUESTS: "true", GM_CONSOLE_FOR_GUESTS: "true" } },
          }),
        ],
        test: {
          name: "runtime",
          include: ["durable/**/*.test.ts", "workers/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "**/*.node.test.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          globalSetup: ["test/support/postgres-setup.ts"],
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "db",
          environment: "node",
          globalSetup: ["test/support/postgres-setup.ts"],
          include: ["test/db/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "browser",
          environment: "node",
          globalSetup: ["test/support/postgres-setup.ts"],
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "selfhost",
          environment: "node",
          globalSetup: ["test/support/postgres-setup.ts"],
          include: ["test/selfhost/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
