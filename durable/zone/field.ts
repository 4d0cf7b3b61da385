/**
 * The real-time side of a zone whose id names a field zone: loads and saves the field, queues
 * inputs and casts for the next tick, runs `stepField`, and sends each session a delta snapshot
 * of what is near it at the snapshot rate. Rules live in shared/field; this only moves data.
 */
import { eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { fieldCharacterState, fieldSkills } from "../../shared/field/character";
import { fieldZone } from "../../shared/field/content";
import { SnapshotHistory } from "../../shared/field/delta";
import { createField, joinField, leaveField } from "../../shared/field/field";
import { type GmResult, isReadOnlyGmLine, runGmCommand } from "../../shared/field/gm";
import { SpatialGrid } from "../../shared/field/interest";
import { readSavedField, type SavedField, writeSavedField } from "../../shared/field/persisted";
import { clientView, eventsFor, sharedViews, snapshotEvery } from "../../shared/field/snapshot";
import { type FieldCommand, stepField } from "../../shared/field/step";
import type { FieldEvent, FieldState } from "../../shared/field/types";
import type { FieldZoneDefinition } from "../../shared/field/zones";
import { fullBucket, type TokenBucket, takeToken } from "../../shared/net/token-bucket";
import type { ProtocolError } from "../../shared/protocol/errors";
import type { ClientMessage } from "../../shared/protocol/messages";
import { admitCharacter } from "../../shared/rules/admission";
import { GUEST_CLASS } from "../../shared/rules/classes";
import type { Rng } from "../../shared/sim/rng";
import { mudPlayerId } from "./mud";
import { rawJson, readStored, type ZoneQuarantine } from "./quarantine";
import { fieldWorld } from "./schema";
import type { SessionAttachment, SessionTable, ZonePort } from "./sessions";

/** Casts a player may have waiting for the next tick; more are refused as a flood. */
const MAX_QUEUED_CASTS = 4;
/** Inputs: 20 per second, with room for network jitter. */
const INPUT_LIMIT = { capacity: 10, refillPerSecond: 20 };

export type FieldFrame = Extract<ClientMessage, { type: "input" | "cast" | "ack" | "resync" }>;

export class FieldRuntime {
  state: FieldState;
  private entities: Record<string, string>;
  private inputs = new Map<string, FieldCommand>();
  private casts: FieldCommand[] = [];
  private pending: FieldEvent[] = [];
  private readonly histories = new Map<ZonePort, SnapshotHistory>();
  private readonly inputBuckets = new Map<ZonePort, TokenBucket>();
  private grid: SpatialGrid;
  private dirty = false;

  private constructor(
    private readonly db: DrizzleSqliteDODatabase,
    readonly definition: FieldZoneDefinition,
    /** Whether a session may run the GM commands that change the zone (shared/field/gm.ts). */
    private readonly gmAllowed: (session: SessionAttachment) => boolean,
    quarantine: ZoneQuarantine,
  ) {
    const row = db
      .select({ state: rawJson(fieldWorld.state) })
      .from(fieldWorld)
      .where(eq(fieldWorld.id, 1))
      .get();
    const read = row && readStored(row.state, readSavedField, "field_world");
    // A field that does not read is set aside whole, and the zone starts it from content.
    if (read && !read.ok) quarantine.refuse("field_world", "1", row.state, read.error, Date.now());
    const saved = read?.ok ? read.value : undefined;
    this.state = saved?.state ?? createField(definition);
    this.entities = saved?.entities ?? {};
    this.grid = new SpatialGrid(Math.max(50, this.state.settings.viewRadius));
  }

  /** A runtime for `zoneId` when it names a field zone, else undefined. */
  static open(
    db: DrizzleSqliteDODatabase,
    zoneId: string,
    gmAllowed: (session: SessionAttachment) => boolean,
    quarantine: ZoneQuarantine,
  ): FieldRuntime | undefined {
    const definition = fieldZone(zoneId);
    return definition ? new FieldRuntime(db, definition, gmAllowed, quarantine) : undefined;
  }

  get tickHz(): number {
    return this.state.settings.tickHz;
  }

  save(now: number): void {
    const saved: SavedField = { state: this.state, entities: this.entities };
    const values = { id: 1, state: writeSavedField(saved), updatedAt: now };
    this.db.insert(fieldWorld).values(values).onConflictDoUpdate({ target: fieldWorld.id, set: values }).run();
    this.dirty = false;
  }

  saveIfDirty(now: number): void {
    if (this.dirty) this.save(now);
  }

  /**
   * After the zone (re)loads: players whose sockets are gone leave the field, and sockets that
   * survived (hibernation, eviction) get their player back and a full snapshot next.
   */
  reconcile(sessions: SessionTable): void {
    const present = new Set(sessions.helloed().map(mudPlayerId));
    for (const [key, id] of Object.entries(this.entities)) {
      if (present.has(key)) continue;
      this.state = leaveField(this.state, id);
      delete this.entities[key];
      this.dirty = true;
    }
    for (const [port, session] of sessions.entries()) if (session.helloed) this.join(port, session);
  }

  /** Copies each player's pools and position into its session, for the periodic write-back. */
  syncSessions(sessions: SessionTable): void {
    for (const [port, session] of sessions.entries())
      if (session.character) sessions.set(port, this.withFieldState(session));
  }

  /** A session said hello: its character (a guest plays a fresh mage) enters at the spawn point. */
  join(port: ZonePort, session: SessionAttachment): void {
    const key = mudPlayerId(session);
    let id = this.entities[key];
    const body = id ? this.state.players[id] : undefined;
    if (id && body) {
      // A new connection takes over the body: it counts its input seqs from 1 and holds nothing yet.
      this.state = {
        ...this.state,
        players: { ...this.state.players, [id]: { ...body, lastInputSeq: 0, move: { x: 0, y: 0 }, cast: null } },
      };
    } else {
      id = `p${this.state.nextId}`;
      this.state = { ...this.state, nextId: this.state.nextId + 1 };
      this.entities[key] = id;
      // The rulebook admits it (a guest: a fresh Mage); no gear yet: items stay in their zone (docs/decisions.md D15).
      this.state = joinField(
        this.state,
        admitCharacter({ id, name: session.name, character: session.character }, GUEST_CLASS.field),
      );
    }
    this.dirty = true;
    this.sendField(port, id, session);
  }

  /** The last socket of a player closed: its body leaves the field. */
  leave(session: SessionAttachment): void {
    const key = mudPlayerId(session);
    const id = this.entities[key];
    if (!id) return;
    this.state = leaveField(this.state, id);
    delete this.entities[key];
    this.dirty = true;
  }

  forget(port: ZonePort): void {
    this.histories.delete(port);
    this.inputBuckets.delete(port);
  }

  /** The session's character with the field's view of it (pools, position, level, xp), for the write-back. */
  withFieldState(session: SessionAttachment): SessionAttachment {
    const id = this.entities[mudPlayerId(session)];
    const player = id ? this.state.players[id] : undefined;
    if (!player || !session.character) return session;
    return { ...session, character: fieldCharacterState(session.character, player) };
  }

  /** Handles a field frame; returns an error for the sender, or null. */
  receive(port: ZonePort, session: SessionAttachment, message: FieldFrame, now: number): ProtocolError | null {
    const playerId = this.entities[mudPlayerId(session)];
    const history = this.histories.get(port);
    if (!playerId || !history) return { code: "hello_required", message: 'send {"type":"hello","protocol":1} first' };
    switch (message.type) {
      case "input": {
        const taken = takeToken(this.inputBuckets.get(port) ?? fullBucket(INPUT_LIMIT, now), INPUT_LIMIT, now);
        this.inputBuckets.set(port, taken.bucket);
        if (!taken.allowed) return { code: "rate_limited", message: "inputs are taken at up to 20 per second" };
        if (message.ack !== undefined) history.ack(message.ack);
        // Movement is held state: only the newest input before a tick matters, so it replaces older ones.
        const queued = this.inputs.get(playerId);
        if (queued?.kind === "input" && queued.seq >= message.seq) return null;
        const { seq, move } = message;
        // An aim in a superseded input still counts when the newer one has none.
        const aim = message.aim ?? (queued?.kind === "input" ? queued.aim : undefined);
        this.inputs.set(playerId, { kind: "input", playerId, seq, move, ...(aim ? { aim } : {}) });
        return null;
      }
      case "cast": {
        if (this.casts.filter((c) => c.playerId === playerId).length >= MAX_QUEUED_CASTS) {
          return { code: "rate_limited", message: "wait for your last casts to resolve" };
        }
        const { skill, aim, target } = message;
        this.casts.push({ kind: "cast", playerId, skill, ...(aim ? { aim } : {}), ...(target ? { target } : {}) });
        return null;
      }
      case "ack":
        history.ack(message.n);
        return null;
      case "resync":
        history.resync();
        return null;
    }
  }

  /** Runs one tick with what arrived since the last one. */
  step(tick: number, rng: Rng): void {
    const commands = [...this.inputs.values(), ...this.casts];
    this.inputs.clear();
    this.casts = [];
    const result = stepField(this.state, commands, { tick, rng });
    this.state = result.state;
    if (result.events.length) this.pending.push(...result.events);
    this.dirty = true;
  }

  /** Whether the tick just run is one on which snapshots go out. */
  snapshotDue(tick: number): boolean {
    return tick % this.snapshotEvery() === 0;
  }

  /** Snapshots go out every this many ticks (so the real snapshot rate divides the tick rate). */
  private snapshotEvery(): number {
    return snapshotEvery(this.state.settings.tickHz, this.state.settings.snapshotHz);
  }

  /** Sends every session its delta snapshot and the events near it. */
  publish(sessions: SessionTable): { bytes: number; players: number } {
    const shared = sharedViews(this.state, this.grid);
    const scratch: string[] = [];
    let bytes = 0;
    let players = 0;
    for (const [port, session] of sessions.entries()) {
      const history = this.histories.get(port);
      const id = this.entities[mudPlayerId(session)];
      const player = id ? this.state.players[id] : undefined;
      if (!history || !id || !player) continue;
      const frame = history.next(clientView(this.state, shared, id, scratch));
      const ev = eventsFor(this.pending, this.state, id);
      const text = JSON.stringify({
        type: "snapshot",
        ...frame,
        tick: this.state.tick,
        ack: player.lastInputSeq,
        ...(ev.length ? { ev } : {}),
      });
      bytes += text.length;
      players++;
      port.sendText(text);
    }
    this.pending = [];
    return { bytes, players };
  }

  /**
   * A GM console line from a session; null when this zone has no GM console, "forbidden" when the
   * line would change the zone and the session may not (reading lines are open to everyone).
   */
  gm(session: SessionAttachment, line: string, rng: Rng): GmResult | "forbidden" | null {
    if (!this.definition.gm) return null;
    if (!isReadOnlyGmLine(line) && !this.gmAllowed(session)) return "forbidden";
    const result = runGmCommand(this.state, this.definition, line, rng);
    if (result.kind === "done") {
      const resized = result.state.settings.viewRadius !== this.state.settings.viewRadius;
      this.state = result.state;
      this.dirty = true;
      if (resized) this.grid = new SpatialGrid(Math.max(50, this.state.settings.viewRadius));
    }
    return result;
  }

  /** Sends every session the field description again (after a GM changed the settings). */
  announce(sessions: SessionTable): void {
    for (const [port, session] of sessions.entries()) {
      const id = this.entities[mudPlayerId(session)];
      if (id && this.histories.has(port)) this.sendField(port, id, session);
    }
  }

  entityCount(): number {
    const s = this.state;
    return Object.keys(s.players).length + Object.keys(s.enemies).length + Object.keys(s.missiles).length;
  }

  /**
   * Describes the field to a session and starts its snapshot sequence over: the next snapshot is
   * a full one numbered 1 (the client drops what it held; after a restart or a GM change, old
   * snapshot numbers mean nothing).
   */
  private sendField(port: ZonePort, you: string, session: SessionAttachment): void {
    this.histories.set(port, new SnapshotHistory());
    const { settings, obstacles, spawn } = this.state;
    const message = {
      type: "field",
      you,
      width: settings.width,
      height: settings.height,
      tickRate: settings.tickHz,
      snapshotRate: settings.tickHz / this.snapshotEvery(),
      viewRadius: settings.viewRadius,
      playerSpeed: settings.playerSpeed,
      obstacles,
      spawn,
      skills: fieldSkills(this.state.players[you]),
      // Open to this session: every GM command, not only the reading ones.
      gm: this.definition.gm && this.gmAllowed(session),
    };
    port.sendText(JSON.stringify(message));
  }
}
