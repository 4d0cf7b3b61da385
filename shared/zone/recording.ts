/**
 * Recording a zone (docs/replay.md): an engine that stands in for the zone's own, passes every call
 * through unchanged, and writes down what a replay needs to make the same calls again — a snapshot
 * at the end of a tick, then each input in order with its arguments and contexts, and after each
 * `step`/`fastForward` the state's digest. The host swaps it in and out; it never names a kind.
 *
 * The host draws from the zone's one RNG itself (the chat layer's weather, before the engine's
 * step; shared/sim/clock.ts `catchUpStops`), so each call that is handed the RNG records its state
 * as handed over and as given back: a replay hands the engine the same state, whatever the host
 * drew before, and sees whether the engine drew the same.
 */
import type { ContentPack } from "../content/pack";
import type { ProtocolError } from "../protocol/errors";
import { stableStringify, stateHash } from "../sim/hash";
import type { Carried, Traveller } from "../world/traveller";
import type {
  Delivery,
  EngineMessage,
  EngineSession,
  IdleContext,
  Outcome,
  ReceiveContext,
  TickContext,
  ZoneEngine,
} from "./engine";
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordedContent,
  type RecordedInput,
  type StateDigest,
  type ZoneRecording,
} from "./recording-format";

/** A recording stops (and keeps what it has) once its JSON would pass this many characters. */
export const MAX_RECORDING_CHARS = 8 * 1024 * 1024;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** A delivery in a JSON-safe form: a binary frame as hex, so its bytes (not a typed array's shape) are hashed. */
export function deliveryForHash(delivery: Delivery): unknown {
  if (!("bytes" in delivery)) return delivery;
  let hex = "";
  for (const byte of delivery.bytes) hex += HEX[byte];
  return { to: delivery.to, bytes: hex };
}

/**
 * What a call told players, as one hash: every delivery in order, its audience with its message,
 * text or bytes, hashed as a state is (`stateHash`). Undefined when it told nobody anything.
 */
export function outputHash(out: readonly Delivery[]): string | undefined {
  return out.length ? stateHash(out.map(deliveryForHash)) : undefined;
}

/** The digest of a serialized state: each top-level key hashed, and the map of those hashed. */
export function digestState(state: object): StateDigest {
  const sections: Record<string, string> = {};
  for (const [key, value] of Object.entries(state)) if (value !== undefined) sections[key] = stateHash(value);
  return { hash: stateHash(sections), sections };
}

/** Section hashes of `next` that differ from `previous` (a removed section hashes as "-"). */
export function changedSections(
  previous: Record<string, string>,
  next: Record<string, string>,
): Record<string, string> | undefined {
  const changed: Record<string, string> = {};
  for (const [key, hash] of Object.entries(next)) if (previous[key] !== hash) changed[key] = hash;
  for (const key of Object.keys(previous)) if (!(key in next)) changed[key] = "-";
  return Object.keys(changed).length ? changed : undefined;
}

const packHashes = new WeakMap<ContentPack, string>();

/**
 * What content a zone runs, for a recording: the pack's hash (computed once per pack object), and
 * the pack itself unless it is the one bundled with the code, which a replay loads on its own.
 */
export function recordedContent(pack: ContentPack, bundled: boolean): RecordedContent {
  let hash = packHashes.get(pack);
  if (hash === undefined) {
    hash = stateHash(pack);
    packHashes.set(pack, hash);
  }
  return bundled ? { hash, source: "bundled" } : { hash, source: "stored", pack: JSON.parse(JSON.stringify(pack)) };
}

/** What the recorder is told when it starts. */
export interface RecordingOptions {
  zoneId: string;
  content: RecordedContent;
  /** The plugins the realm enabled (docs/plugins.md). */
  plugins: readonly string[];
  /** When the recording was asked for (epoch ms). */
  startedAt: number;
  /** The sessions playing when the snapshot is taken (asked then, not now: the snapshot waits for a tick's end). */
  present(): EngineSession[];
  maxChars?: number;
}

/**
 * The zone's engine, recorded. Until the first `step` or `fastForward` ends it only passes calls
 * through: a snapshot is taken at the end of a tick, when no command or input waits in the engine
 * (those queues are not part of its serialized state). It stops recording, and then only passes
 * calls through, when `stop` is called or the recording grows past `maxChars`.
 */
export class RecordingEngine implements ZoneEngine {
  /** Why recording stopped; undefined while it records (or waits for its snapshot). */
  stopped: string | undefined;
  private recording: ZoneRecording | undefined;
  private chars = 0;
  private sections: Record<string, string> = {};
  private readonly seen = new Map<string, string>();
  /** The engine's state was serialized for a digest while it had unsaved changes: the host still owes a save. */
  private owesSave = false;

  /** Present when the engine reloads content: a reload is an input like any other, recorded with its pack. */
  readonly reloadContent?: (pack: ContentPack) => Outcome;

  constructor(
    readonly inner: ZoneEngine,
    private readonly options: RecordingOptions,
  ) {
    const reload = inner.reloadContent?.bind(inner);
    if (reload)
      this.reloadContent = (pack) => {
        const content = this.recordingNow ? recordedContent(pack, false) : undefined;
        const outcome = reload(pack);
        if (content) this.record({ op: "reload", content, ...this.told(outcome.out) });
        return outcome;
      };
  }

  get kind() {
    return this.inner.kind;
  }
  get tickHz() {
    return this.inner.tickHz;
  }
  get dirty() {
    return this.inner.dirty || this.owesSave;
  }
  get floodLimit() {
    return this.inner.floodLimit;
  }
  get announcesPresence() {
    return this.inner.announcesPresence;
  }
  get logsMessages() {
    return this.inner.logsMessages;
  }
  get holdsCharacters() {
    return this.inner.holdsCharacters;
  }

  /** Whether it is recording now (its snapshot taken, not stopped). */
  get recordingNow(): boolean {
    return this.recording !== undefined && this.stopped === undefined;
  }

  /** Inputs recorded so far. */
  get inputs(): number {
    return this.recording?.inputs.length ?? 0;
  }

  admit(session: EngineSession): Outcome {
    const ref = this.ref(session);
    const outcome = this.inner.admit(session);
    this.record({ op: "admit", ...ref, ...this.told(outcome.out) });
    return outcome;
  }

  release(session: EngineSession, lastOfPlayer: boolean): Outcome {
    const ref = this.ref(session);
    const outcome = this.inner.release(session, lastOfPlayer);
    this.record({ op: "release", last: lastOfPlayer, ...ref, ...this.told(outcome.out) });
    return outcome;
  }

  receive(session: EngineSession, message: EngineMessage, ctx: ReceiveContext): Outcome | ProtocolError {
    const ref = this.recordingNow ? this.ref(session) : undefined;
    const result = this.inner.receive(session, message, ctx);
    if (ref) {
      const refused = "out" in result ? this.told(result.out) : { refused: result.code };
      this.record({ op: "receive", message, tick: ctx.tick, now: ctx.now, ...refused, ...ref });
    }
    return result;
  }

  step(ctx: TickContext): Outcome {
    const rng = ctx.rng.state();
    const outcome = this.inner.step(ctx);
    this.afterTick(ctx.tick, ctx.rng.state(), (digest, sections) => ({
      op: "step",
      tick: ctx.tick,
      now: ctx.now,
      rng,
      rngAfter: ctx.rng.state(),
      hash: digest.hash,
      ...sections,
      ...this.told(outcome.out),
    }));
    return outcome;
  }

  fastForward(toTick: number, ctx: IdleContext): Outcome {
    const rng = ctx.rng.state();
    const outcome = this.inner.fastForward(toTick, ctx);
    this.afterTick(toTick, ctx.rng.state(), (digest, sections) => ({
      op: "fastForward",
      to: toTick,
      now: ctx.now,
      rng,
      rngAfter: ctx.rng.state(),
      hash: digest.hash,
      ...sections,
      ...this.told(outcome.out),
    }));
    return outcome;
  }

  settle(present: readonly EngineSession[]): Outcome {
    const copies = present.map((s) => ({ ...s }));
    const outcome = this.inner.settle(present);
    this.record({ op: "settle", present: copies, ...this.told(outcome.out) });
    return outcome;
  }

  depart(playerId: string): Carried | undefined {
    this.record({ op: "depart", player: playerId });
    return this.inner.depart(playerId);
  }

  arrive(traveller: Traveller): Outcome {
    // A copy taken before the call: the engine may keep and change the traveller it is handed.
    const copy = this.recordingNow ? JSON.parse(JSON.stringify(traveller)) : undefined;
    const outcome = this.inner.arrive(traveller);
    if (copy) this.record({ op: "arrive", traveller: copy, ...this.told(outcome.out) });
    return outcome;
  }

  linkdead(playerId: string): Outcome {
    const outcome = this.inner.linkdead(playerId);
    this.record({ op: "linkdead", player: playerId, ...this.told(outcome.out) });
    return outcome;
  }

  nextEventTick(afterTick: number): number | undefined {
    return this.inner.nextEventTick(afterTick);
  }
  publish(): Delivery[] {
    const out = this.inner.publish();
    this.record({ op: "publish", ...this.told(out) });
    return out;
  }
  characterOf(session: EngineSession) {
    return this.inner.characterOf(session);
  }
  residents(): number {
    return this.inner.residents();
  }
  population(): number | undefined {
    return this.inner.population();
  }
  serialize(): { v: number } {
    this.owesSave = false;
    return this.inner.serialize();
  }

  /** Stops recording (it keeps passing calls through); the first reason given is kept. */
  stop(reason: string): void {
    this.stopped ??= reason;
  }

  /**
   * The recording so far, ended at `now` for the reason it stopped (or `reason`); undefined when no
   * tick ended since it started, so it has no snapshot yet.
   */
  finish(now: number, reason: string): ZoneRecording | undefined {
    this.stop(reason);
    if (!this.recording) return undefined;
    return { ...this.recording, endedAt: now, ended: this.stopped ?? reason };
  }

  /** Whether the host must write the engine's state when it takes this wrapper out (a digest cleared `dirty`). */
  get saveOwed(): boolean {
    return this.owesSave;
  }

  /** After a tick: the snapshot if none was taken yet, else the call with the state's digest. */
  private afterTick(
    tick: number,
    rngState: number,
    entry: (digest: StateDigest, sections: { sections?: Record<string, string> }) => RecordedInput,
  ): void {
    if (this.stopped !== undefined) return;
    const state = this.serializeKeepingDirty();
    const digest = digestState(state);
    if (!this.recording) {
      this.begin(tick, rngState, state, digest);
      return;
    }
    const changed = changedSections(this.sections, digest.sections);
    this.sections = digest.sections;
    this.record(entry(digest, changed ? { sections: changed } : {}));
  }

  private begin(tick: number, rngState: number, state: { v: number }, digest: StateDigest): void {
    const { zoneId, content, startedAt, plugins } = this.options;
    const sessions = this.options.present().map((s) => ({ ...s }));
    for (const s of sessions) this.seen.set(s.sessionId, stableStringify(s));
    this.sections = digest.sections;
    this.recording = {
      format: RECORDING_FORMAT,
      v: RECORDING_VERSION,
      zoneId,
      kind: this.inner.kind,
      content,
      plugins: [...plugins],
      startedAt,
      endedAt: startedAt,
      ended: "",
      // A copy: the engine may change the objects it serialized from later.
      snapshot: { tick, rngState, state: JSON.parse(JSON.stringify(state)), digest, sessions },
      inputs: [],
    };
    this.chars = JSON.stringify(this.recording).length;
    this.checkSize();
  }

  private record(input: RecordedInput): void {
    if (!this.recordingNow || !this.recording) return;
    this.recording.inputs.push(input);
    this.chars += JSON.stringify(input).length + 1;
    this.checkSize();
  }

  private checkSize(): void {
    const max = this.options.maxChars ?? MAX_RECORDING_CHARS;
    if (this.chars > max) this.stop(`the recording passed its size bound (${max} characters)`);
  }

  /** The hash of what a call told players, while recording; none when it told nothing (or nothing is recorded). */
  private told(out: readonly Delivery[]): { out?: string } {
    if (!this.recordingNow) return {};
    const hash = outputHash(out);
    return hash === undefined ? {} : { out: hash };
  }

  /** The session by id, with its fields when the recording has not seen them as they are now. */
  private ref(session: EngineSession): { sid: string; session?: EngineSession } {
    if (!this.recordingNow) return { sid: session.sessionId };
    const text = stableStringify(session);
    if (this.seen.get(session.sessionId) === text) return { sid: session.sessionId };
    this.seen.set(session.sessionId, text);
    return { sid: session.sessionId, session: JSON.parse(JSON.stringify(session)) };
  }

  /** The engine's state for a digest, without clearing what the host would still have to save. */
  private serializeKeepingDirty(): { v: number } {
    if (this.inner.dirty) this.owesSave = true;
    return this.inner.serialize();
  }
}
