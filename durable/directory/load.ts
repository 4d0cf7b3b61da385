/** Pure bookkeeping of sessions per zone against the realm's connection cap. */

export interface RealmLoad {
  playersByZone: Record<string, number>;
  refusedTotal: number;
}

export type Admission = { ok: true } | { ok: false; reason: string };

export const emptyLoad = (): RealmLoad => ({ playersByZone: {}, refusedTotal: 0 });

export const totalPlayers = (load: RealmLoad) => Object.values(load.playersByZone).reduce((a, b) => a + b, 0);

export function admit(load: RealmLoad, zoneId: string, cap: number): { load: RealmLoad; admission: Admission } {
  if (totalPlayers(load) >= cap) {
    return {
      load: { ...load, refusedTotal: load.refusedTotal + 1 },
      admission: { ok: false, reason: `the realm is full (${cap} players); try again in a few seconds` },
    };
  }
  const playersByZone = { ...load.playersByZone, [zoneId]: (load.playersByZone[zoneId] ?? 0) + 1 };
  return { load: { ...load, playersByZone }, admission: { ok: true } };
}

export function release(load: RealmLoad, zoneId: string): RealmLoad {
  const playersByZone = { ...load.playersByZone, [zoneId]: Math.max(0, (load.playersByZone[zoneId] ?? 0) - 1) };
  return { ...load, playersByZone };
}

export function report(load: RealmLoad, zoneId: string, players: number): RealmLoad {
  return { ...load, playersByZone: { ...load.playersByZone, [zoneId]: Math.max(0, players) } };
}
