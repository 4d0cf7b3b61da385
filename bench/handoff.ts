/**
 * `npm run bench:handoff -- [--players N] [--trips M]`: what a hand-off between two zones costs a
 * player, next to logging in again from scratch, in one run of one realm.
 *
 * The realm runs the self-host way (as bench:zone's target does: the Worker built once with
 * wrangler, then plain `workerd serve` on a free loopback port, Durable Object state in a temp
 * folder) against a throwaway PostgreSQL started from this machine's binaries. N accounts with one
 * character each walk from the square to `south-gate`; then, all at once, each makes M round trips
 * `go trail` (start:south-gate → whispering-woods:woods-edge) and back, following each `travel`
 * frame with its ticket exactly as a client does (test/e2e/travel.test.ts: wait for the close 4003,
 * connect to `/play?ticket=`, hello, welcome, room). Then, as the peer, each character logs out
 * cleanly and in again M times (POST /auth/login → POST /play/ticket → connect → welcome).
 *
 * Client-side times are from frame arrival to frame arrival (`performance.now()` when the socket
 * delivered them); the server's own view is the target zones' `leviathan_handoff_ms` histograms on
 * GET /metrics (their increase over the hand-off phase). Progress on stderr; stdout gets a
 * markdown table and one JSON line with everything. Nothing is asserted about timings; the exit
 * code is 1 only when a step broke (an error, a timeout, a wrong zone or room).
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { RealmApi, RealmApiError } from "../client/sdk/api";
import { migrateDatabase } from "../scripts/lib/migrate.mjs";
import { startPostgres } from "../scripts/lib/postgres.mjs";
import { build, startWorkerd, waitForHealthy, writeConfig } from "../selfhost/workerd.mjs";
import {
  type Frame,
  GameSocket,
  type HandoffHistogram,
  handoffDelta,
  parseHandoffHistograms,
  type Summary,
  summarize,
  summarizeHistogram,
} from "./lib/play-client";
import { freePort, onShutdown, processCpuSeconds, stopChild, tempDir, trackChild } from "./lib/process";
import { machine } from "./lib/report";
import { sleep, withTimeout } from "./lib/time";

const USAGE = `npm run bench:handoff -- [flags]

  --players 20        accounts, one character each, playing at the same time
  --trips 10          round trips per character (two hand-offs each); also the fresh logins per character
  --pause-ms 0        think time between a character's steps (after each arrival or login)
  --setup-batch 10    accounts registered and walked to south-gate at once
  --timeout-ms 15000  bound on every single wait (a frame, a close, an HTTP answer)
  --log-level warn    the realm's LOG_LEVEL (info logs every connect and command)
  --log-file PATH     also write the realm's last 5,000 log lines there (to see where time goes)
`;

const ZONES = { from: "start", to: "whispering-woods" } as const;
const ROOMS = { gate: "south-gate", edge: "woods-edge", square: "village-square" } as const;
const PASSWORD = "correct horse battery staple";

interface Options {
  players: number;
  trips: number;
  pauseMs: number;
  setupBatch: number;
  timeoutMs: number;
  logLevel: string;
  logFile: string | undefined;
}

function parseOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      players: { type: "string" },
      trips: { type: "string" },
      "pause-ms": { type: "string" },
      "setup-batch": { type: "string" },
      "timeout-ms": { type: "string" },
      "log-level": { type: "string" },
      "log-file": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const int = (name: string, given: string | undefined, fallback: number, min: number, max: number) => {
    const value = given === undefined ? fallback : Number(given);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${given}"`);
    }
    return value;
  };
  const logLevel = values["log-level"] ?? "warn";
  if (!["debug", "info", "warn", "error"].includes(logLevel)) throw new Error(`--log-level: unknown "${logLevel}"`);
  return {
    players: int("players", values.players, 20, 1, 2_000),
    trips: int("trips", values.trips, 10, 1, 1_000),
    pauseMs: int("pause-ms", values["pause-ms"], 0, 0, 60_000),
    setupBatch: int("setup-batch", values["setup-batch"], 10, 1, 200),
    timeoutMs: int("timeout-ms", values["timeout-ms"], 15_000, 1_000, 120_000),
    logLevel,
    logFile: values["log-file"],
  };
}

// ---------------------------------------------------------------------------------------------
// The realm: Postgres + the self-host build under workerd, everything in one temp folder.

interface Realm {
  baseUrl: string;
  wsUrl: string;
  workerd: ChildProcess;
  /** The realm's log lines (stdout and stderr), the last few thousand. */
  logs: string[];
  stop(): Promise<void>;
}

async function startRealm(opts: Options): Promise<Realm> {
  const root = mkdtempSync(join(tmpdir(), "leviathan-bench-handoff-"));
  chmodSync(root, 0o755); // as root, the postgres user must reach its data directory
  tempDir(root, true);
  process.stderr.write("postgres: starting a throwaway server…\n");
  const database = await startPostgres({ dataDir: join(root, "pg") });
  trackChild(database.process);
  const unregisterPg = onShutdown(() => database.stop());
  await migrateDatabase(database.url);

  process.stderr.write("leviathan: building the Worker with wrangler…\n");
  const distDir = build(join(root, "dist"));
  const port = await freePort();
  const configPath = writeConfig({
    distDir,
    dataDir: join(root, "data"),
    configPath: join(root, "config.capnp"),
    listen: `127.0.0.1:${port}`,
    // Only these over wrangler.toml's vars: the shell's own settings do not leak into a run.
    env: {
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString("base64url"),
      CLIENT_ADDRESS: "socket",
      LOG_LEVEL: opts.logLevel,
      // Every player comes from 127.0.0.1: the per-address auth limit (30/min) would refuse the
      // setup itself; the limiter is still asked on every request, as in production.
      AUTH_RATE_PER_IP: "1000000",
      TICKET_RATE_PER_ACCOUNT: "1000000",
      MAX_CONNECTIONS: String(Math.max(5_000, opts.players * 4 + 100)),
    },
  });
  const workerd = startWorkerd(configPath, { stdio: "pipe" });
  trackChild(workerd);
  const logs: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(line);
    if (logs.length > 5_000) logs.splice(0, logs.length - 5_000);
  };
  workerd.stdout?.on("data", keep);
  workerd.stderr?.on("data", keep);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregisterWorkerd();
    await withTimeout(stopChild(workerd), 10_000, "stopping workerd").catch(() => undefined);
    await withTimeout(database.stop(), 15_000, "stopping postgres").catch(() => undefined);
    unregisterPg();
    tempDir(root, false);
  };
  const unregisterWorkerd = onShutdown(stop);
  const died = new Promise<never>((_, reject) =>
    workerd.once("exit", (code, signal) =>
      reject(new Error(`workerd exited (${signal ?? code}) during startup:\n${logs.slice(-30).join("\n")}`)),
    ),
  );
  died.catch(() => undefined);
  const baseUrl = `http://127.0.0.1:${port}`;
  await Promise.race([waitForHealthy(`${baseUrl}/healthz`, 30_000), died]);
  return { baseUrl, wsUrl: baseUrl.replace(/^http/, "ws"), workerd, logs, stop };
}

// ---------------------------------------------------------------------------------------------
// Players.

interface Player {
  index: number;
  username: string;
  characterId: string;
  name: string;
  socket?: GameSocket;
  /** The zone the character is in now. */
  zone: string;
}

const letters = (n: number) => Array.from(randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join("");

type RoomFrame = Frame & { payload?: { id?: string } };

/** hello → welcome → room on a fresh socket; checks the zone and room, returns the arrival times. */
async function greet(socket: GameSocket, zone: string, room: string, timeoutMs: number) {
  socket.send({ type: "hello", protocol: 1 });
  const welcome = await socket.nextOfType("welcome", timeoutMs);
  const first = await socket.nextOfType("room", timeoutMs);
  if (welcome.frame.zone !== zone) throw new Error(`welcome in ${String(welcome.frame.zone)}, expected ${zone}`);
  const id = (first.frame as RoomFrame).payload?.id;
  if (id !== room) throw new Error(`arrived in room ${id}, expected ${room}`);
  return { welcome: welcome.at, room: first.at };
}

/** The SDK's HTTP client, fresh (no tokens, no device token), with the 30 s bound the bench always used. */
function accountClient(realm: Realm): RealmApi {
  return new RealmApi({ baseUrl: realm.baseUrl, timeoutMs: 30_000 });
}

/** A failure as the report lists it; a refusal from the realm with its status and code. */
function describe(error: unknown): string {
  if (error instanceof RealmApiError) return `HTTP ${error.status} ${error.code}: ${error.message}`;
  return (error as Error).message;
}

/** Register, log in, create a mage, take a ticket, arrive in the square and walk south to the gate. */
async function setUp(realm: Realm, index: number, opts: Options): Promise<Player> {
  const username = `hb${index}${letters(6)}`;
  const api = accountClient(realm);
  await api.register(username, PASSWORD);
  await api.login(username, PASSWORD);
  const name = `Hop${letters(8)}`;
  const character = await api.createCharacter(name, "mage");
  const ticket = await api.ticket(character.id);
  const socket = await GameSocket.open(ticket.url, opts.timeoutMs);
  await greet(socket, ZONES.from, ROOMS.square, opts.timeoutMs);
  socket.send({ type: "command", line: "south" });
  const room = await socket.nextOfType("room", opts.timeoutMs);
  const id = (room.frame as RoomFrame).payload?.id;
  if (id !== ROOMS.gate) throw new Error(`south from the square led to ${id}`);
  return { index, username, characterId: character.id, name, socket, zone: ZONES.from };
}

interface Leg {
  from: string;
  to: string;
  /** `go trail` sent → `travel` received (the source's whole part, the RPC to the target included). */
  commandToTravel: number;
  /** `travel` → the source's close (4003). */
  travelToClose: number;
  /** `travel` → the target's socket open (the upgrade through the gateway and the zone). */
  travelToOpen: number;
  /** `travel` → `welcome` in the target: the hand-off as the player waits for it. */
  travelToWelcome: number;
  /** `travel` → the target's first `room`. */
  travelToRoom: number;
  /** `go trail` sent → `welcome` in the target. */
  commandToWelcome: number;
}

/** One hand-off, as test/e2e/travel.test.ts does it. */
async function travel(realm: Realm, player: Player, opts: Options): Promise<Leg> {
  const socket = player.socket;
  if (!socket) throw new Error("no socket");
  const from = player.zone;
  const to = from === ZONES.from ? ZONES.to : ZONES.from;
  const arriveIn = to === ZONES.to ? ROOMS.edge : ROOMS.gate;
  const sent = performance.now();
  socket.send({ type: "command", line: "go trail" });
  const frame = await socket.nextOfType("travel", opts.timeoutMs);
  const ticket = frame.frame.ticket;
  if (frame.frame.zone !== to || typeof ticket !== "string") {
    throw new Error(`travel frame ${JSON.stringify(frame.frame).slice(0, 200)}, expected zone ${to}`);
  }
  const closed = await socket.close(false, opts.timeoutMs);
  if (closed.code !== 4003) throw new Error(`source closed with ${closed.code}, expected 4003`);
  player.socket = undefined;
  const next = await GameSocket.open(`${realm.wsUrl}/play?ticket=${encodeURIComponent(ticket)}`, opts.timeoutMs);
  const opened = performance.now();
  player.socket = next;
  const arrived = await greet(next, to, arriveIn, opts.timeoutMs);
  player.zone = to;
  return {
    from,
    to,
    commandToTravel: frame.at - sent,
    travelToClose: closed.at - frame.at,
    travelToOpen: opened - frame.at,
    travelToWelcome: arrived.welcome - frame.at,
    travelToRoom: arrived.room - frame.at,
    commandToWelcome: arrived.welcome - sent,
  };
}

interface Login {
  /** POST /auth/login. */
  login: number;
  /** POST /play/ticket. */
  ticket: number;
  /** Connect (the upgrade through the gateway and the zone). */
  connect: number;
  /** Connect, hello → welcome. */
  connectToWelcome: number;
  /** Login sent → `welcome`: the whole reconnect from scratch. */
  total: number;
  /** Login sent → first `room`. */
  totalToRoom: number;
}

/** Logs out cleanly (close 1000: no linkdead body to resume), then in again from scratch. */
async function freshLogin(realm: Realm, player: Player, opts: Options): Promise<Login> {
  if (player.socket) {
    await player.socket.close(true, opts.timeoutMs);
    player.socket = undefined;
  }
  // A login from scratch: a fresh client, so no device token from the last login is sent either.
  const api = accountClient(realm);
  const start = performance.now();
  await api.login(player.username, PASSWORD);
  const loggedIn = performance.now();
  const ticket = await api.ticket(player.characterId);
  const ticketed = performance.now();
  const socket = await GameSocket.open(ticket.url, opts.timeoutMs);
  const opened = performance.now();
  player.socket = socket;
  const arrived = await greet(socket, player.zone, ROOMS.gate, opts.timeoutMs);
  return {
    login: loggedIn - start,
    ticket: ticketed - loggedIn,
    connect: opened - ticketed,
    connectToWelcome: arrived.welcome - ticketed,
    total: arrived.welcome - start,
    totalToRoom: arrived.room - start,
  };
}

// ---------------------------------------------------------------------------------------------
// Phases.

/** Runs `step` for every player `times` times, all players at once; a player stops at its first error. */
async function everyone<T>(
  players: Player[],
  times: number,
  what: string,
  pauseMs: number,
  step: (player: Player) => Promise<T>,
): Promise<{ results: T[]; errors: string[] }> {
  const results: T[] = [];
  const errors: string[] = [];
  const total = players.length * times;
  const started = Date.now();
  const progress = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`${what}: ${results.length}/${total} done, ${errors.length} failed, ${seconds} s\n`);
  }, 5_000);
  try {
    await Promise.all(
      players.map(async (player) => {
        for (let i = 0; i < times; i++) {
          try {
            results.push(await step(player));
          } catch (error) {
            errors.push(`player ${player.index} (${player.name}) ${what} ${i + 1}: ${describe(error)}`);
            player.socket?.terminate();
            player.socket = undefined;
            return;
          }
          if (pauseMs > 0) await sleep(pauseMs);
        }
      }),
    );
  } finally {
    clearInterval(progress);
  }
  process.stderr.write(`${what}: ${results.length}/${total} done, ${errors.length} failed\n`);
  return { results, errors };
}

async function readMetrics(realm: Realm): Promise<Map<string, HandoffHistogram>> {
  const response = await fetch(`${realm.baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /metrics: HTTP ${response.status}`);
  return parseHandoffHistograms(await response.text());
}

/** Polls /metrics (bounded) until the zones reported `expected` more hand-offs than `before`. */
async function waitForHandoffs(realm: Realm, before: Map<string, HandoffHistogram>, expected: number) {
  const zones = [ZONES.from, ZONES.to];
  const deadline = Date.now() + 20_000;
  let after = await readMetrics(realm);
  while (handoffDelta(before, after, zones).count < expected && Date.now() < deadline) {
    await sleep(500);
    after = await readMetrics(realm);
  }
  return after;
}

// ---------------------------------------------------------------------------------------------
// Report.

const cell = (n: number) => (Number.isFinite(n) ? String(n) : "–");
const row = (what: string, s: Summary) =>
  `| ${what} | ${s.count} | ${cell(s.p50)} | ${cell(s.p95)} | ${cell(s.p99)} | ${cell(s.max)} | ${cell(s.mean)} |`;

async function main(): Promise<number> {
  let parsed: Options | "help";
  try {
    parsed = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  const opts = parsed;
  const began = Date.now();
  process.stderr.write(
    `hand-off benchmark: ${opts.players} players × ${opts.trips} round trips (${opts.players * opts.trips * 2} hand-offs), then ${opts.players * opts.trips} fresh logins\n`,
  );
  const realm = await startRealm(opts);
  const failures: string[] = [];
  try {
    // Setup, in batches: register, log in, create, arrive, walk to the gate.
    const players: Player[] = [];
    for (let from = 0; from < opts.players; from += opts.setupBatch) {
      const batch = Array.from({ length: Math.min(opts.setupBatch, opts.players - from) }, (_, i) => from + i);
      const settled = await Promise.allSettled(batch.map((i) => setUp(realm, i + 1, opts)));
      for (const result of settled) {
        if (result.status === "fulfilled") players.push(result.value);
        else failures.push(`setup: ${describe(result.reason)}`);
      }
      process.stderr.write(`setup: ${players.length}/${opts.players} players at ${ROOMS.gate}\n`);
    }
    if (players.length === 0) throw new Error(`no player could be set up: ${failures[0]}`);

    // Hand-offs: every player's round trips at once.
    const before = await readMetrics(realm);
    const cpuBefore = { cpu: processCpuSeconds(realm.workerd.pid), at: Date.now() };
    const legs = await everyone(players, opts.trips * 2, "hand-offs", opts.pauseMs, (p) => travel(realm, p, opts));
    const cpuLegs = cpuPercent(realm, cpuBefore);
    failures.push(...legs.errors);
    const after = await waitForHandoffs(realm, before, legs.results.length);
    const server = handoffDelta(before, after, [ZONES.from, ZONES.to]);
    const serverByZone = Object.fromEntries(
      [ZONES.from, ZONES.to].map((zone) => [zone, summarizeHistogram(handoffDelta(before, after, [zone]))]),
    );

    // The peer: clean logout, then login → ticket → connect → welcome, as often as the round trips.
    const atGate = players.filter((p) => p.socket && p.zone === ZONES.from);
    const cpuBeforeLogins = { cpu: processCpuSeconds(realm.workerd.pid), at: Date.now() };
    const logins = await everyone(atGate, opts.trips, "fresh logins", opts.pauseMs, (p) => freshLogin(realm, p, opts));
    const cpuLogins = cpuPercent(realm, cpuBeforeLogins);
    failures.push(...logins.errors);
    await Promise.all(players.map((p) => p.socket?.close(true, 5_000)));

    const l = legs.results;
    const f = logins.results;
    const table = {
      handoffTravelToWelcome: summarize(l.map((x) => x.travelToWelcome)),
      handoffTravelToWelcomeOut: summarize(l.filter((x) => x.to === ZONES.to).map((x) => x.travelToWelcome)),
      handoffTravelToWelcomeBack: summarize(l.filter((x) => x.to === ZONES.from).map((x) => x.travelToWelcome)),
      handoffServer: summarizeHistogram(server),
      handoffCommandToTravel: summarize(l.map((x) => x.commandToTravel)),
      handoffTravelToClose: summarize(l.map((x) => x.travelToClose)),
      handoffTravelToOpen: summarize(l.map((x) => x.travelToOpen)),
      handoffTravelToRoom: summarize(l.map((x) => x.travelToRoom)),
      handoffCommandToWelcome: summarize(l.map((x) => x.commandToWelcome)),
      loginTotal: summarize(f.map((x) => x.total)),
      loginLogin: summarize(f.map((x) => x.login)),
      loginTicket: summarize(f.map((x) => x.ticket)),
      loginConnect: summarize(f.map((x) => x.connect)),
      loginConnectToWelcome: summarize(f.map((x) => x.connectToWelcome)),
      loginTotalToRoom: summarize(f.map((x) => x.totalToRoom)),
    };
    console.log(`| measure (ms) | count | p50 | p95 | p99 | max | mean |`);
    console.log(`| --- | --- | --- | --- | --- | --- | --- |`);
    console.log(row("**hand-off: `travel` → `welcome` (client)**", table.handoffTravelToWelcome));
    console.log(row("  of which start → whispering-woods", table.handoffTravelToWelcomeOut));
    console.log(row("  of which whispering-woods → start", table.handoffTravelToWelcomeBack));
    console.log(row("**hand-off: `leviathan_handoff_ms` (server, bucket bounds)**", table.handoffServer));
    console.log(row("hand-off: `go trail` → `travel`", table.handoffCommandToTravel));
    console.log(row("hand-off: `travel` → close 4003", table.handoffTravelToClose));
    console.log(row("hand-off: `travel` → target socket open", table.handoffTravelToOpen));
    console.log(row("hand-off: `travel` → first `room`", table.handoffTravelToRoom));
    console.log(row("hand-off: `go trail` → `welcome`", table.handoffCommandToWelcome));
    console.log(row("**fresh login: login → `welcome` (client)**", table.loginTotal));
    console.log(row("  POST /auth/login", table.loginLogin));
    console.log(row("  POST /play/ticket", table.loginTicket));
    console.log(row("  connect (socket open)", table.loginConnect));
    console.log(row("  connect, hello → `welcome`", table.loginConnectToWelcome));
    console.log(row("fresh login: login → first `room`", table.loginTotalToRoom));
    const ratio = table.loginTotal.p50 / table.handoffTravelToWelcome.p50;
    console.log(
      `\nhand-off p95 ${cell(table.handoffTravelToWelcome.p95)} ms (client) / ≤ ${cell(table.handoffServer.p95)} ms (server); fresh login p95 ${cell(table.loginTotal.p95)} ms; login/hand-off at p50: ${Number.isFinite(ratio) ? ratio.toFixed(1) : "–"}×; server CPU ${cpuLegs ?? "–"}% during hand-offs, ${cpuLogins ?? "–"}% during logins`,
    );
    if (failures.length) {
      console.error(`\n${failures.length} failure(s):\n${failures.slice(0, 20).join("\n")}`);
      const tail = realm.logs.filter((line) => /"level":"(warn|error)"|error|Error/.test(line)).slice(-30);
      if (tail.length) console.error(`\nthe realm's last warnings and errors:\n${tail.join("\n")}`);
    }
    console.log(
      JSON.stringify({
        benchmark: "handoff",
        date: new Date().toISOString(),
        command: `npm run bench:handoff -- ${process.argv.slice(2).join(" ")}`.trim(),
        options: opts,
        machine: machine(),
        players: players.length,
        handoffs: l.length,
        logins: f.length,
        seconds: Math.round((Date.now() - began) / 1000),
        serverCpuPercent: { handoffs: cpuLegs, logins: cpuLogins },
        table,
        serverByZone,
        serverHistogram: Object.fromEntries([...server.buckets].map(([le, n]) => [String(le), n])),
        realmWarnings: countEvents(realm.logs),
        failures,
      }),
    );
    return failures.length ? 1 : 0;
  } finally {
    if (opts.logFile) writeFileSync(opts.logFile, `${realm.logs.join("\n")}\n`);
    await realm.stop();
  }
}

/** CPU of workerd since `since`, % of one core. */
function cpuPercent(realm: Realm, since: { cpu: number | undefined; at: number }): number | undefined {
  const now = processCpuSeconds(realm.workerd.pid);
  if (now === undefined || since.cpu === undefined || Date.now() <= since.at) return undefined;
  return Math.round(((now - since.cpu) / ((Date.now() - since.at) / 1000)) * 100);
}

/** How often each event of the realm's warn/error JSON lines occurred. */
function countEvents(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    try {
      const parsed = JSON.parse(line) as { level?: string; event?: string };
      if (parsed.level === "warn" || parsed.level === "error") {
        const key = `${parsed.level}:${parsed.event}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
    } catch {
      // Not one of the realm's JSON lines.
    }
  }
  return counts;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
