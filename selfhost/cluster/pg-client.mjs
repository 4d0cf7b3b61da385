/**
 * A Postgres connection the node runner keeps across beats: opened on first use, forgotten when
 * it fails (the next use opens a new one), so one dropped connection never stops the loop.
 */
import pg from "pg";

/** @param {import("pg").ClientConfig} config */
export function lazyClient(config) {
  /** @type {pg.Client | undefined} */
  let client;
  return {
    async get() {
      if (client) return client;
      const next = new pg.Client(config);
      next.on("error", () => {
        if (client === next) client = undefined;
      });
      await next.connect();
      client = next;
      return next;
    },
    drop() {
      client?.end().catch(() => {});
      client = undefined;
    },
  };
}
