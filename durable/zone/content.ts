/**
 * The content pack a zone runs (docs/architecture.md, "Zones", content reload): the version it
 * last took is kept in its own SQLite, so a restart runs it without asking anyone; the directory
 * tells running zones of a new version (`reloadContent` RPC), and a zone that loads, or hears from
 * a report's answer that the directory has a newer one, asks for it. Taking a version keeps it
 * and lets the engine fit its state to it (`ZoneEngine.reloadContent`); kinds without that method
 * run it from their next start.
 */
import type { PackFile } from "../../shared/content/edit";
import type { ContentPack } from "../../shared/content/pack";
import { formatContentErrors, validateContentPack } from "../../shared/content/schema";
import type { Logger } from "../../shared/log";
import { realmWith } from "../../shared/plugins/installed";
import { err, ok, type Result } from "../../shared/result";
import { type PackStorage, type PublishedPack, StoredPack } from "../directory/content";
import type { ZoneHost } from "./host";

/** What the directory answers a zone asking for a version newer than `have`. */
export type ContentSince = { version: number; files?: PackFile[] };

/** What a zone answers the directory's `reloadContent`. */
export type ReloadAnswer = { ok: true; version: number } | { ok: false; reason: string };

// One pack per isolate, shared by its zones: each would otherwise validate the same files again.
let last: { text: string; plugins: string; pack: ContentPack } | undefined;

/**
 * The files of a published version, validated whole, or why they cannot run. Triggers may name the
 * conditions and actions of the realm's enabled `plugins` (docs/plugins.md), as the builder API
 * validated them.
 */
export function readPack(text: string, plugins: readonly string[] = []): Result<ContentPack, string> {
  const key = plugins.join(",");
  if (last?.text === text && last.plugins === key) return ok(last.pack);
  let files: unknown;
  try {
    files = JSON.parse(text);
  } catch {
    return err("the stored content pack is not JSON");
  }
  if (!Array.isArray(files)) return err("the stored content pack is not a list of files");
  const result = validateContentPack(files as PackFile[], { triggers: realmWith(plugins).triggers });
  if (!result.ok) return err(formatContentErrors(result.error));
  last = { text, plugins: key, pack: result.value };
  return ok(result.value);
}

export class ZoneContentDesk {
  readonly stored: StoredPack;

  constructor(
    storage: PackStorage,
    private readonly host: ZoneHost,
    private readonly log: Logger,
    private readonly since: (have: number) => Promise<ContentSince>,
  ) {
    this.stored = new StoredPack(storage);
  }

  /** The pack kept, for the engine to open with; undefined runs the bundled pack (version 0). */
  loadStored(): ContentPack | undefined {
    const kept = this.stored.read();
    if (!kept) return undefined;
    const read = readPack(kept.text, this.host.config.plugins);
    if (read.ok) return read.value;
    // A later deployment's schema may refuse what an earlier one accepted: run the bundled pack, say why.
    this.log.log("error", "zone.content_unreadable", { version: kept.version, cause: read.error });
    return undefined;
  }

  /** Takes a published version newer than the one kept: kept, then run (older or equal ones change nothing). */
  take(published: PublishedPack): ReloadAnswer {
    const have = this.stored.version();
    if (published.version <= have) return { ok: true, version: have };
    const text = JSON.stringify(published.files);
    const read = readPack(text, this.host.config.plugins);
    if (!read.ok) {
      this.log.log("error", "zone.content_refused", { version: published.version, cause: read.error });
      return { ok: false, reason: `version ${published.version} does not validate: ${read.error}` };
    }
    const { host } = this;
    // Kept and applied in one synchronous turn, so the version and the world fitted to it are written together.
    this.stored.save(published, Date.now());
    host.pack = read.value;
    const outcome = host.engine.reloadContent?.(read.value);
    if (outcome) {
      host.apply(outcome);
      host.saveEngineNow(Date.now());
    }
    this.log.log("info", "zone.content_reloaded", { zone: host.zoneId, version: published.version });
    return { ok: true, version: published.version };
  }

  /** Asks the directory for a newer version and takes it; a directory that does not answer changes nothing. */
  async catchUp(): Promise<void> {
    try {
      const answer = await this.since(this.stored.version());
      if (answer.files) this.take({ version: answer.version, files: answer.files });
    } catch (cause) {
      this.log.log("warn", "zone.content_check_failed", { zone: this.host.zoneId, cause: String(cause) });
    }
  }
}
