/**
 * Accounts end to end against a real Postgres: register → login → character → ticket →
 * WebSocket, refresh rotation and reuse detection, rate limits, roles and write-back.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { issueTicket } from "../../shared/auth/ticket";
import { Api } from "../support/api";
import { type HarnessRealm, startHarness, TEST_JWT_SECRET } from "../support/harness";
import { TestClient } from "../support/ws-client";

let realm: HarnessRealm;
let api: Api;
let sql: pg.Client;

beforeAll(async () => {
  // A minute's first wait: the throttling verdicts below never depend on how fast this machine answers.
  realm = await startHarness({ ALLOW_GUESTS: "false", CHARACTERS_PER_ACCOUNT: "2", LOGIN_THROTTLE_BASE_MS: "60000" });
  api = new Api(realm.baseUrl);
  sql = new pg.Client({ connectionString: inject("databaseUrl") });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await realm?.harness.close();
});

const wsBase = () => realm.baseUrl.replace(/^http/, "ws");

async function newCharacter(accessToken: string, name = `Hero${Math.random().toString(36).slice(2, 8)}`) {
  const created = await api.call<{ id: string; name: string }>(
    "POST",
    "/characters",
    { name, class: "mage" },
    accessToken,
  );
  expect(created.status).toBe(201);
  return created.body;
}

async function ticketFor(accessToken: string, characterId: string) {
  const response = await api.call<{ ticket: string; url: string }>(
    "POST",
    "/play/ticket",
    { characterId },
    accessToken,
  );
  expect(response.status).toBe(200);
  return response.body;
}

/** Connects with a ticket; resolves the HTTP status when the upgrade is refused. */
const refusedStatus = (url: string) =>
  TestClient.connect(url).then(
    async (client) => {
      await client.close();
      return 101;
    },
    (error: { status?: number }) => error.status,
  );

describe("accounts", () => {
  it("registers, refuses a duplicate username whatever its case, and validates fields", async () => {
    const name = `Ada${Date.now().toString(36)}`;
    expect((await api.call("POST", "/auth/register", { username: name, password: "long enough pw" })).status).toBe(201);
    const duplicate = await api.call("POST", "/auth/register", {
      username: name.toUpperCase(),
      password: "long enough pw",
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ error: "username_taken", field: "username" });
    const short = await api.call("POST", "/auth/register", { username: "x", password: "long enough pw" });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ error: "invalid", field: "username" });
    const weak = await api.call("POST", "/auth/register", { username: `ok${name}`, password: "short" });
    expect(weak.body).toMatchObject({ error: "invalid", field: "password" });
    const notJson = await api.call("POST", "/auth/register", "{nope");
    expect(notJson.status).toBe(400);
  });

  it("answers a wrong password and an unknown user with the same 401", async () => {
    const player = await api.newPlayer();
    const wrong = await api.call("POST", "/auth/login", { username: player.username, password: "not the password" });
    const unknown = await api.call("POST", "/auth/login", { username: `ghost${Date.now()}`, password: "whatever pw" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = ({ requestId: _r, ...rest }: Record<string, unknown>) => rest;
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });

  it("stores no plaintext password, only a PBKDF2 hash", async () => {
    const player = await api.newPlayer("plain");
    const { rows } = await sql.query("SELECT password_hash FROM accounts WHERE username = $1", [player.username]);
    expect(rows[0].password_hash).toMatch(/^pbkdf2-sha256\$\d+\$/);
    expect(Number(rows[0].password_hash.split("$")[1])).toBeGreaterThanOrEqual(100_000);
    const { rows: anywhere } = await sql.query(
      "SELECT count(*)::int AS n FROM accounts WHERE password_hash LIKE '%' || $1 || '%'",
      [player.password],
    );
    expect(anywhere[0].n).toBe(0);
  });

  it("rotates refresh tokens and revokes the whole family when a spent one is replayed", async () => {
    const player = await api.newPlayer();
    const first = await api.call<{ refreshToken: string; accessToken: string }>("POST", "/auth/refresh", {
      refreshToken: player.refreshToken,
    });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(player.refreshToken);
    const replay = await api.call("POST", "/auth/refresh", { refreshToken: player.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: "token_reused" });
    // The successor issued before the replay is dead too.
    const successor = await api.call("POST", "/auth/refresh", { refreshToken: first.body.refreshToken });
    expect(successor.status).toBe(401);
    const { rows } = await sql.query(
      "SELECT count(*)::int AS n FROM audit_log a JOIN accounts u ON u.id = a.account_id WHERE u.username = $1 AND a.event = 'login'",
      [player.username],
    );
    expect(rows[0].n).toBe(1);
  });

  it("logs out by revoking the refresh token's family", async () => {
    const player = await api.newPlayer();
    expect((await api.call("POST", "/auth/logout", { refreshToken: player.refreshToken })).status).toBe(204);
    expect((await api.call("POST", "/auth/refresh", { refreshToken: player.refreshToken })).status).toBe(401);
  });

  it("slows a guesser on one username with growing waits, and never keeps the owner out", async () => {
    const owner = new Api(realm.baseUrl);
    const player = await owner.newPlayer();
    const attacker = new Api(realm.baseUrl, "172.16.0.9");
    const guess = () => attacker.call("POST", "/auth/login", { username: player.username, password: "guess" });
    // Ten wrong passwords a minute from one address: five are judged, then the address must wait.
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof guess>> | undefined;
    for (let i = 0; i < 10; i++) {
      const response = await guess();
      statuses.push(response.status);
      if (response.status === 429) throttled = response;
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    // Spelling the username another way (fullwidth, upper case) reaches the same account and the same count.
    const fullwidth = [...player.username.toUpperCase()]
      .map((c) => (/[A-Z0-9]/.test(c) ? String.fromCodePoint((c.codePointAt(0) as number) + 0xfee0) : c))
      .join("");
    const respelled = await attacker.call("POST", "/auth/login", { username: fullwidth, password: "guess" });
    expect(respelled).toMatchObject({ status: 429, body: { error: "login_throttled" } });
    expect(throttled?.body).toMatchObject({ error: "login_throttled" });
    expect(Number(throttled?.headers.get("retry-after"))).toBeGreaterThan(0);
    // The owner, from another address, is not affected at all.
    const fromElsewhere = new Api(realm.baseUrl, "203.0.113.77");
    const ok = await fromElsewhere.call<{ deviceToken: string }>("POST", "/auth/login", {
      username: player.username,
      password: player.password,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.deviceToken).toEqual(expect.any(String));
  });

  it("under guesses from many addresses, unknown devices wait but the owner's device and address do not", async () => {
    const owner = new Api(realm.baseUrl);
    const player = await owner.newPlayer(); // logs in once from owner.ip: a known address from now on
    const first = await owner.call<{ deviceToken: string }>("POST", "/auth/login", {
      username: player.username,
      password: player.password,
    });
    const deviceToken = first.body.deviceToken;
    const botStatuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const bot = new Api(realm.baseUrl, `198.51.100.${i + 1}`);
      botStatuses.push(
        (await bot.call("POST", "/auth/login", { username: player.username, password: `g${i}` })).status,
      );
    }
    // Twenty unknown clients are judged; after that every unknown client must wait its turn.
    expect(botStatuses).toEqual([...new Array(20).fill(401), ...new Array(5).fill(429)]);
    const credentials = { username: player.username, password: player.password };
    // A new device at a new address: the username-wide count for unknown clients is past its free failures.
    const stranger = await new Api(realm.baseUrl, "192.0.2.200").call("POST", "/auth/login", credentials);
    expect(stranger.status).toBe(429);
    expect(stranger.body).toMatchObject({ error: "login_throttled", message: expect.stringMatching(/deviceToken/) });
    // The owner's device token, from a brand-new address, goes straight through…
    const withDevice = await new Api(realm.baseUrl, "192.0.2.201").call("POST", "/auth/login", {
      ...credentials,
      deviceToken,
    });
    expect(withDevice.status).toBe(200);
    // …and so does the address the owner signed in from before, even without the token.
    expect((await owner.call("POST", "/auth/login", credentials)).status).toBe(200);
    // A device token does not replace the password.
    const wrong = await new Api(realm.baseUrl, "192.0.2.202").call("POST", "/auth/login", {
      username: player.username,
      password: "not it",
      deviceToken,
    });
    expect(wrong.status).toBe(401);
  });

  it("refuses admin routes to players (403) and without a token (401)", async () => {
    const player = await api.newPlayer();
    expect((await api.call("GET", "/admin/realm")).status).toBe(401);
    expect((await api.call("GET", "/admin/realm", undefined, player.accessToken)).status).toBe(403);
    await sql.query("UPDATE accounts SET roles = ARRAY['player','admin'] WHERE username = $1", [player.username]);
    const login = await api.call<{ accessToken: string }>("POST", "/auth/login", {
      username: player.username,
      password: player.password,
    });
    const admin = await api.call("GET", "/admin/realm", undefined, login.body.accessToken);
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ realm: "local", admin: player.username });
  });
});

describe("characters", () => {
  it("creates characters with rolled stats, lists them, enforces the per-account limit, deletes", async () => {
    const player = await api.newPlayer();
    const hero = await api.call<Record<string, number | string>>(
      "POST",
      "/characters",
      { name: `Mira${Date.now().toString(36)}`, class: "mage" },
      player.accessToken,
    );
    expect(hero.status).toBe(201);
    expect(hero.body).toMatchObject({ class: "mage", level: 1, zoneId: "start" });
    expect(hero.body.int).toBeGreaterThanOrEqual(14);
    expect(hero.body.int).toBeLessThanOrEqual(17);
    const badClass = await api.call("POST", "/characters", { name: "Nobody", class: "bard" }, player.accessToken);
    expect(badClass.body).toMatchObject({ error: "invalid", field: "class" });
    await newCharacter(player.accessToken);
    const third = await api.call(
      "POST",
      "/characters",
      { name: `Extra${Date.now().toString(36)}`, class: "warrior" },
      player.accessToken,
    );
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ error: "limit_reached" });
    const list = await api.call<{ characters: { id: string }[] }>("GET", "/characters", undefined, player.accessToken);
    expect(list.body.characters).toHaveLength(2);
    const other = await api.newPlayer();
    expect((await api.call("DELETE", `/characters/${hero.body.id}`, undefined, other.accessToken)).status).toBe(404);
    expect((await api.call("DELETE", `/characters/${hero.body.id}`, undefined, player.accessToken)).status).toBe(204);
    expect((await api.call("GET", "/characters", undefined, player.accessToken)).body.characters).toHaveLength(1);
  });

  it("refuses a character name already taken, whatever its case", async () => {
    const a = await api.newPlayer();
    const b = await api.newPlayer();
    const name = `Twin${Date.now().toString(36)}`;
    await newCharacter(a.accessToken, name);
    const clash = await api.call("POST", "/characters", { name: name.toLowerCase(), class: "warrior" }, b.accessToken);
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ error: "name_taken", field: "name" });
  });

  it("refuses a look-alike of a taken name (409) and an invisible or mixed-script name (400 on name)", async () => {
    const a = await api.newPlayer();
    const b = await api.newPlayer();
    const suffix = lettersTag();
    const merlin = await newCharacter(a.accessToken, `Ｍｅｒｌｉｎ${suffix}`);
    expect(merlin.name).toBe(`Merlin${suffix}`); // stored NFKC
    for (const lookalike of [`MERL1N${suffix}`, `MerIin${suffix}`, `Merlln${suffix}`]) {
      const clash = await api.call("POST", "/characters", { name: lookalike, class: "mage" }, b.accessToken);
      expect(clash.status, lookalike).toBe(409);
      expect(clash.body).toMatchObject({ error: "name_taken", field: "name" });
    }
    for (const refused of ["\u3164\u3164\u3164", `Mer\u200Blin${suffix}`, `M\u0435rlin${suffix}`]) {
      const response = await api.call("POST", "/characters", { name: refused, class: "mage" }, b.accessToken);
      expect(response.status, refused).toBe(400);
      expect(response.body).toMatchObject({ error: "invalid", field: "name" });
    }
  });

  it("refuses a username that looks like a taken one: admin, then adrnin", async () => {
    const suffix = lettersTag();
    const password = "long enough pw";
    const client = new Api(realm.baseUrl); // an address of its own, clear of the other tests' rate limits
    expect((await client.call("POST", "/auth/register", { username: `admin${suffix}`, password })).status).toBe(201);
    const twin = await client.call("POST", "/auth/register", { username: `adrnin${suffix}`, password });
    expect(twin.status).toBe(409);
    expect(twin.body).toMatchObject({ error: "username_taken", field: "username" });
  });
});

/** Random lowercase letters that no confusable folds together (no i, l, m, o, r, s…), for unique names. */
const lettersTag = () => Array.from({ length: 8 }, () => "abcdefghjkpqtwxyz"[Math.floor(Math.random() * 17)]).join("");

describe("play tickets", () => {
  it("takes a character into its zone with a single-use ticket, and welcome names the character", async () => {
    const player = await api.newPlayer();
    const hero = await newCharacter(player.accessToken);
    const { url, ticket } = await ticketFor(player.accessToken, hero.id);
    expect(url).toBe(`${wsBase()}/play?ticket=${ticket}`);
    const client = await TestClient.connect(url);
    const welcome = await client.hello("ignored for characters");
    expect(welcome).toMatchObject({
      name: hero.name,
      zone: "start",
      character: { id: hero.id, name: hero.name, class: "mage" },
    });
    expect(await refusedStatus(url)).toBe(401); // replayed
    await client.close();
  });

  it("refuses forged, expired and missing tickets before the upgrade", async () => {
    const player = await api.newPlayer();
    const hero = await newCharacter(player.accessToken);
    const { ticket } = await ticketFor(player.accessToken, hero.id);
    const [payload, mac] = ticket.split(".");
    const forged = `${payload?.slice(0, -2)}AA.${mac}`;
    expect(await refusedStatus(`${wsBase()}/play?ticket=${forged}`)).toBe(401);
    const otherKey = await issueTicket(
      { accountId: hero.id, characterId: hero.id },
      "some-other-secret",
      Math.floor(Date.now() / 1000),
    );
    expect(await refusedStatus(`${wsBase()}/play?ticket=${otherKey.ticket}`)).toBe(401);
    const expired = await issueTicket(
      {
        accountId: (await sql.query("SELECT account_id FROM characters WHERE id = $1", [hero.id])).rows[0].account_id,
        characterId: hero.id,
      },
      TEST_JWT_SECRET,
      Math.floor(Date.now() / 1000) - 120,
    );
    expect(await refusedStatus(`${wsBase()}/play?ticket=${expired.ticket}`)).toBe(401);
    expect(await refusedStatus(`${wsBase()}/play`)).toBe(401);
  });

  it("will not issue a ticket for someone else's character", async () => {
    const owner = await api.newPlayer();
    const thief = await api.newPlayer();
    const hero = await newCharacter(owner.accessToken);
    const response = await api.call("POST", "/play/ticket", { characterId: hero.id }, thief.accessToken);
    expect(response.status).toBe(404);
  });

  it("keeps guests out unless the dev flag is on", async () => {
    expect(await refusedStatus(`${wsBase()}/ws?zone=start`)).toBe(403);
  });

  it("closes the first session, with the reason, when the character logs in again", async () => {
    const player = await api.newPlayer();
    const hero = await newCharacter(player.accessToken);
    const first = await TestClient.connect((await ticketFor(player.accessToken, hero.id)).url);
    await first.hello("x");
    const second = await TestClient.connect((await ticketFor(player.accessToken, hero.id)).url);
    expect(await first.nextOfType("error")).toMatchObject({ code: "session_replaced" });
    expect((await first.closed).code).toBe(4001);
    expect((await second.hello("x")).name).toBe(hero.name);
    await second.close();
  });

  it("writes the character back to Postgres with a new version when the player leaves", async () => {
    const player = await api.newPlayer();
    const hero = await newCharacter(player.accessToken);
    const before = (await sql.query("SELECT version, play_seconds FROM characters WHERE id = $1", [hero.id])).rows[0];
    const client = await TestClient.connect((await ticketFor(player.accessToken, hero.id)).url);
    await client.hello("x");
    await new Promise((r) => setTimeout(r, 2100));
    await client.close();
    let after = before;
    for (let i = 0; i < 50 && after.version === before.version; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = (await sql.query("SELECT version, play_seconds FROM characters WHERE id = $1", [hero.id])).rows[0];
    }
    expect(after.version).toBe(before.version + 1);
    expect(after.play_seconds).toBeGreaterThanOrEqual(2);
  });
});
