/**
 * `npm run replay -- <recording.json>` (docs/replay.md): replays a zone recording downloaded from
 * `GET /admin/zones/:zoneId/recordings/latest` on this checkout's engine — restored from the
 * recording's snapshot, every input made again, the state hash compared after every tick and what
 * each call told players compared with the recorded output (format version 2).
 * Exit 0: identical. Exit 1: diverged (the tick, the input before it and a short diff, or what
 * players were told instead, are printed).
 * Exit 2: a file that is no recording this code replays (not JSON, another version, an unknown kind).
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { loadArcaneRealms } from "../shared/content/arcane-realms";
import { realmWith } from "../shared/plugins/installed";
import type { ZoneKind } from "../shared/zone/engine";
import { recordedContent } from "../shared/zone/recording";
import { parseRecording, type RecordedInput, type ZoneRecording } from "../shared/zone/recording-format";
import { type Divergence, isUnreplayable, replayRecording } from "../shared/zone/recording-replay";

/** Where the replay writes: progress and the summary to `out`, errors to `error`. */
export interface ReplayOutput {
  out(line: string): void;
  error(line: string): void;
}

/** The kind that ran the recording, with the plugins it ran with, or why this code has none. */
function kindFor(recording: ZoneRecording): ZoneKind | string {
  let kinds: ReturnType<ReturnType<typeof realmWith>["zoneKinds"]>;
  try {
    kinds = realmWith(recording.plugins).zoneKinds();
  } catch (cause) {
    return `the recording ran with plugins ${recording.plugins.join(", ")}, which this code cannot load (${String(cause)})`;
  }
  const kind = kinds.kindOf(recording.zoneId);
  if (kind.name === recording.kind) return kind;
  const known = [...kinds.names(), "chat"].join(", ");
  return `unknown zone kind ${JSON.stringify(recording.kind)} for zone ${recording.zoneId}: this code runs it as ${kind.name} (kinds known: ${known})`;
}

/** One input, short, for a report line. */
export function describeInput(input: RecordedInput | undefined): string {
  if (!input) return "(none: the snapshot)";
  switch (input.op) {
    case "receive":
      return `receive from ${input.sid} at tick ${input.tick}: ${JSON.stringify(input.message)}${input.refused ? ` (refused: ${input.refused})` : ""}`;
    case "admit":
    case "release":
      return `${input.op} ${input.sid}${input.session ? ` (${input.session.name})` : ""}`;
    case "step":
      return `step tick ${input.tick}`;
    case "fastForward":
      return `fastForward to tick ${input.to}`;
    case "settle":
      return `settle with ${input.present.length} sessions`;
    case "depart":
    case "linkdead":
      return `${input.op} ${input.player}`;
    case "arrive":
      return `arrive ${input.traveller.character?.name ?? "(traveller)"}`;
    case "reload":
      return `reload content ${input.content.hash}`;
    case "publish":
      return "publish";
  }
}

const short = (value: unknown) => {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

function reportDivergence(d: Divergence, io: ReplayOutput): void {
  io.error(`DIVERGED at tick ${d.tick} (input #${d.index}: ${describeInput(d.input)})`);
  io.error(`  ${d.reason}`);
  io.error(`  input before it: ${describeInput(d.before)}`);
  if (d.told) {
    io.error(`  recorded output ${d.told.recorded ?? "(nothing)"}, replayed ${d.told.replayed ?? "(nothing)"}:`);
    for (const line of d.told.lines) io.error(`    ${line}`);
    return;
  }
  for (const s of d.sections)
    io.error(`  section ${s.section}: recorded ${s.recorded ?? "-"}, replayed ${s.replayed ?? "-"}`);
  if (d.changes.length) io.error("  what the replay changed at that input (path: before -> after):");
  else io.error("  the replay changed nothing at that input; the recorded engine did");
  for (const c of d.changes) io.error(`    ${c.path}: ${short(c.before)} -> ${short(c.after)}`);
}

/** Replays a recording's JSON text; returns the exit code (0 identical, 1 diverged, 2 not replayable). */
export function runReplay(text: string, io: ReplayOutput): 0 | 1 | 2 {
  const read = parseRecording(text);
  if (!read.ok) {
    io.error(`replay: ${read.error.message}`);
    return 2;
  }
  const recording = read.value;
  const kind = kindFor(recording);
  if (typeof kind === "string") {
    io.error(`replay: ${kind}`);
    return 2;
  }
  if (recording.content.source === "bundled") {
    const here = recordedContent(loadArcaneRealms(), true).hash;
    if (here !== recording.content.hash)
      io.out(`note: the recording ran content ${recording.content.hash}; this checkout bundles ${here}`);
  }
  const { zoneId, snapshot, inputs } = recording;
  io.out(`replaying ${zoneId} (${recording.kind}) from tick ${snapshot.tick}: ${inputs.length} inputs`);
  if (recording.v < 2)
    io.out(`note: a format version ${recording.v} recording has no output hashes: only the state is compared`);
  let result: ReturnType<typeof replayRecording>;
  try {
    let lastPrinted = 0;
    result = replayRecording(recording, kind, {
      progress: (tick, done, total) => {
        // About twenty progress lines, and the last.
        if (done === total || done - lastPrinted >= Math.max(1, Math.floor(total / 20))) {
          lastPrinted = done;
          io.out(`tick ${done}/${total} (zone tick ${tick})`);
        }
      },
    });
  } catch (cause) {
    if (!isUnreplayable(cause)) throw cause;
    io.error(`replay: ${cause.message}`);
    return 2;
  }
  io.out(`ticks: ${result.ticks}, inputs: ${result.inputs}, final hash: ${result.finalHash}`);
  if (result.divergence) {
    reportDivergence(result.divergence, io);
    return 1;
  }
  const differs = result.publishDiffers;
  if (differs)
    io.out(
      `note: ${differs.count} publish round(s) sent other per-session snapshots than recorded, from input #${differs.first}: ` +
        "snapshots are built from per-session state a recording's snapshot does not hold",
    );
  io.out("identical");
  return 0;
}

function main(argv: readonly string[]): number {
  const path = argv[0];
  if (!path || argv.length > 1) {
    console.error("usage: npm run replay -- <recording.json>");
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    console.error(`replay: cannot read ${path}: ${String(cause)}`);
    return 2;
  }
  return runReplay(text, { out: (line) => console.log(line), error: (line) => console.error(line) });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exitCode = main(process.argv.slice(2));
