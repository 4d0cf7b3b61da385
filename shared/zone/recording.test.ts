/**
 * Recording a zone and replaying it (docs/replay.md): the MUD and field engines driven as the zone
 * host drives them — the chat layer's weather drawing from the same RNG before each step, idle
 * catch-up stopping at weather ticks — recorded, written out as JSON, read back and replayed to the
 * same hash after every tick and the same output after every call; a recording with one input
 * changed parts at the tick it changed, in the state or in what players were told.
 */
import { describe, expect, it } from "vitest";
import { loadArcaneRealms } from "../content/arcane-realms";
import { FIELD_KIND } from "../field/engine";
import { MUD_KIND } from "../mud/engine";
import { parsedCharacter as character } from "../protocol/character.fixtures";
import { catchUpStops } from "../sim/clock";
import { createRng } from "../sim/rng";
import type { ZoneSimState } from "../sim/zone";
import { chat } from "./chat";
import {
  type EngineMessage,
  type EngineSession,
  isOutcome,
  type Outcome,
  type ReceiveContext,
  type ZoneEngine,
} from "./engine";
import { digestState, RecordingEngine, recordedContent } from "./recording";
import { parseRecording, type RecordedInput, type ZoneRecording } from "./recording-format";
import { diffStates, replayRecording } from "./recording-replay";

const stats = { summary: () => ({}) as never, reset: () => {} };
const ADA = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
const BOB = "7a2b3c4d-5e6f-4a7b-9c8d-1e2f3a4b5c6d";

function hero(id: string, name: string, level = 8): EngineSession {
  const c = character(id, { name, level, hp: 400, mp: 200 });
  return { sessionId: `s-${name.toLowerCase()}`, playerId: id, name, character: c, gm: false };
}

/** A zone host in miniature: one RNG the chat layer's weather draws from before the engine, and hand-offs carried out. */
class MiniHost {
  rngState: number;
  sim: ZoneSimState = chat.initial();
  tick = 0;
  now = 1_000_000;
  readonly sessions = new Map<string, EngineSession>();
  readonly departed: string[] = [];

  constructor(
    public engine: ZoneEngine,
    readonly zoneId: string,
    seed: number,
    readonly intervalMs = 100,
  ) {
    this.rngState = seed;
  }

  admit(session: EngineSession): Outcome {
    this.sessions.set(session.sessionId, session);
    return this.engine.admit(session);
  }

  send(session: EngineSession, message: EngineMessage): void {
    const ctx: ReceiveContext = { tick: this.tick, now: this.now + 7, stats };
    const result = this.engine.receive(session, message, ctx);
    if (!isOutcome(result)) throw new Error(`refused: ${result.message}`);
  }

  /** `n` ticks as the host's advance runs them: weather first, then the engine. */
  run(n: number): Outcome[] {
    const rng = createRng(this.rngState);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < n; i++) {
      this.tick++;
      this.now += this.intervalMs;
      const ctx = { tick: this.tick, now: this.now, rng };
      this.sim = chat.step(this.sim, ctx).state;
      outcomes.push(this.engine.step(ctx));
    }
    this.rngState = rng.state();
    for (const o of outcomes) for (const d of o.departures ?? []) this.depart(d.playerId);
    return outcomes;
  }

  /** An empty zone's catch-up to `to`, stopping at the weather's ticks as the host does. */
  catchUp(to: number): void {
    const rng = createRng(this.rngState);
    for (const stop of catchUpStops(this.tick, to, [(t) => chat.nextEventTick(t)])) {
      const ctx = { rng, now: this.now + (stop - this.tick) * this.intervalMs };
      this.engine.fastForward(stop - 1, ctx);
      this.sim = chat.fastForward(this.sim, stop, ctx).state;
      this.engine.fastForward(stop, ctx);
    }
    this.now += (to - this.tick) * this.intervalMs;
    this.tick = to;
    this.rngState = rng.state();
  }

  depart(playerId: string): void {
    this.engine.depart(playerId);
    this.departed.push(playerId);
  }

  record(maxChars?: number): RecordingEngine {
    const recorder = new RecordingEngine(this.engine, {
      zoneId: this.zoneId,
      content: recordedContent(loadArcaneRealms(), true),
      plugins: [],
      startedAt: this.now,
      present: () => [...this.sessions.values()],
      ...(maxChars ? { maxChars } : {}),
    });
    this.engine = recorder;
    return recorder;
  }
}

/** The recording as it travels: JSON text, read back by the format's reader. */
function roundTrip(recording: ZoneRecording | undefined): ZoneRecording {
  if (!recording) throw new Error("no recording");
  const read = parseRecording(JSON.stringify(recording));
  if (!read.ok) throw new Error(read.error.message);
  return read.value;
}

/** A recording as format version 1 wrote it: no output hashes, no `publish` calls. */
function asVersion1(recording: ZoneRecording): ZoneRecording {
  const inputs = recording.inputs
    .filter((i) => i.op !== "publish")
    .map(({ ...i }) => {
      delete (i as { out?: string }).out;
      return i;
    });
  return { ...structuredClone(recording), v: 1, inputs: structuredClone(inputs) };
}

const ticksOf = (r: ZoneRecording) => r.inputs.filter((i) => i.op === "step" || i.op === "fastForward");
const lastHash = (r: ZoneRecording) => (ticksOf(r).at(-1) as { hash: string }).hash;

function mudZone() {
  const engine = MUD_KIND.create("start", createRng(7));
  const host = new MiniHost(engine, "start", 99);
  const [ada, bob] = [hero(ADA, "Ada"), hero(BOB, "Bob")];
  return { host, ada, bob, command: (line: string): EngineMessage => ({ type: "command", line }) };
}

describe("recording a MUD zone", () => {
  it("replays players joining, commands, a fight to an NPC's death and a departure to identical hashes", () => {
    const { host, ada, bob, command } = mudZone();
    host.admit(ada);
    host.run(3);
    // A command waiting for the next tick when recording starts: the snapshot waits for that tick's end.
    host.send(ada, command("look"));
    const recorder = host.record();
    host.run(1);
    expect(recorder.recordingNow).toBe(true);
    host.admit(bob);
    host.send(ada, command("down"));
    host.run(1);
    let killed = false;
    for (let round = 0; round < 60 && !killed; round++) {
      if (round % 5 === 0) host.send(ada, command("kill rat"));
      host.send(bob, command(round % 2 ? "look" : "inventory"));
      killed = host.run(1).some((o) => JSON.stringify(o.out).includes("dies"));
    }
    expect(killed).toBe(true);
    // Weather draws from the zone's RNG before the engine's step every 100 ticks.
    host.run(120);
    for (const line of ["up", "south", "trail"]) {
      host.send(ada, command(line));
      host.run(1);
    }
    expect(host.departed).toEqual([ADA]);
    host.engine.release(bob, true);
    host.sessions.clear();
    host.catchUp(host.tick + 250);
    const recording = roundTrip(recorder.finish(host.now, "the span ended"));

    const ops = new Set(recording.inputs.map((i) => i.op));
    expect([...ops].sort()).toEqual(["admit", "depart", "fastForward", "receive", "release", "step"]);
    // The host drew (weather) between two engine steps: the next step was handed the RNG as the host left it.
    const steps = recording.inputs.filter((i): i is Extract<RecordedInput, { op: "step" }> => i.op === "step");
    const weather = steps.findIndex((s) => s.tick % 100 === 0);
    expect(steps[weather]?.rng).not.toBe(steps[weather - 1]?.rngAfter);
    expect(recording.snapshot.sessions.map((s) => s.name)).toEqual(["Ada"]);

    const progress: number[] = [];
    const result = replayRecording(recording, MUD_KIND, { progress: (_t, done) => progress.push(done) });
    expect(result.divergence).toBeUndefined();
    expect(result.ticks).toBe(ticksOf(recording).length);
    expect(progress.at(-1)).toBe(result.ticks);
    expect(result.inputs).toBe(recording.inputs.length);
    expect(result.finalHash).toBe(lastHash(recording));
    expect(result.finalHash).toBe(digestState(recorder.inner.serialize()).hash);
  });

  it("reports a changed command as a divergence at the tick that ran it, with what the replay changed", () => {
    const { host, ada, command } = mudZone();
    host.admit(ada);
    const recorder = host.record();
    host.run(2);
    host.send(ada, command("east"));
    host.run(1);
    host.send(ada, command("look"));
    host.run(3);
    const recording = roundTrip(recorder.finish(host.now, "the span ended"));
    expect(replayRecording(recording, MUD_KIND).divergence).toBeUndefined();

    const index = recording.inputs.findIndex((i) => i.op === "receive" && JSON.stringify(i.message).includes("east"));
    const tampered = structuredClone(recording);
    const changed = tampered.inputs[index];
    if (changed?.op !== "receive") throw new Error("no east command recorded");
    changed.message = { type: "command", line: "west" };
    const result = replayRecording(tampered, MUD_KIND);
    const step = recording.inputs[index + 1];
    expect(step?.op).toBe("step");
    expect(result.divergence?.tick).toBe(step?.op === "step" ? step.tick : -1);
    expect(result.divergence?.index).toBe(index + 1);
    expect(result.divergence?.before).toEqual(changed);
    expect(result.divergence?.sections.map((s) => s.section)).toContain("players");
    expect(result.divergence?.changes).toContainEqual({
      path: `players.${ADA}.roomId`,
      before: "village-square",
      after: "smithy",
    });
    expect(result.ticks).toBe(2);
  });

  it("reports a look changed to inventory, which leaves the state as it was, as a divergence in what players were told", () => {
    const { host, ada, command } = mudZone();
    host.admit(ada);
    const recorder = host.record();
    host.run(2);
    host.send(ada, command("look"));
    host.run(1);
    host.send(ada, command("east"));
    host.run(2);
    const recording = roundTrip(recorder.finish(host.now, "the span ended"));
    const clean = replayRecording(recording, MUD_KIND);
    expect(clean.divergence).toBeUndefined();
    expect(clean.outputsCompared).toBe(true);

    const index = recording.inputs.findIndex((i) => i.op === "receive" && JSON.stringify(i.message).includes("look"));
    const tampered = structuredClone(recording);
    const changed = tampered.inputs[index];
    if (changed?.op !== "receive") throw new Error("no look command recorded");
    changed.message = { type: "command", line: "inventory" };
    const result = replayRecording(tampered, MUD_KIND);
    // The MUD answers a command at the tick that runs it: the step after the receive told Ada something else.
    const step = recording.inputs[index + 1];
    if (step?.op !== "step") throw new Error("no step after the look");
    expect(step.out).toMatch(/^[0-9a-f]{16}$/);
    expect(result.divergence?.index).toBe(index + 1);
    expect(result.divergence?.tick).toBe(step.tick);
    expect(result.divergence?.before).toEqual(changed);
    expect(result.divergence?.reason).toBe("what players were told differs from the recorded output");
    // The state is as recorded: no section differs.
    expect(result.divergence?.sections).toEqual([]);
    expect(result.divergence?.told?.recorded).toBe(step.out);
    expect(result.divergence?.told?.replayed).toMatch(/^[0-9a-f]{16}$/);
    expect(result.divergence?.told?.replayed).not.toBe(step.out);
    expect(result.divergence?.told?.lines.join("\n")).toMatch(/to players 6f1c.*(carry|inventory)/i);
    expect(result.ticks).toBe(2);

    // A version 1 recording has no output hashes: the same change replays identical, and the replay says it compared no output.
    const old = asVersion1(tampered);
    expect(old.inputs.some((i) => "out" in i)).toBe(false);
    const unchecked = replayRecording(roundTrip(old), MUD_KIND);
    expect(unchecked.divergence).toBeUndefined();
    expect(unchecked.outputsCompared).toBe(false);
  });

  it("stops at its size bound with a clear reason and keeps a recording that still replays", () => {
    const { host, ada, command } = mudZone();
    host.admit(ada);
    const recorder = host.record(20_000);
    for (let i = 0; i < 400 && (i === 0 || recorder.recordingNow); i++) {
      host.send(ada, command("look"));
      host.run(1);
    }
    expect(recorder.stopped).toMatch(/size bound \(20000 characters\)/);
    const recording = roundTrip(recorder.finish(host.now, "the span ended"));
    expect(recording.ended).toBe(recorder.stopped);
    expect(JSON.stringify(recording).length).toBeLessThan(21_000);
    expect(replayRecording(recording, MUD_KIND).divergence).toBeUndefined();
  });

  it("changes nothing the zone sees: outcomes and state equal an unrecorded twin's, and an unsaved change stays owed", () => {
    const a = mudZone();
    const b = mudZone();
    for (const z of [a, b]) z.host.admit(z.ada);
    const recorder = a.host.record();
    for (const line of ["down", "kill rat", "look", "up"]) {
      for (const z of [a, b]) z.host.send(z.ada, z.command(line));
      expect(a.host.run(2)).toEqual(b.host.run(2));
    }
    expect(recorder.dirty).toBe(true);
    expect(recorder.inner.serialize()).toEqual(b.host.engine.serialize());
  });
});

describe("recording a field zone", () => {
  it("replays inputs and casts from sessions already playing when it started to identical hashes", () => {
    const engine = FIELD_KIND.create("test-area", createRng(1));
    const host = new MiniHost(engine, "test-area", 5, 50);
    const gus: EngineSession = { sessionId: "s-gus", playerId: "s-gus", name: "Gus", gm: false };
    const ivy: EngineSession = { sessionId: "s-ivy", playerId: "s-ivy", name: "Ivy", gm: false, binary: true };
    host.admit(gus);
    host.run(2);
    const recorder = host.record();
    host.run(1);
    host.admit(ivy);
    let seq = 0;
    for (let t = 0; t < 80; t++) {
      seq++;
      host.send(gus, { type: "input", seq, move: { x: 1, y: t % 20 < 10 ? 0.3 : -0.3 }, aim: { x: 900, y: 400 } });
      host.send(ivy, { type: "input", seq, move: { x: 0.5, y: 0 } });
      if (t % 10 === 0) host.send(gus, { type: "cast", skill: "magic-missile", aim: { x: 900, y: 200 } });
      host.run(1);
      host.engine.publish();
    }
    const recording = roundTrip(recorder.finish(host.now, "the span ended"));
    expect(recording.inputs.filter((i) => i.op === "receive" && i.message.type === "cast").length).toBe(8);
    expect(recording.snapshot.sessions.map((s) => s.name)).toEqual(["Gus"]);

    // What each session was sent (its snapshots) is recorded with every publish, and replays the same.
    const published = recording.inputs.filter((i) => i.op === "publish");
    expect(published).toHaveLength(80);
    expect(published.filter((i) => i.out !== undefined).length).toBeGreaterThan(0);
    const result = replayRecording(recording, FIELD_KIND);
    expect(result.divergence).toBeUndefined();
    expect(result.outputsCompared).toBe(true);
    // Gus's snapshot history was still empty when recording began: every frame he and Ivy were sent replays the same.
    expect(result.publishDiffers).toBeUndefined();
    expect(result.ticks).toBe(80);
    expect(result.finalHash).toBe(lastHash(recording));

    // Without the sessions it started with, the field would refuse Gus's inputs: the replay says so.
    const forgotten = { ...structuredClone(recording), snapshot: { ...recording.snapshot, sessions: [] } };
    forgotten.inputs[1] = { ...forgotten.inputs[1], session: gus } as RecordedInput;
    const refused = replayRecording(forgotten, FIELD_KIND).divergence;
    expect(refused?.reason).toMatch(/refused it \(hello_required\) where the recorded one took it/);
  });
});

describe("recording a field zone's per-session snapshots", () => {
  it("notes, without diverging, frames a replay cannot send alike to a session whose snapshot history began before it", () => {
    const host = new MiniHost(FIELD_KIND.create("test-area", createRng(1)), "test-area", 5, 50);
    const gus: EngineSession = { sessionId: "s-gus", playerId: "s-gus", name: "Gus", gm: false };
    host.admit(gus);
    // Frames sent before the recording: the session's snapshot numbers and baselines live outside the state.
    for (let t = 0; t < 5; t++) {
      host.run(1);
      host.engine.publish();
    }
    const recorder = host.record();
    for (let t = 1; t <= 20; t++) {
      host.send(gus, { type: "input", seq: t, move: { x: 1, y: 0 } });
      host.run(1);
      host.engine.publish();
    }
    const recording = roundTrip(recorder.finish(host.now, "the span ended"));
    const result = replayRecording(recording, FIELD_KIND);
    expect(result.divergence).toBeUndefined();
    expect(result.finalHash).toBe(lastHash(recording));
    const first = recording.inputs.findIndex((i) => i.op === "publish" && i.out !== undefined);
    expect(result.publishDiffers?.first).toBe(first);
    expect(result.publishDiffers?.count).toBeGreaterThan(0);
  });
});

describe("the recording format", () => {
  it("refuses text that is not JSON, JSON that is no recording, another version and a malformed input", () => {
    const { host, ada } = mudZone();
    host.admit(ada);
    const recorder = host.record();
    host.run(2);
    const good = recorder.finish(host.now, "the span ended") as ZoneRecording;
    const reason = (text: string) => {
      const read = parseRecording(text);
      return read.ok ? "ok" : `${read.error.reason}: ${read.error.message}`;
    };
    expect(reason(JSON.stringify(good))).toBe("ok");
    expect(reason("{not json")).toMatch(/^not_json: the file is not JSON/);
    expect(reason(JSON.stringify({ hello: 1 }))).toMatch(/^not_a_recording: .*leviathan\.zone-recording/);
    expect(good.v).toBe(2);
    expect(reason(JSON.stringify({ ...good, v: 3 }))).toBe(
      "version: the recording is format version 3; this code reads versions 1 and 2",
    );
    expect(reason(JSON.stringify(asVersion1(good)))).toBe("ok");
    const bad = { ...good, inputs: [{ op: "step", tick: "one" }] };
    expect(reason(JSON.stringify(bad))).toMatch(/^invalid: the recording is malformed at inputs\.0\./);
  });

  it("lists the leaves that differ between two states, up to a limit", () => {
    expect(diffStates({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] }, d: true })).toEqual([
      { path: "b.c.1", before: 2, after: 3 },
      { path: "d", before: undefined, after: true },
    ]);
    expect(diffStates({ a: 1, b: 2, c: 3 }, { a: 0, b: 0, c: 0 }, 2)).toHaveLength(2);
  });
});
