/**
 * The directory's view of each zone's load, for the admin API (docs/admin.md): the players it
 * counts per zone (admitted sessions, corrected by each report) beside the rest of the zone's last
 * report. Pure, so the shape is tested without workerd.
 */
import type { ZoneReport } from "../../shared/metrics/report";
import type { RealmLoad } from "./load";

/** One zone as `GET /admin/zones` shows it; the report's fields are null until the zone reported once. */
export interface ZoneLoad {
  zoneId: string;
  /** Sessions attached now, as the directory counts them (the same number /metrics shows). */
  players: number;
  /** Entities the zone simulates (field zones: players, enemies, missiles; others: sessions). */
  entities: number | null;
  tick: number | null;
  tickRateHz: number | null;
  /** Tick duration percentiles over the interval before the zone's last report (about 2 s). */
  tickP50Ms: number | null;
  tickP99Ms: number | null;
  /** Epoch ms of the zone's last report: a zone that sleeps stops reporting, so its numbers age. */
  reportedAt: number | null;
}

/** Every zone the directory heard of, by report or by an admitted session, sorted by zone id. */
export function zoneLoads(reports: Iterable<ZoneReport>, load: RealmLoad): ZoneLoad[] {
  const byZone = new Map<string, ZoneLoad>();
  for (const zoneId of Object.keys(load.playersByZone)) byZone.set(zoneId, unreported(zoneId, load));
  for (const r of reports) {
    byZone.set(r.zoneId, {
      zoneId: r.zoneId,
      players: load.playersByZone[r.zoneId] ?? 0,
      entities: r.entities,
      tick: r.tick,
      tickRateHz: r.tickRateHz,
      tickP50Ms: r.recent.tickP50Ms,
      tickP99Ms: r.recent.tickP99Ms,
      reportedAt: r.reportedAt,
    });
  }
  return [...byZone.values()].sort((a, b) => (a.zoneId < b.zoneId ? -1 : a.zoneId > b.zoneId ? 1 : 0));
}

const unreported = (zoneId: string, load: RealmLoad): ZoneLoad => ({
  zoneId,
  players: load.playersByZone[zoneId] ?? 0,
  entities: null,
  tick: null,
  tickRateHz: null,
  tickP50Ms: null,
  tickP99Ms: null,
  reportedAt: null,
});
