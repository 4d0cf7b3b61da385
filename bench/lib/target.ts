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
  /** Bots rebuild every frame with the target's own client-side codec and report failures. */
  verify?: boolean;
  /** Leviathan's snapshot encoding: binary frames (protocol 2, decoded in full) or JSON. */
  wire?: "binary" | "json";
}

/** The server's own view of its ticks over the measured window. */
export interface ServerStats {
  ticks: number;
  tickP50Ms: number;
  tickP99Ms: number;
  tickMaxMs: number;
  /** Entities the server simulated at the end of the window. */
  entities?: number;
  /** State-sync bytes per player per second as the server counted them, when it counts them. */
  bytesPerPlayerPerSecond?: number;
  /** CPU the server process used over the window, in % of one core. */
  cpuPercent?: number;
}

export interface BotHandlers {
  /** The server acknowledged every input up to `seq`. */
  onAck(seq: number): void;
  /** Bytes of one frame received from the server. */
  onBytes(bytes: number): void;
  /** One state update (snapshot, patch) arrived; counts the update rate a bot really gets. */
  onSnapshot?(): void;
  /** The server answered with an error (rate limit, refusal…); `code` names it. */
  onError?(code: string): void;
  /** With `verify`: a frame could not be applied or gave an impossible view. */
  onVerifyFailure?(reason: string): void;
}

export interface BotConnection {
  /** Sends one input; `seq` rises by one each time. */
  sendInput(seq: number, move: Vec): void;
  /** Casts Magic Missile towards a point. */
  castMissile(aim: Vec): void;
  /** The bot's own position as last seen from the server, if known (to aim near itself). */
  position?(): Vec | undefined;
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
