import { describe, expect, it } from "vitest";
import type { Sample } from "./result";
import { judgeSoak, slope } from "./soak";

const LIMITS = { rssMbPerHour: 64, fdsPerHour: 100, queuedPerHour: 10 };

function samples(seconds: number, at: (t: number) => Partial<Sample>): Sample[] {
  return Array.from({ length: seconds }, (_, i) => ({
    t: i + 1,
    players: 100,
    target: 100,
    rttP99Ms: 10,
    tickP99Ms: 5,
    sentPerSecond: 100,
    receivedPerSecond: 500,
    ...at(i + 1),
  }));
}

describe("soak verdict", () => {
  it("fits a least-squares slope, and needs three points", () => {
    expect(
      slope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ]),
    ).toBe(2);
    expect(
      slope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
      ]),
    ).toBeNull();
    expect(
      slope([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
        { x: 1, y: 3 },
      ]),
    ).toBeNull();
  });

  it("passes flat memory with noise, descriptors and queues that come and go", () => {
    const run = samples(600, (t) => ({
      rssBytes: 200 * 2 ** 20 + ((t * 7919) % 13) * 2 ** 20,
      openFds: 150 + (t % 5),
      queued: t % 3,
    }));
    const verdict = judgeSoak(run, 60, 540, LIMITS);
    expect(verdict.passed).toBe(true);
    expect(verdict.fromSecond).toBe(108);
    expect(Math.abs(verdict.rssMbPerHour ?? Infinity)).toBeLessThan(64);
  });

  it("fails memory that keeps growing, naming how fast", () => {
    // 1 MB a minute: 60 MB/h, just under; 2 MB a minute: 120 MB/h, over.
    const slow = judgeSoak(
      samples(600, (t) => ({ rssBytes: 2 ** 20 * (200 + t / 60) })),
      0,
      600,
      LIMITS,
    );
    expect(slow.passed).toBe(true);
    const leak = judgeSoak(
      samples(600, (t) => ({ rssBytes: 2 ** 20 * (200 + t / 30) })),
      0,
      600,
      LIMITS,
    );
    expect(leak.passed).toBe(false);
    expect(leak.rssMbPerHour).toBe(120);
    expect(leak.failures).toEqual(["memory grows 120 MB/h (limit 64)"]);
  });

  it("fails descriptors or a queue that keep growing, and only looks at the steady part", () => {
    const run = samples(600, (t) => ({ openFds: 100 + t, queued: t > 300 ? t - 300 : 0 }));
    const verdict = judgeSoak(run, 0, 600, LIMITS);
    expect(verdict.failures).toHaveLength(2);
    expect(verdict.fdsPerHour).toBe(3600);
    // The same growth during the ramp, before `steadyFrom`, is not judged.
    const rampOnly = samples(600, (t) => ({ openFds: t < 100 ? t : 100 }));
    expect(judgeSoak(rampOnly, 100, 600, LIMITS).passed).toBe(true);
  });
});
