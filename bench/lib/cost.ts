/**
 * The monthly Cloudflare bill of a realm's steady load (bench/cost.ts), from Cloudflare's published
 * prices and the realm's own cadence. Pure: a calculation, not a measurement.
 */
/** Workers Paid, Durable Objects and SQLite-in-Durable-Objects prices (USD), as published. */
export const PRICES = {
  source: [
    "https://developers.cloudflare.com/durable-objects/platform/pricing/",
    "https://developers.cloudflare.com/workers/platform/pricing/",
  ],
  checked: "2026-11",
  platformPerMonth: 5,
  doRequestsIncluded: 1e6,
  doRequestPerMillion: 0.15,
  /** Incoming WebSocket messages are billed as requests at 20:1. */
  webSocketMessagesPerRequest: 20,
  doGbSecondsIncluded: 400_000,
  doPerMillionGbSeconds: 12.5,
  /** Duration is billed for 128 MB per active object, whatever it uses. */
  doGbPerObject: 0.125,
  rowsWrittenIncluded: 50e6,
  rowsWrittenPerMillion: 1.0,
  rowsReadIncluded: 25e9,
  rowsReadPerMillion: 0.001,
  storedGbIncluded: 5,
  storedPerGbMonth: 0.2,
  workerRequestsIncluded: 10e6,
  workerRequestPerMillion: 0.3,
};

export interface CostInputs {
  players: number;
  playersPerZone: number;
  commandsPerSecond: number;
  pingSeconds: number;
  /** A zone's flush: rows it writes each time (its state row and its engine's world row). */
  flushSeconds: number;
  rowsPerFlush: number;
  /** A zone's load report to the directory (one RPC). */
  reportSeconds: number;
  /** Sessions a player starts a month (sign-in, ticket, connect: a few Worker requests each). */
  sessionsPerPlayer: number;
  storedMbPerZone: number;
  hours: number;
}

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

const over = (used: number, included: number) => Math.max(0, used - included);

export function monthlyCost(i: CostInputs): { lines: CostLine[]; total: number; perPlayer: number } {
  const p = PRICES;
  const seconds = i.hours * 3600;
  const zones = Math.ceil(i.players / i.playersPerZone);
  const messages = i.players * (i.commandsPerSecond + 1 / i.pingSeconds) * seconds;
  const reports = (zones / i.reportSeconds) * seconds;
  const connects = i.players * i.sessionsPerPlayer;
  const doRequests = messages / p.webSocketMessagesPerRequest + reports + connects;
  // An occupied zone ticks on in-memory timers, so it never hibernates: billed for every second.
  const gbSeconds = zones * seconds * p.doGbPerObject;
  const rowsWritten = (zones / i.flushSeconds) * i.rowsPerFlush * seconds;
  const storedGb = (zones * i.storedMbPerZone) / 1024;
  // Sign-in, ticket and the WebSocket upgrade pass through the gateway Worker.
  const workerRequests = connects * 3;
  const lines: CostLine[] = [
    { item: "Workers Paid plan", quantity: 1, unit: "month", usd: p.platformPerMonth },
    {
      item: "Durable Object requests (messages at 20:1, reports, connects)",
      quantity: doRequests,
      unit: "requests",
      usd: (over(doRequests, p.doRequestsIncluded) / 1e6) * p.doRequestPerMillion,
    },
    {
      item: `Durable Object duration (${zones} zones always active, 128 MB each)`,
      quantity: gbSeconds,
      unit: "GB-s",
      usd: (over(gbSeconds, p.doGbSecondsIncluded) / 1e6) * p.doPerMillionGbSeconds,
    },
    {
      item: "SQLite rows written (zone flushes)",
      quantity: rowsWritten,
      unit: "rows",
      usd: (over(rowsWritten, p.rowsWrittenIncluded) / 1e6) * p.rowsWrittenPerMillion,
    },
    {
      item: "SQLite stored data",
      quantity: storedGb,
      unit: "GB-month",
      usd: over(storedGb, p.storedGbIncluded) * p.storedPerGbMonth,
    },
    {
      item: "Worker requests (sign-in, ticket, upgrade)",
      quantity: workerRequests,
      unit: "requests",
      usd: (over(workerRequests, p.workerRequestsIncluded) / 1e6) * p.workerRequestPerMillion,
    },
  ];
  const total = lines.reduce((sum, l) => sum + l.usd, 0);
  return { lines, total, perPlayer: total / i.players };
}
