/**
 * Postgres going away: logins answer 503 with a clear error, players already in a zone keep
 * playing, and the character writes owed meanwhile reach Postgres once it is back.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrateDatabase } from "../../scripts/lib/migrate.mjs";
import { freePort, type RunningPostgres, startPostgres } from "../../scripts/lib/postgres.mjs";
import { Api } from "../support/api";
import { type HarnessRealm, startHarness } from "../support/harness";
import { TestClient } from "../support/ws-client";

let root: string;
let port: number;
let server: RunningPostgres;
let realm: HarnessRealm;

const startOwnPostgres = () => startPostgres({ dataDir: join(root, "data"), port });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "leviathan-outage-"));
  chmodSync(root, 0o755);
  port = await freePort();
  server = await startOwnPostgres();
  await migrateDatabase(server.url);
  realm = await startHarness({ DATABASE_URL: server.url });
});
afterAll(async () => {
  await realm?.harness.close();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

it("answers login with 503 while Postgres is down, keeps players playing, and catches up afterwards", async () => {
  const api = new Api(realm.baseUrl);
  const player = await api.newPlayer("outage");
  const hero = (
    await api.call<{ id: string }>(
      "POST",
      "/characters",
      { name: `Stoic${Date.now().toString(36)}`, class: "warrior" },
      player.accessToken,
    )
  ).body;
  const ticket = (await api.call<{ url: string }>("POST", "/play/ticket", { characterId: hero.id }, player.accessToken))
    .body;
  const client = await TestClient.connect(ticket.url);
  await client.hello("x");

  await server.stop();

  const started = Date.now();
  const login = await api.call("POST", "/auth/login", { username: player.username, password: player.password });
  expect(login.status).toBe(503);
  expect(login.body).toMatchObject({ error: "database_unavailable" });
  expect(String(login.body.message)).toMatch(/database/);
  expect(login.headers.get("retry-after")).toBe("5");
  expect(Date.now() - started).toBeLessThan(10_000); // refused promptly, not hung

  // The zone does not need Postgres to keep running the game.
  client.send({ type: "say", text: "the archives are closed but the tavern is open" });
  expect(await client.nextOfType("said")).toMatchObject({ text: "the archives are closed but the tavern is open" });
  expect(await client.ping(5)).toMatchObject({ type: "pong" });
  await new Promise((r) => setTimeout(r, 1500));
  await client.close();

  // The write owed for this session waits in the zone's SQLite.
  const zone = await realm.harness.getWorker().getDurableObjectStorage("ZONES", { name: "local:zone:start" });
  let pending: unknown[] = [];
  for (let i = 0; i < 50 && pending.length === 0; i++) {
    pending = await zone.exec("SELECT character_id FROM character_writes WHERE character_id = ?", hero.id);
    if (pending.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(pending).toHaveLength(1);
  // An operator sees it: the queued write, the failed Postgres sessions, the refused login.
  let metrics = "";
  for (let i = 0; i < 40; i++) {
    metrics = await (await fetch(`${realm.baseUrl}/metrics`)).text();
    if (/leviathan_writeback_pending\{realm="[^"]*",zone="start"\} [1-9]/.test(metrics)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(metrics).toMatch(/leviathan_writeback_pending\{realm="[^"]*",zone="start"\} [1-9]/);
  expect(metrics).toMatch(/leviathan_database_errors_total\{realm="[^"]*"\} [1-9]/);
  expect(metrics).toMatch(/leviathan_auth_total\{realm="[^"]*",action="login",outcome="database_unavailable"\} [1-9]/);

  server = await startOwnPostgres();
  const sql = new pg.Client({ connectionString: server.url });
  await sql.connect();
  try {
    let row = { version: 1, play_seconds: 0 };
    for (let i = 0; i < 150 && row.version === 1; i++) {
      await new Promise((r) => setTimeout(r, 200));
      row = (await sql.query("SELECT version, play_seconds FROM characters WHERE id = $1", [hero.id])).rows[0];
    }
    expect(row.version).toBe(2);
    expect(row.play_seconds).toBeGreaterThanOrEqual(1);
    expect(await zone.exec("SELECT character_id FROM character_writes WHERE character_id = ?", hero.id)).toEqual([]);
  } finally {
    await sql.end();
  }
  // And logins work again.
  expect((await api.call("POST", "/auth/login", { username: player.username, password: player.password })).status).toBe(
    200,
  );
});

it("does not spend a ticket refused because Postgres is down: the same ticket works once it is back", async () => {
  const api = new Api(realm.baseUrl);
  const player = await api.newPlayer("retry");
  const hero = (
    await api.call<{ id: string; name: string }>(
      "POST",
      "/characters",
      { name: `Patient${Date.now().toString(36)}`, class: "mage" },
      player.accessToken,
    )
  ).body;
  const ticket = (await api.call<{ url: string }>("POST", "/play/ticket", { characterId: hero.id }, player.accessToken))
    .body;

  await server.stop();
  const refused = await TestClient.connect(ticket.url).then(
    () => undefined,
    (error: { status?: number; body?: string }) => error,
  );
  expect(refused?.status).toBe(503);
  expect(JSON.parse(refused?.body ?? "{}")).toMatchObject({ error: "database_unavailable" });

  server = await startOwnPostgres();
  // As the 503 says: retry after a while, with the same ticket.
  const client = await TestClient.connect(ticket.url);
  expect(await client.hello("x")).toMatchObject({ type: "welcome", character: { id: hero.id, name: hero.name } });
  await client.close();
  // Spent by that success: a replay is refused.
  const replay = await TestClient.connect(ticket.url).then(
    () => undefined,
    (error: { status?: number; body?: string }) => error,
  );
  expect(replay?.status).toBe(401);
  expect(JSON.parse(replay?.body ?? "{}")).toMatchObject({ error: "invalid_ticket" });
});
