/**
 * Zero-install fallback for local play on a machine without PostgreSQL binaries: PGlite (Postgres
 * compiled to WebAssembly) served over the Postgres wire protocol on 127.0.0.1, so the realm
 * connects to it exactly as to a real server. It is never what tests run against.
 *
 * PGlite has one session. Its socket server, given several connections, interleaves their protocol
 * messages in that one session: measured (`npm run bench:datastore`), concurrent connections got
 * each other's rows and unnamed statements, and acknowledged writes were lost. So connections are
 * let through one at a time: the others wait, accepted but unread, until the one before closes.
 * The realm holds a connection only for one unit of work (docs/decisions.md D14), so the queue
 * drains; a connection waiting longer than the realm's connect timeout fails as the database being
 * unavailable, never as another player's data. An outside client (psql) holding a connection open
 * holds the realm's database calls back for as long.
 */
import { mkdirSync } from "node:fs";
import { connect, createServer } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { freePort } from "./postgres.mjs";

/** @param {{ dataDir: string, log?: (line: string) => void }} options */
export async function startPglite({ dataDir, log = () => {} }) {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const innerPort = await freePort();
  const server = new PGLiteSocketServer({ db, port: innerPort, host: "127.0.0.1", maxConnections: 1 });
  await server.start();
  const front = await oneAtATime(innerPort);
  log(`PGlite serving ${dataDir} on 127.0.0.1:${front.port}, one connection at a time`);
  return {
    // PGlite's single database is "postgres"; it accepts any user without a password.
    url: `postgres://postgres@127.0.0.1:${front.port}/postgres`,
    async stop() {
      await front.close();
      await server.stop();
      await db.close();
    },
  };
}

/**
 * A loopback TCP front that accepts any number of connections and joins them to `innerPort` one
 * at a time, in arrival order. A waiting connection is read into a buffer (so that one which gives
 * up leaves the queue at once), and what it sent is passed on when its turn comes.
 * @param {number} innerPort
 */
async function oneAtATime(innerPort) {
  /** @type {{ client: import("node:net").Socket, sent: Buffer[] }[]} */
  const waiting = [];
  /** @type {import("node:net").Socket[]} */
  let active = [];
  const next = () => {
    if (active.length) return;
    const turn = waiting.shift();
    if (!turn) return;
    const { client, sent } = turn;
    client.removeAllListeners("data");
    const inner = connect(innerPort, "127.0.0.1");
    active = [client, inner];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      client.destroy();
      inner.destroy();
      // Let PGlite's server see the close before the next connection opens.
      setImmediate(() => {
        active = [];
        next();
      });
    };
    for (const socket of [client, inner]) {
      socket.on("close", finish);
      socket.on("error", finish);
    }
    for (const chunk of sent) inner.write(chunk);
    client.pipe(inner);
    inner.pipe(client);
  };
  const front = createServer((client) => {
    const turn = { client, sent: /** @type {Buffer[]} */ ([]) };
    waiting.push(turn);
    client.on("data", (chunk) => turn.sent.push(chunk));
    // A client that gives up while waiting leaves the queue.
    const leave = () => {
      const at = waiting.indexOf(turn);
      if (at >= 0) waiting.splice(at, 1);
    };
    client.on("close", leave);
    client.on("error", () => client.destroy());
    next();
  });
  const port = await freePort();
  await new Promise((resolve, reject) => {
    front.once("error", reject);
    front.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  return {
    port,
    /** Closes every connection, the one let through included, and stops accepting. @returns {Promise<void>} */
    close: () =>
      new Promise((resolve) => {
        for (const { client } of waiting.splice(0)) client.destroy();
        for (const socket of active) socket.destroy();
        front.close(() => resolve());
      }),
  };
}
