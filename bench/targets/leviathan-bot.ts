/**
 * Leviathan's wire protocol as the benchmark bots speak it: a guest socket that says hello, waits
 * for its `field`, then reads snapshot frames. By default a frame is only scanned for its number,
 * the acknowledged input and the bot's own position, never parsed: that is on purpose, so one Node
 * process can drive hundreds of bots and the bots, not the server, are not what a run measures.
 * With `verify` every frame is parsed and held by the reference client, the SDK's FieldWorld
 * (client/sdk/field.ts: the same delta codec, resync on a lost base), and failures are counted.
 * The GM console is the same kind of socket with request/reply on top.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { type FieldFrame, FieldWorld, type SnapshotFrame } from "../../client/sdk/field";
import type { BotConnection, BotHandlers, Vec } from "../lib/target";
import { withTimeout } from "../lib/time";

const SNAPSHOT_PREFIX = '{"type":"snapshot","n":';

/**
 * Opens a WebSocket (no compression: bytes are the JSON text); rejects on refusal (with the HTTP
 * status and the start of the body) or after `timeoutMs`. The zone bench's bots skip UTF-8
 * validation of what they receive (`checkUtf8: false`) to spend their CPU on the load.
 */
export function openSocket(url: string, timeoutMs: number, { checkUtf8 = false } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: !checkUtf8 });
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.terminate();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`connect timed out after ${timeoutMs} ms`)), timeoutMs);
    socket.once("open", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => fail(new Error(`upgrade refused: HTTP ${res.statusCode} ${body.slice(0, 200)}`)));
    });
    socket.once("error", (error) => fail(error));
  });
}

/** Opens a guest socket, says hello and resolves once the zone sent the `field` (with our entity id). */
export async function joinField(url: string, name: string, timeoutMs: number, protocol = 1) {
  const socket = await openSocket(url, timeoutMs);
  let field: FieldFrame | undefined;
  const you = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no field frame within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('{"type":"field"')) {
        field = JSON.parse(text) as FieldFrame;
        done(undefined, field.you);
      } else if (text.startsWith('{"type":"error"')) done(new Error(`hello refused: ${text}`));
    };
    const onClose = () => done(new Error("socket closed before the field frame"));
    function done(error?: Error, id?: string) {
      clearTimeout(timer);
      socket.off("message", onMessage);
      socket.off("close", onClose);
      if (error || !id) {
        socket.terminate();
        reject(error ?? new Error("no entity id"));
      } else resolve(id);
    }
    socket.on("message", onMessage);
    socket.once("close", onClose);
    socket.send(JSON.stringify({ type: "hello", protocol, name }));
  });
  return { socket, you, field: field as FieldFrame };
}

/** Reads the non-negative integer at `at` in `text`; -1 if there is none. */
function intAt(text: string, at: number): number {
  let value = 0;
  let i = at;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    value = value * 10 + c;
  }
  return i === at ? -1 : value;
}

/** Number after `"key":` within text[from, to), or undefined. */
function numberField(text: string, key: string, from: number, to: number): number | undefined {
  const at = text.indexOf(`"${key}":`, from);
  if (at < 0 || at >= to) return undefined;
  const value = Number.parseFloat(text.slice(at + key.length + 3, Math.min(to, at + key.length + 30)));
  return Number.isFinite(value) ? value : undefined;
}

/**
 * n, ack and tick of a snapshot without parsing it. The frame is `{"type":"snapshot","n":…,
 * "base":…,"add":[…],"upd":[…],"del":[ids],"tick":…,"ack":…[,"ev":[…]]}`; entity views never
 * have a "del" key, so the first `"del":[` is the frame's own.
 */
export function scanSnapshot(text: string): { n: number; ack: number } | undefined {
  if (!text.startsWith(SNAPSHOT_PREFIX)) return undefined;
  const n = intAt(text, SNAPSHOT_PREFIX.length);
  const del = text.indexOf('"del":[');
  const tail = del < 0 ? -1 : text.indexOf('],"tick":', del);
  const ackAt = tail < 0 ? -1 : text.indexOf(',"ack":', tail + 9);
  const ack = ackAt < 0 ? -1 : intAt(text, ackAt + 7);
  return n < 0 || ack < 0 ? undefined : { n, ack };
}

/** A bot playing one guest mage. */
export class LeviathanBot implements BotConnection {
  /** The newest snapshot this bot holds, echoed with every input so the server sends deltas. */
  private holds = 0;
  private lastAck = 0;
  private pos: Vec | undefined;
  /** With `verify`: the reference client's view of the zone. */
  private readonly world: FieldWorld | undefined;
  private readonly idKey: string;

  private constructor(
    private readonly socket: WebSocket,
    readonly you: string,
    private readonly handlers: BotHandlers,
    field: FieldFrame,
    verify: boolean,
    private readonly binary: boolean,
  ) {
    this.idKey = `"id":${JSON.stringify(you)}`;
    // Binary snapshots are always decoded in full, by the SDK's decoder, as a real client does.
    this.world = verify || binary ? this.reference(field) : undefined;
    socket.on("message", (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
  }

  /**
   * Connects, says hello and resolves once the zone sent this bot its `field`. `wire`: binary
   * snapshots (protocol 2, the default for real clients) or JSON (protocol 1).
   */
  static async connect(
    url: string,
    name: string,
    handlers: BotHandlers,
    verify: boolean,
    timeoutMs: number,
    wire: "binary" | "json" = "json",
  ) {
    const { socket, you, field } = await joinField(url, name, timeoutMs, wire === "binary" ? 2 : 1);
    return new LeviathanBot(socket, you, handlers, field, verify, wire === "binary");
  }

  sendInput(seq: number, move: Vec): void {
    this.send({ type: "input", seq, move, ...(this.holds ? { ack: this.holds } : {}) });
  }

  castMissile(aim: Vec): void {
    this.send({ type: "cast", skill: "missile", aim });
  }

  position(): Vec | undefined {
    return this.pos;
  }

  close(): Promise<void> {
    this.socket.terminate();
    return Promise.resolve();
  }

  private send(message: object): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /**
   * The SDK's FieldWorld fed this bot's frames. It leaves acks to the bot's own inputs (sent at
   * the scenario's rate with `ack`, as in the scan path), so verifying adds no messages of its own
   * besides a `resync` when a frame cannot be applied.
   */
  private reference(field: FieldFrame): FieldWorld {
    const world = new FieldWorld((message) => this.send(message), { ackEvery: 0 });
    world.onField(field, performance.now());
    world.on("snapshot", ({ frame, view }) => {
      if (this.binary) {
        this.handlers.onSnapshot?.();
        this.acked(frame.ack ?? 0);
      }
      this.holds = world.applied;
      const me = view.get(this.you);
      if (!me) {
        this.handlers.onVerifyFailure?.("self_missing");
        return;
      }
      if (typeof me.x === "number" && typeof me.y === "number") this.pos = { x: me.x, y: me.y };
    });
    world.on("resync", ({ reason }) => {
      this.handlers.onVerifyFailure?.(reason);
      // Hold nothing until the full frame the resync brings: inputs go without an ack meanwhile.
      this.holds = 0;
    });
    return world;
  }

  private receive(data: Buffer, isBinary: boolean): void {
    this.handlers.onBytes(data.length);
    if (isBinary) {
      this.world?.onBinarySnapshot(new Uint8Array(data.buffer, data.byteOffset, data.length), performance.now());
      return;
    }
    const text = data.toString();
    if (this.world) {
      this.verifyFrame(this.world, text);
      return;
    }
    const scanned = scanSnapshot(text);
    if (!scanned) {
      if (text.startsWith('{"type":"error"')) this.handlers.onError?.(errorCode(text));
      return;
    }
    this.handlers.onSnapshot?.();
    if (scanned.n > this.holds) this.holds = scanned.n;
    this.acked(scanned.ack);
    const at = text.indexOf(this.idKey);
    if (at >= 0) {
      const end = text.indexOf("}", at);
      const x = numberField(text, "x", at, end);
      const y = numberField(text, "y", at, end);
      if (x !== undefined || y !== undefined) this.pos = { x: x ?? this.pos?.x ?? 0, y: y ?? this.pos?.y ?? 0 };
    }
  }

  private verifyFrame(world: FieldWorld, text: string): void {
    const message = JSON.parse(text) as { type: string; code?: string };
    if (message.type === "error") this.handlers.onError?.(String(message.code));
    // A `field` frame starts a new snapshot sequence (the world forgets what it held).
    if (message.type === "field") world.onField(message as FieldFrame, performance.now());
    if (message.type !== "snapshot" || this.binary) return;
    const frame = message as SnapshotFrame;
    this.handlers.onSnapshot?.();
    this.acked(frame.ack ?? 0);
    world.onSnapshot(frame, performance.now());
  }

  private acked(ack: number): void {
    if (ack <= this.lastAck) return;
    this.lastAck = ack;
    this.handlers.onAck(ack);
  }
}

function errorCode(text: string): string {
  try {
    return String((JSON.parse(text) as { code?: string }).code);
  } catch {
    return "unparsable";
  }
}

/** The GM console: one more guest in the field that sends `command` lines and awaits replies. */
export class GmConsole {
  private waiting: { resolve: (reply: GmReply) => void; reject: (error: Error) => void }[] = [];
  private holds = 0;
  private ackTimer: NodeJS.Timeout;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data: Buffer) => {
      const text = data.toString();
      const scanned = scanSnapshot(text);
      if (scanned) this.holds = Math.max(this.holds, scanned.n);
      else if (text.startsWith('{"type":"info"') || text.startsWith('{"type":"error"')) {
        const reply = JSON.parse(text) as GmReply;
        const next = this.waiting.shift();
        if (!next) return;
        if (reply.type === "error") next.reject(new Error(`GM command refused: ${reply.message ?? text}`));
        else next.resolve(reply);
      }
    });
    socket.once("close", () => {
      for (const w of this.waiting.splice(0)) w.reject(new Error("GM socket closed"));
    });
    // Acknowledge like a player (10 Hz) so its snapshots are deltas, as every bot's are.
    let acked = 0;
    this.ackTimer = setInterval(() => {
      if (this.holds > acked && socket.readyState === WebSocket.OPEN) {
        acked = this.holds;
        socket.send(JSON.stringify({ type: "ack", n: acked }));
      }
    }, 100);
  }

  static async connect(url: string, timeoutMs: number): Promise<GmConsole> {
    return new GmConsole((await joinField(url, "bench-gm", timeoutMs)).socket);
  }

  /** Sends one console line and resolves with the reply (`info`), rejects on `error` or timeout. */
  run(line: string, timeoutMs = 60_000): Promise<GmReply> {
    const reply = new Promise<GmReply>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.socket.send(JSON.stringify({ type: "command", line }));
    return withTimeout(reply, timeoutMs, `GM "${line}"`);
  }

  close(): void {
    clearInterval(this.ackTimer);
    this.socket.terminate();
  }
}

export interface GmReply {
  type: "info" | "error";
  text?: string;
  message?: string;
  payload?: Record<string, number>;
}
