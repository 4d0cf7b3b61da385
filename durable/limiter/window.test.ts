import { describe, expect, it } from "vitest";
import { hit, prune, type WindowCount } from "./window";

const WINDOW = 60_000;
const T0 = 1_800_000_000_000;

describe("hit", () => {
  it("allows up to the limit in a window, then refuses with a retry-after inside the window", () => {
    const windows = new Map<string, WindowCount>();
    const keys = [{ key: "ip:1.2.3.4", limit: 3 }];
    for (let i = 0; i < 3; i++) {
      expect(hit(windows, keys, WINDOW, T0 + i * 1_000)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    }
    const refused = hit(windows, keys, WINDOW, T0 + 10_000);
    expect(refused.allowed).toBe(false);
    // The window opened at T0, so it resets 50 s after the refusal.
    expect(refused.retryAfterSeconds).toBe(50);
    expect(windows.get("ip:1.2.3.4")).toEqual({ windowStart: T0, count: 3 });
  });

  it("keeps retry-after between 1 second and the window length at every point of a full window", () => {
    const windows = new Map<string, WindowCount>();
    const keys = [{ key: "k", limit: 1 }];
    expect(hit(windows, keys, WINDOW, T0).allowed).toBe(true);
    for (const offset of [0, 1, 999, 1_000, 30_000, 58_999, 59_000, 59_001, 59_999]) {
      const result = hit(windows, keys, WINDOW, T0 + offset);
      expect(result.allowed, `offset ${offset}`).toBe(false);
      expect(result.retryAfterSeconds, `offset ${offset}`).toBeGreaterThanOrEqual(1);
      expect(result.retryAfterSeconds, `offset ${offset}`).toBeLessThanOrEqual(WINDOW / 1_000);
      // Rounded up, so a client that waits exactly that long finds the window reset.
      expect(T0 + offset + result.retryAfterSeconds * 1_000).toBeGreaterThanOrEqual(T0 + WINDOW);
    }
    expect(hit(windows, keys, WINDOW, T0).retryAfterSeconds).toBe(60);
    expect(hit(windows, keys, WINDOW, T0 + 59_999).retryAfterSeconds).toBe(1);
  });

  it("starts a new window once windowMs has passed since the window opened", () => {
    const windows = new Map<string, WindowCount>();
    const keys = [{ key: "k", limit: 2 }];
    hit(windows, keys, WINDOW, T0);
    hit(windows, keys, WINDOW, T0 + 5_000);
    expect(hit(windows, keys, WINDOW, T0 + WINDOW - 1).allowed).toBe(false);
    expect(hit(windows, keys, WINDOW, T0 + WINDOW)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(windows.get("k")).toEqual({ windowStart: T0 + WINDOW, count: 1 });
    // The new window is full again after `limit` requests and resets a window later.
    expect(hit(windows, keys, WINDOW, T0 + WINDOW + 1).allowed).toBe(true);
    expect(hit(windows, keys, WINDOW, T0 + WINDOW + 2)).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it("does not extend the window with refused requests", () => {
    const windows = new Map<string, WindowCount>();
    const keys = [{ key: "k", limit: 1 }];
    hit(windows, keys, WINDOW, T0);
    for (let t = T0 + 1_000; t < T0 + WINDOW; t += 1_000) expect(hit(windows, keys, WINDOW, t).allowed).toBe(false);
    expect(hit(windows, keys, WINDOW, T0 + WINDOW).allowed).toBe(true);
  });

  it("counts each key separately", () => {
    const windows = new Map<string, WindowCount>();
    expect(hit(windows, [{ key: "a", limit: 1 }], WINDOW, T0).allowed).toBe(true);
    expect(hit(windows, [{ key: "a", limit: 1 }], WINDOW, T0).allowed).toBe(false);
    expect(hit(windows, [{ key: "b", limit: 1 }], WINDOW, T0).allowed).toBe(true);
  });

  it("charges every key or none: a refusal by one key leaves the others uncharged", () => {
    const windows = new Map<string, WindowCount>();
    const keys = [
      { key: "ip:9.9.9.9", limit: 10 },
      { key: "account:ada", limit: 2 },
    ];
    expect(hit(windows, keys, WINDOW, T0).allowed).toBe(true);
    expect(hit(windows, keys, WINDOW, T0 + 1).allowed).toBe(true);
    for (let i = 0; i < 5; i++) expect(hit(windows, keys, WINDOW, T0 + 2 + i).allowed).toBe(false);
    expect(windows.get("ip:9.9.9.9")).toEqual({ windowStart: T0, count: 2 });
    expect(windows.get("account:ada")).toEqual({ windowStart: T0, count: 2 });

    // A key seen for the first time in a refused request is not even created.
    const withNew = [...keys, { key: "route:login", limit: 100 }];
    expect(hit(windows, withNew, WINDOW, T0 + 10).allowed).toBe(false);
    expect(windows.has("route:login")).toBe(false);

    // The IP still has its full remaining budget for other accounts.
    for (let i = 0; i < 8; i++) {
      expect(hit(windows, [{ key: "ip:9.9.9.9", limit: 10 }], WINDOW, T0 + 20 + i).allowed).toBe(true);
    }
    expect(hit(windows, [{ key: "ip:9.9.9.9", limit: 10 }], WINDOW, T0 + 30).allowed).toBe(false);
  });

  it("reports the latest reset when several keys refuse", () => {
    const windows = new Map<string, WindowCount>();
    hit(windows, [{ key: "early", limit: 1 }], WINDOW, T0);
    hit(windows, [{ key: "late", limit: 1 }], WINDOW, T0 + 40_000);
    const both = [
      { key: "early", limit: 1 },
      { key: "late", limit: 1 },
    ];
    // early resets at T0+60 s, late at T0+100 s: retrying before 100 s would be refused again.
    expect(hit(windows, both, WINDOW, T0 + 50_000)).toEqual({ allowed: false, retryAfterSeconds: 50 });
  });

  it("refuses everything for a zero limit", () => {
    const windows = new Map<string, WindowCount>();
    expect(hit(windows, [{ key: "banned", limit: 0 }], WINDOW, T0)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(windows.size).toBe(0);
  });
});

describe("prune", () => {
  it("removes windows that ended and keeps those still running", () => {
    const windows = new Map<string, WindowCount>([
      ["ended-long-ago", { windowStart: T0 - 10 * WINDOW, count: 5 }],
      ["ended-just-now", { windowStart: T0 - WINDOW, count: 1 }],
      ["ends-in-1ms", { windowStart: T0 - WINDOW + 1, count: 3 }],
      ["fresh", { windowStart: T0, count: 1 }],
    ]);
    prune(windows, WINDOW, T0);
    expect([...windows.keys()].sort()).toEqual(["ends-in-1ms", "fresh"]);
    expect(windows.get("ends-in-1ms")).toEqual({ windowStart: T0 - WINDOW + 1, count: 3 });
  });

  it("agrees with hit: a pruned key starts afresh, a kept key keeps its count", () => {
    const windows = new Map<string, WindowCount>();
    const keys = [{ key: "k", limit: 1 }];
    hit(windows, keys, WINDOW, T0);
    prune(windows, WINDOW, T0 + WINDOW - 1);
    expect(hit(windows, keys, WINDOW, T0 + WINDOW - 1).allowed).toBe(false);
    prune(windows, WINDOW, T0 + WINDOW);
    expect(windows.size).toBe(0);
    expect(hit(windows, keys, WINDOW, T0 + WINDOW).allowed).toBe(true);
  });

  it("empties a map whose windows all ended", () => {
    const windows = new Map<string, WindowCount>();
    for (let i = 0; i < 100; i++) hit(windows, [{ key: `ip:${i}`, limit: 5 }], WINDOW, T0 + i);
    prune(windows, WINDOW, T0 + 99 + WINDOW);
    expect(windows.size).toBe(0);
  });
});
