/**
 * The field engine of a real-time zone, behind the zone engine contract (shared/zone/engine.ts):
 * it holds the field, queues inputs and casts for the next tick, runs `stepField`, and owes each
 * session a delta snapshot of what is near it at the snapshot rate. It keeps what its players hold
 * and who is on the way here (shared/field/holdings.ts), and reports bodies entering an exit
 * (shared/field/travel.ts). The rules live in the modules beside it; this only holds the state and
 * translates.
 */
import { fullBucket, type TokenBucket, takeToken } from "../net/token-bucket";
import type { ProtocolError } from "../protocol/errors";
import { createRng, seedFromString } from "../sim/rng";
import type { Carried, Traveller } from "../world/traveller";
import {
  type Delivery,
  type EngineMessage,
  type EngineSession,
  type IdleContext,
  NOTHING,
  type Outcome,
  type ReceiveContext,
  sending,
  type TickContext,
  type ZoneEngine,
  type ZoneKind,
} from "../zone/engine";
import { fieldCharacterState } from "./character";
import { fieldZone } from "./content";
import { SnapshotHistory } from "./delta";
import { createField, joinField, leaveField } from "./field";
import { isReadOnlyGmLine, runGmCommand } from "./gm";
import {
  type Belongings,
  copyBelongings,
  entrantFor,
  noBelongings,
  pocketLoot,
  recordArrival,
  takeBelongings,
} from "./holdings";
import { fastForwardField, nextFieldEvent } from "./idle";
import { SpatialGrid } from "./interest";
import { FIELD_WORLD_ROW, readSavedField, writeSavedField } from "./persisted";
import { Reckoner } from "./reckon";
import { clientView, eventsFor, fieldMessage, sharedViews, snapshotEvery } from "./snapshot";
import { type FieldCommand, stepField } from "./step";
import { departuresOf, placePoint } from "./travel";
import type { FieldEvent, FieldState } from "./types";
import { SnapshotWire } from "./wire";
import type { FieldZoneDefinition } from "./zones";

/** Casts a player may have waiting for the next tick; more are refused as a flood. */
const MAX_QUEUED_CASTS = 4;
/** Inputs: 20 per second, with room for network jitter. */
const INPUT_LIMIT = { capacity: 10, refillPerSecond: 20 };

/** A session playing here: its snapshot sequence and input budget. */
interface Connection {
  playerId: string;
  gm: boolean;
  /** Snapshots as binary frames (protocol 2) rather than JSON. */
  binary: boolean;
  history: SnapshotHistory;
  /** Priority built up by entities whose binary records waited for the byte budget (shared/field/wire.ts). */
  owed: Map<string, number>;
  inputs?: TokenBucket;
}

export class FieldEngine implements ZoneEngine {
  readonly kind = "field";
  /** Inputs at 20 Hz plus casts and acks. */
  readonly floodLimit = { capacity: 80, refillPerSecond: 50 };
  /** A field's crowd learns of arrivals through snapshots, within view radius: a zone-wide `joined` would cost N² for a crowd. */
  readonly announcesPresence = false;
  /** Frames arrive 20 times a second per player: not worth a log line each. */
  readonly logsMessages = false;
  readonly holdsCharacters = true;
  dirty = false;
  private inputs = new Map<string, FieldCommand>();
  private casts: FieldCommand[] = [];
  private pending: FieldEvent[] = [];
  private snapshotOwed = false;
  private readonly connections = new Map<string, Connection>();
  /** Players reported leaving through an exit, until handed over or out of the exit region. */
  private readonly leaving = new Set<string>();
  private grid: SpatialGrid;
  private readonly wire = new SnapshotWire();
  /** Straight-line movers published on lines clients extrapolate (shared/field/reckon.ts). */
  private readonly reckoner = new Reckoner();

  constructor(
    readonly definition: FieldZoneDefinition,
    public state: FieldState,
    /** Each player's short entity id here, by player id (character id, or a guest's session id). */
    private readonly entities: Record<string, string>,
    /** What each player holds here, and travellers waiting for their sessions, by player id. */
    private readonly belongings: Belongings = noBelongings(),
  ) {
    this.grid = gridFor(state);
  }

  get tickHz(): number {
    return this.state.settings.tickHz;
  }

  /**
   * A session said hello: its character (a guest plays a fresh Mage) enters at the spawn point, or
   * the traveller waiting for it at its place, wearing what it holds here; or it takes its body back.
   */
  admit(session: EngineSession): Outcome {
    let id = this.entities[session.playerId];
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
      this.entities[session.playerId] = id;
      const { entrant, place } = entrantFor(this.belongings, session, id);
      this.state = joinField(this.state, entrant, placePoint(this.definition, this.state, place));
    }
    this.dirty = true;
    this.attach(session);
    return sending(this.describeTo(session.sessionId, id, session.gm));
  }

  /** The session's connection, as `admit` makes it, for a body already here (a replay's snapshot; docs/replay.md). */
  attach(session: EngineSession): void {
    this.connections.set(session.sessionId, {
      playerId: session.playerId,
      gm: session.gm,
      binary: session.binary === true,
      history: new SnapshotHistory(),
      owed: new Map(),
    });
  }

  /** The session left; with it the player's last, its body leaves the field (a character's holdings stay; a guest's go). */
  release(session: EngineSession, lastOfPlayer: boolean): Outcome {
    this.connections.delete(session.sessionId);
    if (!lastOfPlayer) return NOTHING;
    this.leaving.delete(session.playerId);
    if (!session.character && takeBelongings(this.belongings, session.playerId)) this.dirty = true;
    const id = this.entities[session.playerId];
    if (!id) return NOTHING;
    this.state = leaveField(this.state, id);
    delete this.entities[session.playerId];
    this.dirty = true;
    return NOTHING;
  }

  receive(session: EngineSession, message: EngineMessage, ctx: ReceiveContext): Outcome | ProtocolError {
    if (message.type === "command") return this.console(session, message.line, ctx);
    const playerId = this.entities[session.playerId];
    const connection = this.connections.get(session.sessionId);
    if (!playerId || !connection)
      return { code: "hello_required", message: 'send {"type":"hello","protocol":1} first' };
    const { history } = connection;
    switch (message.type) {
      case "input": {
        const taken = takeToken(connection.inputs ?? fullBucket(INPUT_LIMIT, ctx.now), INPUT_LIMIT, ctx.now);
        connection.inputs = taken.bucket;
        if (!taken.allowed) return { code: "rate_limited", message: "inputs are taken at up to 20 per second" };
        if (message.ack !== undefined) history.ack(message.ack);
        // Movement is held state: only the newest input before a tick matters, so it replaces older ones.
        const queued = this.inputs.get(playerId);
        if (queued?.kind === "input" && queued.seq >= message.seq) return NOTHING;
        const { seq, move } = message;
        // An aim in a superseded input still counts when the newer one has none.
        const aim = message.aim ?? (queued?.kind === "input" ? queued.aim : undefined);
        this.inputs.set(playerId, { kind: "input", playerId, seq, move, ...(aim ? { aim } : {}) });
        return NOTHING;
      }
      case "cast": {
        if (this.casts.filter((c) => c.playerId === playerId).length >= MAX_QUEUED_CASTS) {
          return { code: "rate_limited", message: "wait for your last casts to resolve" };
        }
        const { skill, aim, target } = message;
        this.casts.push({ kind: "cast", playerId, skill, ...(aim ? { aim } : {}), ...(target ? { target } : {}) });
        return NOTHING;
      }
      case "ack":
        history.ack(message.n);
        return NOTHING;
      case "resync":
        history.resync();
        return NOTHING;
    }
  }

  /** One tick with what arrived since the last. Critical when loot was taken; lists bodies that entered an exit. */
  step(ctx: TickContext): Outcome {
    const commands = [...this.inputs.values(), ...this.casts];
    this.inputs.clear();
    this.casts = [];
    const result = stepField(this.state, commands, { tick: ctx.tick, rng: ctx.rng });
    this.state = result.state;
    if (result.events.length) this.pending.push(...result.events);
    this.dirty = true;
    this.snapshotOwed ||= ctx.tick % this.snapshotEvery() === 0;
    const looted = result.events.length ? pocketLoot(this.belongings, this.entities, result.events) : [];
    const departures = departuresOf(this.definition, this.state, this.entities, this.leaving);
    if (!looted.length && !departures.length) return NOTHING;
    const outcome: Outcome = { out: [], critical: looted.length > 0, changedPlayers: looted };
    return departures.length ? { ...outcome, departures } : outcome;
  }

  /**
   * What a field schedules with nobody in it (shared/field/idle.ts): every tick while a missile
   * flies or an enemy is not idle, then resident enemies' respawns. Effects live on bodies, and an
   * empty field has none (a body leaves with its session), so no effect is scheduled here.
   */
  nextEventTick(afterTick: number): number | undefined {
    return nextFieldEvent(this.state, afterTick);
  }

  /**
   * The field from `state.tick` to `toTick` as stepping every tick with no input would leave it
   * (shared/field/idle.ts): tick by tick while something moves, then respawn ticks only. With a
   * body present or a frame queued it steps every tick through `step`.
   */
  fastForward(toTick: number, ctx: IdleContext): Outcome {
    const from = this.state.tick;
    if (toTick <= from) return NOTHING;
    if (this.inputs.size || this.casts.length || Object.keys(this.state.players).length)
      return this.stepThrough(toTick, ctx);
    const result = fastForwardField(this.state, toTick, ctx.rng);
    this.state = result.state;
    this.dirty = true;
    if (result.events.length) this.pending.push(...result.events);
    const every = this.snapshotEvery();
    this.snapshotOwed ||= Math.floor(toTick / every) > Math.floor(from / every);
    const looted = result.events.length ? pocketLoot(this.belongings, this.entities, result.events) : [];
    return looted.length ? { out: [], critical: true, changedPlayers: looted } : NOTHING;
  }

  /** Each session's delta snapshot and the events near it, when a snapshot tick ran since the last round. */
  publish(): Delivery[] {
    if (!this.snapshotOwed) return [];
    this.snapshotOwed = false;
    const shared = sharedViews(this.state, this.grid);
    this.reckoner.apply(shared.views, this.state.tick, this.state.settings.tickHz);
    // Handles only matter to binary clients; a zone of JSON clients skips the work.
    for (const connection of this.connections.values()) {
      if (!connection.binary) continue;
      this.wire.stamp(shared.views);
      break;
    }
    const scratch: string[] = [];
    const out: Delivery[] = [];
    for (const [sessionId, { playerId, history, binary, owed }] of this.connections) {
      const id = this.entities[playerId];
      const player = id ? this.state.players[id] : undefined;
      if (!id || !player) continue;
      const view = clientView(this.state, shared, id, scratch);
      const ev = eventsFor(this.pending, this.state, id);
      if (binary) {
        const header = { tick: this.state.tick, ack: player.lastInputSeq, ev: ev.length ? ev : undefined };
        const { snapshotBytes: bytes, tickHz } = this.state.settings;
        const encoded = this.wire.encode(history, view, id, header, { bytes, tickHz }, owed);
        out.push({ to: { session: sessionId }, bytes: encoded });
        continue;
      }
      const frame = history.next(view);
      const text = JSON.stringify({
        type: "snapshot",
        ...frame,
        tick: this.state.tick,
        ack: player.lastInputSeq,
        ...(ev.length ? { ev } : {}),
      });
      out.push({ to: { session: sessionId }, text });
    }
    this.pending = [];
    return out;
  }

  /** Players whose sessions are gone leave the field; sessions that survived get their body back and a full snapshot next. */
  settle(present: readonly EngineSession[]): Outcome {
    const playing = new Set(present.map((s) => s.playerId));
    for (const [playerId, id] of Object.entries(this.entities)) {
      if (playing.has(playerId)) continue;
      this.state = leaveField(this.state, id);
      delete this.entities[playerId];
      this.dirty = true;
    }
    return { out: present.flatMap((session) => this.admit(session).out), critical: false };
  }

  /** A body whose connection dropped stays where it stands until the host lets it go. */
  linkdead(): Outcome {
    return NOTHING;
  }

  /** The character with the field's view of it (pools, position, level, xp). */
  characterOf(session: EngineSession) {
    const id = this.entities[session.playerId];
    const player = id ? this.state.players[id] : undefined;
    const c = session.character;
    return player && c ? fieldCharacterState(c, player) : c;
  }

  /** The player's body leaves for a hand-off with its effects and everything it holds here, which the field forgets. */
  depart(playerId: string): Carried | undefined {
    const id = this.entities[playerId];
    const body = id ? this.state.players[id] : undefined;
    const kept = takeBelongings(this.belongings, playerId);
    if (!body && !kept) return undefined;
    if (id) this.state = leaveField(this.state, id);
    delete this.entities[playerId];
    this.leaving.delete(playerId);
    this.dirty = true;
    const effects = body?.effects ?? kept?.arrival?.effects ?? [];
    // Quests and standing kept since it arrived go back with it (holdings.ts, `journals`).
    return { effects: effects.map((e) => ({ ...e })), items: kept?.items ?? [], ...kept?.journal };
  }

  /** A traveller handed over: recorded (its items joining its holdings) for `admit`; a body it had here gives way. */
  arrive(traveller: Traveller): Outcome {
    const here = traveller.to.zoneId === this.definition.id ? traveller.to.place : undefined;
    if (!recordArrival(this.belongings, traveller, here)) return NOTHING;
    const playerId = traveller.character.id;
    const id = this.entities[playerId];
    if (id) this.state = leaveField(this.state, id);
    delete this.entities[playerId];
    this.dirty = true;
    return NOTHING;
  }

  /** Characters with a body here, belongings kept for their return, or an arrival on its way. */
  residents(): number {
    const { holdings, arrivals } = this.belongings;
    return new Set([...Object.keys(this.entities), ...Object.keys(holdings), ...Object.keys(arrivals)]).size;
  }

  population(): number {
    const s = this.state;
    return Object.keys(s.players).length + Object.keys(s.enemies).length + Object.keys(s.missiles).length;
  }

  serialize() {
    this.dirty = false;
    return writeSavedField({ state: this.state, entities: { ...this.entities }, ...copyBelongings(this.belongings) });
  }

  /** Every tick from the field's next to `toTick`, one `step` each, their outcomes merged. */
  private stepThrough(toTick: number, ctx: IdleContext): Outcome {
    const changed = new Set<string>();
    const departures: NonNullable<Outcome["departures"]>[number][] = [];
    let critical = false;
    for (let tick = this.state.tick + 1; tick <= toTick; tick++) {
      const stepped = this.step({ tick, now: ctx.now, rng: ctx.rng });
      critical ||= stepped.critical;
      for (const id of stepped.changedPlayers ?? []) changed.add(id);
      departures.push(...(stepped.departures ?? []));
    }
    const outcome: Outcome = { out: [], critical, changedPlayers: [...changed] };
    return departures.length ? { ...outcome, departures } : outcome;
  }

  /** The GM console: reading lines (help, stats) for everyone, lines that change the zone for GMs only. */
  private console(session: EngineSession, line: string, ctx: ReceiveContext): Outcome | ProtocolError {
    if (!this.definition.gm) return { code: "unsupported", field: "line", message: "this zone has no GM console" };
    if (!isReadOnlyGmLine(line) && !session.gm) {
      const message = "only game masters may change the zone; help and stats are open to everyone";
      return { code: "forbidden", field: "line", message };
    }
    const rng = createRng(seedFromString(`${this.definition.id}:${ctx.tick}:${line}`));
    const result = runGmCommand(this.state, this.definition, line, rng);
    if (result.kind === "error") return { code: "invalid", field: "line", message: result.message };
    const reply = (message: { text: string; payload?: Record<string, unknown> }) =>
      ({ to: { session: session.sessionId }, message: { type: "info", ...message } }) as const;
    if (result.kind === "stats") {
      const summary = { ...ctx.stats.summary(ctx.now), entities: this.population(), tickRate: this.tickHz };
      if (result.reset) ctx.stats.reset(ctx.now);
      const text = `tick p50 ${summary.tickP50Ms} ms, p99 ${summary.tickP99Ms} ms over ${summary.ticks} ticks; ${summary.entities} entities; ${summary.bytesPerPlayerPerSecond} B/s per player`;
      return sending(reply({ text, payload: summary }));
    }
    // A reading line (help) changes nothing: no save, no log line.
    if (isReadOnlyGmLine(line)) return sending(reply({ text: result.reply }));
    const resized = result.state.settings.viewRadius !== this.state.settings.viewRadius;
    this.state = result.state;
    this.dirty = true;
    if (resized) this.grid = gridFor(this.state);
    // Settings may have changed: everyone gets the map again (its size, rates and view radius).
    const remap = result.remapped ? this.announce() : [];
    return {
      out: [reply({ text: result.reply }), ...remap],
      critical: false,
      log: { event: "field.gm", detail: { sessionId: session.sessionId, line } },
    };
  }

  /** The field described again to every session, each starting its snapshots over. */
  private announce(): Delivery[] {
    const out: Delivery[] = [];
    this.reckoner.reset();
    for (const [sessionId, connection] of this.connections) {
      const id = this.entities[connection.playerId];
      if (!id) continue;
      connection.history = new SnapshotHistory();
      out.push(this.describeTo(sessionId, id, connection.gm));
    }
    return out;
  }

  /** Snapshots go out every this many ticks (so the real snapshot rate divides the tick rate). */
  private snapshotEvery(): number {
    return snapshotEvery(this.state.settings.tickHz, this.state.settings.snapshotHz);
  }

  /** The field as the session needs it to draw (shared/field/snapshot.ts `fieldMessage`). */
  private describeTo(sessionId: string, you: string, gm: boolean): Delivery {
    // Open to this session: every GM command, not only the reading ones.
    const message = fieldMessage(this.state, you, this.definition.gm && gm);
    return { to: { session: sessionId }, text: JSON.stringify(message) };
  }
}

const gridFor = (state: FieldState) => new SpatialGrid(Math.max(50, state.settings.viewRadius));

/** The content's field zones. */
export const FIELD_KIND: ZoneKind = {
  name: "field",
  stateName: FIELD_WORLD_ROW.name,
  claims: (zoneId) => fieldZone(zoneId) !== undefined,
  create(zoneId) {
    const definition = requireDefinition(zoneId);
    return new FieldEngine(definition, createField(definition), {});
  },
  restore(zoneId, raw) {
    const read = readSavedField(raw);
    if (!read.ok) return read;
    const { state, entities, holdings, arrivals, journals } = read.value;
    const belongings = { holdings, arrivals, ...(journals ? { journals } : {}) };
    return { ok: true, value: new FieldEngine(requireDefinition(zoneId), state, entities, belongings) };
  },
};

function requireDefinition(zoneId: string): FieldZoneDefinition {
  const definition = fieldZone(zoneId);
  if (!definition) throw new Error(`the content has no field zone ${zoneId}`);
  return definition;
}
