/**
 * A field zone as a client holds it: the view rebuilt from delta snapshots (the same codec the
 * server uses, shared/field/delta.ts), every snapshot acknowledged so the next delta is small,
 * other entities drawn a little in the past and interpolated between snapshots, and the player's
 * own body predicted from its held input with the server's own movement code and reconciled
 * against what the server says (docs/protocol.md, "Field zones").
 */
import { ClientMirror, type SnapshotFrame as DeltaFrame, type EntityView, type View } from "../../shared/field/delta";
import { clampUnit, moveCircle } from "../../shared/field/geometry";
import { PLAYER_RADIUS, type Vec } from "../../shared/field/types";
import { decodeSnapshot } from "../../shared/protocol/binary";
import type { ClientMessage, ServerMessage } from "../../shared/protocol/messages";
import { Emitter } from "./emitter";

export type FieldFrame = Extract<ServerMessage, { type: "field" }>;
export type SnapshotFrame = Extract<ServerMessage, { type: "snapshot" }>;
/** A field event as a snapshot carries it (`hit`, `death`, `telegraph`…), with the snapshot's tick. */
export type FieldEventSeen = { type: string; tick: number; [key: string]: unknown };

export interface FieldEvents {
  [name: string]: unknown;
  field: FieldFrame;
  snapshot: { frame: SnapshotFrame; view: View };
  events: FieldEventSeen[];
  /** A snapshot could not be applied (its base is gone): a `resync` was asked for. */
  resync: { n: number; reason: string };
}

export interface FieldWorldOptions {
  /**
   * Acknowledge on its own after this many snapshots without an input (default 5), so a player
   * standing still still gets small deltas. 0 turns it off, for a client that acknowledges through
   * inputs it sends at a steady rate itself (a benchmark bot).
   */
  ackEvery?: number;
  /**
   * Least time between two inputs (default 50 ms: the zone accepts 20 a second, and a burst
   * beyond 10 is refused). A test that steps deliberately may set 0.
   */
  inputGapMs?: number;
}

/** An entity where it should be drawn now. */
export type DrawnEntity = EntityView & { x: number; y: number };

/** A movement rounded to one of 32 directions at 0, ¼, ½, ¾ or full speed. */
export function quantizeMove(v: Vec): Vec {
  const length = Math.round(Math.min(1, Math.hypot(v.x, v.y)) * 4) / 4;
  if (length === 0) return { x: 0, y: 0 };
  const step = (2 * Math.PI) / 32;
  const angle = Math.round(Math.atan2(v.y, v.x) / step) * step;
  const round = (n: number) => Math.round(n * 1e5) / 1e5 || 0;
  return { x: round(Math.cos(angle) * length), y: round(Math.sin(angle) * length) };
}

/** Snapshots kept for interpolation. */
const BUFFERED = 12;
/** A server correction longer than this many ticks of walking is a jump (respawn, GM move): snap to it. */
const SNAP_TICKS = 10;
/** Share of the measured prediction error corrected per snapshot: small enough not to jitter. */
const CORRECTION = 0.35;

export class FieldWorld extends Emitter<FieldEvents> {
  readonly mirror = new ClientMirror();
  info: FieldFrame | undefined;
  private buffer: { t: number; view: View }[] = [];
  private seq = 0;
  private lastApplied = 0;
  private lastAcked = 0;
  private move: Vec = { x: 0, y: 0 };
  private aim: Vec | undefined;
  private sentMove: Vec = { x: 0, y: 0 };
  private sentAim: Vec | undefined;
  private lastInputAt = Number.NEGATIVE_INFINITY;
  private readonly inputSentAt = new Map<number, number>();
  /** Round trip from an input to the snapshot that first reflects it, smoothed (ms). */
  rttMs = 100;
  private predicted: Vec | undefined;
  private stepAt = 0;
  private history: { t: number; pos: Vec }[] = [];

  private readonly ackEvery: number;
  /** Which entity each handle named, by snapshot number (binary frames name entities by handle). */
  /** Per snapshot held: its handle table and tick (binary snapshots are decoded against both). */
  private readonly handles = new Map<number, { handles: readonly (string | undefined)[]; tick: number }>();
  private readonly inputGapMs: number;

  constructor(
    private readonly send: (message: ClientMessage) => void,
    options: FieldWorldOptions = {},
  ) {
    super();
    this.ackEvery = options.ackEvery ?? 5;
    this.inputGapMs = options.inputGapMs ?? 50;
  }

  /** The number of the newest snapshot applied: what an `ack` (or an input's `ack`) names. 0 before the first. */
  get applied(): number {
    return this.lastApplied;
  }

  /** The `seq` of the last input sent (0 before the first): the server's `ack` on a snapshot echoes it. */
  get inputSeq(): number {
    return this.seq;
  }

  /** The entity id of this player's body. */
  get you(): string | undefined {
    return this.info?.you;
  }

  /** The newest view the server sent (no interpolation, no prediction). */
  view(): View {
    return this.mirror.current();
  }

  me(): EntityView | undefined {
    const you = this.you;
    return you ? this.view().get(you) : undefined;
  }

  onField(frame: FieldFrame, now: number): void {
    // A `field` frame starts a new snapshot sequence: nothing held applies any more.
    this.info = frame;
    this.mirror.reset();
    this.handles.clear();
    this.buffer = [];
    this.lastApplied = 0;
    this.lastAcked = 0;
    this.predicted = undefined;
    this.history = [];
    this.stepAt = now;
    this.emit("field", frame);
  }

  /**
   * A binary snapshot (protocol 2): decoded against the held base into the same delta a JSON
   * `snapshot` carries, then applied like one. A malformed frame asks for a resync too.
   */
  onBinarySnapshot(bytes: Uint8Array, now: number): void {
    let decoded: ReturnType<typeof decodeSnapshot>;
    try {
      decoded = decodeSnapshot(
        bytes,
        (n) => {
          const view = this.mirror.held(n);
          const held = this.handles.get(n);
          return view && held ? { view, handles: held.handles, tick: held.tick } : undefined;
        },
        this.info?.tickRate ?? 0,
      );
    } catch {
      this.send({ type: "resync" });
      this.emit("resync", { n: 0, reason: "malformed" });
      return;
    }
    if ("unknownBase" in decoded) {
      this.send({ type: "resync" });
      this.emit("resync", { n: decoded.unknownBase, reason: "unknown_base" });
      return;
    }
    const { frame, handles } = decoded;
    this.handles.set(frame.n, { handles, tick: frame.tick });
    // Kept as long as the mirror keeps views (64 snapshots).
    for (const n of this.handles.keys()) if (n < frame.n - 64) this.handles.delete(n);
    this.onSnapshot(frame as SnapshotFrame, now);
  }

  onSnapshot(frame: SnapshotFrame, now: number): void {
    this.flushInput(now);
    const applied = this.mirror.apply(frame as unknown as DeltaFrame);
    if (!applied.ok) {
      this.send({ type: "resync" });
      this.emit("resync", { n: frame.n, reason: applied.reason });
      return;
    }
    this.lastApplied = Math.max(this.lastApplied, applied.ack);
    if (applied.view === this.mirror.current()) {
      this.buffer.push({ t: now, view: applied.view });
      if (this.buffer.length > BUFFERED) this.buffer.shift();
      this.reconcile(frame.ack, now);
    }
    if (frame.ev?.length)
      this.emit(
        "events",
        frame.ev.map((e) => ({ ...e, tick: frame.tick })),
      );
    this.emit("snapshot", { frame, view: applied.view });
    // A player standing still sends no inputs: acknowledge every few snapshots anyway.
    if (this.ackEvery > 0 && this.lastApplied - this.lastAcked >= this.ackEvery) {
      this.lastAcked = this.lastApplied;
      this.send({ type: "ack", n: this.lastApplied });
    }
  }

  /**
   * Holds a movement direction (clamped to length 1, and rounded to 32 directions and quarter
   * speeds so an analog stick does not make a new input per pixel). Sent when it changes, at most
   * 20 inputs a second (the zone's limit): a change within 50 ms of the last input waits for the
   * next `advance` or snapshot, and only the newest value goes.
   */
  setMove(x: number, y: number, now: number): void {
    this.move = quantizeMove(clampUnit({ x, y }));
    this.flushInput(now);
  }

  /** Where the player aims (map coordinates); sent with the next input, at most 20 a second. */
  setAim(x: number, y: number, now: number): void {
    this.aim = { x, y };
    this.flushInput(now);
  }

  /** Uses a skill at a point or on an entity (`magic-missile`, `arcane-nova`, `heal`, …). */
  cast(skill: string, at?: { aim?: Vec; target?: string }): void {
    this.send({
      type: "cast",
      skill,
      ...(at?.aim ? { aim: at.aim } : {}),
      ...(at?.target ? { target: at.target } : {}),
    });
  }

  /**
   * Advances the prediction to `now` and sends an input that waited for its slot. Call it from the
   * render loop (or before reading `entities`).
   */
  advance(now: number): void {
    this.flushInput(now);
    const info = this.info;
    if (!info || !this.predicted) return;
    const stepMs = 1000 / info.tickRate;
    const stride = info.playerSpeed / info.tickRate;
    // Bounded: after a long pause (a background tab) the next snapshot re-anchors us anyway.
    let steps = Math.min(20, Math.floor((now - this.stepAt) / stepMs));
    if (steps <= 0) return;
    this.stepAt = steps === 20 ? now : this.stepAt + steps * stepMs;
    while (steps-- > 0) {
      if (this.move.x === 0 && this.move.y === 0) break;
      this.predicted = moveCircle(
        this.predicted,
        { x: this.move.x * stride, y: this.move.y * stride },
        PLAYER_RADIUS,
        info.obstacles,
        info.width,
        info.height,
      );
    }
    this.history.push({ t: now, pos: this.predicted });
    while (this.history.length > 0 && (this.history[0] as { t: number }).t < now - 2_000) this.history.shift();
  }

  /** Where this player's body is drawn: predicted from its inputs. */
  predictedPosition(): Vec | undefined {
    return this.predicted;
  }

  /**
   * Every entity where it should be drawn at `now`: others `delayMs` in the past (two snapshot
   * intervals by default) between the two snapshots around that moment; this player where the
   * prediction has it.
   */
  entities(now: number, delayMs = this.interpolationDelay()): DrawnEntity[] {
    const latest = this.buffer[this.buffer.length - 1];
    if (!latest) return [];
    const at = now - delayMs;
    let older = latest;
    let newer = latest;
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      const entry = this.buffer[i] as { t: number; view: View };
      newer = older;
      older = entry;
      if (entry.t <= at) break;
    }
    const span = newer.t - older.t;
    const f = span > 0 ? Math.min(1, Math.max(0, (at - older.t) / span)) : 1;
    const out: DrawnEntity[] = [];
    for (const [id, entity] of latest.view) {
      const a = older.view.get(id);
      const b = newer.view.get(id) ?? entity;
      const drawn = { ...entity } as DrawnEntity;
      if (id === this.you && this.predicted) {
        drawn.x = this.predicted.x;
        drawn.y = this.predicted.y;
      } else if (a && typeof a.x === "number" && typeof b.x === "number") {
        drawn.x = a.x + ((b.x as number) - a.x) * f;
        drawn.y = (a.y as number) + ((b.y as number) - (a.y as number)) * f;
      } else {
        drawn.x = Number(entity.x);
        drawn.y = Number(entity.y);
      }
      out.push(drawn);
    }
    return out;
  }

  interpolationDelay(): number {
    return this.info ? 2000 / this.info.snapshotRate : 100;
  }

  private flushInput(now: number): void {
    const moveChanged = this.move.x !== this.sentMove.x || this.move.y !== this.sentMove.y;
    const aimChanged = this.aim !== this.sentAim;
    if (!moveChanged && !aimChanged) return;
    // The realm takes up to 20 inputs a second: anything newer waits for its slot.
    if (now - this.lastInputAt < this.inputGapMs) return;
    this.seq += 1;
    this.lastInputAt = now;
    this.sentMove = this.move;
    this.sentAim = this.aim;
    this.inputSentAt.set(this.seq, now);
    if (this.inputSentAt.size > 64) this.inputSentAt.delete(this.inputSentAt.keys().next().value as number);
    this.lastAcked = this.lastApplied;
    this.send({
      type: "input",
      seq: this.seq,
      move: this.move,
      ...(this.aim ? { aim: this.aim } : {}),
      ack: this.lastApplied,
    });
  }

  /**
   * Measures the prediction's error against the server: the server's position is where we stood
   * about one round trip ago (input on its way, snapshot on its way back), so it is compared with
   * the predicted position of then, and the present is moved by part of that error.
   */
  private reconcile(ackedSeq: number, now: number): void {
    const info = this.info;
    const mine = this.me();
    if (!info || !mine || typeof mine.x !== "number" || typeof mine.y !== "number") return;
    const server = { x: mine.x, y: mine.y };
    const sentAt = this.inputSentAt.get(ackedSeq);
    if (sentAt !== undefined) {
      this.rttMs = this.rttMs * 0.8 + (now - sentAt) * 0.2;
      this.inputSentAt.delete(ackedSeq);
    }
    const jump = (info.playerSpeed / info.tickRate) * SNAP_TICKS;
    if (mine.s === "dead") {
      // Death ends held movement on the server; a key still held must not walk the prediction on.
      this.move = { x: 0, y: 0 };
      this.sentMove = this.move;
    }
    if (!this.predicted || mine.s === "dead") {
      this.anchor(server, now);
      return;
    }
    const then = this.positionAt(now - this.rttMs) ?? this.predicted;
    const error = { x: server.x - then.x, y: server.y - then.y };
    if (Math.hypot(error.x, error.y) > jump) {
      this.anchor(server, now);
      return;
    }
    const fix = { x: error.x * CORRECTION, y: error.y * CORRECTION };
    this.predicted = { x: this.predicted.x + fix.x, y: this.predicted.y + fix.y };
    this.history = this.history.map((h) => ({ t: h.t, pos: { x: h.pos.x + fix.x, y: h.pos.y + fix.y } }));
  }

  private anchor(pos: Vec, now: number) {
    this.predicted = pos;
    this.history = [{ t: now, pos }];
    this.stepAt = now;
  }

  private positionAt(t: number): Vec | undefined {
    let found: Vec | undefined;
    for (const h of this.history) {
      if (h.t > t) break;
      found = h.pos;
    }
    return found ?? this.history[0]?.pos;
  }
}
