/**
 * `npm run bench:recording`: what recording a zone costs (docs/replay.md), in-process, on the
 * realm's own engines with the bundled content (no server, no sockets). For each N, the same
 * seeded minute is played twice per round — once on the plain engine, once wrapped in the
 * recorder (shared/zone/recording.ts) — alternating, so a busy machine weighs on both alike:
 * MUD (`start`, 10 ticks a second) with N players each typing a command a second, and field
 * (`test-area`, at its own rate) with N players moving and aiming every tick, a third of them on
 * binary snapshots. A tick is what the zone host does with the engine in one: the commands that
 * arrived, `step`, `publish`. Then the recording is written as JSON (its size), read back and
 * replayed (its time). Exit 1 when the recorded and plain runs end in different states or told
 * players different things (the recorder must not change the game), or the replay diverges.
 * Prints a markdown table and one JSON line on stdout, progress on stderr.
 */
import { parseArgs } from "node:util";
import { loadArcaneRealms } from "../shared/content/arcane-realms";
import { FIELD_KIND } from "../shared/field/engine";
import { nearestRank } from "../shared/metrics/window";
import { MUD_KIND } from "../shared/mud/engine";
import { parsedCharacter } from "../shared/protocol/character.fixtures";
import { stateHash } from "../shared/sim/hash";
import { createRng } from "../shared/sim/rng";
import type { EngineMessage, EngineSession, ReceiveContext, ZoneEngine, ZoneKind } from "../shared/zone/engine";
import { outputHash, RecordingEngine, recordedContent } from "../shared/zone/recording";
import { parseRecording } from "../shared/zone/recording-format";
import { replayRecording } from "../shared/zone/recording-replay";
import { machine } from "./lib/report";

const USAGE = "usage: npm run bench:recording -- [--players 3,30,100] [--seconds 60] [--rounds 2] [--seed 1]";

interface Options {
  players: number[];
  seconds: number;
  rounds: number;
  seed: number;
}

function options(argv: string[]): Options {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        players: { type: "string" },
        seconds: { type: "string" },
        rounds: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const whole = (name: string, text: string | undefined, min: number, max: number, fallback: number) => {
      const n = text === undefined ? fallback : Number(text);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} takes a whole number ${min}–${max}`);
      return n;
    };
    const players = (values.players ?? "3,30,100").split(",").map((p) => whole("players", p, 1, 2000, 0));
    return {
      players,
      seconds: whole("seconds", values.seconds, 1, 3600, 60),
      rounds: whole("rounds", values.rounds, 1, 20, 2),
      seed: whole("seed", values.seed, 0, 0xffffffff, 1),
    };
  } catch (error) {
    console.error(`bench:recording: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

/** A scenario: the zone, its engine kind and rate, its players and what each sends at a tick. */
interface Scenario {
  engine: "mud" | "field";
  zoneId: string;
  kind: ZoneKind;
  hz: number;
  sessions: EngineSession[];
  /** What the players send before tick `tick` runs. */
  inputs(tick: number): [EngineSession, EngineMessage][];
}

const uuid = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

/** From the village square and back: moves, looks, inventory, stats and talk, one a second each. */
const MUD_LINES = ["look", "east", "look", "west", "inventory", "stats", "say hello", "west", "east"];

function mudScenario(players: number): Scenario {
  const hz = 10;
  const sessions = Array.from({ length: players }, (_, i): EngineSession => {
    const id = uuid(i + 1);
    const name = `Bench${i + 1}`;
    return { sessionId: `s-${i + 1}`, playerId: id, name, character: parsedCharacter(id, { name }), gm: false };
  });
  return {
    engine: "mud",
    zoneId: "start",
    kind: MUD_KIND,
    hz,
    sessions,
    // Each player at its own tick of the second, so the commands spread over the ticks as typing does.
    inputs: (tick) =>
      sessions.flatMap((s, i) =>
        tick % hz === i % hz
          ? [[s, { type: "command", line: MUD_LINES[(Math.floor(tick / hz) + i) % MUD_LINES.length] as string }]]
          : [],
      ),
  };
}

function fieldScenario(players: number): Scenario {
  const engine = FIELD_KIND.create("test-area", createRng(1));
  const hz = engine.tickHz ?? 20;
  const sessions = Array.from({ length: players }, (_, i): EngineSession => {
    const id = `s-${i + 1}`;
    return { sessionId: id, playerId: id, name: `Bench${i + 1}`, gm: false, ...(i % 3 === 0 ? { binary: true } : {}) };
  });
  return {
    engine: "field",
    zoneId: "test-area",
    kind: FIELD_KIND,
    hz,
    sessions,
    // Every player walks a slow circle of its own and aims ahead: one input a tick (the flood limit is 20 a second).
    inputs: (tick) =>
      sessions.map((s, i) => {
        const angle = (tick / (hz * 4) + i / players) * 2 * Math.PI;
        const move = { x: Math.round(Math.cos(angle) * 100) / 100, y: Math.round(Math.sin(angle) * 100) / 100 };
        return [s, { type: "input", seq: tick + 1, move, aim: { x: 1000 + move.x * 200, y: 1000 + move.y * 200 } }];
      }),
  };
}

interface Run {
  cpuMs: number[];
  wallMs: number[];
  /** The engine's state and everything it told players, hashed at the end: the two runs must agree. */
  stateHash: string;
  toldHash: string;
  recording?: { bytes: number; inputs: number; replayMs: number; identical: string };
}

const stats = { summary: () => ({}) as never, reset: () => {} };

/** One simulated span on a fresh engine, plain or recorded, timing each tick in process CPU and wall clock. */
function play(scenario: Scenario, seconds: number, seed: number, recorded: boolean): Run {
  let engine: ZoneEngine = scenario.kind.create(scenario.zoneId, createRng(seed));
  const recorder = recorded
    ? new RecordingEngine(engine, {
        zoneId: scenario.zoneId,
        content: recordedContent(loadArcaneRealms(), true),
        plugins: [],
        startedAt: 0,
        present: () => scenario.sessions,
      })
    : undefined;
  if (recorder) engine = recorder;
  const rng = createRng(seed ^ 0x5eed);
  const told: string[] = [];
  const tell = (out: Parameters<typeof outputHash>[0]) => {
    const hash = outputHash(out);
    if (hash) told.push(hash);
  };
  for (const s of scenario.sessions) tell(engine.admit(s).out);
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  const intervalMs = 1000 / scenario.hz;
  for (let tick = 1; tick <= seconds * scenario.hz; tick++) {
    const now = 1_000_000 + tick * intervalMs;
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const ctx: ReceiveContext = { tick: tick - 1, now, stats };
    for (const [session, message] of scenario.inputs(tick)) {
      const result = engine.receive(session, message, ctx);
      if (!("out" in result)) throw new Error(`${scenario.engine}: ${session.name} refused: ${result.message}`);
      tell(result.out);
    }
    tell(engine.step({ tick, now, rng }).out);
    tell(engine.publish());
    wallMs.push(performance.now() - wall);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
  }
  const inner = recorder ? recorder.inner : engine;
  const run: Run = { cpuMs, wallMs, stateHash: stateHash(inner.serialize()), toldHash: stateHash(told) };
  if (recorder) {
    const text = JSON.stringify(recorder.finish(1_000_000 + seconds * 1000, "the span ended"));
    const started = performance.now();
    const read = parseRecording(text);
    if (!read.ok) throw new Error(`${scenario.engine}: the recording does not read back: ${read.error.message}`);
    const replayed = replayRecording(read.value, scenario.kind);
    const replayMs = performance.now() - started;
    const differs = replayed.publishDiffers;
    const identical = replayed.divergence
      ? `NO: ${replayed.divergence.reason}`
      : differs
        ? `yes (${differs.count} publish rounds differ)`
        : "yes";
    run.recording = { bytes: Buffer.byteLength(text), inputs: read.value.inputs.length, replayMs, identical };
  }
  return run;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
const spread = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { p50: round(nearestRank(sorted, 0.5)), p99: round(nearestRank(sorted, 0.99)), mean: round(mean(xs)) };
};

function measure(scenario: Scenario, o: Options) {
  const plain: Run[] = [];
  const recorded: Run[] = [];
  for (let r = 0; r < o.rounds; r++) {
    // Alternating, the recorded run first every other round: neither always runs on a warmer JIT.
    const order = r % 2 ? [true, false] : [false, true];
    for (const rec of order) {
      process.stderr.write(
        `bench:recording: ${scenario.engine}, ${scenario.sessions.length} players, round ${r + 1}/${o.rounds}, ${rec ? "recorded" : "plain"}…\n`,
      );
      (rec ? recorded : plain).push(play(scenario, o.seconds, o.seed, rec));
    }
  }
  const cpuPlain = spread(plain.flatMap((p) => p.cpuMs));
  const cpuRecorded = spread(recorded.flatMap((p) => p.cpuMs));
  const last = recorded.at(-1)?.recording;
  const same = [...plain, ...recorded].every(
    (p) => p.stateHash === plain[0]?.stateHash && p.toldHash === plain[0]?.toldHash,
  );
  return {
    engine: scenario.engine,
    players: scenario.sessions.length,
    hz: scenario.hz,
    ticks: plain[0]?.cpuMs.length ?? 0,
    cpuPlain,
    cpuRecorded,
    wallMeanPlain: round(mean(plain.flatMap((p) => p.wallMs))),
    wallMeanRecorded: round(mean(recorded.flatMap((p) => p.wallMs))),
    ratio: round(cpuRecorded.mean / cpuPlain.mean, 2),
    recordingBytes: last?.bytes ?? 0,
    recordingInputs: last?.inputs ?? 0,
    replayMs: round(mean(recorded.map((p) => p.recording?.replayMs ?? 0)), 1),
    replayIdentical:
      recorded.find((p) => p.recording?.identical.startsWith("NO"))?.recording?.identical ?? last?.identical ?? "NO",
    sameGame: same,
    stateHash: plain[0]?.stateHash,
  };
}

function main(): number {
  const o = options(process.argv.slice(2));
  const rows = o.players.flatMap((n) => [measure(mudScenario(n), o), measure(fieldScenario(n), o)]);
  type Row = (typeof rows)[number];
  const ms = (s: { p50: number; p99: number; mean: number }) => `${s.p50} / ${s.p99} / ${s.mean}`;
  const columns: [string, (r: Row) => unknown][] = [
    ["engine", (r) => r.engine],
    ["players", (r) => r.players],
    ["ticks (Hz)", (r) => `${r.ticks} (${r.hz})`],
    ["CPU ms/tick plain p50 / p99 / mean", (r) => ms(r.cpuPlain)],
    ["CPU ms/tick recorded p50 / p99 / mean", (r) => ms(r.cpuRecorded)],
    ["recorded ÷ plain (mean)", (r) => `×${r.ratio}`],
    ["wall ms/tick plain / recorded (mean)", (r) => `${r.wallMeanPlain} / ${r.wallMeanRecorded}`],
    ["recording KB (inputs)", (r) => `${round(r.recordingBytes / 1024, 1)} (${r.recordingInputs})`],
    ["replay ms", (r) => r.replayMs],
    ["replay identical", (r) => r.replayIdentical],
    ["same state and output", (r) => (r.sameGame ? "yes" : "NO")],
  ];
  console.log(
    [
      `bench:recording: ${o.seconds} simulated seconds per run, ${o.rounds} round(s) of plain and recorded, seed ${o.seed}.`,
      "A tick: the commands or inputs that arrived, `step`, `publish` (process CPU, and wall clock). MUD `start`: each " +
        "player types a command a second; field `test-area`: each player sends an input a tick. Replay: the JSON read " +
        "back and replayed, state and output compared.",
      "",
      `| ${columns.map(([name]) => name).join(" | ")} |`,
      `|${columns.map(() => " --- ").join("|")}|`,
      ...rows.map((r) => `| ${columns.map(([, cell]) => cell(r)).join(" | ")} |`),
    ].join("\n"),
  );
  const problems = rows.flatMap((r) => [
    ...(r.sameGame ? [] : [`${r.engine} ${r.players}: the recorded run ended differently from the plain one`]),
    ...(r.replayIdentical.startsWith("yes")
      ? []
      : [`${r.engine} ${r.players}: the replay diverged: ${r.replayIdentical}`]),
  ]);
  console.log(JSON.stringify({ bench: "recording", ...o, machine: machine(), runs: rows, ok: !problems.length }));
  for (const p of problems) console.error(`bench:recording: ${p}`);
  return problems.length ? 1 : 0;
}

process.exit(main());
