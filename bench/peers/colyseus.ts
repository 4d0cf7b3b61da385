/**
 * The Colyseus peer of the zone benchmark: starts bench/peers/colyseus-server.ts in its own
 * process and drives it with the official Colyseus SDK, one SDK client (HTTP matchmaking, then one
 * WebSocket) per bot. A GM connection, a client without a body, creates the room with the
 * scenario, scatters the players and reads the server's tick measurements.
 *
 * Bytes: the SDK does not report frame sizes, so each bot listens on its own WebSocket (the SDK's
 * transport exposes it) and counts every binary or text frame's payload from the moment it joined.
 *
 * Every bot runs the SDK's full schema decoder on every patch (a Colyseus patch is a delta against
 * the decoded state, so there is no cheaper way to find one's own `ack`): these bots cost the
 * benchmark process more CPU than bots that only scan their frames. With `verify`, each patch is
 * also checked: the bot sees itself, nothing beyond the view radius, no one else's private fields.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, type Room } from "@colyseus/sdk";
import type { BenchScenario, BenchTarget, BotConnection, BotHandlers, ServerStats, Vec } from "../lib/target";

const SERVER_FILE = fileURLToPath(new URL("./colyseus-server.ts", import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const LEAVE_TIMEOUT_MS = 3_000;

/**
 * Optional parts of the benchmark interface this target serves when the runner offers them
 * (declared here too, so this file does not depend on which of them bench/lib/target.ts has yet).
 */
interface OptionalScenario {
  verify?: boolean;
}
interface OptionalHandlers {
  onSnapshot?(): void;
  onError?(code: string): void;
  onVerifyFailure?(reason: string): void;
}

/** The server's "stats" answer: ServerStats, the parts of a tick sample, the process's CPU use. */
export interface ColyseusStats extends ServerStats {
  cpuPercent?: number;
  simP50Ms: number;
  simP99Ms: number;
  patches: number;
  patchP50Ms: number;
  patchP99Ms: number;
  patchMaxMs: number;
  interestP50Ms: number;
  interestP99Ms: number;
}

/** The socket under an SDK room: a WebSocket in Node 22 (undici's) or the `ws` package's. */
interface FrameSource {
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

/** The part of the decoded room state a bot reads. */
interface MirrorEntity {
  k?: string;
  x?: number;
  y?: number;
  ack?: number;
  mp?: number;
}
interface MirrorState {
  entities?: { get(key: string): MirrorEntity | undefined; forEach(fn: (e: MirrorEntity, key: string) => void): void };
}

/**
 * With `verify`, after every patch: the bot sees itself, nothing beyond its view radius (one unit
 * of slack each for its own and the other's rounding) and no other player's private fields.
 */
function checkView(state: MirrorState, id: string, viewRadius: number): string | null {
  const me = state.entities?.get(id);
  if (!me || me.x === undefined || me.y === undefined) return "self_missing";
  const reach = viewRadius + 2;
  let failure: string | null = null;
  state.entities?.forEach((e, key) => {
    if (failure || key === id) return;
    if (e.x === undefined || e.y === undefined) failure = "no_position";
    else if ((e.x - (me.x ?? 0)) ** 2 + (e.y - (me.y ?? 0)) ** 2 > reach * reach) failure = "out_of_view";
    else if (e.ack !== undefined || e.mp !== undefined) failure = "private_leak";
  });
  return failure;
}

function frameBytes(data: unknown): number {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof data === "string") return Buffer.byteLength(data);
  if (data instanceof Blob) return data.size;
  return 0;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Leaves a room, not waiting forever for a server that may already be gone. */
async function leave(room: Room): Promise<void> {
  try {
    await withTimeout(room.leave(true), LEAVE_TIMEOUT_MS, "leaving the room");
  } catch {
    // The server is gone or slow: the socket is closed either way.
  }
}

/** Starts the server (port 0: it picks a free one) and resolves with the port it printed. */
function startServer(): { child: ChildProcess; ready: Promise<number> } {
  // One process (no tsx wrapper process in between), so killing it leaves nothing behind.
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), SERVER_FILE, "0"], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  const ready = new Promise<number>((resolve, reject) => {
    let buffered = "";
    let settled = false;
    const timer = setTimeout(
      () => fail(new Error(`Colyseus server not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        const match = /^ready (\d+)$/.exec(line);
        if (match && !settled) {
          settled = true;
          clearTimeout(timer);
          resolve(Number(match[1]));
        } else if (line) {
          process.stderr.write(`[colyseus] ${line}\n`);
        }
        newline = buffered.indexOf("\n");
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[colyseus] ${chunk.toString()}`));
    child.once("error", fail);
    child.once("exit", (code, signal) =>
      fail(new Error(`Colyseus server exited early (code ${code}, signal ${signal})`)),
    );
  });
  return { child, ready };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.stdin?.end();
  child.kill("SIGTERM");
  try {
    await withTimeout(exited, STOP_TIMEOUT_MS, "stopping the Colyseus server");
  } catch {
    child.kill("SIGKILL");
    await exited;
  }
}

export function createColyseusTarget(): BenchTarget {
  let child: ChildProcess | null = null;
  let endpoint = "";
  let gm: Room | null = null;
  let verify = false;
  let viewRadius = 0;
  const bots = new Set<Room>();

  const gmRoom = (): Room => {
    if (!gm) throw new Error("Colyseus target not started");
    return gm;
  };
  const stats = async (reset: boolean): Promise<ColyseusStats> => {
    const answer = await gmRoom().request<{ reset: boolean }, ColyseusStats & { error?: string }>("stats", { reset });
    if (answer.error) throw new Error(`Colyseus stats: ${answer.error}`);
    return answer;
  };

  const target: BenchTarget = {
    name: "colyseus",

    async start(scenario: BenchScenario): Promise<void> {
      if (child) throw new Error("Colyseus target already started");
      const server = startServer();
      child = server.child;
      try {
        const port = await server.ready;
        endpoint = `http://127.0.0.1:${port}`;
        const { width, height, speed, tickHz, snapshotHz, seed } = scenario;
        verify = (scenario as BenchScenario & OptionalScenario).verify === true;
        viewRadius = scenario.viewRadius;
        gm = await new Client(endpoint).create("field", {
          gm: true,
          width,
          height,
          viewRadius,
          speed,
          tickHz,
          snapshotHz,
          seed,
        });
      } catch (error) {
        await target.stop();
        throw error;
      }
    },

    async connectBot(index: number, botHandlers: BotHandlers): Promise<BotConnection> {
      const handlers: BotHandlers & OptionalHandlers = botHandlers;
      const roomId = gmRoom().roomId;
      const room = await new Client(endpoint).joinById(roomId, { name: `bot-${index + 1}` });
      bots.add(room);
      const socket = (room.connection.transport as unknown as { ws: FrameSource }).ws;
      socket.addEventListener("message", (event) => handlers.onBytes(frameBytes(event.data)));
      room.onError((code) => handlers.onError?.(String(code)));
      const { id } = await room.request<undefined, { id: string | null }>("whoami");
      if (!id) throw new Error("Colyseus server gave the bot no entity");
      let acked = 0;
      let position: Vec | undefined;
      // The SDK has decoded the patch into `room.state` by now: every bot keeps a full mirror.
      room.onStateChange((state: MirrorState) => {
        handlers.onSnapshot?.();
        const me = state.entities?.get(id);
        if (me) position = { x: me.x ?? 0, y: me.y ?? 0 };
        const ack = me?.ack ?? 0;
        if (ack > acked) {
          acked = ack;
          handlers.onAck(ack);
        }
        if (verify) {
          const failure = checkView(state, id, viewRadius);
          if (failure) handlers.onVerifyFailure?.(failure);
        }
      });
      const connection = {
        sendInput(seq: number, move: Vec): void {
          room.send("input", { seq, x: move.x, y: move.y });
        },
        castMissile(aim: Vec): void {
          room.send("cast", { x: aim.x, y: aim.y });
        },
        position(): Vec | undefined {
          return position;
        },
        async close(): Promise<void> {
          if (!bots.delete(room)) return;
          await leave(room);
        },
      };
      return connection;
    },

    async scatter(): Promise<void> {
      const answer = await gmRoom().request<undefined, { players?: number; error?: string }>("scatter");
      if (answer.error) throw new Error(`Colyseus scatter: ${answer.error}`);
    },

    async resetStats(): Promise<void> {
      await stats(true);
    },

    readStats(): Promise<ServerStats> {
      return stats(false);
    },

    async stop(): Promise<void> {
      const rooms = [...bots];
      bots.clear();
      await Promise.all(rooms.map(leave));
      if (gm) await leave(gm);
      gm = null;
      if (child) await stopServer(child);
      child = null;
    },
  };
  return target;
}
