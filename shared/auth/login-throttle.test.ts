import { describe, expect, it } from "vitest";
import {
  addFailure,
  beginLogin,
  CLIENT_POLICY,
  type FailureCount,
  type LoginKeys,
  pruneLogins,
  settleLogin,
  USERNAME_POLICY,
  waitMs,
} from "./login-throttle";

const T0 = 1_800_000_000_000;
const fromAddress = (ip: string, username = "ada"): LoginKeys => ({ client: `addr:${ip}`, username, trusted: false });
const fromDevice = (id: string, username = "ada"): LoginKeys => ({ client: `device:${id}`, username, trusted: true });

/** One wrong password, if the throttle lets it be tried; returns the verdict. */
function guess(counts: Map<string, FailureCount>, keys: LoginKeys, now: number) {
  const verdict = beginLogin(counts, keys, now);
  if (verdict.allowed) settleLogin(counts, keys, "failed");
  return verdict;
}

/** The right password, if the throttle lets it be tried; returns the verdict. */
function signIn(counts: Map<string, FailureCount>, keys: LoginKeys, now: number) {
  const verdict = beginLogin(counts, keys, now);
  if (verdict.allowed) settleLogin(counts, keys, "succeeded");
  return verdict;
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

describe("beginLogin / settleLogin", () => {
  it("slows the guesser's own address with growing waits", () => {
    const counts = new Map<string, FailureCount>();
    const attacker = fromAddress("6.6.6.6");
    for (let i = 0; i < CLIENT_POLICY.free; i++) expect(guess(counts, attacker, T0).allowed).toBe(true);
    expect(guess(counts, attacker, T0)).toEqual({ allowed: false, retryAfterSeconds: 1, by: "client" });
    // An hour of guessing as fast as allowed buys only a dozen guesses beyond the free ones.
    let now = T0;
    let guesses = 0;
    while (now < T0 + 3_600_000) {
      const verdict = guess(counts, attacker, now);
      if (verdict.allowed) guesses++;
      else now += verdict.retryAfterSeconds * 1000;
    }
    expect(guesses).toBeLessThan(16);
  });

  it("charges an attempt when it starts, so parallel guesses cannot all slip through one opening", () => {
    const counts = new Map<string, FailureCount>();
    const attacker = fromAddress("6.6.6.6");
    // Thirty attempts arrive together: all start before any password check has finished.
    const verdicts = Array.from({ length: 30 }, () => beginLogin(counts, attacker, T0));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(CLIENT_POLICY.free);
    // Once the wait is over, again only one gets through.
    const later = Array.from({ length: 30 }, () => beginLogin(counts, attacker, T0 + 1_000));
    expect(later.filter((v) => v.allowed)).toHaveLength(1);
  });

  it("never keeps the owner out from another address while a stranger guesses at ten a minute", () => {
    const counts = new Map<string, FailureCount>();
    const stranger = fromAddress("6.6.6.6");
    const owner = fromAddress("203.0.113.10");
    for (let minute = 0; minute < 60; minute++) {
      for (let i = 0; i < 10; i++) guess(counts, stranger, T0 + minute * 60_000 + i * 6_000);
      expect(signIn(counts, owner, T0 + minute * 60_000 + 30_000).allowed, `minute ${minute}`).toBe(true);
    }
  });

  it("under a distributed attack, an owner with a device token is never slowed", () => {
    const counts = new Map<string, FailureCount>();
    // 40 addresses, 5 guesses each at once: the username-wide count for unknown clients is past free.
    for (let a = 0; a < 40; a++) for (let i = 0; i < 5; i++) guess(counts, fromAddress(`198.51.100.${a}`), T0);
    expect(beginLogin(counts, fromAddress("203.0.113.10"), T0)).toMatchObject({ allowed: false, by: "username" });
    expect(signIn(counts, fromDevice("owner-laptop"), T0)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    // …and an owner on a new device waits at most the username cap per try.
    const untrusted = beginLogin(counts, fromAddress("203.0.113.10"), T0);
    expect(untrusted.retryAfterSeconds * 1000).toBeLessThanOrEqual(USERNAME_POLICY.maxDelayMs);
  });

  it("a success clears the client's own count; a device's typos never touch the username-wide count", () => {
    const counts = new Map<string, FailureCount>();
    const owner = fromDevice("phone");
    for (let i = 0; i < CLIENT_POLICY.free; i++) guess(counts, owner, T0);
    expect(beginLogin(counts, owner, T0).allowed).toBe(false);
    expect(beginLogin(counts, fromAddress("1.1.1.1"), T0).allowed).toBe(true);
    expect(signIn(counts, owner, T0 + 1_000).allowed).toBe(true);
    expect(beginLogin(counts, owner, T0 + 1_000).allowed).toBe(true);
  });

  it("refunds an attempt that never reached a verdict (the database was down)", () => {
    const counts = new Map<string, FailureCount>();
    const owner = fromAddress("203.0.113.10");
    for (let i = 0; i < 50; i++) {
      expect(beginLogin(counts, owner, T0 + i).allowed).toBe(true);
      settleLogin(counts, owner, "aborted");
    }
    expect(counts.size).toBe(0);
  });

  it("keeps usernames apart, whatever characters they hold", () => {
    const counts = new Map<string, FailureCount>();
    const crafted: LoginKeys = { client: "addr:1.2.3.4", username: "ada:addr:1.2.3.4", trusted: false };
    for (let i = 0; i < 30; i++) guess(counts, crafted, T0);
    expect(beginLogin(counts, fromAddress("1.2.3.4", "ada"), T0).allowed).toBe(true);
    expect(beginLogin(counts, fromAddress("9.9.9.9", "ada"), T0).allowed).toBe(true);
  });

  it("without a client key (no trusted address, no device), only the username-wide count applies", () => {
    const counts = new Map<string, FailureCount>();
    const anonymous: LoginKeys = { client: undefined, username: "ada", trusted: false };
    for (let i = 0; i < USERNAME_POLICY.free; i++) expect(guess(counts, anonymous, T0).allowed).toBe(true);
    expect(beginLogin(counts, anonymous, T0)).toMatchObject({ allowed: false, by: "username" });
    expect(beginLogin(counts, fromDevice("d"), T0).allowed).toBe(true);
  });

  it("stretches the waits by the scale it is given, never the free failures", () => {
    const counts = new Map<string, FailureCount>();
    const attacker = fromAddress("6.6.6.6");
    const scale = { baseDelayMs: 60_000 };
    for (let i = 0; i < CLIENT_POLICY.free; i++) expect(beginLogin(counts, attacker, T0, scale).allowed).toBe(true);
    expect(beginLogin(counts, attacker, T0 + 59_000, scale)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect(beginLogin(counts, attacker, T0 + 60_000, scale).allowed).toBe(true);
  });
});

describe("pruneLogins", () => {
  it("forgets counts older than the longest memory and keeps the rest", () => {
    const counts = new Map<string, FailureCount>();
    guess(counts, fromAddress("1.1.1.1"), T0);
    guess(counts, fromAddress("2.2.2.2", "bob"), T0 + 10_000);
    pruneLogins(counts, T0 + CLIENT_POLICY.forgetAfterMs + 5_000);
    expect([...counts.keys()].sort()).toEqual(["login:bob:*", "login:bob:addr:2.2.2.2"]);
  });

  it("keeps at most the given number of counts, dropping the oldest", () => {
    const counts = new Map<string, FailureCount>();
    for (let i = 0; i < 50; i++) guess(counts, fromAddress(`10.0.0.${i}`, `user${i}`), T0 + i);
    pruneLogins(counts, T0 + 100, 20);
    expect(counts.size).toBe(20);
    expect(counts.has("login:user49:*")).toBe(true);
    expect(counts.has("login:user0:*")).toBe(false);
  });
});
