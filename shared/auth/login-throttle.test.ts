import { describe, expect, it } from "vitest";
import {
  addFailure,
  CLIENT_POLICY,
  checkLogin,
  type FailureCount,
  type LoginKeys,
  pruneLogins,
  recordLogin,
  USERNAME_POLICY,
  waitMs,
} from "./login-throttle";

const T0 = 1_800_000_000_000;
const fromAddress = (ip: string, username = "ada"): LoginKeys => ({ client: `addr:${ip}`, username, trusted: false });
const fromDevice = (id: string, username = "ada"): LoginKeys => ({ client: `device:${id}`, username, trusted: true });

/** Fails from `keys` as fast as the throttle allows, `n` times; returns the time after the last one. */
function failAsFastAsAllowed(counts: Map<string, FailureCount>, keys: LoginKeys, n: number, start: number): number {
  let now = start;
  for (let i = 0; i < n; i++) {
    const verdict = checkLogin(counts, keys, now);
    if (!verdict.allowed) now += verdict.retryAfterSeconds * 1000;
    expect(checkLogin(counts, keys, now).allowed).toBe(true);
    recordLogin(counts, keys, false, now);
  }
  return now;
}

describe("waitMs / addFailure", () => {
  it("allows the free failures, then doubles the wait up to the cap", () => {
    let count: FailureCount | undefined;
    for (let i = 0; i < CLIENT_POLICY.free; i++) {
      expect(waitMs(count, CLIENT_POLICY, T0)).toBe(0);
      count = addFailure(count, CLIENT_POLICY, T0);
    }
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      waits.push(waitMs(count, CLIENT_POLICY, T0));
      count = addFailure(count, CLIENT_POLICY, T0);
    }
    expect(waits.slice(0, 5)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(waits.at(-1)).toBe(CLIENT_POLICY.maxDelayMs);
  });

  it("counts the wait from the last failure and forgets a quiet count", () => {
    let count: FailureCount | undefined;
    for (let i = 0; i < CLIENT_POLICY.free + 1; i++) count = addFailure(count, CLIENT_POLICY, T0);
    expect(waitMs(count, CLIENT_POLICY, T0 + 500)).toBe(1_500);
    expect(waitMs(count, CLIENT_POLICY, T0 + 2_000)).toBe(0);
    expect(addFailure(count, CLIENT_POLICY, T0 + CLIENT_POLICY.forgetAfterMs).failures).toBe(1);
  });
});

describe("checkLogin / recordLogin", () => {
  it("slows the guesser's own address with growing waits", () => {
    const counts = new Map<string, FailureCount>();
    const attacker = fromAddress("6.6.6.6");
    for (let i = 0; i < CLIENT_POLICY.free; i++) recordLogin(counts, attacker, false, T0);
    const refused = checkLogin(counts, attacker, T0);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1, by: "client" });
    // An hour of guessing as fast as allowed buys only a dozen guesses beyond the free ones.
    let now = T0;
    let guesses = 0;
    while (now < T0 + 3_600_000) {
      const verdict = checkLogin(counts, attacker, now);
      if (verdict.allowed) {
        recordLogin(counts, attacker, false, now);
        guesses++;
      } else now += verdict.retryAfterSeconds * 1000;
    }
    expect(guesses).toBeLessThan(16);
  });

  it("never keeps the owner out from another address while a stranger guesses at ten a minute", () => {
    const counts = new Map<string, FailureCount>();
    const stranger = fromAddress("6.6.6.6");
    const owner = fromAddress("203.0.113.10");
    for (let minute = 0; minute < 60; minute++) {
      for (let i = 0; i < 10; i++) {
        const at = T0 + minute * 60_000 + i * 6_000;
        if (checkLogin(counts, stranger, at).allowed) recordLogin(counts, stranger, false, at);
      }
      expect(checkLogin(counts, owner, T0 + minute * 60_000 + 30_000).allowed, `minute ${minute}`).toBe(true);
    }
  });

  it("under a distributed attack, an owner with a device token is never slowed", () => {
    const counts = new Map<string, FailureCount>();
    let now = T0;
    // 40 addresses, 5 free guesses each: the username-wide count for untrusted clients is far past free.
    for (let a = 0; a < 40; a++) now = failAsFastAsAllowed(counts, fromAddress(`198.51.100.${a}`), 5, now);
    expect(checkLogin(counts, fromAddress("203.0.113.10"), now)).toMatchObject({ allowed: false, by: "username" });
    expect(checkLogin(counts, fromDevice("owner-laptop"), now)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    // …and an owner on a new device waits at most the username cap.
    const untrusted = checkLogin(counts, fromAddress("203.0.113.10"), now);
    expect(untrusted.retryAfterSeconds * 1000).toBeLessThanOrEqual(USERNAME_POLICY.maxDelayMs);
  });

  it("a success clears the client's own count; a device's typos never touch the username-wide count", () => {
    const counts = new Map<string, FailureCount>();
    const owner = fromDevice("phone");
    for (let i = 0; i < CLIENT_POLICY.free; i++) recordLogin(counts, owner, false, T0);
    expect(checkLogin(counts, owner, T0).allowed).toBe(false);
    expect(checkLogin(counts, fromAddress("1.1.1.1"), T0).allowed).toBe(true);
    recordLogin(counts, owner, true, T0 + 1_000);
    expect(checkLogin(counts, owner, T0 + 1_000).allowed).toBe(true);
  });

  it("keeps usernames apart, whatever characters they hold", () => {
    const counts = new Map<string, FailureCount>();
    const crafted: LoginKeys = { client: "addr:1.2.3.4", username: "ada:addr:1.2.3.4", trusted: false };
    for (let i = 0; i < 30; i++) recordLogin(counts, crafted, false, T0);
    expect(checkLogin(counts, fromAddress("1.2.3.4", "ada"), T0).allowed).toBe(true);
    expect(checkLogin(counts, fromAddress("9.9.9.9", "ada"), T0).allowed).toBe(true);
  });

  it("without a client key (no trusted address, no device), only the username-wide count applies", () => {
    const counts = new Map<string, FailureCount>();
    const anonymous: LoginKeys = { client: undefined, username: "ada", trusted: false };
    for (let i = 0; i < USERNAME_POLICY.free; i++) {
      expect(checkLogin(counts, anonymous, T0).allowed).toBe(true);
      recordLogin(counts, anonymous, false, T0);
    }
    expect(checkLogin(counts, anonymous, T0)).toMatchObject({ allowed: false, by: "username" });
    expect(checkLogin(counts, fromDevice("d"), T0).allowed).toBe(true);
  });
});

describe("pruneLogins", () => {
  it("forgets counts older than the longest memory and keeps the rest", () => {
    const counts = new Map<string, FailureCount>();
    recordLogin(counts, fromAddress("1.1.1.1"), false, T0);
    recordLogin(counts, fromAddress("2.2.2.2", "bob"), false, T0 + 10_000);
    pruneLogins(counts, T0 + CLIENT_POLICY.forgetAfterMs + 5_000);
    expect([...counts.keys()].sort()).toEqual(["login:bob:*", "login:bob:addr:2.2.2.2"]);
  });
});
