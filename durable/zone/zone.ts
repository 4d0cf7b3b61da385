/**
 * A zone Durable Object: a thin adapter between the platform (sockets, SQLite, timers, RPC) and
 * the zone's host (host.ts), which runs the engine of the zone's kind (shared/zone/engine.ts). The
 * alarm is the zone's durable clock; while players are attached, an in-memory timer runs the fast
 * cadence through the same idempotent advance, state is flushed in batches away from the
 * broadcast, and the alarm stays armed a few seconds ahead as watchdog. Over RPC it answers only
 * what other objects must call: `kickCharacter`, `acceptTraveller`, `tellCharacters`, the directory's
 * `reloadContent` (a new content version, content.ts), and the admin API's
 * `teleportCharacter`, `drain`, `closeInstance`, `startRecording` and `latestRecording`, and the node's `prepareToMove`, `abandon` and `wake`
 * when a clustered realm moves it to another node.
 */
import { DurableObject } from "cloudflare:workers";
import type { PackFile } from "../../shared/content/edit";
import { echoCloseCode, FLOOD_CLOSE_CODE } from "../../shared/net/flood";
import { realmWith } from "../../shared/plugins/installed";
import type { ServerMessage } from "../../shared/protocol/messages";
import { parseClientFrame } from "../../shared/protocol/parse";
import type { Destination } from "../../shared/world/traveller";
import { mayRunHere, routedEnv } from "../cluster/routed-env";
import { assembleZone } from "./assemble";
import { handleClientMessage, reject } from "./commands";
import { acceptConnection } from "./connect";
import type { ReloadAnswer, ZoneContentDesk } from "./content";
import { detachDisplaced, detachSession, type ZoneExits } from "./departure";
import type { AcceptResult, HandOffs } from "./handoff";
import type { ZoneHost } from "./host";
import { ADVANCE, COMMIT } from "./internal";
import { closeInstance, drain, teleport, tellCharacters } from "./operations";
import { displaceCharacter } from "./players";
import { type LatestRecording, RecordingDesk, type RecordingStarted } from "./recordings";
import { prepareToMove } from "./relocation";
import type { ZonePort } from "./sessions";
import { settleAbsentCharacters } from "./settle";
import { portFor } from "./socket-port";

export class ZoneDurableObject extends DurableObject<Cloudflare.Env> {
  /** The zone itself; reached by this object's entry points and by tests, never over RPC. */
  readonly host: ZoneHost;
  private readonly exits: ZoneExits;
  private readonly handoffs: HandOffs;
  private readonly content: ZoneContentDesk;
  private readonly recordings: RecordingDesk;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    // On a node of a cluster, stubs of other objects route to their owner (docs/selfhost.md).
    super(ctx, routedEnv(env));
    const parts = assembleZone(ctx, this.env, (ids, message) => this.tellCharacters(ids, message));
    const { host, directory } = parts;
    this.host = host;
    this.handoffs = parts.handoffs;
    this.exits = parts.exits;
    this.content = parts.content;
    this.recordings = new RecordingDesk(host, ctx.storage);
    host.recordings = this.recordings;
    void ctx.blockConcurrencyWhile(async () => {
      await host.store.migrate();
      host.cadence.restore(await ctx.storage.getAlarm());
      // The zone kinds, MUD commands and NPC behaviours: the defaults plus the enabled plugins (docs/plugins.md).
      // The content this zone runs is its own (content.ts): kept in its SQLite, newer taken from the directory.
      host.pack = parts.content.loadStored();
      host.load(ctx.id.name, ctx.id.toString(), realmWith(host.config.plugins).zoneKinds());
      await parts.content.catchUp();
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

  /** RPC from the admin API: a GM teleport through the same hand-off as an exit (operations.ts). */
  teleportCharacter(characterId: string, to: Destination) {
    return teleport(this.host, this.handoffs, characterId, to);
  }

  /** RPC from the admin API: everyone playing here goes to `to` (operations.ts). */
  drain(to: Destination): { moving: number } {
    return drain(this.host, this.handoffs, to);
  }

  /** RPC from the directory: the realm published content version `version`; this zone runs it from now on (content.ts). */
  reloadContent(version: number, files: PackFile[]): ReloadAnswer {
    return this.content.take({ version, files });
  }

  /** RPC from the admin API: records the zone's inputs for the next `seconds` (recordings.ts, docs/replay.md). */
  startRecording(seconds?: number): RecordingStarted {
    return this.recordings.start(seconds, Date.now());
  }

  /** RPC from the admin API: the latest recording, or whether one runs (recordings.ts). */
  latestRecording(): LatestRecording {
    return this.recordings.latest(Date.now());
  }

  /** RPC from the admin API: closes this instance (operations.ts). */
  closeInstance() {
    return closeInstance(this.host, this.handoffs);
  }

  /** RPC from another zone's party desk: `message` to these characters' sessions here (operations.ts). */
  tellCharacters(characterIds: string[], message: ServerMessage): number {
    return tellCharacters(this.host, characterIds, message);
  }

  /** RPC from this node before the zone moves to another node (relocation.ts). */
  prepareToMove(): Promise<{ players: number }> {
    return prepareToMove(this.host, this.ctx.storage, (port, code) => this.detach(port, code));
  }

  /** RPC from this node once the zone has moved: drops this instance, so a later move back reads its files afresh. */
  abandon(): void {
    this.ctx.abort("the zone moved to another node");
  }

  /** RPC from the node the zone moved to: its schedule resumes (the alarm does not travel with its files). */
  async wake(): Promise<{ zone: string; players: number }> {
    if (this.host.sessions.size === 0) await this.host.sleep();
    return { zone: this.host.zoneId, players: this.host.sessions.size };
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
    // A copy left behind on a node that no longer owns the zone never runs (docs/selfhost.md).
    if (!(await mayRunHere(this.env, "ZONES", this.ctx.id.name ?? "", () => this.ctx.id.toString()))) {
      await this.ctx.storage.deleteAlarm();
      host.log.log("warn", "zone.not_owner", { zone: host.zoneId });
      return;
    }
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
