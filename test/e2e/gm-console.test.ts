/**
 * The Test Area's GM console belongs to GMs: a guest, or a player without the role, may read
 * (`help`, `stats`) but gets `forbidden` for anything that changes the zone; a character of an
 * account with the `gm` role may; and GM_CONSOLE_FOR_GUESTS opens it to guests for development.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Api } from "../support/api";
import { FieldPlayer } from "../support/field-client";
import { type HarnessRealm, startHarness } from "../support/harness";

const wsUrl = (realm: HarnessRealm) => `${realm.baseUrl.replace(/^http/, "ws")}/ws?zone=test-area`;

/** A GM line's answer: the `info` or the `error` that follows it. */
async function answer(player: FieldPlayer, line: string) {
  player.gm(line);
  return player.client.next((f) => f.type === "info" || f.type === "error");
}

/** A new account with `roles`, and a character of it standing in the Test Area, joined by ticket. */
async function characterWithRoles(realm: HarnessRealm, roles: string[]): Promise<FieldPlayer> {
  const api = new Api(realm.baseUrl);
  const account = await api.newPlayer("gm");
  const made = await api.call<{ id: string }>(
    "POST",
    "/characters",
    { name: `Gm${Math.random().toString(36).slice(2, 10)}`, class: "mage" },
    account.accessToken,
  );
  expect(made.status).toBe(201);
  // As docs/accounts.md says: roles are granted in the database. The character starts in the field.
  const sql = new pg.Client({ connectionString: inject("databaseUrl") });
  await sql.connect();
  try {
    await sql.query("UPDATE accounts SET roles = $1 WHERE username = $2", [roles, account.username]);
    await sql.query("UPDATE characters SET zone_id = 'test-area' WHERE id = $1", [made.body.id]);
  } finally {
    await sql.end();
  }
  const ticket = await api.call<{ url: string }>(
    "POST",
    "/play/ticket",
    { characterId: made.body.id },
    account.accessToken,
  );
  expect(ticket.status).toBe(200);
  return FieldPlayer.join(ticket.body.url, "ignored");
}

describe("GM console without GM_CONSOLE_FOR_GUESTS (the default)", () => {
  let realm: HarnessRealm;
  beforeAll(async () => {
    realm = await startHarness();
  });
  afterAll(async () => {
    await realm?.harness.close();
  });

  it("refuses a guest every command that changes the zone with forbidden, and still answers help and stats", async () => {
    const guest = await FieldPlayer.join(wsUrl(realm), "Visitor");
    expect(guest.field).toMatchObject({ gm: false });
    for (const line of ["reset", "clear", "scatter", "set tick=1", "spawn 5 wisp", "stats reset", "RESET"]) {
      expect(await answer(guest, line), line).toMatchObject({ type: "error", code: "forbidden", field: "line" });
    }
    expect(await answer(guest, "help")).toMatchObject({ type: "info", text: expect.stringMatching(/reset/) });
    expect(await answer(guest, "stats")).toMatchObject({ type: "info", payload: { tickRate: 20 } });
    // Nothing changed: the zone still runs at 20 Hz and the guest still plays.
    expect((await guest.client.ping(1)).type).toBe("pong");
    await guest.close();
  });

  it("refuses a character whose account is only a player", async () => {
    const player = await characterWithRoles(realm, ["player"]);
    expect(player.field).toMatchObject({ gm: false });
    expect(await answer(player, "reset")).toMatchObject({ type: "error", code: "forbidden" });
    await player.close();
  });

  it("lets a character whose account has the gm role reset the zone and change its settings", async () => {
    const gm = await characterWithRoles(realm, ["player", "gm"]);
    expect(gm.field).toMatchObject({ gm: true });
    expect(await answer(gm, "reset")).toMatchObject({ type: "info", text: "Zone reset." });
    expect(await answer(gm, "set view=400")).toMatchObject({ type: "info", text: expect.stringMatching(/view=400/) });
    expect(await answer(gm, "set view=500")).toMatchObject({ type: "info", text: expect.stringMatching(/view=500/) });
    await gm.close();
  });
});

describe("GM console with GM_CONSOLE_FOR_GUESTS=true", () => {
  let realm: HarnessRealm;
  beforeAll(async () => {
    realm = await startHarness({ GM_CONSOLE_FOR_GUESTS: "true" });
  });
  afterAll(async () => {
    await realm?.harness.close();
  });

  it("lets a guest reset the zone", async () => {
    const guest = await FieldPlayer.join(wsUrl(realm), "Tester");
    expect(guest.field).toMatchObject({ gm: true });
    expect(await answer(guest, "reset")).toMatchObject({ type: "info", text: "Zone reset." });
    await guest.close();
  });
});
