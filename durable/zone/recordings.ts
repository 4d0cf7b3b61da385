/**
 * A zone's input recordings (docs/replay.md): asked for by the admin API, run by swapping the
 * host's engine for one that records (shared/zone/recording.ts) for the span asked, and kept in the
 * zone's SQLite once ended — the latest one only, split in parts. A recording lives in memory while
 * it runs, so a zone that restarts loses it; its row then says so.
 */
import { loadArcaneRealms } from "../../shared/content/arcane-realms";
import { MAX_RECORDING_CHARS, RecordingEngine, recordedContent } from "../../shared/zone/recording";
import type { ZoneHost } from "./host";
import type { ZoneStorage } from "./store";

/** The span a recording runs when none is asked for, and the longest one taken (seconds). */
export const DEFAULT_RECORDING_SECONDS = 60;
export const MAX_RECORDING_SECONDS = 300;
/** Characters per stored part: well under the storage's row size even for text of 4-byte characters. */
const PART_CHARS = 256 * 1024;

/** What `start` answers. */
export type RecordingStarted =
  | { ok: true; seconds: number; startedAt: number; endsAt: number }
  | { ok: false; code: "recording" | "invalid"; reason: string };

/** The latest recording: none, one running, one lost with its process, or one ended (its JSON text). */
export type LatestRecording =
  | { status: "none" }
  | { status: "running"; startedAt: number; endsAt: number; inputs: number }
  | { status: "lost"; startedAt: number; reason: string }
  | { status: "finished"; startedAt: number; finishedAt: number; reason: string; json: string };

type Row = {
  status: string;
  seconds: number;
  started_at: number;
  ends_at: number;
  finished_at: number | null;
  reason: string | null;
};

const READ = "SELECT status, seconds, started_at, ends_at, finished_at, reason FROM recordings WHERE id = 1";
const WRITE = `INSERT INTO recordings (id, status, seconds, started_at, ends_at, finished_at, reason, chars)
  VALUES (1, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, seconds = excluded.seconds, started_at = excluded.started_at,
    ends_at = excluded.ends_at, finished_at = excluded.finished_at, reason = excluded.reason, chars = excluded.chars`;
const LOST = "the zone restarted while it recorded (a recording lives in memory until it ends); start another";

export class RecordingDesk {
  private running: { recorder: RecordingEngine; startedAt: number; endsAt: number; seconds: number } | undefined;

  constructor(
    private readonly host: ZoneHost,
    private readonly storage: ZoneStorage,
    private readonly maxChars = MAX_RECORDING_CHARS,
  ) {}

  /** Starts recording the next `seconds` (default 60, at most 300); one at a time. */
  start(seconds: number | undefined, now: number): RecordingStarted {
    const span = seconds ?? DEFAULT_RECORDING_SECONDS;
    if (!Number.isInteger(span) || span < 1 || span > MAX_RECORDING_SECONDS) {
      const reason = `seconds: ${JSON.stringify(seconds)} is not a whole number of seconds from 1 to ${MAX_RECORDING_SECONDS}`;
      return { ok: false, code: "invalid", reason };
    }
    this.poll(now);
    if (this.running) {
      const reason = `a recording runs until ${new Date(this.running.endsAt).toISOString()}; fetch it when it ends`;
      return { ok: false, code: "recording", reason };
    }
    const { host } = this;
    const pack = host.pack;
    const recorder = new RecordingEngine(host.engine, {
      zoneId: host.zoneId,
      content: pack ? recordedContent(pack, false) : recordedContent(loadArcaneRealms(), true),
      plugins: host.config.plugins,
      startedAt: now,
      present: () => host.sessions.helloed().map((s) => host.engineSession(s)),
      maxChars: this.maxChars,
    });
    const endsAt = now + span * 1000;
    this.storage.transactionSync(() => {
      this.storage.sql.exec("DELETE FROM recording_parts");
      this.storage.sql.exec(WRITE, "running", span, now, endsAt, null, null, null);
    });
    host.engine = recorder;
    this.running = { recorder, startedAt: now, endsAt, seconds: span };
    return { ok: true, seconds: span, startedAt: now, endsAt };
  }

  /**
   * Ends the running recording when its span is over, it stopped on its own (its size bound), or
   * the host no longer runs it (an instance started over): kept in SQLite, the engine handed back.
   */
  poll(now: number): void {
    const running = this.running;
    if (!running) return;
    const { recorder } = running;
    const replaced = this.host.engine !== recorder;
    if (!replaced && now < running.endsAt && recorder.stopped === undefined) return;
    this.running = undefined;
    if (!replaced) {
      this.host.engine = recorder.inner;
      // The recorder's digests serialized the engine, which clears its `dirty`: the save it hid is made now.
      if (recorder.saveOwed) this.host.saveEngineNow(now);
    }
    const reason = replaced ? "the zone replaced its engine (an instance started over)" : "the span ended";
    const recording = recorder.finish(now, reason);
    if (!recording) {
      // No tick ended while it ran (a zone asleep all along): nothing to replay.
      const why = `${recorder.stopped ?? reason} before any tick ended, so it holds nothing to replay`;
      this.storage.sql.exec(WRITE, "lost", running.seconds, running.startedAt, running.endsAt, now, why, 0);
      return;
    }
    const json = JSON.stringify(recording);
    this.storage.transactionSync(() => {
      this.storage.sql.exec("DELETE FROM recording_parts");
      for (let i = 0, part = 0; i < json.length; i += PART_CHARS, part++)
        this.storage.sql.exec(
          "INSERT INTO recording_parts (part, body) VALUES (?, ?)",
          part,
          json.slice(i, i + PART_CHARS),
        );
      const { seconds, startedAt, endsAt } = running;
      this.storage.sql.exec(WRITE, "finished", seconds, startedAt, endsAt, now, recording.ended, json.length);
    });
  }

  /** The latest recording (ending a running one whose span is over first). */
  latest(now: number): LatestRecording {
    this.poll(now);
    if (this.running) {
      const { startedAt, endsAt, recorder } = this.running;
      return { status: "running", startedAt, endsAt, inputs: recorder.inputs };
    }
    const row = this.storage.sql.exec<Row>(READ).toArray()[0];
    if (!row) return { status: "none" };
    // Running on disk but not in memory: the process that ran it is gone.
    if (row.status === "running") {
      this.storage.sql.exec(WRITE, "lost", row.seconds, row.started_at, row.ends_at, now, LOST, 0);
      return { status: "lost", startedAt: row.started_at, reason: LOST };
    }
    if (row.status === "lost") return { status: "lost", startedAt: row.started_at, reason: row.reason ?? LOST };
    const parts = this.storage.sql.exec<{ body: string }>("SELECT body FROM recording_parts ORDER BY part").toArray();
    return {
      status: "finished",
      startedAt: row.started_at,
      finishedAt: row.finished_at ?? row.ends_at,
      reason: row.reason ?? "",
      json: parts.map((p) => p.body).join(""),
    };
  }
}
