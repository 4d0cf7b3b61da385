/** Counters and histograms one zone keeps in memory and reports to its realm's directory. */
import {
  createHistogram,
  observe,
  TICK_DURATION_BOUNDS_MS,
  TICK_LATENESS_BOUNDS_MS,
} from "../../shared/metrics/histogram";
import type { ZoneReport } from "../../shared/metrics/report";

export class ZoneMetrics {
  ticksTotal = 0;
  ticksSkippedTotal = 0;
  readonly tickDurationMs = createHistogram(TICK_DURATION_BOUNDS_MS);
  readonly tickLatenessMs = createHistogram(TICK_LATENESS_BOUNDS_MS);
  readonly commandsByType: Record<string, number> = {};
  readonly errorsByCode: Record<string, number> = {};

  recordAdvance(ticks: number, skipped: number, durationMs: number, lateMs: number): void {
    if (ticks === 0) return;
    this.ticksTotal += ticks;
    this.ticksSkippedTotal += skipped;
    // One advance may run several catch-up ticks; each is charged its share of the time.
    for (let i = 0; i < ticks; i++) observe(this.tickDurationMs, durationMs / ticks);
    observe(this.tickLatenessMs, lateMs);
  }

  countCommand(type: string): void {
    this.commandsByType[type] = (this.commandsByType[type] ?? 0) + 1;
  }

  countError(code: string): void {
    this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + 1;
  }

  report(zoneId: string, players: number, tick: number, tickRateHz: number, now: number): ZoneReport {
    return {
      zoneId,
      players,
      tick,
      tickRateHz,
      ticksTotal: this.ticksTotal,
      ticksSkippedTotal: this.ticksSkippedTotal,
      tickDurationMs: structuredClone(this.tickDurationMs),
      tickLatenessMs: structuredClone(this.tickLatenessMs),
      commandsByType: { ...this.commandsByType },
      errorsByCode: { ...this.errorsByCode },
      reportedAt: now,
    };
  }
}
