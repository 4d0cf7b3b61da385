/**
 * What the directory tells the admin API (docs/admin.md): each zone's load from the zone reports
 * and the admitted sessions, and which zone holds a character's live session. The directory tests
 * share the object's storage and memory, so each uses zone and character ids of its own.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createHistogram } from "../../shared/metrics/histogram";
import type { ZoneReport } from "../../shared/metrics/report";
import { admit, emptyLoad } from "./load";
import { zoneLoads } from "./zones";

const directory = () => env.DIRECTORY.getByName("local:directory");

function zoneReport(zoneId: string, over: Partial<ZoneReport> = {}): ZoneReport {
  return {
    zoneId,
    players: 2,
    tick: 120,
    tickRateHz: 10,
    ticksTotal: 120,
    ticksSkippedTotal: 0,
    tickDurationMs: createHistogram([1, 5]),
    tickLatenessMs: createHistogram([1, 5]),
    handoffMs: createHistogram([10]),
    commandsByType: {},
    errorsByCode: {},
    entities: 7,
    bytesSentTotal: 0,
    recent: { tickP50Ms: 0.4, tickP99Ms: 3.5, bytesPerPlayerPerSecond: 0 },
    reportedAt: 1_800_000_000_000,
    ...over,
  };
}

describe("zoneLoads", () => {
  it("is empty for a directory that heard of nothing", () => {
    expect(zoneLoads([], emptyLoad())).toEqual([]);
  });

  it("takes load from the reports and players from the directory's count, sorted by zone id", () => {
    let load = emptyLoad();
    load = admit(load, "whispering-woods", 10).load;
    load = admit(load, "whispering-woods", 10).load;
    load = admit(load, "start", 10).load;
    const loads = zoneLoads([zoneReport("whispering-woods", { players: 1 }), zoneReport("start")], load);
    expect(loads).toEqual([
      {
        zoneId: "start",
        players: 1,
        entities: 7,
        tick: 120,
        tickRateHz: 10,
        tickP50Ms: 0.4,
        tickP99Ms: 3.5,
        reportedAt: 1_800_000_000_000,
      },
      expect.objectContaining({ zoneId: "whispering-woods", players: 2, tickP99Ms: 3.5 }),
    ]);
  });

  it("lists a zone that admitted sessions before its first report, its report's fields null", () => {
    const load = admit(emptyLoad(), "test-area", 10).load;
    expect(zoneLoads([], load)).toEqual([
      {
        zoneId: "test-area",
        players: 1,
        entities: null,
        tick: null,
        tickRateHz: null,
        tickP50Ms: null,
        tickP99Ms: null,
        reportedAt: null,
      },
    ]);
  });
});

describe("directory RPC for the admin API", () => {
  it("lists each reporting zone with its load", async () => {
    await directory().report(zoneReport("admin-zone-a", { players: 3, entities: 11, tick: 42 }));
    const zones = await directory().zones();
    expect(zones.find((z) => z.zoneId === "admin-zone-a")).toMatchObject({
      players: 3,
      entities: 11,
      tick: 42,
      tickP99Ms: 3.5,
    });
  });

  it("knows the zone of a live session until that zone releases it; the placement stays", async () => {
    const stub = directory();
    expect(await stub.liveZoneOf("admin-char-1")).toBeNull();
    await stub.claimCharacter("admin-char-1", "start");
    expect(await stub.liveZoneOf("admin-char-1")).toBe("start");
    // Another zone's release does not end the session start holds.
    await stub.releaseCharacter("admin-char-1", "whispering-woods");
    expect(await stub.liveZoneOf("admin-char-1")).toBe("start");
    await stub.releaseCharacter("admin-char-1", "start");
    expect(await stub.liveZoneOf("admin-char-1")).toBeNull();
    expect(await stub.whereIs("admin-char-1")).toBe("start");
  });
});
