/**
 * Replaying a zone recording (docs/replay.md): the engine restored from the recording's snapshot,
 * every recorded input made again in order, the state's digest after every tick and (from format
 * version 2) the hash of what each call told players compared with the recorded ones. The first
 * difference is a divergence: the engine no longer does what it did (a rule that is not
 * deterministic, a change of code or content since the recording).
 */
import { baseZoneOf } from "../config";
import { loadArcaneRealms } from "../content/arcane-realms";
import type { ContentPack } from "../content/pack";
import { createRng } from "../sim/rng";
import { readTraveller } from "../world/traveller";
import type { Delivery, EngineSession, ReceiveContext, TickStats, ZoneEngine, ZoneKind } from "./engine";
import { digestState, outputHash } from "./recording";
import type { RecordedContent, RecordedInput, StateDigest, ZoneRecording } from "./recording-format";

/** Where a replay parted from the recording. */
export interface Divergence {
  /** The tick at which it parted (the snapshot's for a snapshot that does not restore as it was). */
  tick: number;
  /** The index of the input at which it parted, and that input; -1 for the snapshot. */
  index: number;
  input: RecordedInput | undefined;
  /** The input before it (what led there), if any. */
  before: RecordedInput | undefined;
  reason: string;
  /** Sections of the state whose hashes differ: recorded and replayed. */
  sections: { section: string; recorded: string | undefined; replayed: string | undefined }[];
  /** What the replay changed in those sections at that input: paths with their values before and after. */
  changes: StateChange[];
  /** When what players were told differs: the recorded and replayed output hashes, and the replayed output's first lines. */
  told?: { recorded: string | undefined; replayed: string | undefined; lines: string[] };
}

/** One leaf of the state that changed. */
export interface StateChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface ReplayResult {
  ticks: number;
  inputs: number;
  finalHash: string;
  /** Whether what players were told was compared (a version 1 recording has no output hashes). */
  outputsCompared: boolean;
  /**
   * `publish` rounds whose output differed: the first one's input index and how many. Not a
   * divergence: per-session snapshots are built from per-session state the snapshot does not hold
   * (a field's delta baselines, snapshot numbers, binary handles), so sessions that were playing
   * when the recording began are sent other frames in a replay (docs/replay.md).
   */
  publishDiffers?: { first: number; count: number };
  divergence?: Divergence;
}

export interface ReplayOptions {
  /** Each tick replayed: its 1-based count of the recording's ticks. */
  progress?(tick: number, done: number, total: number): void;
  /** How many changed paths a divergence lists. */
  maxChanges?: number;
}

/** A console window for `receive`: a replay measures nothing, so a GM `stats` line reads zeros. */
const NO_STATS: TickStats = {
  summary: () => ({
    windowSeconds: 0,
    ticks: 0,
    tickP50Ms: 0,
    tickP99Ms: 0,
    tickMaxMs: 0,
    snapshots: 0,
    bytes: 0,
    players: 0,
    bytesPerPlayerPerSecond: 0,
  }),
  reset: () => {},
};

/** Thrown (and caught by `replayRecording`) when a recorded input cannot be made again. */
class Unreplayable extends Error {}

/**
 * Replays `recording` on an engine of `kind` (restored from the snapshot): every input, every tick
 * compared. Returns the counts and the final hash, with the first divergence when there is one.
 */
export function replayRecording(recording: ZoneRecording, kind: ZoneKind, options: ReplayOptions = {}): ReplayResult {
  const { snapshot, inputs } = recording;
  const total = inputs.filter((i) => i.op === "step" || i.op === "fastForward").length;
  const outputsCompared = recording.v >= 2;
  const { engine, sessions } = restore(recording, kind);
  let digest = digestState(engine.serialize());
  if (digest.hash !== snapshot.digest.hash) {
    const reason = "the snapshot restored to a different state (the engine reads its payload differently now)";
    const divergence = diverged(snapshot.tick, -1, undefined, undefined, reason, snapshot.digest, digest, []);
    return { ticks: 0, inputs: 0, finalHash: digest.hash, outputsCompared, divergence };
  }
  let recorded: StateDigest = snapshot.digest;
  let publishDiffers: ReplayResult["publishDiffers"];
  let ticks = 0;
  let tick = snapshot.tick;
  for (const [index, input] of inputs.entries()) {
    const note = (reason: string, replayed: StateDigest) => {
      const changes = changesAt(recording, kind, index, options.maxChanges ?? 12);
      return diverged(tick, index, input, inputs[index - 1], reason, recorded, replayed, changes);
    };
    const { refusal, out } = apply(engine, input, sessions);
    if (refusal !== undefined) {
      return {
        ticks,
        inputs: index,
        finalHash: digest.hash,
        outputsCompared,
        divergence: note(refusal, digestState(engine.serialize())),
      };
    }
    // What players were told: after the state at a tick (a state that differs says more), before the next input.
    const told = () => {
      if (!outputsCompared || out === undefined) return undefined;
      const replayed = outputHash(out);
      const recordedOut = "out" in input ? input.out : undefined;
      if (replayed === recordedOut) return undefined;
      const reason = "what players were told differs from the recorded output";
      const divergence = diverged(tick, index, input, inputs[index - 1], reason, recorded, recorded, []);
      divergence.told = { recorded: recordedOut, replayed, lines: firstLines(out) };
      return { ticks, inputs: index + 1, finalHash: digest.hash, outputsCompared, divergence };
    };
    if (input.op === "publish") {
      if (outputsCompared && outputHash(out ?? []) !== input.out)
        publishDiffers = { first: publishDiffers?.first ?? index, count: (publishDiffers?.count ?? 0) + 1 };
      continue;
    }
    if (input.op !== "step" && input.op !== "fastForward") {
      const differs = told();
      if (differs) return differs;
      continue;
    }
    ticks++;
    tick = input.op === "step" ? input.tick : input.to;
    recorded = { hash: input.hash, sections: { ...recorded.sections, ...input.sections } };
    for (const [key, hash] of Object.entries(recorded.sections)) if (hash === "-") delete recorded.sections[key];
    digest = digestState(engine.serialize());
    options.progress?.(tick, ticks, total);
    if (digest.hash !== input.hash) {
      const reason = `the state after tick ${tick} differs from the recorded one`;
      return { ticks, inputs: index + 1, finalHash: digest.hash, outputsCompared, divergence: note(reason, digest) };
    }
    const differs = told();
    if (differs) return differs;
  }
  return {
    ticks,
    inputs: inputs.length,
    finalHash: digest.hash,
    outputsCompared,
    ...(publishDiffers && { publishDiffers }),
  };
}

/** The first deliveries of an output, one short line each: to whom, and what. */
export function firstLines(out: readonly Delivery[], limit = 5): string[] {
  const audience = (d: Delivery) => {
    const to = d.to;
    if ("session" in to) return `session ${to.session}`;
    if ("players" in to) return `players ${to.players.join(", ")}`;
    return to.except ? `all but ${to.except}` : "all";
  };
  const lines = out.slice(0, limit).map((d) => {
    const what = "bytes" in d ? `${d.bytes.length} bytes` : JSON.stringify("text" in d ? d.text : d.message);
    const line = `to ${audience(d)}: ${what}`;
    return line.length > 160 ? `${line.slice(0, 157)}...` : line;
  });
  if (out.length > limit) lines.push(`... and ${out.length - limit} more`);
  if (!lines.length) lines.push("(nothing)");
  return lines;
}

/** The engine restored from the snapshot, knowing the sessions that played then, and those sessions by id. */
function restore(recording: ZoneRecording, kind: ZoneKind) {
  const { snapshot } = recording;
  // An instance (`zone~2`) runs its zone's content, as the host opens it.
  const restored = kind.restore(
    baseZoneOf(recording.zoneId),
    JSON.parse(JSON.stringify(snapshot.state)),
    packOf(recording.content),
  );
  if (!restored.ok) throw new Unreplayable(`the snapshot does not restore: ${restored.error}`);
  const engine = restored.value;
  // Sessions playing when the snapshot was taken: the engine knows them again, the world unchanged.
  for (const session of snapshot.sessions) engine.attach?.(session);
  return { engine, sessions: new Map(snapshot.sessions.map((s) => [s.sessionId, s])) };
}

/**
 * What input `index` changed in the replayed state: replayed again from the snapshot up to it (a
 * replay keeps no copies of past states; it is deterministic, so running it again is exact).
 */
function changesAt(recording: ZoneRecording, kind: ZoneKind, index: number, limit: number): StateChange[] {
  const { engine, sessions } = restore(recording, kind);
  for (const input of recording.inputs.slice(0, index)) apply(engine, input, sessions);
  const before = JSON.parse(JSON.stringify(engine.serialize()));
  const input = recording.inputs[index];
  if (input) apply(engine, input, sessions);
  return diffStates(before, engine.serialize(), limit);
}

/** What a recorded call did again: why the replay parted when the engine answered differently, and what it told players. */
interface Applied {
  refusal?: string;
  out?: readonly Delivery[];
}

/** Makes one recorded call. */
function apply(engine: ZoneEngine, input: RecordedInput, sessions: Map<string, EngineSession>): Applied {
  const session = () => {
    if (!("sid" in input)) throw new Unreplayable("an input without a session");
    if (input.session) sessions.set(input.sid, input.session);
    const known = sessions.get(input.sid);
    if (!known) throw new Unreplayable(`input names session ${input.sid}, which the recording never described`);
    return known;
  };
  switch (input.op) {
    case "admit":
      return { out: engine.admit(session()).out };
    case "release":
      return { out: engine.release(session(), input.last).out };
    case "receive": {
      const ctx: ReceiveContext = { tick: input.tick, now: input.now, stats: NO_STATS };
      const result = engine.receive(session(), input.message, ctx);
      const refused = "out" in result ? undefined : result.code;
      if (refused === input.refused) return "out" in result ? { out: result.out } : {};
      const said = (code: string | undefined) => (code ? `refused it (${code})` : "took it");
      return {
        refusal: `the engine ${said(refused)} where the recorded one ${said(input.refused)}: ${JSON.stringify(input.message)}`,
      };
    }
    case "step": {
      const rng = createRng(input.rng);
      const { out } = engine.step({ tick: input.tick, now: input.now, rng });
      return { out, ...rngCheck(rng.state(), input.rngAfter) };
    }
    case "fastForward": {
      const rng = createRng(input.rng);
      const { out } = engine.fastForward(input.to, { rng, now: input.now });
      return { out, ...rngCheck(rng.state(), input.rngAfter) };
    }
    case "settle":
      return { out: engine.settle(input.present).out };
    case "depart":
      engine.depart(input.player);
      return {};
    case "arrive": {
      const traveller = readTraveller(input.traveller);
      if (!traveller.ok) throw new Unreplayable(`a recorded traveller does not read: ${traveller.error}`);
      return { out: engine.arrive(traveller.value).out };
    }
    case "linkdead":
      return { out: engine.linkdead(input.player).out };
    case "reload": {
      if (!engine.reloadContent)
        throw new Unreplayable(`the recording reloads content, which a ${engine.kind} engine cannot do`);
      return { out: engine.reloadContent(packOf(input.content) ?? loadArcaneRealms()).out };
    }
    case "publish":
      return { out: engine.publish() };
  }
}

/** The pack a recording's content names: the one it carries (a pack edited live), else the bundled one (undefined). */
const packOf = (content: RecordedContent): ContentPack | undefined =>
  content.source === "stored" && content.pack !== undefined ? (content.pack as ContentPack) : undefined;

const rngCheck = (replayed: number, recorded: number): { refusal?: string } =>
  replayed === recorded
    ? {}
    : { refusal: `the engine drew from the RNG differently (state ${replayed}, recorded ${recorded})` };

/** Whether `error` is a recording that cannot be replayed at all (rather than one that diverges). */
export const isUnreplayable = (error: unknown): error is Error => error instanceof Unreplayable;

function diverged(
  tick: number,
  index: number,
  input: RecordedInput | undefined,
  before: RecordedInput | undefined,
  reason: string,
  recorded: StateDigest,
  replayed: StateDigest,
  changes: StateChange[],
): Divergence {
  const keys = new Set([...Object.keys(recorded.sections), ...Object.keys(replayed.sections)]);
  const sections = [...keys]
    .filter((k) => recorded.sections[k] !== replayed.sections[k])
    .map((section) => ({ section, recorded: recorded.sections[section], replayed: replayed.sections[section] }));
  return { tick, index, input, before, reason, sections, changes };
}

/** The leaves that differ between two JSON-safe values, as dotted paths, at most `limit` of them. */
export function diffStates(a: unknown, b: unknown, limit = 12): StateChange[] {
  const out: StateChange[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (out.length >= limit) return;
    if (x === y) return;
    const bothObjects = typeof x === "object" && x !== null && typeof y === "object" && y !== null;
    if (!bothObjects || Array.isArray(x) !== Array.isArray(y)) {
      if (JSON.stringify(x) !== JSON.stringify(y)) out.push({ path: path || "(root)", before: x, after: y });
      return;
    }
    const xs = x as Record<string, unknown>;
    const ys = y as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(xs), ...Object.keys(ys)])].sort();
    for (const key of keys) walk(xs[key], ys[key], path ? `${path}.${key}` : key);
  };
  walk(a, b, "");
  return out;
}
