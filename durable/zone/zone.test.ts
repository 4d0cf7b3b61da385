import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { zoneObjectName } from "../../shared/config";

const stubFor = (zoneId: string) => env.ZONES.getByName(zoneObjectName("local", zoneId));

describe("zone durable object", () => {
  it("knows its zone id from its name and starts at tick 0", async () => {
    await runInDurableObject(stubFor("alpha"), async (zone) => {
      expect(zone.snapshot.zoneId).toBe("alpha");
      expect(zone.snapshot.clock.tick).toBe(0);
    });
  });
});
