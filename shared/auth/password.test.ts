import { afterEach, describe, expect, it, vi } from "vitest";
import { fromBase64Url, toBase64Url, utf8 } from "./encoding";
import { DUMMY_PASSWORD_HASH, hashPassword, PBKDF2_ITERATIONS, verifyPassword } from "./password";

/** Most tests use a low cost so the suite stays fast; one test below runs the default cost. */
const FAST = 1_000;

/** Splits a stored hash into its four fields, decoding salt and hash. */
function parse(stored: string) {
  const [scheme, iterations, salt, hash, ...rest] = stored.split("$");
  return { scheme, iterations, salt: fromBase64Url(salt ?? "!"), hash: fromBase64Url(hash ?? "!"), rest };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("hashPassword", () => {
  it("stores pbkdf2-sha256$<iterations>$<salt>$<hash> with a 16-byte salt and a 32-byte hash", async () => {
    const stored = await hashPassword("correct horse", FAST);
    expect(stored).toMatch(/^pbkdf2-sha256\$1000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const { scheme, iterations, salt, hash, rest } = parse(stored);
    expect(scheme).toBe("pbkdf2-sha256");
    expect(iterations).toBe("1000");
    expect(salt).toHaveLength(16);
    expect(hash).toHaveLength(32);
    expect(rest).toEqual([]);
  });

  it("uses at least 100,000 iterations by default, and verifies at that cost", async () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(100_000);
    const stored = await hashPassword("default cost");
    expect(Number(parse(stored).iterations)).toBe(PBKDF2_ITERATIONS);
    expect(await verifyPassword("default cost", stored)).toBe(true);
    expect(await verifyPassword("default cost!", stored)).toBe(false);
  });

  it("salts each hash differently, so equal passwords give different hashes", async () => {
    const hashes = await Promise.all(Array.from({ length: 5 }, () => hashPassword("same password", FAST)));
    expect(new Set(hashes.map((h) => h.split("$")[2])).size).toBe(5);
    expect(new Set(hashes).size).toBe(5);
    for (const stored of hashes) expect(await verifyPassword("same password", stored)).toBe(true);
  });

  it("never contains the plaintext, raw or base64url-encoded", async () => {
    const password = "hunter2-Plaintext-Canary";
    const stored = await hashPassword(password, FAST);
    expect(stored).not.toContain(password);
    expect(stored.toLowerCase()).not.toContain(password.toLowerCase());
    expect(stored).not.toContain(toBase64Url(utf8.encode(password)));
  });

  it("matches an independent PBKDF2-SHA256 computation over the stored salt", async () => {
    const { pbkdf2Sync } = await import("node:crypto");
    const stored = await hashPassword("interop", FAST);
    const { salt, hash } = parse(stored);
    const expected = pbkdf2Sync("interop", salt as Uint8Array, FAST, 32, "sha256");
    expect(Buffer.from(hash as Uint8Array).equals(expected)).toBe(true);
  });
});

describe("verifyPassword", () => {
  it("accepts the right password and refuses near misses", async () => {
    const stored = await hashPassword("Tr0ub4dor&3", FAST);
    expect(await verifyPassword("Tr0ub4dor&3", stored)).toBe(true);
    for (const attempt of ["tr0ub4dor&3", "Tr0ub4dor&", "Tr0ub4dor&3 ", "", "password"]) {
      expect(await verifyPassword(attempt, stored), attempt).toBe(false);
    }
  });

  it("handles non-ASCII passwords as UTF-8", async () => {
    const stored = await hashPassword("pässwörd 🔑", FAST);
    expect(await verifyPassword("pässwörd 🔑", stored)).toBe(true);
    expect(await verifyPassword("passwort 🔑", stored)).toBe(false);
  });

  it("uses the iteration count stored with the hash, not the current default", async () => {
    const stored = await hashPassword("old cost", 2_000);
    expect(await verifyPassword("old cost", stored)).toBe(true);
    // Same salt and hash claimed under another cost: the derived key differs, so it fails.
    expect(await verifyPassword("old cost", stored.replace("$2000$", "$2001$"))).toBe(false);
  });

  it("returns false, without throwing, for malformed stored strings", async () => {
    const good = await hashPassword("pw", FAST);
    const [, , salt, hash] = good.split("$") as [string, string, string, string];
    const malformed = [
      "",
      "not a hash",
      `bcrypt$${FAST}$${salt}$${hash}`, // wrong scheme
      `PBKDF2-SHA256$${FAST}$${salt}$${hash}`, // scheme is case-sensitive
      `pbkdf2-sha512$${FAST}$${salt}$${hash}`,
      `pbkdf2-sha256$abc$${salt}$${hash}`, // non-numeric iterations
      `pbkdf2-sha256$$${salt}$${hash}`, // empty iterations
      `pbkdf2-sha256$0$${salt}$${hash}`, // zero iterations
      `pbkdf2-sha256$-5$${salt}$${hash}`, // negative iterations
      `pbkdf2-sha256$1000.5$${salt}$${hash}`, // fractional iterations
      `pbkdf2-sha256$${FAST}$${salt}!$${hash}`, // bad base64url salt
      `pbkdf2-sha256$${FAST}$${salt}$${hash.replace(/^./, "+")}`, // standard base64, not base64url
      `pbkdf2-sha256$${FAST}$${salt}$A`, // impossible base64 length
      `pbkdf2-sha256$${FAST}$${salt}`, // hash missing
      `pbkdf2-sha256$${FAST}`,
      `pbkdf2-sha256$${FAST}$${salt}$${hash.slice(0, -4)}`, // truncated hash
    ];
    for (const stored of malformed) {
      await expect(verifyPassword("pw", stored), stored).resolves.toBe(false);
    }
  });
});

describe("DUMMY_PASSWORD_HASH", () => {
  it("is well-formed at the full default cost, so an unknown user costs as much as a wrong password", async () => {
    const { scheme, iterations, salt, hash, rest } = parse(DUMMY_PASSWORD_HASH);
    expect(scheme).toBe("pbkdf2-sha256");
    expect(Number(iterations)).toBe(PBKDF2_ITERATIONS);
    expect(salt).toHaveLength(16);
    expect(hash).toHaveLength(32);
    expect(rest).toEqual([]);

    // Timing is not asserted (tests check correctness); instead prove the full PBKDF2 runs.
    const deriveBits = vi.spyOn(crypto.subtle, "deriveBits");
    expect(await verifyPassword("some guess", DUMMY_PASSWORD_HASH)).toBe(false);
    expect(deriveBits).toHaveBeenCalledTimes(1);
    expect(deriveBits.mock.calls[0]?.[0]).toMatchObject({
      name: "PBKDF2",
      hash: "SHA-256",
      iterations: PBKDF2_ITERATIONS,
    });
  });

  it("never verifies any password tried", async () => {
    for (const attempt of ["", "password", "AAAAAAAAAAAAAAAAAAAAAA", "\u0000", "admin"]) {
      expect(await verifyPassword(attempt, DUMMY_PASSWORD_HASH), JSON.stringify(attempt)).toBe(false);
    }
  });
});
