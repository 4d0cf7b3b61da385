/**
 * The format of a zone recording (docs/replay.md): a snapshot of a zone's engine and every input
 * it was given for a span of ticks, with the state hash after each tick, so `npm run replay` can
 * run the same inputs again and say whether the engine still does exactly what it did. Versioned
 * JSON: `v` names the format version, and a reader refuses a version it does not know.
 */
import { z } from "zod";
import { CharacterSnapshot } from "../protocol/character";
import { ClientMessage } from "../protocol/messages";
import { err, ok, type Result } from "../result";
import type { Traveller } from "../world/traveller";
import type { EngineMessage, EngineSession } from "./engine";

/** What a recording file says it is, so a stray JSON file is told apart from a recording. */
export const RECORDING_FORMAT = "leviathan.zone-recording";
/**
 * The format version this code writes. Version 2 added what players were told (`out` on the calls
 * that answer with output, and the `publish` call); a version 1 recording still reads and replays,
 * its state compared and its output not (docs/replay.md, "The format").
 */
export const RECORDING_VERSION = 2;
/** The format versions this code reads. */
export const READABLE_VERSIONS: readonly number[] = [1, RECORDING_VERSION];

/**
 * The hash of what an engine call told players (shared/zone/recording.ts `outputHash`). Absent from
 * a version 2 input: it told nobody anything. A version 1 recording has none at all.
 */
interface Told {
  out?: string;
}

/**
 * A state's hash as a recording keeps it: `sections` hashes each top-level key of the serialized
 * state (shared/sim/hash.ts `stateHash`), and `hash` hashes that map, so a divergence can name the
 * part of the state that differs without the recording carrying whole states.
 */
export interface StateDigest {
  hash: string;
  sections: Record<string, string>;
}

/** Where a session's fields are: each input names its session by id; `session` comes when first seen or changed. */
interface SessionRef {
  sid: string;
  session?: EngineSession;
}

/** One engine call, in the order the zone made it. */
export type RecordedInput =
  | ({ op: "admit" } & SessionRef & Told)
  | ({ op: "release"; last: boolean } & SessionRef & Told)
  | ({
      op: "receive";
      message: EngineMessage;
      tick: number;
      now: number;
      /** The protocol error code the engine refused the message with (absent: taken). */
      refused?: string;
    } & SessionRef &
      Told)
  | ({
      op: "step";
      tick: number;
      now: number;
      /** The RNG's state handed to the engine (the host may have drawn from it first: weather) and after it. */
      rng: number;
      rngAfter: number;
      hash: string;
      /** Section hashes that changed since the previous digest (the snapshot's, at first). */
      sections?: Record<string, string>;
    } & Told)
  | ({
      op: "fastForward";
      to: number;
      now: number;
      rng: number;
      rngAfter: number;
      hash: string;
      sections?: Record<string, string>;
    } & Told)
  | ({ op: "settle"; present: EngineSession[] } & Told)
  | { op: "depart"; player: string }
  | ({ op: "arrive"; traveller: Traveller } & Told)
  | ({ op: "linkdead"; player: string } & Told)
  | ({ op: "reload"; content: RecordedContent } & Told)
  /** The host collected the engine's per-session output (a field's snapshots) after its ticks. */
  | ({ op: "publish" } & Told);

/** What content the zone ran: the pack's hash, and its files when it is not the pack bundled with the code. */
export interface RecordedContent {
  hash: string;
  /** `bundled`: the pack shipped with the code (only the hash is kept); `stored`: a pack edited live, kept whole. */
  source: "bundled" | "stored";
  version?: number;
  pack?: unknown;
}

/** The engine as the recording found it, at the end of a tick (nothing queued), and the sessions then playing. */
export interface RecordingSnapshot {
  tick: number;
  rngState: number;
  state: { v: number };
  digest: StateDigest;
  sessions: EngineSession[];
}

/** A whole recording, as `GET /admin/zones/:zoneId/recordings/latest` hands it over. */
export interface ZoneRecording {
  format: typeof RECORDING_FORMAT;
  /** 1: state hashes only; 2: also what players were told. */
  v: 1 | 2;
  zoneId: string;
  kind: string;
  content: RecordedContent;
  /** The plugins the realm enabled (docs/plugins.md): they add commands, behaviours and kinds the engine ran. */
  plugins: string[];
  /** When the recording was asked for and when it ended (epoch ms, wall clock). */
  startedAt: number;
  endedAt: number;
  /** Why it ended: the span ran out, it grew past its size bound, the zone dropped the engine. */
  ended: string;
  snapshot: RecordingSnapshot;
  inputs: RecordedInput[];
}

const Session: z.ZodType<EngineSession> = z.object({
  sessionId: z.string(),
  playerId: z.string(),
  name: z.string(),
  character: CharacterSnapshot.optional(),
  gm: z.boolean(),
  binary: z.boolean().optional(),
});

const Message = ClientMessage.refine(
  (m) => m.type === "command" || m.type === "input" || m.type === "cast" || m.type === "ack" || m.type === "resync",
  "an engine is given only command, input, cast, ack and resync messages",
) as unknown as z.ZodType<EngineMessage>;

const Sections = z.record(z.string(), z.string());
const Ref = { sid: z.string(), session: Session.optional() };
const Tick = z.number().int().min(0);
const Content = z.object({
  hash: z.string(),
  source: z.enum(["bundled", "stored"]),
  version: z.number().optional(),
  pack: z.unknown().optional(),
});
const Stepped = { now: z.number(), rng: z.number().int(), rngAfter: z.number().int(), hash: z.string() };
const Out = { out: z.string().optional() };

const Input: z.ZodType<RecordedInput> = z.discriminatedUnion("op", [
  z.object({ op: z.literal("admit"), ...Ref, ...Out }),
  z.object({ op: z.literal("release"), last: z.boolean(), ...Ref, ...Out }),
  z.object({
    op: z.literal("receive"),
    message: Message,
    tick: Tick,
    now: z.number(),
    refused: z.string().optional(),
    ...Ref,
    ...Out,
  }),
  z.object({ op: z.literal("step"), tick: Tick, ...Stepped, sections: Sections.optional(), ...Out }),
  z.object({ op: z.literal("fastForward"), to: Tick, ...Stepped, sections: Sections.optional(), ...Out }),
  z.object({ op: z.literal("settle"), present: z.array(Session), ...Out }),
  z.object({ op: z.literal("depart"), player: z.string() }),
  // The traveller is read by its own versioned reader when replayed (shared/world/traveller.ts).
  z.object({
    op: z.literal("arrive"),
    traveller: z.custom<Traveller>((t) => typeof t === "object" && t !== null),
    ...Out,
  }),
  z.object({ op: z.literal("linkdead"), player: z.string(), ...Out }),
  z.object({ op: z.literal("reload"), content: Content, ...Out }),
  z.object({ op: z.literal("publish"), ...Out }),
]) as z.ZodType<RecordedInput>;

const Recording = z.object({
  format: z.literal(RECORDING_FORMAT),
  v: z.union([z.literal(1), z.literal(2)]),
  zoneId: z.string().min(1),
  kind: z.string().min(1),
  content: Content,
  plugins: z.array(z.string()),
  startedAt: z.number(),
  endedAt: z.number(),
  ended: z.string(),
  snapshot: z.object({
    tick: Tick,
    rngState: z.number().int(),
    state: z.looseObject({ v: z.number() }),
    digest: z.object({ hash: z.string(), sections: Sections }),
    sessions: z.array(Session),
  }),
  inputs: z.array(Input),
}) as z.ZodType<ZoneRecording>;

/** Why a file is no recording this code can replay. */
export interface RecordingFormatError {
  reason: "not_json" | "not_a_recording" | "version" | "invalid";
  message: string;
}

/** Reads a recording from its JSON text: a clear reason when it is not JSON, no recording, of another version, or malformed. */
export function parseRecording(text: string): Result<ZoneRecording, RecordingFormatError> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    return err({ reason: "not_json", message: `the file is not JSON (${String(cause)})` });
  }
  return readRecording(raw);
}

/** Reads a recording already parsed from JSON. */
export function readRecording(raw: unknown): Result<ZoneRecording, RecordingFormatError> {
  const head = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : undefined;
  if (head?.format !== RECORDING_FORMAT) {
    const message = `the file is not a zone recording (its "format" is not "${RECORDING_FORMAT}")`;
    return err({ reason: "not_a_recording", message });
  }
  if (typeof head.v !== "number" || !READABLE_VERSIONS.includes(head.v)) {
    const message = `the recording is format version ${JSON.stringify(head.v)}; this code reads versions ${READABLE_VERSIONS.join(" and ")}`;
    return err({ reason: "version", message });
  }
  const parsed = Recording.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(top)";
    return err({ reason: "invalid", message: `the recording is malformed at ${where}: ${issue?.message}` });
  }
  return ok(parsed.data);
}
