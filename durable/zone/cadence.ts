/**
 * When a zone runs (docs/architecture.md, "The zone clock"; docs/decisions.md D4). While occupied, an in-memory timer
 * calls `tick` at each due time and a separate one-second timer calls `flush`, so storage writes
 * never share a turn with a tick's sends; the alarm stays armed a few seconds ahead as watchdog,
 * re-armed at most about once a second (each `setAlarm` is a billed write that holds back sends).
 * When the zone empties, the timers stop and the alarm is set to the next scheduled event, or
 * removed.
 */

const FLUSH_INTERVAL_MS = 1000;
export const WATCHDOG_LEAD_MS = 3000;
const WATCHDOG_REARM_BELOW_MS = 2000;
/** An empty zone's wake-up is never scheduled sooner than this (no busy alarm loop). */
const MIN_WAKE_DELAY_MS = 100;

export interface CadenceHooks {
  /** Advance the simulation to `now` (idempotent). */
  tick(now: number): void;
  /** Batched writes and reports. */
  flush(now: number): Promise<void>;
  /** When the next tick is due. */
  nextTickAt(): number;
  /** Whether to keep the fast cadence going (players attached). */
  occupied(): boolean;
}

export class ZoneCadence {
  private tickTimer: ReturnType<typeof setTimeout> | undefined;
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private alarmAt: number | null = null;

  constructor(
    private readonly storage: Pick<DurableObjectStorage, "setAlarm" | "deleteAlarm">,
    private readonly hooks: CadenceHooks,
  ) {}

  /** What the stored alarm is set to, read once when the zone loads. */
  restore(alarmAt: number | null): void {
    this.alarmAt = alarmAt;
  }

  /** The alarm just fired, so none is pending until it is set again. */
  alarmFired(): void {
    this.alarmAt = null;
  }

  /** Starts the fast cadence if it is not running (catching up first). Idempotent. */
  start(): void {
    if (!this.tickTimer) {
      this.hooks.tick(Date.now());
      this.scheduleTick();
    }
    if (!this.flushTimer) {
      this.flushTimer = setInterval(() => void this.hooks.flush(Date.now()), FLUSH_INTERVAL_MS);
      void this.keepWatch(Date.now());
    }
  }

  /** Pushes the watchdog alarm ahead, unless it is already far enough ahead. */
  async keepWatch(now: number): Promise<void> {
    if (this.alarmAt !== null && this.alarmAt - now >= WATCHDOG_REARM_BELOW_MS) return;
    this.alarmAt = now + WATCHDOG_LEAD_MS;
    await this.storage.setAlarm(this.alarmAt);
  }

  /** Stops the timers; the alarm then wakes the zone at `nextWakeAt`, or never when null. */
  async stop(nextWakeAt: number | null): Promise<void> {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.tickTimer = undefined;
    this.flushTimer = undefined;
    if (nextWakeAt === null) {
      await this.storage.deleteAlarm();
      this.alarmAt = null;
    } else {
      this.alarmAt = Math.max(nextWakeAt, Date.now() + MIN_WAKE_DELAY_MS);
      await this.storage.setAlarm(this.alarmAt);
    }
  }

  private scheduleTick(): void {
    const delay = Math.max(0, this.hooks.nextTickAt() - Date.now());
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined;
      // A tick that throws (a defect) must not stop the clock: the next is scheduled all the same.
      try {
        this.hooks.tick(Date.now());
      } finally {
        if (this.hooks.occupied()) this.scheduleTick();
      }
    }, delay);
  }
}
