/**
 * What the zone benchmark drives: a server started in its own process, bots that speak its
 * protocol, and the server's own tick measurements. Leviathan is one target; a peer stack
 * (Colyseus) running the same scenario is another, so results compare within one run.
 */

export interface Vec {
  x: number;
  y: number;
}

/** The scenario, every part of it a command-line flag of `npm run bench:zone`. */
export interface BenchScenario {
  players: number;
  width: number;
  height: number;
  viewRadius: number;
  /** Player speed, units per second. */
  speed: number;
  /** Inputs per second per bot. */
  inputHz: number;
  /** A bot picks a new random direction this often. */
  turnEveryMs: number;
  /** Simulation rate. */
  tickHz: number;
  /** Snapshot (patch) rate. */
  snapshotHz: number;
  /** A bot casts Magic Missile this often (0 = never). */
  castEveryMs: number;
  seed: number;
  warmupMs: number;
  measureMs: number;
}

/** The server's own view of its ticks over the measured window. */
export interface ServerStats {
  ticks: number;
  tickP50Ms: number;
  tickP99Ms: number;
  tickMaxMs: number;
  /** Entities the server simulated at the end of the window. */
  entities?: number;
}

export interface BotHandlers {
  /** The server acknowledged every input up to `seq`. */
  onAck(seq: number): void;
  /** Bytes of one frame received from the server. */
  onBytes(bytes: number): void;
}

export interface BotConnection {
  /** Sends one input; `seq` rises by one each time. */
  sendInput(seq: number, move: Vec): void;
  /** Casts Magic Missile towards a point. */
  castMissile(aim: Vec): void;
  close(): Promise<void>;
}

export interface BenchTarget {
  readonly name: string;
  /** Starts the server process and configures the scenario's map, rates and view radius. */
  start(scenario: BenchScenario): Promise<void>;
  connectBot(index: number, handlers: BotHandlers): Promise<BotConnection>;
  /** After every bot joined: spread players over the map (seeded). */
  scatter(): Promise<void>;
  resetStats(): Promise<void>;
  readStats(): Promise<ServerStats>;
  /** Stops the server process; safe to call twice. */
  stop(): Promise<void>;
}
