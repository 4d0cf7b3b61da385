/**
 * One player's connection to the realm, kept alive: it opens the game socket (a character through
 * a play ticket, or a guest), says `hello`, follows `travel` frames to the next zone without the
 * caller noticing more than a `zone` event, and when the socket drops it reconnects by itself with
 * backoff and jitter, asking for a fresh ticket each time (the zone keeps a dropped character in
 * the world for its reconnect grace, so the player resumes where it stood: docs/architecture.md,
 * "Reconnect"). Commands typed while the socket is down wait in a bounded queue.
 *
 * Uses only the standard WebSocket API, so the same code runs in browsers and in Node 22.
 */
import type { ClientMessage, ServerMessage } from "../../shared/protocol/messages";
import type { SnapshotEncoding } from "../../shared/protocol/version";
import type { RealmApi } from "./api";
import { RealmApiError } from "./api";
import { type BackoffOptions, backoffDelay } from "./backoff";
import { Emitter } from "./emitter";
import { FieldWorld } from "./field";
import { CLOSE, type ConnectionState, type FrameOf, helloFrame, parseFrame, type Welcome } from "./frames";
import { checkLanguageTag, type LanguageTag } from "./language";

export { CLOSE, type ConnectionState, type GameEvent, parseFrame, type Welcome } from "./frames";

export interface SessionEvents {
  [name: string]: unknown;
  /** Every frame, as parsed. */
  frame: ServerMessage;
  state: { state: ConnectionState; detail?: string; attempt?: number };
  welcome: Welcome;
  /** A new zone (first welcome and every travel). */
  zone: { zone: string; previous?: string; reason?: string };
  error: FrameOf<"error">;
  /** Round-trip time of the last ping, ms. */
  latency: number;
}

/** The WebSocket constructor as browsers and Node 22 provide it. */
export type WebSocketConstructor = new (url: string) => WebSocket;

export interface SessionOptions {
  api: RealmApi;
  /** Play this character (its account must be signed in on `api`). */
  characterId?: string;
  /** Or play as a guest (if the realm allows guests) in this zone, under this name. */
  guest?: { zone: string; name: string };
  WebSocket?: WebSocketConstructor;
  backoff?: BackoffOptions;
  /** Give up after this many failed reconnects in a row (default 20). */
  maxAttempts?: number;
  /** Before the first welcome, give up (and reject connect()) after this many failures (default 3). */
  firstAttempts?: number;
  random?: () => number;
  /** Ping interval for the latency read-out and to notice a dead link (default 5 s; 0 turns it off). */
  pingMs?: number;
  /** Commands kept while offline (default 32); older ones are dropped first. */
  queueLimit?: number;
  /** Field snapshots as compact binary frames (default) or as JSON, for reading them while debugging. */
  snapshots?: SnapshotEncoding;
  /**
   * The language to read the world in (`"es"`, `"es-MX"`), sent in every `hello`: the first, each
   * reconnect and each travel. Without it the realm speaks English; `welcome.language` says which
   * one it chose. A malformed tag throws InvalidLanguageError from the constructor.
   */
  language?: LanguageTag;
}

/** A session's end that the caller should show: the state is then `closed` for good. */
export class SessionClosedError extends Error {}

/** A connection that stayed up this long was a real one: the next drop starts the backoff afresh. */
const STABLE_MS = 10_000;
/** A socket that opened but got no `welcome` within this long is given up and retried. */
const WELCOME_TIMEOUT_MS = 10_000;
/** Tries of a travel ticket (it lives 60 s and the gateway gives it back on its own failures). */
const TRAVEL_TRIES = 3;

export class RealmSession extends Emitter<SessionEvents> {
  state: ConnectionState = "closed";
  zone: string | undefined;
  welcome: Welcome | undefined;
  /** The field zone's world when the current zone is one (undefined in a MUD zone). */
  field: FieldWorld | undefined;
  latencyMs: number | undefined;
  private socket: WebSocket | undefined;
  private readonly queue: ClientMessage[] = [];
  private wanted = false;
  private attempt = 0;
  /**
   * Bumped by connect(), close() and every new socket: an await or a socket event that belongs to an
   * older generation is ignored, so two sockets can never both be the session's.
   */
  private generation = 0;
  private pending: Promise<Welcome> | undefined;
  private everWelcomed = false;
  private onlineSince = 0;
  /** Where a `travel` frame sent us, until a `welcome` there. */
  private travel: { zone: string; ticket?: string; reason?: string; tries: number } | undefined;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pingSent = new Map<number, number>();
  private pingId = 0;
  private lastHeard = 0;
  private readonly options: Required<
    Pick<SessionOptions, "maxAttempts" | "firstAttempts" | "random" | "pingMs" | "queueLimit">
  > &
    SessionOptions;

  constructor(options: SessionOptions) {
    super();
    if (!options.characterId === !options.guest) throw new Error("RealmSession: give a characterId or a guest");
    // Refused here, not by the zone: a bad tag would otherwise fail every connection it retries.
    if (options.language !== undefined) checkLanguageTag(options.language);
    this.options = {
      maxAttempts: 20,
      firstAttempts: 3,
      random: Math.random,
      pingMs: 5_000,
      queueLimit: 32,
      ...options,
    };
  }

  /**
   * Connects and resolves with the first welcome. Rejects when the session closes first: a refusal
   * retrying cannot fix, `firstAttempts` failures in a row before any welcome, or close(). Calling it
   * again while connecting or connected returns the same promise.
   */
  connect(): Promise<Welcome> {
    if (this.pending && this.wanted) return this.pending;
    this.wanted = true;
    this.attempt = 0;
    this.everWelcomed = false;
    const generation = ++this.generation;
    this.pending = new Promise<Welcome>((resolve, reject) => {
      const offWelcome = this.on("welcome", (w) => {
        offWelcome();
        offClosed();
        resolve(w);
      });
      const offClosed = this.on("state", ({ state, detail }) => {
        if (state !== "closed") return;
        offWelcome();
        offClosed();
        reject(new SessionClosedError(detail ?? "closed"));
      });
    });
    // A caller that only listens to events must not see an unhandled rejection.
    this.pending.catch(() => undefined);
    void this.open("connecting", generation);
    return this.pending;
  }

  /** Sends now when online; a command or chat line waits for the next connection otherwise. */
  send(message: ClientMessage): void {
    if (this.socket && this.state === "online" && this.socket.readyState === 1) {
      this.socket.send(JSON.stringify(message));
      return;
    }
    // Movement and acks are only worth their latest value, and a new zone starts a new sequence.
    if (message.type === "input" || message.type === "ack" || message.type === "resync") return;
    if (!this.wanted) return;
    this.queue.push(message);
    if (this.queue.length > this.options.queueLimit) this.queue.shift();
  }

  command(line: string): void {
    this.send({ type: "command", line });
  }

  say(text: string): void {
    this.send({ type: "say", text });
  }

  /** Closes for good (no reconnect); connect() may start it again. */
  close(): void {
    this.generation += 1;
    this.pending = undefined;
    const wasOpen = this.wanted || this.state !== "closed";
    this.wanted = false;
    this.queue.length = 0;
    this.clearTimers();
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState <= 1) socket.close(CLOSE.normal, "bye");
    if (wasOpen) this.setState("closed", "closed by the player");
  }

  /** Drops the socket as a network failure would, to show (or test) the reconnect path. */
  dropForTest(): void {
    if (this.socket) this.abandon(this.socket, "dropped by the client");
  }

  private setState(state: ConnectionState, detail?: string) {
    this.state = state;
    this.emit("state", { state, detail, attempt: this.attempt });
  }

  private async open(state: ConnectionState, generation: number): Promise<void> {
    if (!this.wanted || generation !== this.generation) return;
    this.setState(state);
    let url: string;
    try {
      url = await this.socketUrl();
    } catch (error) {
      if (generation === this.generation) this.fail(error);
      return;
    }
    if (!this.wanted || generation !== this.generation) return;
    const Socket = this.options.WebSocket ?? globalThis.WebSocket;
    const socket = new Socket(url);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    let welcomed = false;
    const welcomeTimer = this.later(WELCOME_TIMEOUT_MS, () => {
      if (this.socket === socket && !welcomed) this.abandon(socket, "no welcome from the zone");
    });
    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      const { guest, snapshots, language } = this.options;
      socket.send(helloFrame({ name: guest?.name, snapshots, language }));
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      if (event.data instanceof ArrayBuffer) {
        // Binary frames are protocol 2's snapshots (docs/protocol.md, "Binary snapshots").
        this.lastHeard = now();
        this.field?.onBinarySnapshot(new Uint8Array(event.data), now());
        return;
      }
      const frame = parseFrame(event.data);
      if (!frame) return;
      this.lastHeard = now();
      if (frame.type === "welcome") {
        welcomed = true;
        this.cancel(welcomeTimer);
        this.onWelcome(frame);
      }
      this.dispatch(frame, socket);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.cancel(welcomeTimer);
      this.socket = undefined;
      this.stopPing();
      this.onClose(event.code, event.reason, welcomed);
    });
    // An error is always followed by a close, which decides what happens next.
    socket.addEventListener("error", () => undefined);
  }

  /**
   * Where to connect: the zone a `travel` frame named, with its ticket while it has tries left;
   * otherwise a fresh ticket (the directory knows where the character stands).
   */
  private async socketUrl(): Promise<string> {
    const { api, guest, characterId } = this.options;
    const travel = this.travel;
    if (guest) return api.guestUrl(travel?.zone ?? this.zone ?? guest.zone);
    if (travel?.ticket && travel.tries < TRAVEL_TRIES) {
      travel.tries += 1;
      return api.playUrl(travel.ticket);
    }
    return (await api.ticket(characterId as string)).url;
  }

  private onWelcome(welcome: Welcome) {
    const previous = this.zone;
    const reason = this.travel?.reason;
    this.travel = undefined;
    this.everWelcomed = true;
    this.onlineSince = now();
    this.welcome = welcome;
    this.zone = welcome.zone;
    this.field = undefined;
    this.setState("online");
    this.startPing();
    const waiting = this.queue.splice(0);
    for (const message of waiting) this.send(message);
    if (previous !== welcome.zone) this.emit("zone", { zone: welcome.zone, previous, reason });
    this.emit("welcome", welcome);
  }

  private dispatch(frame: ServerMessage, socket: WebSocket) {
    switch (frame.type) {
      case "field":
        this.field ??= new FieldWorld((m) => this.send(m));
        this.field.onField(frame, now());
        break;
      case "snapshot":
        this.field?.onSnapshot(frame, now());
        break;
      case "pong": {
        const sent = typeof frame.id === "number" ? this.pingSent.get(frame.id) : undefined;
        if (sent !== undefined) {
          this.pingSent.delete(frame.id as number);
          this.latencyMs = now() - sent;
          this.emit("latency", this.latencyMs);
        }
        break;
      }
      case "error":
        this.emit("error", frame);
        break;
      case "travel":
        // This socket closes next (4003); the next zone is opened now, with the ticket it brought.
        this.travel = { zone: frame.zone, ticket: frame.ticket, reason: frame.reason, tries: 0 };
        this.socket = undefined;
        this.stopPing();
        socket.close(CLOSE.normal, "following travel");
        void this.open("travelling", ++this.generation);
        break;
      default:
        break;
    }
    this.emit("frame", frame);
  }

  private onClose(code: number, reason: string, welcomed: boolean) {
    if (!this.wanted) return;
    if (code === CLOSE.replaced) {
      this.wanted = false;
      this.setState("closed", reason || "this character was opened somewhere else");
      return;
    }
    // Only a connection that stayed up a while resets the backoff: a zone that accepts and then
    // closes at once must not make us spin through the account's ticket budget.
    if (welcomed && now() - this.onlineSince >= STABLE_MS) this.attempt = 0;
    this.scheduleReconnect(reason || (welcomed ? `socket closed (${code})` : `could not connect (${code})`));
  }

  /** Gives up on a socket at once (no waiting for a closing handshake a dead link never completes). */
  private abandon(socket: WebSocket, why: string) {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.stopPing();
    try {
      socket.close(4000, why);
    } catch {
      // Already closing: nothing more to do with it.
    }
    if (this.wanted) this.scheduleReconnect(why);
  }

  private fail(error: unknown) {
    if (!this.wanted) return;
    // Refusals that retrying cannot fix end the session; the rest are retried like a dropped socket.
    if (error instanceof RealmApiError && [400, 401, 403, 404].includes(error.status)) {
      this.wanted = false;
      this.setState("closed", `${error.code}: ${error.message}`);
      return;
    }
    const retryAfterMs = error instanceof RealmApiError && error.retryAfter ? error.retryAfter * 1000 : 0;
    this.scheduleReconnect(error instanceof Error ? error.message : String(error), retryAfterMs);
  }

  private scheduleReconnect(detail: string, atLeastMs = 0) {
    this.attempt += 1;
    const limit = this.everWelcomed ? this.options.maxAttempts : this.options.firstAttempts;
    if (this.attempt > limit) {
      this.wanted = false;
      this.setState("closed", `gave up after ${limit} attempts: ${detail}`);
      return;
    }
    this.setState("reconnecting", detail);
    const delay = Math.max(atLeastMs, backoffDelay(this.attempt, this.options.random, this.options.backoff));
    const generation = ++this.generation;
    this.later(delay, () => void this.open("reconnecting", generation));
  }

  private startPing() {
    this.stopPing();
    if (!this.options.pingMs) return;
    this.lastHeard = now();
    this.pingTimer = setInterval(() => {
      const socket = this.socket;
      if (socket === undefined) return;
      if (socket.readyState !== 1) return;
      // Dead when a ping went unanswered (nothing at all heard since) for two intervals. Timed from
      // the ping, not from the last frame: a background tab's timers may fire a minute late.
      const oldest = this.pingSent.values().next().value;
      if (oldest !== undefined && this.lastHeard < oldest && now() - oldest > 2 * this.options.pingMs) {
        this.abandon(socket, "no answer from the realm");
        return;
      }
      this.pingId += 1;
      this.pingSent.set(this.pingId, now());
      if (this.pingSent.size > 8) this.pingSent.delete(this.pingSent.keys().next().value as number);
      socket.send(JSON.stringify({ type: "ping", id: this.pingId }));
    }, this.options.pingMs);
  }

  private stopPing() {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.pingSent.clear();
  }

  private later(ms: number, run: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private cancel(timer: ReturnType<typeof setTimeout>) {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private clearTimers() {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.stopPing();
  }
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());
