/**
 * Players against the echo floor (bench/echo/worker.js): `players` sockets spread over `rooms`
 * rooms, each sending one small frame every `everySeconds` (phases spread over the fleet) and
 * timing the echo. Connects at most `maxConcurrent` at once; measures only while all are held.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { type Summary, summarize } from "./play-client";
import { processCpuSeconds } from "./process";

export interface EchoRun {
  connected: number;
  rttMs: Summary;
  cpuPercent: number | null;
  timeouts: number;
}

const CONNECT_TIMEOUT_MS = 10_000;

export async function runEchoFleet(options: {
  baseUrl: string;
  pid: number | undefined;
  players: number;
  rooms: number;
  holdSeconds: number;
  everySeconds?: number;
  maxConcurrent?: number;
}): Promise<EchoRun> {
  const { players, rooms, holdSeconds } = options;
  const every = (options.everySeconds ?? 1) * 1000;
  const wsBase = options.baseUrl.replace(/^http/, "ws");
  const sockets: WebSocket[] = [];
  const sentAt = new Map<WebSocket, number>();
  const rtts: number[] = [];
  let measuring = false;
  let timeouts = 0;

  const open = (i: number) =>
    new Promise<WebSocket | undefined>((resolve) => {
      const socket = new WebSocket(`${wsBase}/ws?room=${i % rooms}`);
      const timer = setTimeout(() => {
        socket.terminate();
        resolve(undefined);
      }, CONNECT_TIMEOUT_MS);
      socket.once("open", () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once("error", () => {
        clearTimeout(timer);
        resolve(undefined);
      });
      socket.on("message", () => {
        const at = sentAt.get(socket);
        sentAt.delete(socket);
        if (at !== undefined && measuring) rtts.push(performance.now() - at);
      });
    });

  const maxConcurrent = options.maxConcurrent ?? 64;
  for (let start = 0; start < players; start += maxConcurrent) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(maxConcurrent, players - start) }, (_, k) => open(start + k)),
    );
    for (const socket of batch) if (socket) sockets.push(socket);
  }

  // One driver timer: each socket sends at its own phase of the interval, one frame in flight at most.
  const startedAt = performance.now();
  const phase = sockets.map((_, i) => ((i * 0.6180339887498949) % 1) * every);
  const nextAt = phase.map((p) => startedAt + p);
  const driver = setInterval(() => {
    const now = performance.now();
    sockets.forEach((socket, i) => {
      if (now < (nextAt[i] as number) || socket.readyState !== WebSocket.OPEN) return;
      nextAt[i] = (nextAt[i] as number) + every;
      if (sentAt.has(socket)) {
        // The previous echo never came within a whole interval.
        if (measuring) timeouts++;
        sentAt.delete(socket);
      }
      sentAt.set(socket, now);
      socket.send("ping");
    });
  }, 5);

  await new Promise((resolve) => setTimeout(resolve, 2000)); // settle into the rhythm
  const cpuBefore = processCpuSeconds(options.pid);
  const wallBefore = performance.now();
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, holdSeconds * 1000));
  measuring = false;
  const cpuAfter = processCpuSeconds(options.pid);
  const wall = (performance.now() - wallBefore) / 1000;
  clearInterval(driver);
  const connected = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
  for (const socket of sockets) socket.terminate();
  return {
    connected,
    rttMs: summarize(rtts),
    cpuPercent:
      cpuBefore === undefined || cpuAfter === undefined
        ? null
        : Math.round(((cpuAfter - cpuBefore) / wall) * 1000) / 10,
    timeouts,
  };
}
