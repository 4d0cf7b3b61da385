/**
 * Splitting a crowded zone into instances (docs/architecture.md, "Parties and instances"): a traveller into a
 * zone that already holds the realm's ZONE_INSTANCE_CAP players goes to the first instance of it
 * with room (`zone~2`, `zone~3`, …), a new one when every instance is full. Counts are the sessions
 * the directory admitted plus travellers routed there in the last few seconds who have not
 * connected yet, so a crowd arriving at once spreads out instead of piling into one instance.
 */
import { instanceOf } from "../../shared/config";

/** How long a routed traveller counts toward its instance before its session is admitted. */
export const ROUTED_COUNTS_MS = 15_000;

export class InstanceRouter {
  /** Travellers routed to each zone id, by when they were routed. */
  private readonly routed = new Map<string, number[]>();

  /**
   * Where a traveller into `zoneId` goes. `playersIn` gives the sessions a zone holds now. An
   * instance id, or a cap of 0, is taken as asked.
   */
  route(zoneId: string, cap: number, playersIn: (zoneId: string) => number, now: number): string {
    if (cap <= 0 || zoneId.includes("~")) return zoneId;
    for (let n = 1; ; n++) {
      const id = n === 1 ? zoneId : instanceOf(zoneId, String(n));
      const recent = (this.routed.get(id) ?? []).filter((at) => at > now - ROUTED_COUNTS_MS);
      if (playersIn(id) + recent.length < cap) {
        this.routed.set(id, [...recent, now]);
        return id;
      }
      this.routed.set(id, recent);
    }
  }

  /** A session was admitted to `zoneId`: one routed traveller there has arrived. */
  arrived(zoneId: string): void {
    const recent = this.routed.get(zoneId);
    if (recent?.length) recent.shift();
  }
}
