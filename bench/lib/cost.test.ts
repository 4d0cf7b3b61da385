import { describe, expect, it } from "vitest";
import { type CostInputs, monthlyCost, PRICES } from "./cost";

const base: CostInputs = {
  players: 20_000,
  playersPerZone: 20,
  commandsPerSecond: 1,
  pingSeconds: 5,
  flushSeconds: 1,
  rowsPerFlush: 2,
  reportSeconds: 2,
  sessionsPerPlayer: 60,
  storedMbPerZone: 1,
  hours: 730,
};

describe("monthlyCost", () => {
  it("bills every occupied zone's whole month at 128 MB, beyond the included GB-s", () => {
    const { lines } = monthlyCost(base);
    const duration = lines.find((l) => l.item.startsWith("Durable Object duration"));
    const gbSeconds = 1000 * 730 * 3600 * 0.125;
    expect(duration?.quantity).toBe(gbSeconds);
    expect(duration?.usd).toBeCloseTo(((gbSeconds - PRICES.doGbSecondsIncluded) / 1e6) * 12.5, 6);
  });

  it("counts incoming messages at 20 to a request, and halves the rows written when zones flush half as often", () => {
    const once = monthlyCost(base);
    const slower = monthlyCost({ ...base, flushSeconds: 2 });
    const rows = (r: ReturnType<typeof monthlyCost>) => r.lines.find((l) => l.item.startsWith("SQLite rows"));
    expect(rows(slower)?.quantity).toBe((rows(once)?.quantity as number) / 2);
    const requests = once.lines.find((l) => l.item.startsWith("Durable Object requests"))?.quantity as number;
    const messages = 20_000 * 1.2 * 730 * 3600;
    const reports = (1000 / 2) * 730 * 3600;
    expect(requests).toBeCloseTo(messages / 20 + reports + 20_000 * 60, 0);
  });

  it("charges nothing beyond the plan for a load inside the included amounts", () => {
    const tiny = monthlyCost({ ...base, players: 1, playersPerZone: 1, hours: 1, sessionsPerPlayer: 1 });
    expect(tiny.total).toBe(PRICES.platformPerMonth);
  });
});
