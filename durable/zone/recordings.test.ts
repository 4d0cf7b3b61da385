/**
 * A zone's recordings in the runtime (docs/replay.md): recorded over real ticks of a MUD zone,
 * ended when the span is over, kept in the zone's SQLite and replayed to identical hashes; the
 * engine handed back with its unsaved changes written; a recording that passes its size bound stops
 * with its reason; one whose process is gone, or that saw no tick, is reported lost.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { zoneObjectName } from "../../shared/config";
import { MUD_KIND } from "../../shared/mud/engine";
import { RecordingEngine } from "../../shared/zone/recording";
import { parseRecording } from "../../shared/zone/recording-format";
import { replayRecording } from "../../shared/zone/recording-replay";
import { ADVANCE } from "./internal";
import { RecordingDesk } from "./recordings";

const stubFor = (zoneId: string) => env.ZONES.getByName(zoneObjectName("local", zoneId));
const rows = (state: DurableObjectState, query: string) => [...state.storage.sql.exec(query)];

describe("zone recordings", () => {
  it("record a span of real ticks, keep it in SQLite and hand the engine back; the recording replays", async () => {
    await runInDurableObject(stubFor("start"), async (zone, state) => {
      const desk = new RecordingDesk(zone.host, state.storage);
      const engine = zone.host.engine;
      const t0 = zone.host.snapshot.clock.lastTargetAt;
      expect(desk.start(2, t0)).toMatchObject({ ok: true, seconds: 2, endsAt: t0 + 2000 });
      expect(desk.start(2, t0)).toMatchObject({ ok: false, code: "recording" });
      expect(zone.host.engine).toBeInstanceOf(RecordingEngine);
      for (let i = 1; i <= 15; i++) zone[ADVANCE](t0 + i * 100);
      expect(desk.latest(t0 + 1500)).toMatchObject({ status: "running", endsAt: t0 + 2000 });
      expect(rows(state, "SELECT status FROM recordings")).toEqual([{ status: "running" }]);

      const latest = desk.latest(t0 + 2000);
      expect(zone.host.engine).toBe(engine);
      // The digests serialized the engine and so cleared its `dirty`: the desk wrote what the flush would have.
      const stored = rows(state, "SELECT state FROM engine_state WHERE kind = 'mud'")[0] as { state: string };
      expect(JSON.parse(stored.state)).toEqual(JSON.parse(JSON.stringify(engine.serialize())));
      if (latest.status !== "finished") throw new Error(`not finished: ${latest.status}`);
      expect(latest.reason).toBe("the span ended");
      const read = parseRecording(latest.json);
      if (!read.ok) throw new Error(read.error.message);
      expect(read.value.inputs.filter((i) => i.op === "fastForward" || i.op === "step").length).toBeGreaterThan(0);
      expect(replayRecording(read.value, MUD_KIND).divergence).toBeUndefined();
      expect(rows(state, "SELECT status, reason FROM recordings")).toEqual([
        { status: "finished", reason: "the span ended" },
      ]);
    });
  });

  it("stops at its size bound with the reason, and reports a recording lost with its process", async () => {
    await runInDurableObject(stubFor("whispering-woods"), async (zone, state) => {
      const desk = new RecordingDesk(zone.host, state.storage, 1_000);
      const t0 = zone.host.snapshot.clock.lastTargetAt;
      expect(desk.start(undefined, t0)).toMatchObject({ ok: true, seconds: 60 });
      for (let i = 1; i <= 3; i++) zone[ADVANCE](t0 + i * 100);
      const bounded = desk.latest(t0 + 400);
      expect(bounded).toMatchObject({ status: "finished", reason: expect.stringMatching(/size bound \(1000/) });

      expect(desk.start(1, t0 + 500)).toMatchObject({ ok: true });
      // A new process has a desk that never ran it: the row says running, memory does not.
      const after = new RecordingDesk(zone.host, state.storage).latest(t0 + 600);
      expect(after).toMatchObject({ status: "lost", reason: expect.stringMatching(/the zone restarted/) });
      expect(desk.start(400, t0)).toMatchObject({ ok: false, code: "invalid" });
    });
  });

  it("says a recording that saw no tick end holds nothing to replay", async () => {
    await runInDurableObject(stubFor("tower"), async (zone, state) => {
      const desk = new RecordingDesk(zone.host, state.storage);
      const t0 = zone.host.snapshot.clock.lastTargetAt;
      expect(desk.latest(t0)).toEqual({ status: "none" });
      desk.start(1, t0);
      expect(desk.latest(t0 + 1000)).toMatchObject({
        status: "lost",
        reason: expect.stringMatching(/before any tick/),
      });
    });
  });
});
