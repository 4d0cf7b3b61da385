/**
 * A published version of the content pack kept in an object's SQLite (docs/architecture.md,
 * "Zones", content reload): the realm directory keeps the version the gateway last published, and
 * each zone keeps the version it runs, so a zone's restart depends on nobody. One row; version 0
 * (no row) is the pack bundled with the deployment. The table is made here rather than by a
 * migration because both objects keep the same one-row shape.
 */
import type { PackFile } from "../../shared/content/edit";

export type PackStorage = { sql: Pick<SqlStorage, "exec"> };

/** A version and its files, as published. */
export interface PublishedPack {
  version: number;
  files: PackFile[];
}

export class StoredPack {
  constructor(private readonly storage: PackStorage) {
    storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS content_pack (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, files TEXT NOT NULL, saved_at INTEGER NOT NULL)",
    );
  }

  /** The version kept, 0 when none (the bundled pack). */
  version(): number {
    const [row] = this.storage.sql.exec<{ version: number }>("SELECT version FROM content_pack WHERE id = 1").toArray();
    return row?.version ?? 0;
  }

  /** The version kept with its files as stored text (parsed by the caller, which validates them), or undefined. */
  read(): { version: number; text: string } | undefined {
    const [row] = this.storage.sql
      .exec<{ version: number; files: string }>("SELECT version, files FROM content_pack WHERE id = 1")
      .toArray();
    return row && { version: row.version, text: row.files };
  }

  /** Keeps `pack` if it is newer than the version kept; returns whether it was. */
  save(pack: PublishedPack, now: number): boolean {
    if (pack.version <= this.version()) return false;
    this.storage.sql.exec(
      `INSERT INTO content_pack (id, version, files, saved_at) VALUES (1, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET version = excluded.version, files = excluded.files, saved_at = excluded.saved_at`,
      pack.version,
      JSON.stringify(pack.files),
      now,
    );
    return true;
  }
}
