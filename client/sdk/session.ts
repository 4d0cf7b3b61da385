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
import { PROTOCOL_VERSION } from "../../shared/protocol/version";
import type { RealmApi } from "./api";
import { RealmApiError } from "./api";
import { type BackoffOptions, backoffDelay } from "./backoff";
import { Emitter } from "./emitter";
import { FieldWorld } from "./field";

/** Close codes the realm uses (docs/protocol.md, "Closing"). */
export const CLOSE = { normal: 1000, replaced: 4001, travelled: 4003, flooding: 4008 } as const;

export type ConnectionState = "connecting" | "online" | "travelling" | "reconnecting" | "closed";

type FrameOf<T extends string> = Extract<ServerMessage, { type: T }>;
export type Welcome = FrameOf<"welcome">;
export type GameEvent = Extract<ServerMessage, { text: string; type: string; payload?: unknown }>;

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
  random?: () => number;
  /** Ping interval for the latency read-out and to notice a dead link (default 5 s; 0 turns it off). */
  pingMs?: number;
  /** Commands kept while offline (default 32); older ones are dropped first. */
  queueLimit?: number;
}

/** A session's end that the caller should show: the state is then `closed` for good. */
export class SessionClosedError extends Error {}

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
  private timers: ReturnType<typeof setTimeout>[] = [];
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pingSent = new Map<number, number>();
  private pingId = 0;
  private lastHeard = 0;
  private readonly options: Required<Pick<SessionOptions, "maxAttempts" | "random" | "pingMs" | "queueLimit">> &
    SessionOptions;

  constructor(options: SessionOptions) {
    super();
    if (!options.characterId === !options.guest) throw new Error("RealmSession: give a characterId or a guest");
    this.options = { maxAttempts: 20, random: Math.random, pingMs: 5_000, queueLimit: 32, ...options };
  }

  /** Connects and resolves with the first welcome; rejects when the first connection is refused. */
  connect(): Promise<Welcome> {
    this.wanted = true;
    return new Promise<Welcome>((resolve, reject) => {
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
      void this.open("connecting");
    });
  }

  /** Sends now when online; a command or chat line waits for the next connection otherwise. */
  send(message: ClientMessage): void {
    if (this.socket && this.state === "online" && this.socket.readyState === 1) {
      this.socket.send(JSON.stringify(message));
      return;
    }
    // Movement and acks are only worth their latest value, and a new zone starts a new sequence.
    if (message.type === "input" || message.type === "ack" || message.type === "resync") return;
    this.queue.push(message);
    if (this.queue.length > this.options.queueLimit) this.queue.shift();
  }

  command(line: string): void {
    this.send({ type: "command", line });
  }

  say(text: string): void {
    this.send({ type: "say", text });
  }

  /** Closes for good (no reconnect). */
  close(): void {
    this.wanted = false;
    this.clearTimers();
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState <= 1) socket.close(CLOSE.normal, "bye");
    this.setState("closed", "closed by the player");
  }

  /** Drops the socket as a network failure would, to show (or test) the reconnect path. */
  dropForTest(): void {
    this.socket?.close(4000, "dropped by the client");
  }

  private setState(state: ConnectionState, detail?: string) {
    this.state = state;
    this.emit("state", { state, detail, attempt: this.attempt });
  }

  private async open(state: ConnectionState, travelTicket?: string, zone?: string): Promise<void> {
    if (!this.wanted) return;
    this.setState(state);
    let url: string;
    try {
      url = await this.socketUrl(travelTicket, zone);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (!this.wanted) return;
    const Socket = this.options.WebSocket ?? globalThis.WebSocket;
    const socket = new Socket(url);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    let welcomed = false;
    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      const name = this.options.guest?.name;
      socket.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION, ...(name ? { name } : {}) }));
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      const frame = parseFrame(event.data);
      if (!frame) return;
      this.lastHeard = Date.now();
      if (frame.type === "welcome") {
        welcomed = true;
        this.onWelcome(frame);
      }
      this.dispatch(frame, socket);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.stopPing();
      this.onClose(event.code, event.reason, welcomed);
    });
    // An error is always followed by a close, which decides what happens next.
    socket.addEventListener("error", () => undefined);
  }

  private async socketUrl(travelTicket?: string, zone?: string): Promise<string> {
    const { api, guest, characterId } = this.options;
    if (guest) return api.guestUrl(zone ?? this.zone ?? guest.zone);
    if (travelTicket) return api.playUrl(travelTicket);
    return (await api.ticket(characterId as string)).url;
  }

  private onWelcome(welcome: Welcome) {
    const previous = this.zone;
    this.attempt = 0;
    this.welcome = welcome;
    this.zone = welcome.zone;
    this.field = undefined;
    this.setState("online");
    this.startPing();
    const waiting = this.queue.splice(0);
    for (const message of waiting) this.send(message);
    if (previous !== welcome.zone) this.emit("zone", { zone: welcome.zone, previous, reason: this.travelReason });
    this.travelReason = undefined;
    this.emit("welcome", welcome);
  }

  private travelReason: string | undefined;

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
        this.travelReason = frame.reason;
        this.socket = undefined;
        this.stopPing();
        socket.close(CLOSE.normal, "following travel");
        void this.open("travelling", frame.ticket, frame.zone);
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
    this.scheduleReconnect(reason || (welcomed ? `socket closed (${code})` : `could not connect (${code})`));
  }

  private fail(error: unknown) {
    // Refusals that retrying cannot fix end the session; the rest are retried like a dropped socket.
    if (error instanceof RealmApiError && [400, 401, 403, 404].includes(error.status)) {
      this.wanted = false;
      this.setState("closed", `${error.code}: ${error.message}`);
      return;
    }
    this.scheduleReconnect(error instanceof Error ? error.message : String(error));
  }

  private scheduleReconnect(detail: string) {
    this.attempt += 1;
    if (this.attempt > this.options.maxAttempts) {
      this.wanted = false;
      this.setState("closed", `gave up after ${this.options.maxAttempts} attempts: ${detail}`);
      return;
    }
    this.setState("reconnecting", detail);
    const delay = backoffDelay(this.attempt, this.options.random, this.options.backoff);
    this.timers.push(setTimeout(() => void this.open("reconnecting"), delay));
  }

  private startPing() {
    this.stopPing();
    if (!this.options.pingMs) return;
    this.lastHeard = Date.now();
    this.pingTimer = setInterval(() => {
      const socket = this.socket;
      if (socket === undefined) return;
      if (socket.readyState !== 1) return;
      // Nothing heard for three intervals (not even a pong): the link is dead even if TCP has not noticed.
      if (Date.now() - this.lastHeard > 3 * this.options.pingMs) {
        socket.close(4000, "no answer from the realm");
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
  }

  private clearTimers() {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.stopPing();
  }
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** A text frame as the server sent it, or undefined for anything that is not a typed JSON object. */
export function parseFrame(data: unknown): ServerMessage | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const frame = JSON.parse(data) as { type?: unknown };
    return frame && typeof frame === "object" && typeof frame.type === "string" ? (frame as ServerMessage) : undefined;
  } catch {
    return undefined;
  }
}
