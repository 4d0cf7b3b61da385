/**
 * Leviathan's wire protocol as the benchmark bots speak it: a guest socket that says hello, waits
 * for its `field`, then reads snapshot frames. By default a frame is only scanned for its number,
 * the acknowledged input and the bot's own position (cheap, so one Node process can drive many
 * bots); with `verify` every frame is parsed and applied with the real client codec (ClientMirror).
 * The GM console is the same kind of socket with request/reply on top.
 */
import WebSocket from "ws";
import { ClientMirror, type SnapshotFrame } from "../../shared/field/delta";
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
export async function joinField(url: string, name: string, timeoutMs: number) {
  const socket = await openSocket(url, timeoutMs);
  const you = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no field frame within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('{"type":"field"')) done(undefined, (JSON.parse(text) as { you: string }).you);
      else if (text.startsWith('{"type":"error"')) done(new Error(`hello refused: ${text}`));
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
    socket.send(JSON.stringify({ type: "hello", protocol: 1, name }));
  });
  return { socket, you };
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
  private readonly mirror: ClientMirror | undefined;
  private readonly idKey: string;

  private constructor(
    private readonly socket: WebSocket,
    readonly you: string,
    private readonly handlers: BotHandlers,
    verify: boolean,
  ) {
    this.idKey = `"id":${JSON.stringify(you)}`;
    this.mirror = verify ? new ClientMirror() : undefined;
    socket.on("message", (data: Buffer) => this.receive(data));
  }

  /** Connects, says hello and resolves once the zone sent this bot its `field`. */
  static async connect(url: string, name: string, handlers: BotHandlers, verify: boolean, timeoutMs: number) {
    const { socket, you } = await joinField(url, name, timeoutMs);
    return new LeviathanBot(socket, you, handlers, verify);
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

  private receive(data: Buffer): void {
    this.handlers.onBytes(data.length);
    const text = data.toString();
    if (this.mirror) {
      this.verifyFrame(text);
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

  private verifyFrame(text: string): void {
    const message = JSON.parse(text) as { type: string; ack?: number; code?: string } & SnapshotFrame;
    if (message.type === "error") this.handlers.onError?.(String(message.code));
    if (message.type !== "snapshot" || !this.mirror) return;
    this.handlers.onSnapshot?.();
    this.acked(message.ack ?? 0);
    const result = this.mirror.apply(message);
    if (!result.ok) {
      this.handlers.onVerifyFailure?.(result.reason);
      this.mirror.reset();
      this.holds = 0;
      this.send({ type: "resync" });
      return;
    }
    this.holds = result.ack;
    const me = result.view.get(this.you);
    if (!me) {
      this.handlers.onVerifyFailure?.("self_missing");
      return;
    }
    if (typeof me.x === "number" && typeof me.y === "number") this.pos = { x: me.x, y: me.y };
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
