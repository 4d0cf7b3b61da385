/** What a zone tells the directory about itself; the gateway renders it at /metrics. */
import type { Histogram } from "./histogram";

export interface ZoneReport {
  zoneId: string;
  /** Sockets currently attached to the zone. */
  players: number;
  tick: number;
  tickRateHz: number;
  ticksTotal: number;
  ticksSkippedTotal: number;
  tickDurationMs: Histogram;
  tickLatenessMs: Histogram;
  /** Characters handed over to this zone: from taking them over to their session's welcome here. */
  handoffMs: Histogram;
  commandsByType: Record<string, number>;
  errorsByCode: Record<string, number>;
  /** Entities the zone simulates (field zones: players, enemies, missiles; others: sessions). */
  entities: number;
  /** Snapshot bytes sent since the zone started. */
  bytesSentTotal: number;
  /** Character writes queued for Postgres now, and those retried since the zone started. */
  writeBack?: { pending: number; retriesTotal: number };
  /** Travellers taken out of the zone and not yet accepted by the zone they go to. */
  transfersOwed?: number;
  /** Since the zone's previous report (about 2 s). */
  recent: { tickP50Ms: number; tickP99Ms: number; bytesPerPlayerPerSecond: number };
  /** Epoch ms when the zone sent this report. */
  reportedAt: number;
}

/** The directory's view of the realm, as returned to the gateway. */
export interface RealmMetrics {
  realm: string;
  connectionCap: number;
  connectionsRefusedTotal: number;
  zones: ZoneReport[];
}
