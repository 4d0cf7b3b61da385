/** Counters and histograms one zone keeps in memory and reports to its realm's directory. */
import {
  createHistogram,
  HANDOFF_BOUNDS_MS,
  observe,
  TICK_DURATION_BOUNDS_MS,
  TICK_LATENESS_BOUNDS_MS,
} from "../../shared/metrics/histogram";
import type { ZoneReport } from "../../shared/metrics/report";
import { MeasureWindow } from "../../shared/metrics/window";

export class ZoneMetrics {
  ticksTotal = 0;
  ticksSkippedTotal = 0;
  /** Catch-ups of an empty zone's gap, and the last one's size and cost. */
  catchUpsTotal = 0;
  lastCatchUp: { ticks: number; durationMs: number } | undefined;
  readonly tickDurationMs = createHistogram(TICK_DURATION_BOUNDS_MS);
  readonly tickLatenessMs = createHistogram(TICK_LATENESS_BOUNDS_MS);
  readonly handoffMs = createHistogram(HANDOFF_BOUNDS_MS);
  readonly commandsByType: Record<string, number> = {};
  readonly errorsByCode: Record<string, number> = {};
  bytesSentTotal = 0;
  /** Since the last report: the p50/p99 and bytes rates /metrics shows. */
  readonly reportWindow = new MeasureWindow(Date.now());
  /** Since the last `stats reset` on the GM console (benchmarks read this one). */
  readonly consoleWindow = new MeasureWindow(Date.now());

  recordAdvance(ticks: number, skipped: number, durationMs: number, lateMs: number): void {
    if (ticks === 0) return;
    this.ticksTotal += ticks;
    this.ticksSkippedTotal += skipped;
    // One advance may run several catch-up ticks; each is charged its share of the time.
    for (let i = 0; i < ticks; i++) {
      observe(this.tickDurationMs, durationMs / ticks);
      this.reportWindow.recordTick(durationMs / ticks);
      this.consoleWindow.recordTick(durationMs / ticks);
    }
    observe(this.tickLatenessMs, lateMs);
  }

  /** An empty zone caught up `ticks` ticks at once (host.ts, catchUp): counted, but not as tick times. */
  recordCatchUp(ticks: number, durationMs: number): void {
    this.ticksTotal += ticks;
    this.catchUpsTotal += 1;
    this.lastCatchUp = { ticks, durationMs };
  }

  /** One round of snapshots (field zones). */
  recordSnapshot(sent: { bytes: number; players: number }): void {
    this.bytesSentTotal += sent.bytes;
    this.reportWindow.recordSnapshot(sent.bytes, sent.players);
    this.consoleWindow.recordSnapshot(sent.bytes, sent.players);
  }

  countCommand(type: string): void {
    this.commandsByType[type] = (this.commandsByType[type] ?? 0) + 1;
  }

  countError(code: string): void {
    this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
  }

  /** The report for the directory; starts a new report window. */
  report(
    zoneId: string,
    players: number,
    tick: number,
    tickRateHz: number,
    now: number,
    entities: number,
    writeBack?: { pending: number; retriesTotal: number },
    transfersOwed?: number,
  ): ZoneReport {
    const recent = this.reportWindow.summary(now);
    this.reportWindow.reset(now);
    return {
      zoneId,
      players,
      tick,
      tickRateHz,
      ticksTotal: this.ticksTotal,
      ticksSkippedTotal: this.ticksSkippedTotal,
      tickDurationMs: structuredClone(this.tickDurationMs),
      tickLatenessMs: structuredClone(this.tickLatenessMs),
      handoffMs: structuredClone(this.handoffMs),
      commandsByType: { ...this.commandsByType },
      errorsByCode: { ...this.errorsByCode },
      entities,
      bytesSentTotal: this.bytesSentTotal,
      ...(writeBack ? { writeBack } : {}),
      ...(transfersOwed === undefined ? {} : { transfersOwed }),
      recent: {
        tickP50Ms: recent.tickP50Ms,
        tickP99Ms: recent.tickP99Ms,
        bytesPerPlayerPerSecond: recent.bytesPerPlayerPerSecond,
      },
      reportedAt: now,
    };
  }
}
