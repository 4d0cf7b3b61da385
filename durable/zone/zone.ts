/**
 * A zone Durable Object: a thin adapter that moves data between sockets, SQLite, timers and the
 * pure core in shared/. The alarm is the zone's durable clock; while players are attached, an
 * in-memory timer runs the fast cadence through the same idempotent `advance`, state is flushed
 * in batches away from the broadcast, and the alarm stays armed a few seconds ahead as watchdog.
 */
import { DurableObject } from "cloudflare:workers";
import {
  directoryObjectName,
  parseZoneObjectName,
  type RealmConfig,
  readRealmConfig,
  zoneObjectName,
} from "../../shared/config";
import { readDatabaseSettings } from "../../shared/db/client";
import { mayRunGmCommands } from "../../shared/field/gm";
import { createLogger, type Logger } from "../../shared/log";
import type { Outgoing } from "../../shared/mud/events";
import { echoCloseCode, FLOOD_CLOSE_CODE } from "../../shared/net/flood";
import { parseClientFrame } from "../../shared/protocol/parse";
import { type AdvancePlan, intervalMs, planAdvance, startClock } from "../../shared/sim/clock";
import { createRng, seedFromString } from "../../shared/sim/rng";
import { initialZoneState } from "../../shared/sim/zone";
import { chatEngine } from "../../shared/zone/chat";
import type { Delivery } from "../../shared/zone/engine";
import { defaultZoneKinds } from "../../shared/zone/registry";
import { ZoneCadence } from "./cadence";
import { CharacterWriter } from "./character-writes";
import { handleClientMessage, reject } from "./commands";
import { detachDisplaced, detachSession, type ZoneExits } from "./departure";
import { FieldRuntime } from "./field";
import { SocketGuards } from "./flood";
import { ADVANCE, COMMIT } from "./internal";
import { ZoneMetrics } from "./metrics";
import { MudRuntime } from "./mud";
import {
  adoptVersion,
  characterFromRequest,
  displaceCharacter,
  queueAll,
  queueCharacter,
  withPendingState,
} from "./players";
import { ZoneQuarantine } from "./quarantine";
import { CharacterRoster, settleAbsentCharacters } from "./roster";
import { deliver, type SessionAttachment, SessionTable, type ZonePort } from "./sessions";
import { portFor } from "./socket-port";
import { type ZoneSnapshot, ZoneStore } from "./store";

const REPORT_EVERY_FLUSHES = 2;
/** Connected characters are written back to Postgres every this many flushes (10 s). */
const PERSIST_EVERY_FLUSHES = 10;
/** One minute of catch-up at 10 Hz; a longer gap is skipped (and counted) rather than replayed. */
const MAX_CATCH_UP_TICKS = 600;
/** Per-session flood control: bursts of 40 frames, 20 per second sustained. */
const FLOOD_LIMIT = { capacity: 40, refillPerSecond: 20 };
/** Field zones take inputs at 20 Hz plus casts and acks. */
const FIELD_FLOOD_LIMIT = { capacity: 80, refillPerSecond: 50 };

export class ZoneDurableObject extends DurableObject<Cloudflare.Env> {
  readonly config: RealmConfig;
  readonly store: ZoneStore;
  readonly metrics = new ZoneMetrics();
  readonly sessions: SessionTable;
  readonly log: Logger;
  readonly writer: CharacterWriter;
  /** The characters playing here, kept on disk so a crash cannot leave them behind (roster.ts). */
  readonly roster: CharacterRoster;
  /** Stored rows that no longer read, kept aside with the reason (quarantine.ts). */
  readonly quarantine: ZoneQuarantine;
  snapshot!: ZoneSnapshot;
  /** Present when this zone is a world zone of the content pack (rooms, NPCs, items). */
  mud: MudRuntime | undefined;
  /** Present when this zone is a field zone (real-time 2D space). */
  field: FieldRuntime | undefined;
  private readonly cadence: ZoneCadence;
  private dirty = false;
  private flushes = 0;
  /** Per-socket flood control and refusal logging. */
  readonly guards: SocketGuards;
  private readonly exits: ZoneExits = { directory: () => this.directory(), sleep: () => this.sleep() };

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.config = readRealmConfig(env);
    this.store = new ZoneStore(ctx.storage);
    this.sessions = new SessionTable(ctx.getWebSockets().map(portFor));
    this.log = createLogger(this.config.logLevel, { component: "zone" });
    this.guards = new SocketGuards(this.log);
    let database: ReturnType<typeof readDatabaseSettings>;
    try {
      database = readDatabaseSettings(env);
    } catch (cause) {
      this.log.log("error", "zone.database_misconfigured", { cause: String(cause) });
    }
    this.quarantine = new ZoneQuarantine(this.store.db, this.log, () => this.snapshot?.zoneId ?? "");
    this.roster = new CharacterRoster(this.store.db, this.quarantine);
    this.writer = new CharacterWriter(this.store.db, database, this.log, this.quarantine, (id, version) => {
      adoptVersion(this.sessions, id, version);
      this.roster.adoptVersion(id, version);
    });
    this.cadence = new ZoneCadence(ctx.storage, {
      tick: (now) => this[ADVANCE](now),
      flush: (now) => this.flush(now),
      nextTickAt: () => this.snapshot.clock.lastTargetAt + 1000 / this.tickRateHz,
      occupied: () => this.sessions.size > 0,
    });
    void ctx.blockConcurrencyWhile(async () => {
      await this.store.migrate();
      this.cadence.restore(await ctx.storage.getAlarm());
      this.snapshot = this.store.load() ?? this.freshSnapshot(Date.now());
      this.openEngine();
      // Characters whose sockets died with the process: written back, let go, gone from the world.
      await settleAbsentCharacters(this, this.snapshot.clock.lastTargetAt, (id) =>
        this.directory().releaseCharacter(id, this.zoneId),
      );
    });
  }

  get zoneId(): string {
    return this.snapshot.zoneId;
  }

  /** Field zones run at their own (GM-settable) rate; other zones at the realm's. */
  get tickRateHz(): number {
    return this.field?.tickHz ?? this.config.tickRateHz;
  }

  /** The only fetch a zone serves: the WebSocket upgrade forwarded by the gateway. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return Response.json({ error: "upgrade_required", message: "expected a WebSocket upgrade" }, { status: 426 });
    }
    const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
    let character = characterFromRequest(request);
    if (character instanceof Error) {
      this.log.log("error", "connect.bad_character", { zone: this.zoneId, requestId, cause: character.message });
      return Response.json({ error: "bad_request", message: "malformed session" }, { status: 400 });
    }
    const admission = await this.directory().admit(this.zoneId);
    if (!admission.ok) {
      this.log.log("warn", "connect.refused", { zone: this.zoneId, requestId, reason: admission.reason });
      return Response.json(
        { error: "server_full", message: admission.reason },
        { status: 503, headers: { "Retry-After": "5" } },
      );
    }
    const now = Date.now();
    if (character) {
      // Queue what an older session of this character has so far, then resume from the newest state.
      for (const port of this.sessions.socketsOf(character.id)) this.queueSession(port, now);
      character = withPendingState(character, this.writer);
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const sessionId = crypto.randomUUID();
    const session: SessionAttachment = {
      v: 1,
      sessionId,
      name: character?.name ?? `guest-${sessionId.slice(0, 4)}`,
      helloed: false,
      connectedAt: now,
      requestId,
      character,
    };
    const port = portFor(server);
    this.sessions.set(port, session);
    if (character) {
      this.roster.admit(character, now);
      await this.claimCharacter(character.id, port);
    }
    this.cadence.start();
    this.log.log("info", "connect", { zone: this.zoneId, sessionId, requestId, players: this.sessions.size });
    return new Response(null, { status: 101, webSocket: client });
  }

  /** RPC from another zone or the directory: this character logged in elsewhere. */
  kickCharacter(characterId: string): number {
    const displaced = displaceCharacter(this.sessions, characterId);
    for (const port of displaced) detachDisplaced(this, this.exits, port);
    return displaced.length;
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const port = portFor(ws);
    const session = this.sessions.get(port);
    if (!session) return; // Not one of ours (attachment lost): ignore rather than guess.
    this.cadence.start();
    const now = Date.now();
    const admitted = this.guards.admit(port, this.field ? FIELD_FLOOD_LIMIT : FLOOD_LIMIT, now);
    if (admitted === "dropped") return; // Closed for flooding: what it still sends is not read.
    if (admitted !== "ok") {
      reject(this, port, session, { code: "rate_limited", message: "too many messages; slow down" });
      if (admitted === "close") {
        this.guards.closeFlooder(port, { zone: this.zoneId, sessionId: session.sessionId });
        // Gone for the zone at once: its close handshake may never finish.
        await this.detach(port, FLOOD_CLOSE_CODE);
      }
      return;
    }
    const parsed = parseClientFrame(frame);
    if (!parsed.ok) {
      reject(this, port, session, parsed.error);
      return;
    }
    this.metrics.countCommand(parsed.value.type);
    // Field frames arrive 20 times a second per player: not worth a log line each.
    if (!this.field)
      this.log.log("info", "command", { zone: this.zoneId, sessionId: session.sessionId, type: parsed.value.type });
    try {
      handleClientMessage(this, port, session, parsed.value, now);
    } catch (cause) {
      this.log.log("error", "command.failed", { zone: this.zoneId, type: parsed.value.type, cause: String(cause) });
      reject(this, port, session, { code: "internal", message: "the zone could not process that message" });
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const port = portFor(ws);
    port.close(echoCloseCode(code), reason);
    await this.detach(port, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.detach(portFor(ws), 1011);
  }

  /** The durable clock: runs due ticks after eviction, restart or a stalled timer. */
  override async alarm(): Promise<void> {
    this.cadence.alarmFired();
    const plan = this[ADVANCE](Date.now());
    this.log.log("info", "zone.alarm", {
      zone: this.zoneId,
      tick: this.snapshot.clock.tick,
      ran: plan.ticks.length,
      skipped: plan.skipped,
      players: this.sessions.size,
    });
    await this.writer.drain(Date.now());
    if (this.sessions.size > 0) {
      this.cadence.start();
      await this.flush(Date.now());
    } else {
      await this.sleep();
    }
  }

  /** Advances the zone to `now`: idempotent by tick number, so timer and alarm may both call it. */
  [ADVANCE](now: number): AdvancePlan {
    const config = { rateHz: this.tickRateHz, maxCatchUpTicks: MAX_CATCH_UP_TICKS };
    const plan = planAdvance(this.snapshot.clock, now, config);
    if (plan.ticks.length === 0) return plan;
    const started = performance.now();
    const rng = createRng(this.snapshot.rngState);
    const interval = intervalMs(config);
    const chatOut: Delivery[] = [];
    const mudOut: Outgoing[] = [];
    const changedPlayers = new Set<string>();
    let critical = false;
    let snapshotDue = false;
    let sim = this.snapshot.sim;
    plan.ticks.forEach((tick, i) => {
      const dueAt = plan.next.lastTargetAt - (plan.ticks.length - 1 - i) * interval;
      const chat = chatEngine.step(sim, { now: dueAt, tick, rng });
      sim = chat.state;
      chatOut.push(...chat.out);
      if (this.mud) {
        const mud = this.mud.step(tick, rng);
        mudOut.push(...mud.out);
        critical ||= mud.critical;
        for (const id of mud.changedPlayers) changedPlayers.add(id);
      }
      if (this.field) {
        this.field.step(tick, rng);
        snapshotDue ||= this.field.snapshotDue(tick);
      }
    });
    this.snapshot = { ...this.snapshot, clock: plan.next, rngState: rng.state(), sim };
    this.dirty = true;
    // Items moved: commit the world before anyone hears about it (nothing duplicated or lost).
    if (critical && this.mud)
      this[COMMIT]((store, at) => {
        this.mud?.save(at);
        store.save(this.snapshot, at);
      });
    deliver(this.sessions, chatOut);
    // Catch-up ticks send one snapshot at the end, not one per tick.
    if (this.field && snapshotDue) this.metrics.recordSnapshot(this.field.publish(this.sessions));
    if (this.mud) {
      this.mud.deliver(this.sessions, mudOut);
      for (const id of changedPlayers) this.mud.syncSession(this.sessions, id);
      // Key events (deaths, loot, level-ups, item moves) reach Postgres at once, not at the next 10 s pass.
      if (critical && changedPlayers.size) {
        const now = Date.now();
        for (const id of changedPlayers) for (const port of this.sessions.socketsOf(id)) this.queueSession(port, now);
        void this.writer.drain(now);
      }
    }
    this.metrics.recordAdvance(plan.ticks.length, plan.skipped, performance.now() - started, plan.lateMs);
    return plan;
  }

  /** Commits a change that was acknowledged to players (chat lines today; items and deaths later). */
  [COMMIT](write: (store: ZoneStore, now: number) => void): void {
    write(this.store, Date.now());
    this.dirty = false;
  }

  /** Opens the engine of this zone's kind, as the registry names it (shared/zone/registry.ts); chat runs in every zone. */
  private openEngine(): void {
    const { db } = this.store;
    const { zoneId, rngState } = this.snapshot;
    try {
      const kind = defaultZoneKinds().kindOf(zoneId).name;
      const gm = (s: SessionAttachment) => mayRunGmCommands(s.character, this.config.gmConsoleForGuests);
      if (kind === "field") this.field = FieldRuntime.open(db, zoneId, gm, this.quarantine);
      if (kind === "mud") this.mud = MudRuntime.open(db, zoneId, createRng(rngState), this.quarantine);
    } catch (cause) {
      // A broken content pack must not take the zone down: it stays a plain chat zone and says why.
      this.log.log("error", "zone.content_failed", { zone: zoneId, cause: String(cause) });
    }
  }

  /** Batched write of the zone state, in its own timer turn so it never delays a tick's sends. */
  private async flush(now: number): Promise<void> {
    if (this.dirty) {
      this.store.save(this.snapshot, now);
      this.dirty = false;
    }
    this.mud?.saveIfDirty(now);
    this.field?.saveIfDirty(now);
    if (this.sessions.size > 0) await this.cadence.keepWatch(now);
    this.flushes++;
    if (this.flushes % PERSIST_EVERY_FLUSHES === 0) {
      this.field?.syncSessions(this.sessions);
      queueAll(this.sessions, this.writer, now);
    }
    if (this.writer.nextAttemptAt() !== null) void this.writer.drain(now);
    if (this.flushes % REPORT_EVERY_FLUSHES === 0) await this.report(now);
  }

  /** Last player gone: stop the fast cadence, write everything, and wake only for what is owed. */
  private async sleep(): Promise<void> {
    this.store.save(this.snapshot, Date.now());
    this.mud?.saveIfDirty(Date.now());
    this.field?.saveIfDirty(Date.now());
    this.dirty = false;
    // The next scheduled event of an empty zone: a character write still owed to Postgres.
    // (Later content, such as respawns, adds its own wake-ups here.)
    await this.cadence.stop(this.writer.nextAttemptAt());
    await this.report(Date.now());
  }

  /** The socket is no session of this zone any more (durable/zone/departure.ts). */
  private detach(port: ZonePort, code: number): Promise<void> {
    return detachSession(this, this.exits, port, code);
  }

  private queueSession(port: ZonePort, now: number): void {
    const session = this.sessions.get(port);
    if (session) queueCharacter(this.writer, session, now);
  }

  /** One live session per character: displace any here, and ask the directory where else it plays. */
  private async claimCharacter(characterId: string, keep: ZonePort): Promise<void> {
    for (const port of displaceCharacter(this.sessions, characterId, keep))
      detachDisplaced(this, this.exits, port, keep);
    const previous = await this.directory()
      .claimCharacter(characterId, this.zoneId)
      .catch(() => null);
    if (previous) {
      await this.env.ZONES.getByName(zoneObjectName(this.config.realm, previous))
        .kickCharacter(characterId)
        .catch((cause) => this.log.log("warn", "character.kick_failed", { characterId, cause: String(cause) }));
    }
  }

  private async report(now: number): Promise<void> {
    const report = this.metrics.report(
      this.zoneId,
      this.sessions.size,
      this.snapshot.clock.tick,
      this.tickRateHz,
      now,
      this.field?.entityCount() ?? this.sessions.size,
    );
    await this.directory()
      .report(report)
      .catch((cause) => this.log.log("warn", "directory.report_failed", { zone: this.zoneId, cause: String(cause) }));
  }

  private directory() {
    return this.env.DIRECTORY.getByName(directoryObjectName(this.config.realm));
  }

  private freshSnapshot(now: number): ZoneSnapshot {
    const name = this.ctx.id.name;
    const parsed = parseZoneObjectName(name);
    const zoneId = parsed?.zoneId ?? this.ctx.id.toString();
    return {
      zoneId,
      realm: parsed?.realm ?? this.config.realm,
      clock: startClock(now),
      rngState: seedFromString(name ?? zoneId),
      sim: initialZoneState(),
    };
  }
}
