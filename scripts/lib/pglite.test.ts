/**
 * The PGlite fallback over the wire protocol with several clients at once (scripts/lib/pglite.mjs):
 * every client gets its own answers, a client that gives up while waiting for its turn leaves the
 * queue (the next one is served), and stopping does not wait for a connected client. The
 * interleaving the queue prevents shows under load, when one query's protocol messages arrive in
 * several reads: `npm run bench:datastore` is where it was found and is checked row by row.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPglite } from "./pglite.mjs";

const dir = mkdtempSync(join(tmpdir(), "leviathan-pglite-test-"));
let server: Awaited<ReturnType<typeof startPglite>>;
let stopped = false;

beforeAll(async () => {
  server = await startPglite({ dataDir: join(dir, "data") });
}, 60_000);

afterAll(async () => {
  if (!stopped) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function session<T>(work: (client: pg.Client) => Promise<T>, options: Partial<pg.ClientConfig> = {}): Promise<T> {
  const client = new pg.Client({ connectionString: server.url, ...options });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe("PGlite served one connection at a time", () => {
  it("gives each of many concurrent clients its own rows and statements", async () => {
    await session((c) => c.query("CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, owner text NOT NULL)"));
    const owners = Array.from({ length: 16 }, (_, i) => `owner-${i}`);
    // Statements with different parameter counts, interleaved across clients: in one shared session
    // one client's bind would meet another's parse.
    const seen = await Promise.all(
      owners.map((owner, i) =>
        session(async (c) => {
          const answers: unknown[] = [];
          for (let round = 0; round < 10; round++) {
            const id = i * 100 + round;
            // Sent without waiting, as a driver pipelines: each answer must still be this client's.
            const [, owned, echoed] = await Promise.all([
              c.query("INSERT INTO notes (id, owner) VALUES ($1, $2)", [id, owner]),
              c.query("SELECT owner FROM notes WHERE id = $1", [id]),
              c.query("SELECT $1::text AS a, $2::int AS b, $3::int AS c", [owner, id, round]),
            ]);
            answers.push(owned.rows[0]?.owner, echoed.rows[0]?.a);
          }
          return answers;
        }),
      ),
    );
    expect(seen).toEqual(owners.map((owner) => Array(20).fill(owner)));
    const count = await session((c) => c.query("SELECT count(*)::int AS n FROM notes"));
    expect(count.rows[0].n).toBe(owners.length * 10);
  }, 60_000);

  it("drops a client that gave up while waiting, and serves the next one", async () => {
    const holder = new pg.Client({ connectionString: server.url });
    await holder.connect();
    const quitter = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 300 });
    await expect(quitter.connect()).rejects.toThrow(/timeout/i);
    await holder.end();
    const one = await session((c) => c.query("SELECT 1 AS one"));
    expect(one.rows[0].one).toBe(1);
  }, 30_000);

  it("stops while a client still holds its connection", async () => {
    const lingering = new pg.Client({ connectionString: server.url });
    lingering.on("error", () => {});
    await lingering.connect();
    const outcome = await Promise.race([
      server.stop().then(() => "stopped"),
      new Promise((resolve) => setTimeout(() => resolve("still waiting after 10 s"), 10_000)),
    ]);
    stopped = true;
    expect(outcome).toBe("stopped");
  }, 30_000);
});
