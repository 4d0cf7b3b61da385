/**
 * `npm run bench:cost` (docs/performance.md, "What 20,000 players cost on Cloudflare"): the monthly
 * Cloudflare bill of a realm's steady load, computed from Cloudflare's published prices and the
 * realm's own cadence (how often a zone writes, reports, and what a player sends). A calculation,
 * not a measurement: every input is a flag, and the prices are those published on the pages named
 * below when this was written — check them before relying on the total.
 */
import { parseArgs } from "node:util";
import { type CostInputs, monthlyCost, PRICES } from "./lib/cost";

const DEFAULTS: CostInputs = {
  players: 20_000,
  playersPerZone: 20,
  commandsPerSecond: 1,
  pingSeconds: 5,
  flushSeconds: 1,
  // The zone's state row and its world row each flush, and the watchdog alarm re-armed every other flush.
  rowsPerFlush: 2.5,
  reportSeconds: 2,
  sessionsPerPlayer: 60,
  storedMbPerZone: 1,
  hours: 730,
};

const FLAGS: Record<string, keyof CostInputs> = {
  players: "players",
  "players-per-zone": "playersPerZone",
  "commands-per-second": "commandsPerSecond",
  "ping-seconds": "pingSeconds",
  "flush-seconds": "flushSeconds",
  "rows-per-flush": "rowsPerFlush",
  "report-seconds": "reportSeconds",
  "sessions-per-player": "sessionsPerPlayer",
  "stored-mb-per-zone": "storedMbPerZone",
  hours: "hours",
};

function main(): number {
  const { values } = parseArgs({
    options: Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" as const }])),
  });
  const inputs = { ...DEFAULTS };
  for (const [flag, key] of Object.entries(FLAGS)) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) {
      console.error(`bench:cost: --${flag} must be a positive number, got "${raw}"`);
      console.error(
        `flags: ${Object.keys(FLAGS)
          .map((f) => `--${f}`)
          .join(" ")}`,
      );
      return 2;
    }
    inputs[key] = n;
  }
  const { lines, total, perPlayer } = monthlyCost(inputs);
  const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n.toFixed(n < 10 ? 2 : 0));
  console.log(
    [
      `Cloudflare, ${inputs.players} concurrent players for ${inputs.hours} h, ${inputs.playersPerZone} per zone, ${inputs.commandsPerSecond} command/s, a ping every ${inputs.pingSeconds} s, zones flushing ${inputs.rowsPerFlush} rows every ${inputs.flushSeconds} s (prices as published ${PRICES.checked}: ${PRICES.source.join(", ")})`,
      "",
      "| item | quantity | USD |",
      "| --- | ---: | ---: |",
      ...lines.map((l) => `| ${l.item} | ${fmt(l.quantity)} ${l.unit} | ${l.usd.toFixed(0)} |`),
      `| **total** | | **${total.toFixed(0)}** |`,
      "",
      `Per concurrent player: $${perPlayer.toFixed(3)} a month.`,
    ].join("\n"),
  );
  console.log(JSON.stringify({ bench: "cost", inputs, prices: PRICES, lines, total, perPlayer }));
  return 0;
}

process.exit(main());
