/**
 * The builder API through the real gateway, directory, zones and Postgres (docs/admin.md,
 * "Content"): a room added while a player stands next to it, walked into without reconnecting;
 * validation errors, version conflicts, refusals, audit rows, export and import, and a zone
 * restarted after the change still running it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARCANE_REALMS_FILES } from "../../shared/content/arcane-realms";
import { relativeFiles } from "../../shared/content/edit";
import { newHero, play, type Room } from "../support/heroes";
import { useRealm } from "../support/realm";
import { TestClient } from "../support/ws-client";

const realm = useRealm({}, { sql: true });
const BUNDLED = relativeFiles(ARCANE_REALMS_FILES, "shared/content/arcane-realms");
let adminToken: string;
let adminId: string;

type Versioned = { version: number; published?: { version: number | null; zones?: { zoneId: string; ok: boolean }[] } };
type Problems = { error: string; problems: { file: string; path: string; message: string }[] };
const asAdmin = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  realm.api.call<T>(method, path, body, adminToken);

/** Runs one of the content scripts as `npm run content:…` does, in a child process. */
function script(path: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [path, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A request with If-Match, which Api.call does not send. */
async function withIfMatch(method: string, path: string, body: unknown, version: number) {
  const response = await fetch(`${realm.baseUrl}${path}`, {
    method,
    headers: {
      ...realm.api.proxyHeaders,
      authorization: `Bearer ${adminToken}`,
      "content-type": "application/json",
      "if-match": `"${version}"`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const shed = {
  id: "builders-shed",
  name: "A builder's shed",
  description: "Fresh planks and sawdust.",
  exits: { out: "village-square" },
  // A trigger added with the room: live as soon as the room is (docs/content.md, "Triggers").
  triggers: [
    {
      id: "shed-bell",
      on: { event: "enter" },
      do: [{ type: "message", text: "A little bell over the door jingles for {player}." }],
    },
  ],
};

beforeAll(async () => {
  const admin = await realm.api.newAdmin(realm.sql, "builder");
  adminToken = admin.accessToken;
  adminId = (await realm.sql.query("SELECT id FROM accounts WHERE username = $1", [admin.username])).rows[0].id;
  // Postgres may hold versions of an earlier run: start from the bundled pack, through the API.
  const reset = await asAdmin<Versioned>("POST", "/admin/content/import", { files: BUNDLED });
  expect(reset.status).toBe(200);
});
afterAll(async () => {
  await asAdmin("POST", "/admin/content/import", { files: BUNDLED });
});

describe("builder API access", () => {
  it("refuses players (403) and requests without a token (401)", async () => {
    const player = await realm.api.newPlayer("plain");
    const routes: [string, string, unknown][] = [
      ["GET", "/admin/content", undefined],
      ["GET", "/admin/content/export", undefined],
      ["POST", "/admin/content/zones/start/rooms", shed],
      ["DELETE", "/admin/content/items/cracked-mug", undefined],
      ["POST", "/admin/content/import", { files: BUNDLED }],
    ];
    for (const [method, path, body] of routes) {
      const refused = await realm.api.call(method, path, body, player.accessToken);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect((await realm.api.call(method, path, body)).status, `${method} ${path}`).toBe(401);
    }
  });
});

describe("builder API changes", () => {
  it("adds a room next to a player, who walks into it without reconnecting; the change is audited", async () => {
    const hero = await newHero(realm.api, "Walker");
    const { client, room } = await play(realm.api, hero);
    expect(room.payload.id).toBe("village-square");

    const before = await asAdmin<Versioned & { counts: { rooms: number } }>("GET", "/admin/content");
    const square = (
      await asAdmin<{ room: { exits: Record<string, string> } }>(
        "GET",
        "/admin/content/zones/start/rooms/village-square",
      )
    ).body.room;
    const added = await asAdmin<Versioned>("POST", "/admin/content/batch", {
      changes: [
        { op: "room.create", zoneId: "start", room: shed },
        {
          op: "room.update",
          zoneId: "start",
          roomId: "village-square",
          room: { ...square, exits: { ...square.exits, shed: "builders-shed" } },
        },
      ],
    });
    expect(added.status).toBe(200);
    expect(added.body.version).toBe(before.body.version + 1);
    expect(added.body.published?.version).toBe(added.body.version);
    expect(added.body.published?.zones).toContainEqual(expect.objectContaining({ zoneId: "start", ok: true }));

    client.send({ type: "command", line: "go shed" });
    const inShed = (await client.nextOfType("room")) as Room;
    expect(inShed.payload.id).toBe("builders-shed");
    // Its trigger fires for the player walking in: content, not code, and no restart.
    const bell = await client.next((f) => f.type === "info" && /bell over the door/.test(String(f.text)));
    expect(bell.text).toBe(`A little bell over the door jingles for ${hero.name}.`);
    await client.close();

    const now = await asAdmin<{ version: number; counts: { rooms: number } }>("GET", "/admin/content");
    expect(now.body).toMatchObject({ version: added.body.version, published: added.body.version });
    expect(now.body.counts.rooms).toBe(before.body.counts.rooms + 1);
    const audit = await realm.sql.query(
      "SELECT account_id, detail FROM audit_log WHERE event = 'content_changed' AND (detail->>'version')::int = $1",
      [added.body.version],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].account_id).toBe(adminId);
    expect(audit.rows[0].detail.changes).toContainEqual({ op: "room.create", zoneId: "start", id: "builders-shed" });
  });

  it("refuses changes that break the pack with every problem (file, field, fix), and writes nothing", async () => {
    const before = (await asAdmin<Versioned>("GET", "/admin/content")).body.version;
    const lonely = await asAdmin<Problems>("POST", "/admin/content/zones/start/rooms", {
      ...shed,
      id: "lonely-hut",
    });
    expect(lonely.status).toBe(400);
    expect(lonely.body.error).toBe("invalid_content");
    expect(lonely.body.problems).toContainEqual(
      expect.objectContaining({ file: "zones/start.json", message: expect.stringMatching(/no exit back/) }),
    );
    const entry = await asAdmin<Problems>("DELETE", "/admin/content/zones/start/rooms/village-square");
    expect(entry.status).toBe(400);
    expect(entry.body.problems).toContainEqual(expect.objectContaining({ path: "entryRoom" }));
    const badField = await asAdmin<Problems>("PUT", "/admin/content/zones/start/rooms/builders-shed", {
      ...shed,
      exits: { out: "village-square" },
      name: 42,
    });
    expect(badField.status).toBe(400);
    expect(badField.body.problems).toContainEqual(expect.objectContaining({ path: expect.stringMatching(/name$/) }));
    const badTrigger = await asAdmin<Problems>("PUT", "/admin/content/zones/start/rooms/builders-shed", {
      ...shed,
      triggers: [
        {
          id: "ghost",
          on: { event: "npc-death", npc: "no-such-npc" },
          do: [{ type: "message", text: "Boo." }],
        },
      ],
    });
    expect(badTrigger.status).toBe(400);
    expect(badTrigger.body.problems).toContainEqual(
      expect.objectContaining({
        path: expect.stringMatching(/triggers/),
        message: expect.stringMatching(/no-such-npc/),
      }),
    );
    // A pack too large for the zones to keep (one SQLite value each) is refused whole.
    const padded = BUNDLED.map((f) =>
      f.path === "npcs.json"
        ? {
            ...f,
            data: {
              npcs: [
                ...(f.data as { npcs: object[] }).npcs,
                ...Array.from({ length: 900 }, (_, i) => ({
                  ...(f.data as { npcs: object[] }).npcs[0],
                  id: `filler-${i}`,
                  description: "x".repeat(1900),
                })),
              ],
            },
          }
        : f,
    );
    const tooBig = await asAdmin<Problems>("POST", "/admin/content/import", { files: padded });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.problems[0]?.message).toMatch(/one SQLite value/);
    expect((await asAdmin("GET", "/admin/content/zones/start/rooms/moon")).status).toBe(404);
    expect((await asAdmin("GET", "/admin/content/zones/nowhere/rooms")).status).toBe(404);
    expect((await asAdmin<Versioned>("GET", "/admin/content")).body.version).toBe(before);
  });

  it("refuses a change made against an older version (409 version_conflict)", async () => {
    const { version } = (await asAdmin<Versioned>("GET", "/admin/content")).body;
    const room = { ...shed, description: "Newer planks." };
    const first = await withIfMatch("PUT", "/admin/content/zones/start/rooms/builders-shed", room, version);
    expect(first.status).toBe(200);
    const stale = await withIfMatch("PUT", "/admin/content/zones/start/rooms/builders-shed", room, version);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: "version_conflict" });
  });

  it("exports the pack and imports it back unchanged", async () => {
    const exported = await asAdmin<{ version: number; files: { path: string; data: unknown }[] }>(
      "GET",
      "/admin/content/export",
    );
    expect(exported.body.files.map((f) => f.path)).toContain("zones/start.json");
    const imported = await asAdmin<Versioned>("POST", "/admin/content/import", { files: exported.body.files });
    expect(imported.status).toBe(200);
    expect(imported.body.version).toBe(exported.body.version + 1);
    const again = await asAdmin<{ files: unknown[] }>("GET", "/admin/content/export");
    expect(again.body.files).toEqual(exported.body.files);
    // Through Postgres and back, keys keep their order: the square's exits are listed as written.
    expect(JSON.stringify(again.body.files)).toBe(JSON.stringify(exported.body.files));
    const start = exported.body.files.find((f) => f.path === "zones/start.json")?.data as {
      rooms: { id: string; exits: Record<string, string> }[];
    };
    const square = start.rooms.find((r) => r.id === "village-square");
    const bundledStart = BUNDLED.find((f) => f.path === "zones/start.json")?.data as typeof start;
    const bundledSquare = bundledStart.rooms.find((r) => r.id === "village-square");
    expect(Object.keys(square?.exits ?? {}).slice(0, 5)).toEqual(Object.keys(bundledSquare?.exits ?? {}));
  });

  it("npm run content:export writes the pack as a folder; content:import sends an edited folder back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pack-"));
    const env = { ...process.env, LEVIATHAN_URL: realm.baseUrl, LEVIATHAN_TOKEN: adminToken };
    const before = (await asAdmin<Versioned>("GET", "/admin/content")).body.version;
    const exported = await script("scripts/content-export.mjs", ["--out", dir], env);
    expect(exported).toMatchObject({ code: 0, stderr: "" });
    expect(exported.stdout).toContain(`content version ${before}:`);
    // A builder edits a file as text, then imports the folder.
    const itemsFile = join(dir, "items.json");
    const items = JSON.parse(readFileSync(itemsFile, "utf8")) as { items: { id: string; description: string }[] };
    const mug = items.items.find((i) => i.id === "cracked-mug");
    if (!mug) throw new Error("the pack has the cracked mug");
    mug.description = "A mug with a crack that someone has mended with pitch.";
    writeFileSync(itemsFile, `${JSON.stringify(items, null, 2)}\n`);
    const imported = await script("scripts/content-import.mjs", ["--from", dir], env);
    expect(imported).toMatchObject({ code: 0, stderr: "" });
    const item = await asAdmin<{ item: { description: string } }>("GET", "/admin/content/items/cracked-mug");
    expect(item.body.item.description).toBe(mug.description);
    expect((await asAdmin<Versioned>("GET", "/admin/content")).body.version).toBe(before + 1);
    // A broken folder is refused with the validator's problems, and nothing is written.
    writeFileSync(itemsFile, "{ not json");
    const refused = await script("scripts/content-import.mjs", ["--from", dir], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/items\.json/);
    expect((await asAdmin<Versioned>("GET", "/admin/content")).body.version).toBe(before + 1);
  });

  it("a zone restarted after the change still runs the new room", async () => {
    // Nobody plays in start now: it sleeps and can be evicted (bounded retries, as the runtime allows).
    let evicted = false;
    for (let attempt = 0; attempt < 10 && !evicted; attempt++) {
      evicted = await realm.harness
        .getWorker()
        .evictDurableObject("ZONES", { name: "local:zone:start", webSockets: "close" })
        .then(() => true)
        .catch(() => false);
    }
    expect(evicted).toBe(true);
    const guest = await TestClient.connect(`${realm.wsBase}/ws?zone=start`);
    await guest.hello("Returner");
    expect(((await guest.nextOfType("room")) as Room).payload.id).toBe("village-square");
    guest.send({ type: "command", line: "go shed" });
    expect(((await guest.nextOfType("room")) as Room).payload.id).toBe("builders-shed");
    await guest.close();
  });
});
