/**
 * What a zone object holds and does between its sockets, its SQLite and its engine
 * (docs/architecture.md, "Zones"): the clock and the chat layer every zone runs, the engine of its
 * kind opened from the registry, output delivered and committed by the rules of
 * docs/decisions.md D5, batched flushes, and the character write-back. It never names a kind: what
 * differs between kinds is the engine's (shared/zone/engine.ts). The Durable Object (zone.ts) owns
 * one host and exposes only the platform's entry points and the RPC other objects call.
 */

import { mayRunGmCommands } from "../../shared/auth/game-masters";
import { baseZoneOf, parseZoneObjectName, type RealmConfig } from "../../shared/config";
import type { ContentPack } from "../../shared/content/pack";
import type { Logger } from "../../shared/log";
import type { ProtocolError } from "../../shared/protocol/errors";
import {
  type AdvancePlan,
  catchUpStops,
  intervalMs,
  planAdvance,
  planCatchUp,
  startClock,
  tickDueAt,
} from "../../shared/sim/clock";
import { createRng, seedFromString } from "../../shared/sim/rng";
import type { Departure } from "../../shared/world/traveller";
import { CHAT_KIND, chat } from "../../shared/zone/chat";
import {
  type Delivery,
  type EngineMessage,
  type EngineSession,
  type GmAudit,
  isOutcome,
  type Outcome,
  playerIdOf,
  type ZoneEngine,
  type ZoneKind,
} from "../../shared/zone/engine";
import { type AuditWriter, recordGmCommands } from "./audit";
import type { ZoneCadence } from "./cadence";
import type { CharacterWriter } from "./character-writes";
import type { SocketGuards } from "./flood";
import { ZoneMetrics } from "./metrics";
import { queueAll, queueCharacter } from "./players";
import { readStored, type ZoneQuarantine } from "./quarantine";
import type { CharacterRoster } from "./roster";
import { deliver, type SessionAttachment, type SessionTable, type ZonePort } from "./sessions";
import type { ZoneSnapshot, ZoneStore } from "./store";
import type { TransferLog } from "./transfers";

const REPORT_EVERY_FLUSHES = 2;
/** Connected characters are written back to Postgres every this many flushes (10 s). */
const PERSIST_EVERY_FLUSHES = 10;
/** One minute of catch-up at 10 Hz; a longer gap is skipped (and counted) rather than replayed. */
const MAX_CATCH_UP_TICKS = 600;

/** What the host is given by the object that owns it. */
export interface HostParts {
  config: RealmConfig;
  store: ZoneStore;
  sessions: SessionTable;
  log: Logger;
  guards: SocketGuards;
  writer: CharacterWriter;
  /** GM commands' audit entries on their way to Postgres (audit.ts). */
  audits: AuditWriter;
  roster: CharacterRoster;
  quarantine: ZoneQuarantine;
  transfers: TransferLog;
  /** The directory's answer to a zone's load report (directory.ts). */
  report(report: ReturnType<ZoneMetrics["report"]>): Promise<void>;
  /** Tells the directory the character no longer plays in this zone. */
  releaseCharacter(characterId: string): Promise<void>;
}

/** What the host asks of the hand-off of characters to other zones (handoff.ts). */
export interface DepartureDesk {
  /** Starts handing over players the engine reported leaving. */
  begin(departures: readonly Departure[]): void;
  /** Sends again the hand-offs due at `now`. */
  retryDue(now: number): void;
}

export class ZoneHost {
  readonly config: RealmConfig;
  readonly store: ZoneStore;
  readonly sessions: SessionTable;
  readonly log: Logger;
  readonly guards: SocketGuards;
  readonly writer: CharacterWriter;
  readonly audits: AuditWriter;
  readonly roster: CharacterRoster;
  readonly quarantine: ZoneQuarantine;
  readonly transfers: TransferLog;
  readonly metrics = new ZoneMetrics();
  snapshot!: ZoneSnapshot;
  /** The engine of this zone's kind; a zone whose content fails to open is a chat zone. */
  engine!: ZoneEngine;
  /** Set by the owner once the clock exists (it calls back into the host). */
  cadence!: ZoneCadence;
  /** Set by the owner: hands departing characters over to other zones (handoff.ts). */
  handoffs!: DepartureDesk;
  /** Set by the owner: ends a running input recording when its span is over (recordings.ts). */
  recordings?: { poll(now: number): void };
  /** Set by the owner: answers party lines in any zone (party.ts). */
  parties?: { handle(port: ZonePort, session: SessionAttachment, line: string): Promise<void> };
  /**
   * Characters whose connection dropped, kept in the world until their grace ends so a reconnect
   * resumes them (docs/architecture.md, "Reconnect"); the roster keeps the deadline on disk too.
   */
  readonly linkdead = new Map<string, { session: SessionAttachment; until: number }>();
  /** The content pack this zone runs when the realm published one (content.ts); undefined: the bundled pack. */
  pack: ContentPack | undefined;
  private kind!: ZoneKind;
  private dirty = false;
  private flushes = 0;

  constructor(private readonly parts: HostParts) {
    ({
      config: this.config,
      store: this.store,
      sessions: this.sessions,
      log: this.log,
      guards: this.guards,
      writer: this.writer,
      audits: this.audits,
      roster: this.roster,
      quarantine: this.quarantine,
      transfers: this.transfers,
    } = parts);
  }

  get zoneId(): string {
    return this.snapshot.zoneId;
  }

  /** The engine's rate (a field's is GM-settable), else the realm's. */
  get tickRateHz(): number {
    return this.engine.tickHz ?? this.config.tickRateHz;
  }

  /** Loads the zone's state, or starts it for `objectName`, and opens the engine its kind names. */
  load(objectName: string | undefined, fallbackId: string, kinds: { kindOf(zoneId: string): ZoneKind }): void {
    this.snapshot = this.store.load() ?? this.freshSnapshot(objectName, fallbackId, Date.now());
    const { zoneId, rngState } = this.snapshot;
    this.kind = kinds.kindOf(zoneId);
    try {
      this.engine = this.openEngine(this.kind, createRng(rngState));
    } catch (cause) {
      // A broken content pack must not take the zone down: it stays a plain chat zone and says why.
      this.log.log("error", "zone.content_failed", { zone: zoneId, cause: String(cause) });
      this.kind = CHAT_KIND;
      this.engine = this.kind.create(zoneId, createRng(rngState));
    }
  }

  /** The session as its engine sees it. */
  engineSession(session: SessionAttachment): EngineSession {
    const { sessionId, name, character, binary, language } = session;
    const gm = mayRunGmCommands(character, this.config.gmConsoleForGuests);
    return {
      sessionId,
      playerId: playerIdOf(session),
      name,
      character,
      gm,
      ...(binary ? { binary } : {}),
      ...(language ? { language } : {}),
    };
  }

  /** The session with its character as the engine holds it now, for the write-back. */
  withCharacterView(session: SessionAttachment): SessionAttachment {
    if (!session.character) return session;
    const character = this.engine.characterOf(this.engineSession(session)) ?? session.character;
    return { ...session, character };
  }

  /** A player's message to the engine, with the zone's context; the outcome is applied, a refusal returned. */
  receive(session: SessionAttachment, message: EngineMessage, now: number): ProtocolError | undefined {
    const context = { tick: this.snapshot.clock.tick, now, stats: this.metrics.consoleWindow };
    const result = this.engine.receive(this.engineSession(session), message, context);
    if (!isOutcome(result)) return result;
    this.apply(result);
    return undefined;
  }

  /**
   * Carries out what the engine produced: a critical change is committed before any of its output
   * is sent (docs/decisions.md D5, D15), and characters it changed reach Postgres at once.
   */
  apply(outcome: Outcome): void {
    if (outcome.critical)
      this.commit((store, at) => {
        this.saveEngine(at, store);
        store.save(this.snapshot, at);
      });
    deliver(this.sessions, outcome.out);
    if (outcome.log) this.log.log("info", outcome.log.event, { zone: this.zoneId, ...outcome.log.detail });
    // Before the departures: a GM who sent itself away is still here to be named.
    if (outcome.audit?.length) this.audit(outcome.audit);
    // After the output that announced them: players leaving for other zones are handed over.
    if (outcome.departures?.length) this.handoffs.begin(outcome.departures);
    const changed = outcome.changedPlayers ?? [];
    if (!changed.length) return;
    const now = Date.now();
    for (const id of changed) {
      for (const port of this.sessions.socketsOf(id)) {
        const session = this.sessions.get(port);
        if (!session?.character) continue;
        const current = this.withCharacterView(session);
        this.sessions.set(port, current);
        // Key events (deaths, loot, level-ups, item moves) reach Postgres now, not at the next 10 s pass.
        if (outcome.critical) queueCharacter(this.writer, current, now);
      }
    }
    if (outcome.critical) void this.writer.drain(now);
  }

  /**
   * GM commands run: each logged now and queued for Postgres `audit_log` under the GM's account
   * (audit.ts), sent in the background so the tick never waits (docs/admin.md, "GM commands in MUD zones").
   */
  private audit(entries: readonly GmAudit[]): void {
    recordGmCommands(this, entries, (gm) => {
      // The GM's session (or, its connection just dropped, the one kept for its reconnect) knows its account.
      const port = this.sessions.socketsOf(gm).find((p) => this.sessions.get(p));
      const session = (port && this.sessions.get(port)) || this.linkdead.get(gm)?.session;
      return session?.character?.accountId ?? null;
    });
  }

  /** Commits a change acknowledged to players before it is sent (said lines, items, deaths) with the zone state. */
  commit(write: (store: ZoneStore, now: number) => void): void {
    write(this.store, Date.now());
    this.dirty = false;
  }

  /** Advances the zone to `now`: idempotent by tick number, so timer and alarm may both call it. */
  advance(now: number): AdvancePlan {
    // Nobody connected: the whole gap is caught up exactly, event by event (docs/architecture.md, "Idle zones").
    if (this.sessions.size === 0) return this.catchUp(now);
    const config = { rateHz: this.tickRateHz, maxCatchUpTicks: MAX_CATCH_UP_TICKS };
    const plan = planAdvance(this.snapshot.clock, now, config);
    if (plan.ticks.length === 0) return plan;
    const started = performance.now();
    const rng = createRng(this.snapshot.rngState);
    const interval = intervalMs(config);
    const out: Delivery[] = [];
    const engineOut: Delivery[] = [];
    const changedPlayers = new Set<string>();
    const departures: Departure[] = [];
    const audit: GmAudit[] = [];
    let critical = false;
    let sim = this.snapshot.sim;
    plan.ticks.forEach((tick, i) => {
      const ctx = { now: plan.next.lastTargetAt - (plan.ticks.length - 1 - i) * interval, tick, rng };
      const said = chat.step(sim, ctx);
      sim = said.state;
      out.push(...said.out);
      const stepped = this.engine.step(ctx);
      engineOut.push(...stepped.out);
      critical ||= stepped.critical;
      for (const id of stepped.changedPlayers ?? []) changedPlayers.add(id);
      departures.push(...(stepped.departures ?? []));
      audit.push(...(stepped.audit ?? []));
    });
    this.snapshot = { ...this.snapshot, clock: plan.next, rngState: rng.state(), sim };
    this.dirty = true;
    this.apply({ out: [...out, ...engineOut], critical, changedPlayers: [...changedPlayers], departures, audit });
    // Catch-up ticks send one round of per-session output at the end, not one per tick.
    const published = this.engine.publish();
    if (published.length) {
      deliver(this.sessions, published);
      this.metrics.recordSnapshot({ bytes: bytesOf(published), players: published.length });
    }
    this.metrics.recordAdvance(plan.ticks.length, plan.skipped, performance.now() - started, plan.lateMs);
    return plan;
  }

  /**
   * An empty zone's gap, however long, in time proportional to what happened in it: the chat
   * layer's weather ticks are stops, and between them the engine fast-forwards event by event
   * (shared/zone/engine.ts `fastForward`), drawing the one RNG in the order stepping would.
   */
  private catchUp(now: number): AdvancePlan {
    const config = { rateHz: this.tickRateHz };
    const clock = this.snapshot.clock;
    const plan = planCatchUp(clock, now, config);
    const result = { ticks: [], skipped: 0, lateMs: plan.lateMs, next: plan.next, nextTargetAt: plan.nextTargetAt };
    if (plan.to === plan.from) return result;
    const started = performance.now();
    const rng = createRng(this.snapshot.rngState);
    const out: Delivery[] = [];
    const changedPlayers = new Set<string>();
    const departures: Departure[] = [];
    const audit: GmAudit[] = [];
    let critical = false;
    let sim = this.snapshot.sim;
    const take = (outcome: Outcome) => {
      out.push(...outcome.out);
      critical ||= outcome.critical;
      for (const id of outcome.changedPlayers ?? []) changedPlayers.add(id);
      departures.push(...(outcome.departures ?? []));
      audit.push(...(outcome.audit ?? []));
    };
    for (const stop of catchUpStops(plan.from, plan.to, [(tick) => chat.nextEventTick(tick)])) {
      const ctx = { rng, now: tickDueAt(clock, stop, config) };
      // The engine's events before the stop, then the stop's tick as a tick runs: weather first.
      take(this.engine.fastForward(stop - 1, ctx));
      const said = chat.fastForward(sim, stop, ctx);
      sim = said.state;
      out.push(...said.out);
      take(this.engine.fastForward(stop, ctx));
    }
    this.snapshot = { ...this.snapshot, clock: plan.next, rngState: rng.state(), sim };
    this.dirty = true;
    this.apply({ out, critical, changedPlayers: [...changedPlayers], departures, audit });
    this.engine.publish();
    this.metrics.recordCatchUp(plan.to - plan.from, performance.now() - started);
    return result;
  }

  /** Batched write of the zone state, in its own timer turn so it never delays a tick's sends. */
  async flush(now: number): Promise<void> {
    if (this.dirty) {
      this.store.save(this.snapshot, now);
      this.dirty = false;
    }
    if (this.engine.dirty) this.saveEngine(now);
    if (this.sessions.size > 0) await this.cadence.keepWatch(now);
    this.flushes++;
    if (this.flushes % PERSIST_EVERY_FLUSHES === 0) {
      for (const [port, session] of this.sessions.entries())
        if (session.character) this.sessions.set(port, this.withCharacterView(session));
      queueAll(this.sessions, this.writer, now);
    }
    await this.expireLinkdead(now);
    if (this.writer.nextAttemptAt() !== null) void this.writer.drain(now);
    if (this.audits.nextAttemptAt() !== null) void this.audits.drain(now);
    this.handoffs.retryDue(now);
    this.recordings?.poll(now);
    if (this.flushes % REPORT_EVERY_FLUSHES === 0) await this.report(now);
  }

  /** Last player gone: stop the fast cadence, write everything, and wake only for what is owed. */
  async sleep(): Promise<void> {
    const now = Date.now();
    await this.expireLinkdead(now);
    // The next scheduled event of an empty zone: a character write still owed to Postgres, a
    // hand-off still owed to another zone, a GM command's audit entry still owed, a linkdead
    // character's grace ending.
    const owed = [this.transfers.nextAttemptAt(), this.audits.nextAttemptAt(), this.linkdeadEndsAt()].reduce(
      earliest,
      this.writer.nextAttemptAt(),
    );
    const closesAt = this.instanceCloses(owed, now);
    this.recordings?.poll(now);
    this.store.save(this.snapshot, now);
    if (this.engine.dirty) this.saveEngine(now);
    this.dirty = false;
    await this.cadence.stop(earliest(owed, closesAt));
    await this.report(Date.now());
  }

  /** The session's connection dropped: its character stays in the world, linkdead, until the grace ends. */
  linger(session: SessionAttachment, now: number): void {
    const { character } = session;
    if (!character) return;
    const until = now + this.config.reconnectGraceMs;
    this.linkdead.set(character.id, { session, until });
    this.roster.linkdead(character, session.connectedAt, until);
    this.apply(this.engine.linkdead(character.id));
    queueCharacter(this.writer, session, now);
  }

  /** Lets go of linkdead characters whose grace ended: saved, out of the world, released in the directory. */
  async expireLinkdead(now: number): Promise<void> {
    for (const [id, { session, until }] of this.linkdead) {
      if (until > now) continue;
      this.linkdead.delete(id);
      if (this.sessions.socketsOf(id).length) continue;
      const current = this.withCharacterView(session);
      this.apply(this.engine.release(this.engineSession(current), true));
      queueCharacter(this.writer, current, now);
      this.roster.remove(id);
      this.log.log("info", "linkdead.expired", { zone: this.zoneId, characterId: id });
      await this.parts.releaseCharacter(id).catch(() => {});
    }
  }

  /** The earliest moment a linkdead character's grace ends, or null. */
  private linkdeadEndsAt(): number | null {
    let first: number | null = null;
    for (const { until } of this.linkdead.values()) first = first === null ? until : Math.min(first, until);
    return first;
  }

  /**
   * An instance nobody is in, whose world holds no character and which owes nothing, is discarded
   * once it has been so for INSTANCE_IDLE_SECONDS (docs/architecture.md, "Parties and instances"):
   * back to its content, as if new. Returns when to wake for that, or null. Changes the snapshot in
   * memory only; `sleep` writes it.
   */
  private instanceCloses(owed: number | null, now: number): number | null {
    const idle = baseZoneOf(this.zoneId) !== this.zoneId && owed === null && this.engine.residents() === 0;
    if (!idle) {
      if (this.snapshot.emptySince != null) {
        const { emptySince: _cleared, ...occupied } = this.snapshot;
        this.snapshot = occupied;
      }
      return null;
    }
    // 0: an operator closed it (zone.ts closeInstance), so it goes as soon as it qualifies.
    const since = this.snapshot.emptySince ?? now;
    if (now < since + this.config.instanceIdleMs) {
      this.snapshot = { ...this.snapshot, emptySince: since };
      return since + this.config.instanceIdleMs;
    }
    this.discard(now);
    return null;
  }

  /** The instance starts over from its content: a fresh world and clock, nothing kept. */
  private discard(now: number): void {
    const { zoneId, realm } = this.snapshot;
    const fresh = { ...this.freshSnapshot(undefined, zoneId, now), realm };
    this.engine = this.kind.create(baseZoneOf(zoneId), createRng(fresh.rngState), this.pack);
    this.snapshot = fresh;
    this.saveEngine(now);
    this.log.log("info", "instance.discarded", { zone: zoneId });
  }

  /** Queues a write of the character the session on `port` plays, as the engine holds it now. */
  queueSession(port: ZonePort, now: number): void {
    const session = this.sessions.get(port);
    if (session) queueCharacter(this.writer, this.withCharacterView(session), now);
  }

  async report(now: number): Promise<void> {
    const { zoneId, sessions, snapshot } = this;
    const population = this.engine.population() ?? sessions.size;
    const writeBack = { pending: this.writer.queued(), retriesTotal: this.writer.retriesTotal };
    const report = this.metrics.report(
      zoneId,
      sessions.size,
      snapshot.clock.tick,
      this.tickRateHz,
      now,
      population,
      writeBack,
      this.transfers.owed(),
    );
    await this.parts
      .report(report)
      .catch((cause) => this.log.log("warn", "directory.report_failed", { zone: zoneId, cause: String(cause) }));
  }

  /** Writes the engine's state now (inside a caller's transaction, with what goes with it). */
  saveEngineNow(now: number): void {
    this.saveEngine(now);
  }

  private saveEngine(now: number, store = this.store): void {
    store.saveEngineState(this.kind.name, this.engine.serialize(), now);
  }

  /** The stored engine state read by its kind; one that does not read is set aside whole and the zone starts it fresh. */
  private openEngine(kind: ZoneKind, rng: ReturnType<typeof createRng>): ZoneEngine {
    const text = this.store.engineState(kind.name);
    if (text !== undefined) {
      const read = readStored(text, (raw) => kind.restore(baseZoneOf(this.zoneId), raw, this.pack), kind.stateName);
      if (read.ok) return read.value;
      this.quarantine.refuse(kind.stateName, kind.name, text, read.error, Date.now());
    }
    // An instance (`zone~2`) runs its zone's content (shared/config.ts).
    const engine = kind.create(baseZoneOf(this.zoneId), rng, this.pack);
    this.store.saveEngineState(kind.name, engine.serialize(), Date.now());
    return engine;
  }

  private freshSnapshot(objectName: string | undefined, fallbackId: string, now: number): ZoneSnapshot {
    const parsed = parseZoneObjectName(objectName);
    const zoneId = parsed?.zoneId ?? fallbackId;
    return {
      zoneId,
      realm: parsed?.realm ?? this.config.realm,
      clock: startClock(now),
      rngState: seedFromString(objectName ?? zoneId),
      sim: chat.initial(),
    };
  }
}

/** The earlier of two optional moments. */
const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** Bytes of encoded per-session output (what a snapshot round cost on the wire). */
const bytesOf = (out: readonly Delivery[]) =>
  out.reduce((sum, d) => sum + ("text" in d ? d.text.length : "bytes" in d ? d.bytes.length : 0), 0);
