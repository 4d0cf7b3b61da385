/**
 * Zero-install fallback for local play on a machine without PostgreSQL binaries: PGlite (Postgres
 * compiled to WebAssembly) served over the Postgres wire protocol on 127.0.0.1, so the realm
 * connects to it exactly as to a real server. It serializes concurrent transactions, so it is
 * never what tests run against.
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { freePort } from "./postgres.mjs";

/** @param {{ dataDir: string, log?: (line: string) => void }} options */
export async function startPglite({ dataDir, log = () => {} }) {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 100 });
  await server.start();
  log(`PGlite serving ${dataDir} on 127.0.0.1:${port}`);
  return {
    // PGlite's single database is "postgres"; it accepts any user without a password.
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
