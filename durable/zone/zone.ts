/**
 * A zone Durable Object: a thin adapter between the platform (sockets, SQLite, timers, RPC) and
 * the zone's host (host.ts), which runs the engine of the zone's kind (shared/zone/engine.ts). The
 * alarm is the zone's durable clock; while players are attached, an in-memory timer runs the fast
 * cadence through the same idempotent advance, state is flushed in batches away from the
 * broadcast, and the alarm stays armed a few seconds ahead as watchdog. Over RPC it answers only
 * what other objects must call: `kickCharacter`, `acceptTraveller`, `tellCharacters`, and the admin API's
 * `teleportCharacter`, `drain` and `closeInstance`.
 */
import { DurableObject } from "cloudflare:workers";
import { issueTicket } from "../../shared/auth/ticket";
import { baseZoneOf, directoryObjectName, readRealmConfig, zoneObjectName } from "../../shared/config";
import { readDatabaseSettings } from "../../shared/db/client";
import { createLogger } from "../../shared/log";
import { echoCloseCode, FLOOD_CLOSE_CODE } from "../../shared/net/flood";
import type { CharacterSnapshot } from "../../shared/protocol/character";
import type { ServerMessage } from "../../shared/protocol/messages";
import { parseClientFrame } from "../../shared/protocol/parse";
import type { Destination } from "../../shared/world/traveller";
import { defaultZoneKinds } from "../../shared/zone/registry";
import { ZoneCadence } from "./cadence";
import { CharacterWriter } from "./character-writes";
import { handleClientMessage, reject } from "./commands";
import { acceptConnection } from "./connect";
import { detachDisplaced, detachSession, type ZoneExits } from "./departure";
import { SocketGuards } from "./flood";
import { type AcceptResult, HandOffs } from "./handoff";
import { ZoneHost } from "./host";
import { ADVANCE, COMMIT } from "./internal";
import { PartyDesk } from "./party";
import { adoptVersion, displaceCharacter } from "./players";
import { ZoneQuarantine } from "./quarantine";
import { CharacterRoster } from "./roster";
import { SessionTable, type ZonePort } from "./sessions";
import { settleAbsentCharacters } from "./settle";
import { portFor } from "./socket-port";
import { ZoneStore } from "./store";
import { TransferLog } from "./transfers";

export class ZoneDurableObject extends DurableObject<Cloudflare.Env> {
  /** The zone itself; reached by this object's entry points and by tests, never over RPC. */
  readonly host: ZoneHost;
  private readonly exits: ZoneExits;
  private readonly handoffs: HandOffs;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    const config = readRealmConfig(env);
    const log = createLogger(config.logLevel, { component: "zone" });
    let database: ReturnType<typeof readDatabaseSettings>;
    try {
      database = readDatabaseSettings(env);
    } catch (cause) {
      log.log("error", "zone.database_misconfigured", { cause: String(cause) });
    }
    const store = new ZoneStore(ctx.storage);
    const sessions = new SessionTable(ctx.getWebSockets().map(portFor));
    const quarantine = new ZoneQuarantine(store.db, log, () => this.host.snapshot?.zoneId ?? "");
    const roster = new CharacterRoster(store.db, quarantine);
    const writer = new CharacterWriter(store.db, database, log, quarantine, (id, version) => {
      adoptVersion(sessions, id, version);
      roster.adoptVersion(id, version);
    });
    const directory = () => env.DIRECTORY.getByName(directoryObjectName(config.realm));
    const guards = new SocketGuards(log);
    const report = (r: Parameters<ReturnType<typeof directory>["report"]>[0]) => directory().report(r);
    const transfers = new TransferLog(store.db, quarantine);
    const releaseCharacter = async (id: string): Promise<void> => {
      await directory().releaseCharacter(id, this.host.zoneId);
    };
    const parts = {
      config,
      store,
      sessions,
      log,
      guards,
      writer,
      roster,
      quarantine,
      transfers,
      report,
      releaseCharacter,
    };
    const host = new ZoneHost(parts);
    this.host = host;
    this.exits = { directory, sleep: () => host.sleep() };
    this.handoffs = new HandOffs(
      host,
      {
        zone: (zoneId) => env.ZONES.getByName(zoneObjectName(config.realm, zoneId)),
        ticket: (character, zoneId) => ticketFor(env.JWT_SECRET, character, zoneId),
        place: (characterId, zoneId) => directory().placeCharacter(characterId, zoneId),
        route: (zoneId, privateFor) => directory().route(zoneId, privateFor),
        releaseCharacter: (characterId) => directory().releaseCharacter(characterId, host.zoneId),
        releaseSlot: () => directory().release(host.zoneId),
        sleep: () => host.sleep(),
      },
      log,
    );
    host.handoffs = this.handoffs;
    const tell = (zoneId: string, ids: string[], message: ServerMessage) =>
      zoneId === host.zoneId
        ? Promise.resolve(this.tellCharacters(ids, message))
        : env.ZONES.getByName(zoneObjectName(config.realm, zoneId)).tellCharacters(ids, message);
    host.parties = new PartyDesk(
      host,
      {
        partyOf: (id) => directory().partyOf(id),
        invite: (from, to) => directory().partyInvite(from, to),
        accept: (who) => directory().partyAccept(who),
        leave: (id) => directory().partyLeave(id),
        tell,
      },
      log,
    );
    host.cadence = new ZoneCadence(ctx.storage, {
      tick: (now) => host.advance(now),
      flush: (now) => host.flush(now),
      nextTickAt: () => host.snapshot.clock.lastTargetAt + 1000 / host.tickRateHz,
      occupied: () => sessions.size > 0,
    });
    void ctx.blockConcurrencyWhile(async () => {
      await store.migrate();
      host.cadence.restore(await ctx.storage.getAlarm());
      host.load(ctx.id.name, ctx.id.toString(), defaultZoneKinds());
      // Characters whose sockets died with the process: written back, let go, gone from the world.
      await settleAbsentCharacters(host, host.snapshot.clock.lastTargetAt, (id) =>
        directory().releaseCharacter(id, host.zoneId),
      );
    });
  }

  /** The only fetch a zone serves: the WebSocket upgrade forwarded by the gateway (connect.ts). */
  override fetch(request: Request): Promise<Response> {
    return acceptConnection(this.host, this.exits, this.acceptor, request, this.handoffs);
  }

  /**
   * RPC from the gateway's admin API: sends a character playing here to `to` through the same
   * hand-off as an exit (a GM teleport). Refused when it does not play here or `to` is this zone.
   */
  teleportCharacter(characterId: string, to: Destination): { ok: true } | { ok: false; reason: string } {
    if (to.zoneId === this.host.zoneId) return { ok: false, reason: `${characterId} is already in ${to.zoneId}` };
    const playing = this.host.sessions.socketsOf(characterId).some((port) => this.host.sessions.get(port)?.helloed);
    if (!playing) return { ok: false, reason: `${characterId} does not play in ${this.host.zoneId}` };
    const owed = this.handoffs.owedFor(characterId);
    if (owed) return { ok: false, reason: `${characterId} is already on its way to ${owed.to.zoneId}` };
    this.handoffs.begin([{ playerId: characterId, to }]);
    return { ok: true };
  }

  /** RPC from the gateway's admin API: sends everyone playing here to `to` (a zone being emptied). */
  drain(to: Destination): { moving: number } {
    if (to.zoneId === this.host.zoneId) return { moving: 0 };
    const players = new Set(this.host.sessions.helloed().map((s) => this.host.engineSession(s).playerId));
    this.handoffs.begin([...players].map((playerId) => ({ playerId, to })));
    return { moving: players.size };
  }

  /**
   * RPC from the gateway's admin API: closes this instance. Everyone playing here is sent to the zone
   * it is an instance of, and the instance starts over from its content as soon as it is empty and
   * its world holds no character (one that logged out inside keeps it until it comes back and leaves).
   */
  closeInstance(): { ok: true; moving: number; residents: number } | { ok: false; reason: string } {
    const { host } = this;
    const base = baseZoneOf(host.zoneId);
    if (base === host.zoneId) return { ok: false, reason: `${host.zoneId} is not an instance` };
    const { moving } = this.drain({ zoneId: base });
    // Marked empty since long ago: the first time it qualifies, it is discarded.
    host.snapshot = { ...host.snapshot, emptySince: 0 };
    return { ok: true, moving, residents: host.engine.residents() };
  }

  /** RPC from another zone's party desk (party.ts): `message` to the greeted sessions of these characters here. */
  tellCharacters(characterIds: string[], message: ServerMessage): number {
    let told = 0;
    for (const id of characterIds)
      for (const port of this.host.sessions.socketsOf(id))
        if (this.host.sessions.get(port)?.helloed) {
          port.send(message);
          told++;
        }
    return told;
  }

  /** RPC from another zone: a character handed over to this one (handoff.ts); idempotent by transfer id. */
  acceptTraveller(payload: unknown): AcceptResult {
    return this.handoffs.accept(payload);
  }

  /** RPC from another zone or the directory: this character logged in elsewhere. */
  kickCharacter(characterId: string): number {
    const displaced = displaceCharacter(this.host.sessions, characterId);
    for (const port of displaced) detachDisplaced(this.host, this.exits, port);
    return displaced.length;
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const { host } = this;
    const port = portFor(ws);
    const session = host.sessions.get(port);
    if (!session) return; // Not one of ours (attachment lost): ignore rather than guess.
    host.cadence.start();
    const now = Date.now();
    const admitted = host.guards.admit(port, host.engine.floodLimit, now);
    if (admitted === "dropped") return; // Closed for flooding: what it still sends is not read.
    if (admitted !== "ok") {
      reject(host, port, session, { code: "rate_limited", message: "too many messages; slow down" });
      if (admitted === "close") {
        host.guards.closeFlooder(port, { zone: host.zoneId, sessionId: session.sessionId });
        // Gone for the zone at once: its close handshake may never finish.
        await this.detach(port, FLOOD_CLOSE_CODE);
      }
      return;
    }
    const parsed = parseClientFrame(frame);
    if (!parsed.ok) {
      reject(host, port, session, parsed.error);
      return;
    }
    const { type } = parsed.value;
    host.metrics.countCommand(type);
    if (host.engine.logsMessages)
      host.log.log("info", "command", { zone: host.zoneId, sessionId: session.sessionId, type });
    try {
      handleClientMessage(host, port, session, parsed.value, now);
    } catch (cause) {
      host.log.log("error", "command.failed", { zone: host.zoneId, type, cause: String(cause) });
      reject(host, port, session, { code: "internal", message: "the zone could not process that message" });
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
    const { host } = this;
    host.cadence.alarmFired();
    const plan = host.advance(Date.now());
    this.handoffs.retryDue(Date.now());
    const { zoneId, snapshot, sessions } = host;
    const ran = plan.ticks.length;
    host.log.log("info", "zone.alarm", {
      zone: zoneId,
      tick: snapshot.clock.tick,
      ran,
      skipped: plan.skipped,
      players: sessions.size,
    });
    await host.writer.drain(Date.now());
    if (sessions.size > 0) {
      host.cadence.start();
      await host.flush(Date.now());
    } else {
      await host.sleep();
    }
  }

  /** Advances the zone to a moment (for the zone's own modules and tests; a symbol is no RPC method). */
  [ADVANCE](now: number) {
    return this.host.advance(now);
  }

  /** Commits a change before it is sent (for tests; docs/decisions.md D5). */
  [COMMIT](write: Parameters<ZoneHost["commit"]>[0]): void {
    this.host.commit(write);
  }

  private readonly acceptor = {
    accept: (server: WebSocket) => {
      this.ctx.acceptWebSocket(server);
      return portFor(server);
    },
    zone: (name: string) => this.env.ZONES.getByName(name),
  };

  /** The socket is no session of this zone any more (departure.ts). */
  private detach(port: ZonePort, code: number): Promise<void> {
    return detachSession(this.host, this.exits, port, code);
  }
}

/** A play ticket for a character handed over to `zoneId`, bound to its login; none without accounts. */
async function ticketFor(secret: string | undefined, character: CharacterSnapshot, zoneId: string) {
  if (!secret) return undefined;
  const { id: characterId, accountId, fam } = character;
  // The snapshot rides in the signed ticket, so the gateway need not read Postgres (docs/decisions.md D29).
  const subject = { accountId, characterId, zone: zoneId, character: { ...character }, ...(fam ? { fam } : {}) };
  return (await issueTicket(subject, secret, Math.floor(Date.now() / 1000))).ticket;
}
