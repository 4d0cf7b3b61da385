/**
 * Zone recordings through the real gateway, zone objects and Postgres (docs/replay.md): an admin
 * asks Lanternmere to record a few seconds while two real WebSocket players walk and look about,
 * downloads the recording once it ended, and `npm run replay` (its function, and the script itself
 * as a child process) replays it to identical hashes. Refusals: players, bad spans, a second
 * recording while one runs, a download before it ends.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runReplay } from "../../scripts/replay";
import type { ZoneRecording } from "../../shared/zone/recording-format";
import { Api } from "../support/api";
import { type HarnessRealm, startHarness } from "../support/harness";
import { newHero, play, type Room } from "../support/heroes";
import type { TestClient } from "../support/ws-client";

let realm: HarnessRealm;
let api: Api;
let sql: pg.Client;
let adminToken: string;

beforeAll(async () => {
  realm = await startHarness();
  api = new Api(realm.baseUrl);
  sql = new pg.Client({ connectionString: inject("databaseUrl") });
  await sql.connect();
  adminToken = (await api.newAdmin(sql, "recorder")).accessToken;
});
afterAll(async () => {
  await sql?.end();
  await realm?.harness.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const asAdmin = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
  api.call<T>(method, path, body, adminToken);

/** Sends a command and waits for the room it leads to (a move or a look answers with one). */
async function go(client: TestClient, line: string): Promise<Room> {
  client.send({ type: "command", line });
  return (await client.nextOfType("room", 10_000)) as Room;
}

/** Runs the replay script as `npm run replay` does, in a child process. */
function replayScript(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
  return new Promise((resolve) => {
    execFile(process.execPath, [tsx, "scripts/replay.ts", path], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("zone recordings", () => {
  it("are for admins only, and refuse a span out of bounds", async () => {
    const player = await api.newPlayer("plain");
    for (const [method, path, body] of [
      ["POST", "/admin/zones/start/recordings", { seconds: 5 }],
      ["GET", "/admin/zones/start/recordings/latest", undefined],
    ] as const) {
      expect((await api.call(method, path, body, player.accessToken)).status, `${method} ${path}`).toBe(403);
      expect((await api.call(method, path, body)).status, `${method} ${path}`).toBe(401);
    }
    for (const seconds of [0, 301, 2.5, "ten"]) {
      const refused = await asAdmin("POST", "/admin/zones/start/recordings", { seconds });
      expect(refused.status, String(seconds)).toBe(400);
      expect(refused.body).toMatchObject({ error: "invalid", field: "seconds" });
    }
    // An admin who signed out: its token still carries the role, but its login is over (docs/accounts.md).
    const gone = await api.newAdmin(sql, "exadmin");
    expect((await api.call("POST", "/auth/logout", { refreshToken: gone.refreshToken })).status).toBe(204);
    const revoked = await api.call("POST", "/admin/zones/start/recordings", { seconds: 5 }, gone.accessToken);
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ error: "session_revoked" });
    const never = await asAdmin("GET", "/admin/zones/whispering-woods/recordings/latest");
    expect(never.status).toBe(404);
    expect(never.body).toMatchObject({ error: "not_found" });
  });

  it("records two players acting in Lanternmere, and the download replays to identical hashes", async () => {
    const [ada, bob] = await Promise.all([newHero(api, "Ada"), newHero(api, "Bob")]);
    const a = await play(api, ada);
    const b = await play(api, bob);
    expect(a.room.payload.id).toBe("village-square");

    const started = await asAdmin<{ seconds: number; endsAt: number; latest: string }>(
      "POST",
      "/admin/zones/start/recordings",
      { seconds: 5 },
    );
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ zoneId: "start", seconds: 5, latest: "/admin/zones/start/recordings/latest" });
    const again = await asAdmin("POST", "/admin/zones/start/recordings", { seconds: 5 });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: "recording" });
    const early = await asAdmin("GET", started.body.latest);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: "recording" });

    // The recording's snapshot is taken as the zone's next tick ends (docs/replay.md): a command that
    // reached the zone before then is inside the snapshot, not among the inputs. A first command's
    // answer comes from that tick or a later one, so once it is here everything after it is recorded.
    expect((await go(a.client, "look")).payload.id).toBe("village-square");
    // What players see while the zone records: the same rooms as ever.
    expect((await go(a.client, "east")).payload.id).toBe("lantern-inn");
    expect((await go(b.client, "west")).payload.id).toBe("smithy");
    expect((await go(a.client, "look")).payload.id).toBe("lantern-inn");
    expect((await go(b.client, "east")).payload.id).toBe("village-square");
    expect((await go(a.client, "west")).payload.id).toBe("village-square");
    expect((await go(b.client, "look")).payload.players).toEqual([ada.name]);

    // The zone ends the recording at its first flush after the span (one a second while players are in).
    await sleep(Math.max(0, started.body.endsAt - Date.now()));
    let latest = await asAdmin<ZoneRecording>("GET", started.body.latest);
    for (let i = 0; i < 40 && latest.status === 409; i++) {
      await sleep(250);
      latest = await asAdmin<ZoneRecording>("GET", started.body.latest);
    }
    expect(latest.status).toBe(200);
    const recording = latest.body;
    // Asking for it and fetching it are both in the audit log, under the admin's account.
    const audited = await sql.query(
      "SELECT event, detail FROM audit_log WHERE event IN ('recording_requested', 'recording_downloaded') AND detail->>'zoneId' = 'start' ORDER BY created_at",
    );
    expect(audited.rows.map((r) => r.event)).toEqual(
      expect.arrayContaining(["recording_requested", "recording_downloaded"]),
    );
    expect(recording).toMatchObject({ format: "leviathan.zone-recording", v: 2, zoneId: "start", kind: "mud" });
    expect(recording.ended).toBe("the span ended");
    expect(recording.snapshot.sessions.map((s) => s.playerId).sort()).toEqual([ada.id, bob.id].sort());
    const lines = recording.inputs.flatMap((i) =>
      i.op === "receive" && i.message.type === "command" ? [i.message.line] : [],
    );
    // The first look is recorded or in the snapshot, depending on when the zone's tick fell.
    expect(lines.length === 6 ? ["look", ...lines] : lines).toEqual([
      "look",
      "east",
      "west",
      "look",
      "east",
      "west",
      "look",
    ]);
    const steps = recording.inputs.filter((i) => i.op === "step");
    expect(steps.length).toBeGreaterThanOrEqual(25);
    // What players were told is recorded too: the steps that answered the seven commands carry an output hash.
    expect(steps.filter((s) => s.out !== undefined).length).toBeGreaterThanOrEqual(6);

    const text = JSON.stringify(recording);
    const out: string[] = [];
    const errors: string[] = [];
    expect(runReplay(text, { out: (l) => out.push(l), error: (l) => errors.push(l) })).toBe(0);
    expect(errors).toEqual([]);
    expect(out.at(-1)).toBe("identical");
    expect(out.at(-2)).toBe(
      `ticks: ${steps.length}, inputs: ${recording.inputs.length}, final hash: ${steps.at(-1)?.hash}`,
    );

    const path = join(mkdtempSync(join(tmpdir(), "replay-")), "start.json");
    writeFileSync(path, text);
    const script = await replayScript(path);
    expect(script.stderr).toBe("");
    expect(script.code).toBe(0);
    expect(script.stdout.trim().split("\n").at(-1)).toBe("identical");
    writeFileSync(path, text.replace('"v":2', '"v":7'));
    const refused = await replayScript(path);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the recording is format version 7; this code reads versions 1 and 2/);

    a.client.close();
    b.client.close();
  });
});
