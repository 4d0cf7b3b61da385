import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, fromBase64Url, randomBytes, sha256, toBase64Url } from "./encoding";

describe("base64url", () => {
  it("round-trips random bytes of every length from 0 to 64", () => {
    for (let length = 0; length <= 64; length++) {
      for (let trial = 0; trial < 8; trial++) {
        const bytes = randomBytes(length);
        const text = toBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        // No padding: the length is exactly ceil(8n / 6).
        expect(text.length).toBe(Math.ceil((length * 8) / 6));
        expect(fromBase64Url(text)).toEqual(bytes);
        // Agrees with Node's own base64url, so other implementations can read our tokens.
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
      }
    }
  });

  it("uses - and _ where base64 uses + and /", () => {
    expect(toBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe("-_-_");
    expect(fromBase64Url("-_-_")).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
  });

  it("decodes the empty string to no bytes", () => {
    expect(fromBase64Url("")).toEqual(new Uint8Array(0));
  });

  it("rejects characters outside the base64url alphabet, including standard base64 and padding", () => {
    for (const text of ["+_-_", "-_/_", "AAAA=", "AA==", "AA AA", "AA\nAA", "ab!c", "é", "AAAA."]) {
      expect(fromBase64Url(text), text).toBeUndefined();
    }
  });

  it("rejects lengths that no byte string encodes to", () => {
    // 4n+1 characters carry 6 bits too few for a whole byte.
    expect(fromBase64Url("A")).toBeUndefined();
    expect(fromBase64Url("AAAAA")).toBeUndefined();
  });
});

describe("constantTimeEqual", () => {
  it("is true for equal contents, even in distinct arrays", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it("is false when any single byte differs, at any position", () => {
    const base = randomBytes(32);
    for (let i = 0; i < base.length; i++) {
      const other = Uint8Array.from(base);
      other[i] = (other[i] as number) ^ 0x01;
      expect(constantTimeEqual(base, other)).toBe(false);
    }
  });

  it("is false for different lengths, including a prefix", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array([0]))).toBe(false);
  });
});

describe("sha256", () => {
  it('hashes "abc" to the standard test vector, base64url-encoded', async () => {
    // FIPS 180-2 vector: ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
    expect(await sha256("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  });

  it("hashes the empty string and UTF-8 text like Node's crypto does", async () => {
    for (const text of ["", "refresh-token", "héllo wörld ⚔"]) {
      expect(await sha256(text)).toBe(createHash("sha256").update(text, "utf8").digest("base64url"));
    }
  });
});

describe("randomBytes", () => {
  it("returns the requested length and does not repeat", () => {
    const a = randomBytes(16);
    const b = randomBytes(16);
    expect(a).toHaveLength(16);
    expect(constantTimeEqual(a, b)).toBe(false);
  });
});
