/** Command-line flags of `npm run bench:zone`, with their defaults. */
import { parseArgs } from "node:util";
import type { BenchScenario } from "./target";

export interface ZoneBenchOptions {
  /** Undefined: search for the largest passing N. */
  players: number | undefined;
  /** The scenario for every run (its `players` set per run). */
  scenario: Omit<BenchScenario, "players">;
  targetP99Ms: number;
  /** "auto" = Colyseus if its target loads, else none. */
  peer: "colyseus" | "none" | "auto";
  maxPlayers: number;
  bisectSteps: number;
  connectBatch: number;
  botLagLimitMs: number;
}

export const USAGE = `npm run bench:zone -- [flags]

  --players N          bots to run; without it, search for the largest N that passes
  --width 2000         map width (units)
  --height 2000        map height
  --view 300           view radius: what each player receives
  --speed 100          player speed, units per second
  --input-hz 10        inputs per second per bot
  --turn-ms 2000       a bot picks a new random direction this often
  --tick-hz 20         simulation rate
  --snapshot-hz 20     snapshot (patch) rate
  --cast-ms 2000       each bot casts Magic Missile this often (0 = never)
  --seed 1             seeds every bot's random walk
  --warmup-ms 3000     play before measuring
  --measure-ms 10000   the measured window
  --target-p99-ms 25   a run passes while the server's tick p99 stays under this
  --peer colyseus|none the peer measured after Leviathan (default: colyseus if it loads)
  --verify             bots apply every frame with the real client codec and count failures
  --wire binary|json   Leviathan's snapshots: binary frames (protocol 2, default; bots decode
                       every frame in full with the SDK) or JSON (protocol 1, scanned cheaply)
  --max-players 3200   search: largest N tried
  --bisect-steps 3     search: runs between the last pass and the first failure
  --connect-batch 50   bots connecting at once
  --bot-lag-ms 100     bot event-loop lag p99 above which the bots, not the server, are the limit
`;

const NUMBER_FLAGS = {
  players: undefined,
  width: 2000,
  height: 2000,
  view: 300,
  speed: 100,
  "input-hz": 10,
  "turn-ms": 2000,
  "tick-hz": 20,
  "snapshot-hz": 20,
  "cast-ms": 2000,
  seed: 1,
  "warmup-ms": 3000,
  "measure-ms": 10000,
  "target-p99-ms": 25,
  "max-players": 3200,
  "bisect-steps": 3,
  "connect-batch": 50,
  "bot-lag-ms": 100,
} as const;

type NumberFlag = keyof typeof NUMBER_FLAGS;

export function parseZoneArgs(argv: string[]): ZoneBenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(NUMBER_FLAGS).map((name) => [name, { type: "string" as const }])),
      peer: { type: "string" },
      verify: { type: "boolean" },
      wire: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const raw = values as Record<string, string | boolean | undefined>;
  const num = (name: NumberFlag, min: number): number => {
    const given = raw[name];
    const value = given === undefined ? NUMBER_FLAGS[name] : Number(given);
    if (value === undefined || !Number.isFinite(value) || value < min) {
      throw new Error(`--${name} must be a number ≥ ${min}, got "${given}"`);
    }
    return value;
  };
  const peer = raw.peer ?? "auto";
  if (peer !== "colyseus" && peer !== "none" && peer !== "auto") {
    throw new Error(`--peer must be colyseus or none, got "${peer}"`);
  }
  const wire = raw.wire ?? "binary";
  if (wire !== "binary" && wire !== "json") throw new Error(`--wire must be binary or json, got "${wire}"`);
  const players = raw.players === undefined ? undefined : Math.round(num("players", 1));
  return {
    players,
    scenario: {
      width: num("width", 200),
      height: num("height", 200),
      viewRadius: num("view", 50),
      speed: num("speed", 10),
      inputHz: num("input-hz", 0.1),
      turnEveryMs: num("turn-ms", 1),
      tickHz: num("tick-hz", 1),
      snapshotHz: num("snapshot-hz", 1),
      castEveryMs: num("cast-ms", 0),
      seed: Math.round(num("seed", 0)),
      warmupMs: num("warmup-ms", 0),
      measureMs: num("measure-ms", 500),
      verify: raw.verify === true,
      wire,
    },
    targetP99Ms: num("target-p99-ms", 0.001),
    peer,
    maxPlayers: Math.round(num("max-players", 1)),
    bisectSteps: Math.round(num("bisect-steps", 0)),
    connectBatch: Math.round(num("connect-batch", 1)),
    botLagLimitMs: num("bot-lag-ms", 1),
  };
}
