/**
 * `npm run replay`'s function (docs/replay.md): a MUD zone recorded in-process is replayed to
 * "identical" (exit 0); the same recording with a command changed diverges (exit 1) at the tick
 * that ran it, with the input before it and what changed, or in what players were told when the
 * state is as recorded; a version 1 recording (no output hashes) replays with a note; files that
 * are no recording this code replays are refused with a clear line (exit 2).
 */
import { describe, expect, it } from "vitest";
import { loadArcaneRealms } from "../shared/content/arcane-realms";
import { MUD_KIND } from "../shared/mud/engine";
import { parsedCharacter as character } from "../shared/protocol/character.fixtures";
import { createRng } from "../shared/sim/rng";
import type { EngineSession } from "../shared/zone/engine";
import { RecordingEngine, recordedContent } from "../shared/zone/recording";
import type { ZoneRecording } from "../shared/zone/recording-format";
import { runReplay } from "./replay";

const ADA = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
const stats = { summary: () => ({}) as never, reset: () => {} };

/** Ada walks east and looks about in Lanternmere, recorded over eight ticks. */
function recorded(): ZoneRecording {
  const ada: EngineSession = { sessionId: "s-ada", playerId: ADA, name: "Ada", character: character(ADA), gm: false };
  const engine = new RecordingEngine(MUD_KIND.create("start", createRng(3)), {
    zoneId: "start",
    content: recordedContent(loadArcaneRealms(), true),
    plugins: [],
    startedAt: 1_000,
    present: () => [ada],
  });
  engine.admit(ada);
  const rng = createRng(11);
  for (let tick = 1; tick <= 8; tick++) {
    const line = ["", "", "east", "", "look", "", "west", ""][tick - 1];
    if (line) engine.receive(ada, { type: "command", line }, { tick: tick - 1, now: tick * 100, stats });
    engine.step({ tick, now: tick * 100, rng });
  }
  const recording = engine.finish(2_000, "the span ended");
  if (!recording) throw new Error("nothing recorded");
  return recording;
}

function run(text: string) {
  const out: string[] = [];
  const errors: string[] = [];
  const code = runReplay(text, { out: (l) => out.push(l), error: (l) => errors.push(l) });
  return { code, out, errors };
}

describe("npm run replay", () => {
  it("replays a recording to identical hashes, with progress and a summary", () => {
    const { code, out, errors } = run(JSON.stringify(recorded()));
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toBe("replaying start (mud) from tick 1: 10 inputs");
    expect(out).toContain("tick 7/7 (zone tick 8)");
    expect(out.at(-2)).toMatch(/^ticks: 7, inputs: 10, final hash: [0-9a-f]{16}$/);
    expect(out.at(-1)).toBe("identical");
  });

  it("reports a changed command as a divergence at its tick with the input before it and a diff (exit 1)", () => {
    const recording = recorded();
    const east = recording.inputs.find((i) => i.op === "receive" && i.message.type === "command");
    if (east?.op !== "receive") throw new Error("no command recorded");
    east.message = { type: "command", line: "west" };
    const { code, errors } = run(JSON.stringify(recording));
    expect(code).toBe(1);
    expect(errors[0]).toBe("DIVERGED at tick 3 (input #2: step tick 3)");
    expect(errors).toContain(`  input before it: receive from s-ada at tick 2: {"type":"command","line":"west"}`);
    expect(errors).toContain(`    players.${ADA}.roomId: "village-square" -> "smithy"`);
  });

  it("reports a look changed to inventory as a divergence in what players were told (exit 1)", () => {
    const recording = recorded();
    const look = recording.inputs.find(
      (i) => i.op === "receive" && i.message.type === "command" && i.message.line === "look",
    );
    if (look?.op !== "receive") throw new Error("no look recorded");
    look.message = { type: "command", line: "inventory" };
    const step = recording.inputs[recording.inputs.indexOf(look) + 1];
    if (step?.op !== "step") throw new Error("no step after the look");
    const { code, errors } = run(JSON.stringify(recording));
    expect(code).toBe(1);
    expect(errors.slice(0, 4)).toEqual([
      "DIVERGED at tick 5 (input #5: step tick 5)",
      "  what players were told differs from the recorded output",
      `  input before it: receive from s-ada at tick 4: {"type":"command","line":"inventory"}`,
      expect.stringMatching(new RegExp(`^  recorded output ${step.out}, replayed [0-9a-f]{16}:$`)),
    ]);
    expect(errors[4]).toMatch(new RegExp(`^    to players ${ADA}: `));
  });

  it("replays a version 1 recording, saying it has no output hashes to compare", () => {
    const recording = recorded();
    const inputs = recording.inputs.map(({ ...i }) => {
      delete (i as { out?: string }).out;
      return i;
    });
    const { code, out } = run(JSON.stringify({ ...recording, v: 1, inputs }));
    expect(code).toBe(0);
    expect(out[1]).toBe("note: a format version 1 recording has no output hashes: only the state is compared");
    expect(out.at(-1)).toBe("identical");
  });

  it("refuses what it cannot replay, saying why (exit 2)", () => {
    const good = recorded();
    const cases: [string, RegExp][] = [
      ["not json at all", /^replay: the file is not JSON/],
      [JSON.stringify({ some: "thing" }), /^replay: the file is not a zone recording/],
      [
        JSON.stringify({ ...good, v: 9 }),
        /^replay: the recording is format version 9; this code reads versions 1 and 2$/,
      ],
      [JSON.stringify({ ...good, kind: "voxel" }), /^replay: unknown zone kind "voxel" for zone start/],
      [JSON.stringify({ ...good, inputs: [{ op: "jump" }] }), /^replay: the recording is malformed at inputs\.0/],
    ];
    for (const [text, message] of cases) {
      const { code, errors } = run(text);
      expect(code, text.slice(0, 40)).toBe(2);
      expect(errors[0]).toMatch(message);
    }
  });
});
