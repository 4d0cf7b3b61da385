/**
 * Where each character's record lives, in the directory's SQLite: the zone that holds it now, or
 * is about to (a zone sending a character on places it in the destination before the client
 * reconnects). The gateway asks here before Postgres, whose row may lag while a zone's write is in
 * flight. Unlike the live-session map, this survives the directory's eviction: losing it would
 * send a travelled character back to the zone it left.
 */
export type PlacementStorage = { sql: Pick<SqlStorage, "exec"> };

export class PlacementTable {
  constructor(private readonly storage: PlacementStorage) {
    storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS character_placements (character_id TEXT PRIMARY KEY, zone_id TEXT NOT NULL, placed_at INTEGER NOT NULL)",
    );
  }

  /** Records that `characterId`'s record lives in `zoneId` from now on (the latest placement wins). */
  place(characterId: string, zoneId: string, now: number): void {
    this.storage.sql.exec(
      "INSERT INTO character_placements (character_id, zone_id, placed_at) VALUES (?, ?, ?) ON CONFLICT (character_id) DO UPDATE SET zone_id = excluded.zone_id, placed_at = excluded.placed_at",
      characterId,
      zoneId,
      now,
    );
  }

  /** The zone `characterId` was last placed in, or null when the directory never heard of it. */
  whereIs(characterId: string): string | null {
    const row = this.storage.sql
      .exec<{ zone_id: string }>("SELECT zone_id FROM character_placements WHERE character_id = ?", characterId)
      .toArray()[0];
    return row?.zone_id ?? null;
  }
}
