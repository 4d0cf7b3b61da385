/**
 * The bot players, independent of the target: each walks at random from its own seeded stream
 * (turning every `turnEveryMs`), sends its held direction `inputHz` times a second and casts Magic
 * Missile every `castEveryMs` at a random point near itself, phases staggered over the fleet.
 * One driver timer serves every bot. While measuring, the fleet records input→ack latency per
 * input (from sending `seq` to the first frame acknowledging it), bytes and update frames
 * received, server errors and verification failures, and its own event-loop lag and CPU.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createRng, type Rng, seedFromString } from "../../shared/sim/rng";
import type { BenchScenario, BotConnection, BotHandlers, Vec } from "./target";

/** Send times of the most recent inputs, per bot; older unacknowledged ones are not timed. */
const RING = 1024;
/** Sampling interval of the event-loop monitor; its samples are this interval plus the lag. */
const LAG_RESOLUTION_MS = 10;
/** How near itself a bot aims its missiles. */
const AIM_SPREAD = 200;

interface Bot {
  index: number;
  conn?: BotConnection;
  rng: Rng;
  move: Vec;
  seq: number;
  lastAck: number;
  sentAt: Float64Array;
  nextInput: number;
  nextTurn: number;
  nextCast: number;
}

export interface FleetMeasurement {
  seconds: number;
  bytes: number;
  /** Update frames in the window; undefined when the target never reports them. */
  snapshots: number | undefined;
  /** Input→ack latencies in ms, one per acknowledged input sent during the window. */
  latencies: number[];
  /** Inputs sent during the window. */
  inputs: number;
  errors: Record<string, number>;
  verifyFailures: Record<string, number>;
  lagP99Ms: number;
  lagMaxMs: number;
  cpuPercent: number;
}

export class BotFleet {
  private readonly bots: Bot[] = [];
  private driver: NodeJS.Timeout | undefined;
  private measuring = false;
  private windowStart = 0;
  private bytes = 0;
  private snapshots = 0;
  private sawSnapshot = false;
  private inputs = 0;
  private latencies: number[] = [];
  private errors: Record<string, number> = {};
  private verifyFailures: Record<string, number> = {};
  private readonly lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  private cpuStart: NodeJS.CpuUsage = process.cpuUsage();

  constructor(private readonly scenario: BenchScenario) {}

  get size(): number {
    return this.bots.filter((b) => b.conn).length;
  }

  /** Handlers for bot `index` (pass them to connectBot, then `attach` the connection). */
  handlers(index: number): BotHandlers {
    const bot: Bot = {
      index,
      rng: createRng(seedFromString(`bench:${this.scenario.seed}:${index}`)),
      move: { x: 0, y: 0 },
      seq: 0,
      lastAck: 0,
      sentAt: new Float64Array(RING),
      nextInput: 0,
      nextTurn: 0,
      nextCast: 0,
    };
    this.bots[index] = bot;
    return {
      onAck: (seq) => this.acked(bot, seq),
      onBytes: (bytes) => {
        if (this.measuring) this.bytes += bytes;
      },
      onSnapshot: () => {
        this.sawSnapshot = true;
        if (this.measuring) this.snapshots++;
      },
      onError: (code) => {
        if (this.measuring) this.errors[code] = (this.errors[code] ?? 0) + 1;
      },
      onVerifyFailure: (reason) => {
        // Counted over the whole run, not only the window: a broken frame is broken any time.
        this.verifyFailures[reason] = (this.verifyFailures[reason] ?? 0) + 1;
      },
    };
  }

  attach(index: number, conn: BotConnection): void {
    const bot = this.bots[index];
    if (bot) bot.conn = conn;
  }

  /** Starts walking, inputs and casts (call after every bot joined and the crowd was scattered). */
  start(): void {
    const { inputHz, turnEveryMs, castEveryMs } = this.scenario;
    const now = performance.now();
    const live = this.bots.filter((b) => b.conn);
    live.forEach((bot, i) => {
      const phase = i / Math.max(1, live.length);
      this.turn(bot);
      bot.nextTurn = now + turnEveryMs * (0.5 + bot.rng.next());
      bot.nextInput = now + (1000 / inputHz) * phase;
      bot.nextCast = castEveryMs > 0 ? now + castEveryMs * phase : Number.POSITIVE_INFINITY;
    });
    this.driver = setInterval(() => this.drive(live), 5);
  }

  stop(): void {
    clearInterval(this.driver);
    this.driver = undefined;
  }

  beginMeasure(): void {
    this.bytes = 0;
    this.snapshots = 0;
    this.inputs = 0;
    this.latencies = [];
    this.errors = {};
    this.lag.reset();
    this.lag.enable();
    this.cpuStart = process.cpuUsage();
    this.windowStart = performance.now();
    this.measuring = true;
  }

  endMeasure(): FleetMeasurement {
    this.measuring = false;
    this.lag.disable();
    const seconds = (performance.now() - this.windowStart) / 1000;
    const cpu = process.cpuUsage(this.cpuStart);
    return {
      seconds,
      bytes: this.bytes,
      snapshots: this.sawSnapshot ? this.snapshots : undefined,
      latencies: this.latencies,
      inputs: this.inputs,
      errors: this.errors,
      verifyFailures: { ...this.verifyFailures },
      lagP99Ms: Math.max(0, this.lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS),
      lagMaxMs: Math.max(0, this.lag.max / 1e6 - LAG_RESOLUTION_MS),
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / Math.max(0.001, seconds)) * 100),
    };
  }

  /** Closes every bot connection (bounded by the targets' own close). */
  async closeAll(): Promise<void> {
    this.stop();
    await Promise.allSettled(this.bots.map((b) => b.conn?.close()));
  }

  private drive(bots: Bot[]): void {
    const { inputHz, turnEveryMs, castEveryMs } = this.scenario;
    const inputEvery = 1000 / inputHz;
    const now = performance.now();
    for (const bot of bots) {
      const conn = bot.conn;
      if (!conn) continue;
      if (now >= bot.nextTurn) {
        this.turn(bot);
        bot.nextTurn = next(bot.nextTurn, turnEveryMs, now);
      }
      if (now >= bot.nextInput) {
        bot.seq++;
        bot.sentAt[bot.seq % RING] = now;
        if (this.measuring) this.inputs++;
        conn.sendInput(bot.seq, bot.move);
        bot.nextInput = next(bot.nextInput, inputEvery, now);
      }
      if (now >= bot.nextCast) {
        conn.castMissile(this.aim(bot, conn));
        bot.nextCast = next(bot.nextCast, castEveryMs, now);
      }
    }
  }

  private turn(bot: Bot): void {
    const angle = bot.rng.next() * 2 * Math.PI;
    bot.move = { x: Math.cos(angle), y: Math.sin(angle) };
  }

  private aim(bot: Bot, conn: BotConnection): Vec {
    const angle = bot.rng.next() * 2 * Math.PI;
    const reach = 50 + bot.rng.next() * AIM_SPREAD;
    const at = conn.position?.() ?? {
      x: bot.rng.next() * this.scenario.width,
      y: bot.rng.next() * this.scenario.height,
    };
    return { x: at.x + Math.cos(angle) * reach, y: at.y + Math.sin(angle) * reach };
  }

  private acked(bot: Bot, ack: number): void {
    if (ack <= bot.lastAck) return;
    const now = performance.now();
    const from = Math.max(bot.lastAck + 1, ack - RING + 1);
    bot.lastAck = ack;
    if (!this.measuring) return;
    for (let seq = from; seq <= Math.min(ack, bot.seq); seq++) {
      const sent = bot.sentAt[seq % RING] ?? 0;
      if (sent >= this.windowStart) this.latencies.push(now - sent);
    }
  }
}

/** The next due time after `due`: on schedule, but never a burst to catch up after a stall. */
function next(due: number, every: number, now: number): number {
  const planned = due + every;
  return planned < now ? now + every : planned;
}
