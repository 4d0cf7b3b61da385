/**
 * Protocol fuzz against plain workerd from the self-host config: seeded hostile frames (malformed
 * JSON, binary frames, wrong types, unknown types, deep nesting, frames at and over the 64 KiB cap,
 * valid messages with hostile values, frames before and after hello) at a chat zone, a MUD zone
 * and a field zone, over many short-lived guest sockets.
 *
 * Each frame is followed by a numbered ping, so every error the zone sends is tied to the frame
 * that caused it and checked against what docs/protocol.md allows for that frame. Every frame the
 * zone sends must be valid JSON of a documented server message; sockets close only as the client
 * asked or with a documented close code; workerd keeps running and /healthz stays ok. Afterwards a
 * well-behaved player still gets in and what it does has the documented effect.
 *
 * FUZZ_FRAMES (frames per zone, default 10 000) and FUZZ_SEED (default 1) size and pick the run;
 * `npm run test:reliability` runs the long version. docs/reliability.md has the method and figures.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { ServerMessage } from "../../shared/protocol/messages";
import { FieldPlayer } from "../support/field-client";
import { createFuzzer, type FuzzFrame, type Outcome, type SocketPlan, type ZoneKind } from "../support/fuzz";
import { TEST_JWT_SECRET } from "../support/harness";
import { countFromEnv, type SelfhostRealm, startSelfhostRealm } from "../support/workerd";
import { type Frame, TestClient } from "../support/ws-client";

const FRAMES = countFromEnv("FUZZ_FRAMES", 10_000);
const SEED = countFromEnv("FUZZ_SEED", 1);
/** Sockets in flight at once per zone. */
const LANES = 8;
/** Generous bound on any single wait for the zone (an answer, a close): a hang fails, slowness does not. */
const WAIT_MS = 30_000;

/** Close codes the zone may use on its own (docs/protocol.md names each one it sends). */
const DOCUMENTED_CLOSE_CODES = new Set(
  [...readFileSync(new URL("../../docs/protocol.md", import.meta.url), "utf8").matchAll(/\b(4\d{3})\b/g)].map((m) =>
    Number(m[1]),
  ),
);

const ZONES: [ZoneKind, string][] = [
  ["chat", "lobby"],
  ["mud", "start"],
  ["field", "test-area"],
];

let realm: SelfhostRealm;

beforeAll(async () => {
  realm = await startSelfhostRealm("fuzz", {
    ALLOW_GUESTS: "true",
    // Open the field zone's GM console to guests, so its lines are fuzzed too.
    GM_CONSOLE_FOR_GUESTS: "true",
    // Warnings and errors only: the fuzz would otherwise log a line per frame.
    LOG_LEVEL: "warn",
    DATABASE_URL: inject("databaseUrl"),
    JWT_SECRET: TEST_JWT_SECRET,
  });
});

afterAll(async () => {
  await realm?.workerd.kill("SIGKILL");
  realm?.cleanup();
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => console.error(`--- workerd output (last 20 kB) ---\n${realm?.workerd.output.slice(-20_000)}`));
});

/** What one zone's run saw, for the assertions and for docs/reliability.md. */
class Summary {
  frames = 0;
  /** Frames whose answer was tied to them and checked (all but those after a documented close). */
  checked = 0;
  sockets = 0;
  floods = 0;
  /** Pings sent by flooding sockets (part of `frames`). */
  floodFrames = 0;
  /** Every frame the zone sent, each parsed and validated against the server message schemas. */
  replies = 0;
  byKind: Record<string, number> = {};
  outcomes: Record<string, number> = {};
  closes: Record<string, number> = {};
  violations: string[] = [];

  count(table: Record<string, number>, key: string) {
    table[key] = (table[key] ?? 0) + 1;
  }
}

const describeFrame = (frame: FuzzFrame) => {
  const shown =
    typeof frame.data === "string"
      ? JSON.stringify(frame.data.slice(0, 300))
      : `bytes ${Buffer.from(frame.data.slice(0, 64)).toString("hex")}`;
  return `${frame.kind} (${frame.binary ? "binary" : "text"}, ${frame.data.length} long): ${shown}`;
};

/** A raw guest socket: every frame it receives is validated at once, then kept in order. */
class FuzzSocket {
  readonly frames: Frame[] = [];
  closedCode: number | undefined;
  closedFirst = false;
  readonly closed: Promise<number>;
  private wake: () => void = () => {};

  private constructor(
    readonly ws: WebSocket,
    readonly summary: Summary,
    readonly label: string,
  ) {
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      summary.replies++;
      const text = data.toString();
      if (isBinary) summary.violations.push(`${label}: binary frame from the zone: ${text.slice(0, 200)}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        summary.violations.push(`${label}: frame from the zone is not JSON: ${text.slice(0, 200)}`);
        return;
      }
      const valid = ServerMessage.safeParse(parsed);
      if (!valid.success) {
        const issue = valid.error.issues[0];
        summary.violations.push(
          `${label}: undocumented server frame (${issue?.path.join(".")}: ${issue?.message}): ${text.slice(0, 300)}`,
        );
      }
      this.frames.push(parsed as Frame);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on("close", (code: number) => {
        this.closedCode = code;
        this.wake();
        resolve(code);
      }),
    );
    // Errors surface as a close (1006); the close check reports them.
    ws.on("error", () => {});
  }

  static open(url: string, summary: Summary, label: string): Promise<FuzzSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const socket = new FuzzSocket(ws, summary, label);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`${label}: connect timed out`));
      }, WAIT_MS);
      ws.once("open", () => {
        clearTimeout(timer);
        resolve(socket);
      });
      ws.once("unexpected-response", (_request, response) => {
        clearTimeout(timer);
        reject(new Error(`${label}: upgrade refused with HTTP ${response.statusCode}`));
      });
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(data: string | Uint8Array, binary = false): void {
    if (this.open) this.ws.send(data, { binary });
  }

  /** Waits (bounded) until `done` holds or the socket closes; false when it closed first. */
  async until(done: () => boolean): Promise<boolean> {
    const deadline = Date.now() + WAIT_MS;
    while (!done()) {
      if (this.closedCode !== undefined) return false;
      if (Date.now() > deadline) throw new Error(`${this.label}: the zone did not answer within ${WAIT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return true;
  }

  /** Leaves as planned and checks how the socket closed. */
  async end(end: SocketPlan["end"]): Promise<void> {
    const { summary, label } = this;
    if (this.closedCode !== undefined) this.closedFirst = true;
    if (end === "terminate") {
      this.ws.terminate();
      summary.count(summary.closes, "terminated by client");
      return;
    }
    if (!this.closedFirst) this.ws.close(end.close, end.reason);
    const code = await Promise.race([this.closed, new Promise<undefined>((r) => setTimeout(r, WAIT_MS))]);
    if (code === undefined) {
      summary.violations.push(`${label}: no close from the zone within ${WAIT_MS} ms of ours`);
      return;
    }
    summary.count(summary.closes, String(code));
    if (this.closedFirst) {
      if (!DOCUMENTED_CLOSE_CODES.has(code))
        summary.violations.push(`${label}: the zone closed the socket with ${code}`);
    } else if (code !== end.close && !DOCUMENTED_CLOSE_CODES.has(code)) {
      // A documented close may cross ours on the wire (a flooder closed as it said goodbye).
      summary.violations.push(`${label}: closed with ${code} instead of echoing our ${end.close}`);
    }
  }
}

const errorKey = (error: Frame) => (error.field === undefined ? String(error.code) : `${error.code}:${error.field}`);
const allows = (allowed: Outcome[], error: Frame) =>
  allowed.includes(errorKey(error)) || allowed.includes(String(error.code));

/**
 * Sends a plan's frames, each followed by ping `~i`, then ties every answer to its frame. Returns
 * the socket's leaving, which the caller awaits later so the next socket need not wait for it.
 */
async function runFrames(
  url: string,
  plan: SocketPlan,
  label: string,
  summary: Summary,
): Promise<{ ending: Promise<void> }> {
  const socket = await FuzzSocket.open(url, summary, label);
  const { frames } = plan;
  frames.forEach((frame, i) => {
    socket.send(frame.data, frame.binary);
    socket.send(JSON.stringify({ type: "ping", id: `~${i}` }));
    summary.frames++;
    summary.count(summary.byKind, frame.kind);
  });
  const last = `~${frames.length - 1}`;
  await socket.until(() => socket.frames.some((f) => f.type === "pong" && f.id === last));

  let helloed = false;
  let sessionId: unknown;
  let answers: Frame[] = [];
  let index = 0;
  for (const reply of socket.frames) {
    const sync = reply.type === "pong" && typeof reply.id === "string" && reply.id.startsWith("~");
    if (!sync) {
      answers.push(reply);
      continue;
    }
    const frame = frames[index] as FuzzFrame;
    const where = `${label} frame ${index}: ${describeFrame(frame)}`;
    if (reply.id !== `~${index}`) {
      summary.violations.push(`${where}: answers out of order (got ping ${String(reply.id)})`);
      break;
    }
    summary.checked++;
    const allowed = helloed ? frame.after : frame.before;
    const errors = answers.filter((f) => f.type === "error");
    const welcome = answers.find((f) => f.type === "welcome");
    const shown = answers.filter((f) => f.type !== "snapshot");
    // Built only for a report: most frames have none.
    const answered = { toString: () => `answered ${JSON.stringify(shown).slice(0, 600)}` };
    if (errors.length > 1) summary.violations.push(`${where}: ${errors.length} errors for one frame; ${answered}`);
    const error = errors[0];
    if (error) {
      summary.count(summary.outcomes, errorKey(error));
      if (!allows(allowed, error)) summary.violations.push(`${where}: expected ${allowed.join(" | ")}; ${answered}`);
    } else {
      summary.count(summary.outcomes, "ok");
      if (!allowed.includes("ok")) summary.violations.push(`${where}: expected ${allowed.join(" | ")}; ${answered}`);
      else if (frame.reply && !answers.some((f) => matchesReply(frame, f, sessionId)))
        summary.violations.push(`${where}: accepted without its ${frame.reply.type} answer; ${answered}`);
    }
    if (welcome) {
      if (helloed || error || frame.reply?.type !== "welcome")
        summary.violations.push(`${where}: an unexpected welcome; ${answered}`);
      helloed = true;
      sessionId = welcome.sessionId;
    }
    answers = [];
    index++;
  }
  return { ending: socket.end(plan.end) };
}

function matchesReply(frame: FuzzFrame, reply: Frame, sessionId: unknown): boolean {
  const expected = frame.reply;
  if (!expected || reply.type !== expected.type) return false;
  if (expected.type === "pong") return reply.id === expected.id;
  if (expected.type === "said") return reply.sessionId === sessionId && reply.text === expected.text;
  return true;
}

/**
 * A socket that says hello and then sends pings past its flood-control burst at once: each ping is
 * answered with `pong` or refused with `rate_limited` (docs/protocol.md, Flood control), or the
 * zone closes the socket with a documented code. How many are refused depends on how fast the
 * zone reads them (the bucket refills meanwhile), so it is counted, not asserted.
 */
async function runFlood(
  url: string,
  plan: SocketPlan,
  label: string,
  summary: Summary,
): Promise<{ ending: Promise<void> }> {
  const count = plan.flood ?? 0;
  const socket = await FuzzSocket.open(url, summary, label);
  socket.send(JSON.stringify({ type: "hello", protocol: 1 }));
  for (let i = 0; i < count; i++) socket.send(JSON.stringify({ type: "ping", id: `f${i}` }));
  summary.frames += count;
  summary.floodFrames += count;
  summary.floods++;
  summary.byKind.flood = (summary.byKind.flood ?? 0) + count;
  const answered = () => socket.frames.filter((f) => f.type === "pong" || f.code === "rate_limited").length;
  const complete = await socket.until(() => answered() >= count);
  const limited = socket.frames.filter((f) => f.code === "rate_limited").length;
  summary.outcomes["flood:rate_limited"] = (summary.outcomes["flood:rate_limited"] ?? 0) + limited;
  const others = socket.frames.filter((f) => f.type === "error" && f.code !== "rate_limited");
  if (others.length) summary.violations.push(`${label}: flood answered with ${JSON.stringify(others).slice(0, 300)}`);
  if (complete) {
    summary.checked += count;
    if (answered() !== count) summary.violations.push(`${label}: ${answered()} answers to ${count} flood pings`);
  }
  return { ending: socket.end(plan.end) };
}

async function expectHealthy(): Promise<void> {
  expect(realm.workerd.alive, "workerd is still running").toBe(true);
  const response = await fetch(`${realm.baseUrl}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true });
}

/** Lines where the realm logged an error or the runtime reported an uncaught exception. */
function failureLines(): string[] {
  return realm.workerd.output
    .split("\n")
    .filter((line) => line.includes('"level":"error"') || /uncaught|internal error/i.test(line));
}

async function fuzz(kind: ZoneKind, zone: string): Promise<Summary> {
  const url = `${realm.wsUrl}/ws?zone=${zone}`;
  const plans = createFuzzer(SEED, kind).plan(FRAMES);
  const summary = new Summary();
  const endings: Promise<void>[] = [];
  let index = 0;
  const lane = async () => {
    // Lanes take sockets in the seeded order; a run stops early once there is plenty to report.
    for (let next = plans.next(); !next.done && summary.violations.length < 20; next = plans.next()) {
      const plan = next.value;
      const socket = index++;
      const label = `seed ${SEED} ${zone} socket ${socket}`;
      summary.sockets++;
      const { ending } = await (plan.flood ? runFlood : runFrames)(url, plan, label, summary);
      endings.push(ending);
      if (socket % 100 === 99) await expectHealthy();
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  await Promise.all(endings);
  return summary;
}

/** The zone's mean tick duration so far, from /metrics (for the report, not asserted). */
async function meanTickMs(zone: string): Promise<number> {
  const text = await (await fetch(`${realm.baseUrl}/metrics`)).text();
  const read = (name: string) =>
    Number(
      text.match(new RegExp(`leviathan_tick_duration_ms_${name}\\{realm="[^"]*",zone="${zone}"\\} (\\S+)`))?.[1] ?? 0,
    );
  return read("count") ? read("sum") / read("count") : 0;
}

const command = (client: TestClient, line: string) => client.send({ type: "command", line });

/** A chat zone after the fuzz: a line said is heard, and a newcomer finds it last in `recent`. */
async function chatStillWorks(zone: string) {
  const url = `${realm.wsUrl}/ws?zone=${zone}`;
  const speaker = await TestClient.connect(url);
  expect(await speaker.hello("Checker")).toMatchObject({ type: "welcome", zone, name: "Checker" });
  const text = `still here after the fuzz ${Date.now().toString(36)}`;
  speaker.send({ type: "say", text });
  const said = await speaker.next((f) => f.type === "said" && f.text === text);
  const newcomer = await TestClient.connect(url);
  const welcome = await newcomer.hello("Newcomer");
  expect((welcome.recent as Frame[]).at(-1)).toMatchObject({ id: said.id, text, name: "Checker" });
  newcomer.send({ type: "who" });
  const who = await newcomer.nextOfType("who");
  expect((who.players as { name: string }[]).map((p) => p.name)).toEqual(
    expect.arrayContaining(["Checker", "Newcomer"]),
  );
  await speaker.close();
  await newcomer.close();
}

/** The MUD zone after the fuzz: a new guest arrives in the square, walks east to the inn, carries nothing. */
async function mudStillWorks(zone: string) {
  const client = await TestClient.connect(`${realm.wsUrl}/ws?zone=${zone}`);
  expect(await client.hello("Checker")).toMatchObject({ type: "welcome", zone });
  expect((await client.nextOfType("room")).payload).toMatchObject({ id: "village-square" });
  command(client, "look");
  expect((await client.nextOfType("room")).payload).toMatchObject({ id: "village-square" });
  command(client, "east");
  expect((await client.nextOfType("room")).payload).toMatchObject({ id: "lantern-inn" });
  command(client, "inventory");
  expect((await client.nextOfType("inventory")).payload).toMatchObject({ carried: [] });
  await client.close();
}

interface FieldSettings {
  width: number;
  height: number;
  tickRate: number;
  playerSpeed: number;
  obstacles: { x: number; y: number; w: number; h: number }[];
}

/** Whether a player body (radius 12) can walk `distance` along x from `x`,`y` without touching a wall or the edge. */
function clearAlongX(field: FieldSettings, x: number, y: number, distance: number): boolean {
  const radius = 12;
  const [from, to] = distance > 0 ? [x, x + distance + radius] : [x + distance - radius, x];
  if (from < 0 || to > field.width) return false;
  return !field.obstacles.some((o) => o.x < to && o.x + o.w > from && o.y < y + radius && o.y + o.h > y - radius);
}

/**
 * The field zone after the fuzz: with the map and enemies put back (the GM console was fuzzed
 * too), a new player's held input moves it playerSpeed / tickRate units every tick, and it stops.
 */
async function fieldStillWorks(zone: string) {
  const player = await FieldPlayer.join(`${realm.wsUrl}/ws?zone=${zone}`, "Checker");
  let field = player.field as unknown as FieldSettings;
  /** My position after each snapshot, as the client's mirror has it once the snapshot is applied. */
  const track: { tick: number; ack: number; x: number; y: number }[] = [];
  player.client.socket.on("message", (data) => {
    const frame = JSON.parse(data.toString()) as Frame;
    if (frame.type === "field") field = frame as unknown as FieldSettings;
    const me = player.me();
    if (frame.type === "snapshot" && me)
      track.push({ tick: Number(frame.tick), ack: Number(frame.ack), x: Number(me.x), y: Number(me.y) });
  });
  for (const line of ["set width=1200 height=800 tick=20 snapshot=20 view=500 speed=160", "clear", "reset"]) {
    player.gm(line);
    const answer = await player.client.next((f) => f.type === "info" || f.type === "error");
    // Where the console is closed to guests, the fuzz could not have changed anything either.
    if (answer.type === "error") expect(answer).toMatchObject({ code: "forbidden" });
  }
  // Any `field` the console sent went out before this pong; then wait for a snapshot after it.
  await player.client.ping(1);
  const after = track.length;
  await player.until(() => track.length > after, WAIT_MS, "a snapshot after the reset");
  const start = track.at(-1) as { x: number; y: number };
  const step = field.playerSpeed / field.tickRate;
  const ticks = 5;
  const direction = clearAlongX(field, start.x, start.y, (ticks + 1) * step) ? 1 : -1;
  expect(clearAlongX(field, start.x, start.y, direction * (ticks + 1) * step), "a clear path to walk").toBe(true);

  /** Positions from the snapshot that applied input `seq` on, `count` more of them. */
  const positions = async (seq: number, count: number) => {
    await player.until(() => (track.at(-1)?.ack ?? 0) >= seq, WAIT_MS, `input ${seq} applied`);
    const from = track.length - 1;
    await player.until(() => track.length > from + count, WAIT_MS, `${count} snapshots`);
    return track.slice(from, from + count + 1);
  };
  const walking = await positions(player.move(direction, 0), ticks);
  for (let i = 1; i < walking.length; i++) {
    const [a, b] = [walking[i - 1], walking[i]] as [(typeof walking)[0], (typeof walking)[0]];
    // Positions are sent rounded to whole units.
    expect(Math.abs(b.x - a.x - direction * step * (b.tick - a.tick))).toBeLessThanOrEqual(1);
    expect(b.y).toBe(a.y);
  }
  const standing = await positions(player.move(0, 0), 3);
  expect(new Set(standing.map((s) => `${s.x},${s.y}`)).size).toBe(1);
  await player.close();
}

const STILL_WORKS: Record<ZoneKind, (zone: string) => Promise<void>> = {
  chat: chatStillWorks,
  mud: mudStillWorks,
  field: fieldStillWorks,
};

describe(`protocol fuzz against plain workerd (${FRAMES} frames per zone, seed ${SEED})`, () => {
  for (const [kind, zone] of ZONES) {
    it(
      `${zone} (${kind} zone) answers every frame as documented and still serves a well-behaved player`,
      async () => {
        const started = Date.now();
        const summary = await fuzz(kind, zone);
        const seconds = (Date.now() - started) / 1000;
        const tick = (await meanTickMs(zone)).toFixed(2);
        console.log(`fuzz ${zone} (${kind}): ${seconds.toFixed(1)} s, mean tick ${tick} ms ${JSON.stringify(summary)}`);
        expect(summary.violations).toEqual([]);
        expect(summary.frames).toBeGreaterThanOrEqual(FRAMES);
        // Nearly every frame's answer is tied to it and checked; not those a documented close cut off.
        expect(summary.checked).toBeGreaterThanOrEqual((summary.frames - summary.floodFrames) * 0.9);
        await expectHealthy();
        expect(failureLines()).toEqual([]);
        await STILL_WORKS[kind](zone);
        await expectHealthy();
      },
      120_000 + FRAMES * 20,
    );
  }
});

describe("text lengths on the wire", () => {
  // docs/protocol.md (Frames) counts text lengths in code points: 🐉 is one, though two UTF-16 code
  // units. The fuzz generator sends such text too; this pins the limits down exactly.
  it("takes a ping id, a say and a cast skill up to their limits in code points, and refuses one more", async () => {
    const client = await TestClient.connect(`${realm.wsUrl}/ws?zone=length-check`);
    await client.hello("Lengths");
    client.send({ type: "ping", id: "🐉".repeat(64) }); // 64 code points, 128 units; the limit is 64
    expect(await client.next((f) => f.type === "pong" || f.type === "error")).toMatchObject({
      type: "pong",
      id: "🐉".repeat(64),
    });
    client.send({ type: "ping", id: "🐉".repeat(65) });
    expect(await client.nextOfType("error")).toMatchObject({ code: "invalid", field: "id" });
    client.send({ type: "say", text: "🐉".repeat(500) }); // 1,000 units; the limit is 500
    expect(await client.next((f) => f.type === "said" || f.type === "error")).toMatchObject({
      type: "said",
      text: "🐉".repeat(500),
    });
    client.send({ type: "say", text: "🐉".repeat(501) });
    expect(await client.nextOfType("error")).toMatchObject({ code: "invalid", field: "text" });
    await client.close();
    const field = await TestClient.connect(`${realm.wsUrl}/ws?zone=test-area`);
    await field.hello("Lengths");
    await field.nextOfType("field");
    // A cast is queued without an answer: the ping after it shows no error came first.
    field.send({ type: "cast", skill: "🐉".repeat(32) }); // 64 units; the limit is 32
    field.send({ type: "ping", id: "after-32" });
    expect(await field.next((f) => f.type === "pong" || f.type === "error")).toMatchObject({
      type: "pong",
      id: "after-32",
    });
    field.send({ type: "cast", skill: "🐉".repeat(33) });
    expect(await field.nextOfType("error")).toMatchObject({ code: "invalid", field: "skill" });
    await field.close();
  });
});
