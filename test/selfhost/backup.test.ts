/**
 * Backups (docs/operations.md, "Backups"): `npm run backup` of a running node, its workerd killed,
 * `npm run restore` into a fresh data directory and an empty database, a new node started on them:
 * the account logs in, and its character stands where it stood, carrying what it carried, with
 * what it dropped still on the floor (zone state).
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { Api } from "../support/api";
import { TEST_JWT_SECRET } from "../support/harness";
import { play } from "../support/heroes";
import { type SelfhostRealm, startSelfhostRealm } from "../support/workerd";
import type { Frame, TestClient } from "../support/ws-client";

const realms: SelfhostRealm[] = [];
const scratch = mkdtempSync(join(tmpdir(), "leviathan-backup-"));
afterAll(async () => {
  for (const realm of realms) {
    await realm.workerd.kill("SIGKILL");
    realm.cleanup();
  }
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    for (const realm of realms) console.error(`--- workerd output ---\n${realm.workerd.output}`);
  });
});

/** `npm run backup` / `npm run restore`, as an operator runs them. */
function tool(script: "backup" | "restore", args: string[]) {
  const run = spawnSync(
    process.execPath,
    ["--disable-warning=ExperimentalWarning", "scripts/backup.mjs", script, ...args],
    {
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

async function emptyDatabase(): Promise<string> {
  const url = new URL(inject("databaseUrl"));
  const name = `leviathan_restore_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

/** Sends a MUD line and waits for the event of `type` whose text or payload matches. */
async function say(client: TestClient, line: string, type: string, pattern: RegExp): Promise<Frame> {
  client.send({ type: "command", line });
  return client.next(
    (f) => f.type === type && (pattern.test(String(f.text)) || pattern.test(JSON.stringify(f.payload ?? {}))),
    8000,
  );
}

describe("backup and restore of a self-hosted node", () => {
  const backupDir = join(scratch, "backup");

  it("brings back accounts, characters, what they carry and the zones' state into a fresh node", async () => {
    const databaseUrl = inject("databaseUrl");
    const source = await startSelfhostRealm("backup-source", {
      DATABASE_URL: databaseUrl,
      JWT_SECRET: TEST_JWT_SECRET,
    });
    realms.push(source);
    const api = new Api(source.baseUrl);
    const player = await api.newPlayer("bk");
    const name = `Keeper${Date.now().toString(36)}`;
    const hero = await api.call<{ id: string }>("POST", "/characters", { name, class: "mage" }, player.accessToken);
    expect(hero.status).toBe(201);
    const { client } = await play(api, { id: hero.body.id, accessToken: player.accessToken });
    await say(client, "east", "room", /inn/i);
    await say(client, "get draught", "item", /You pick up a moonpetal draught/);
    await say(client, "up", "room", /loft/i);
    await say(client, "get jerkin", "item", /quilted jerkin/);
    // The draught stays on the loft's floor: the zone's state, not the character's.
    await say(client, "drop draught", "item", /You drop a moonpetal draught/);
    await client.close();

    const backup = tool("backup", ["--out", backupDir, "--data", source.dataDir, "--database", databaseUrl]);
    expect(backup.output).toContain("done:");
    expect(backup.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(backupDir, "manifest.json"), "utf8"));
    expect(manifest.objects.some((o: { path: string }) => o.path.startsWith("leviathan-ZoneDurableObject/"))).toBe(
      true,
    );
    await source.workerd.kill("SIGKILL");

    const restoredUrl = await emptyDatabase();
    const freshData = join(scratch, "fresh-data");
    const restore = tool("restore", ["--from", backupDir, "--data", freshData, "--database", restoredUrl]);
    expect(restore.output).toContain("done:");
    expect(restore.code).toBe(0);

    const restored = await startSelfhostRealm(
      "backup-restored",
      { DATABASE_URL: restoredUrl, JWT_SECRET: TEST_JWT_SECRET },
      { dataDir: freshData },
    );
    realms.push(restored);
    const again = new Api(restored.baseUrl);
    const login = await again.call<{ accessToken: string }>("POST", "/auth/login", {
      username: player.username,
      password: player.password,
    });
    expect(login.status).toBe(200);
    const characters = await again.call<{ characters: { id: string; name: string }[] }>(
      "GET",
      "/characters",
      undefined,
      login.body.accessToken,
    );
    expect(JSON.stringify(characters.body)).toContain(hero.body.id);
    const { client: resumed, room } = await play(again, { id: hero.body.id, accessToken: login.body.accessToken });
    try {
      expect(JSON.stringify(room)).toMatch(/loft/i);
      await say(resumed, "inventory", "inventory", /quilted jerkin/);
      await say(resumed, "look", "room", /moonpetal draught/);
    } finally {
      await resumed.close();
    }
  }, 240_000);

  it("refuses a damaged backup before writing anything", () => {
    const damaged = join(scratch, "damaged");
    cpSync(backupDir, damaged, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(damaged, "manifest.json"), "utf8"));
    const victim = join(damaged, manifest.objects[0].path);
    const bytes = readFileSync(victim);
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 0xff, bytes.length - 1);
    writeFileSync(victim, bytes);
    const target = join(scratch, "never-written");
    const restore = tool("restore", [
      "--from",
      damaged,
      "--data",
      target,
      "--database",
      "postgres://nobody@127.0.0.1:1/none",
    ]);
    expect(restore.code).toBe(1);
    expect(restore.output).toMatch(/does not match its checksum/);
    expect(spawnSync("ls", [target]).status).not.toBe(0);
  });
});
