import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { NonceWindow, SIGNATURE_MAX_AGE_MS, type SignedRequest, signNodeRequest, verifyNodeRequest } from "./signature";

const NOW = 1_800_000_000_000;
const CURRENT = `${"c".repeat(32)}-current-node-secret`;
const PREVIOUS = `${"p".repeat(32)}-previous-node-secret`;
const STRANGER = `${"s".repeat(32)}-some-other-realm-secret`;

const request = (r: Partial<SignedRequest> = {}): SignedRequest => ({
  node: "node-a",
  method: "POST",
  path: "/_node/rpc?zone=start",
  body: '{"op":"ping"}',
  bound: "character-1",
  ...r,
});

describe("signNodeRequest / verifyNodeRequest", () => {
  it("accepts a signature made with the current secret", async () => {
    const header = await signNodeRequest(CURRENT, request(), NOW, "nonce-0001");
    expect(header).toMatch(/^v1 t=\d+,n=nonce-0001,s=[0-9a-f]{64}$/);
    expect(await verifyNodeRequest([CURRENT, PREVIOUS], header, request(), NOW, new NonceWindow())).toEqual({
      ok: true,
    });
  });

  it("treats the method case-insensitively, as the canonical text upper-cases it", async () => {
    const header = await signNodeRequest(CURRENT, request({ method: "post" }), NOW, "nonce-case");
    expect(await verifyNodeRequest([CURRENT], header, request(), NOW, new NonceWindow())).toEqual({ ok: true });
  });

  it("accepts the previous secret during a rotation and refuses any other", async () => {
    const secrets = ["new".padEnd(32, "-"), "old".padEnd(32, "-")];
    const old = await signNodeRequest(secrets[1] as string, request(), NOW, "nonce-old");
    expect(await verifyNodeRequest(secrets, old, request(), NOW, new NonceWindow())).toEqual({ ok: true });

    const third = await signNodeRequest(STRANGER, request(), NOW, "nonce-third");
    expect(await verifyNodeRequest(secrets, third, request(), NOW, new NonceWindow())).toEqual({
      ok: false,
      error: "forged",
    });
  });

  it("refuses a call whose target node, method, path, query, body or bound header changed", async () => {
    const header = await signNodeRequest(CURRENT, request(), NOW, "nonce-tamper");
    const tampered: Partial<SignedRequest>[] = [
      { node: "node-b" },
      { method: "GET" },
      { path: "/_node/other?zone=start" },
      { path: "/_node/rpc?zone=elsewhere" },
      { path: "/_node/rpc" },
      { body: '{"op":"pong"}' },
      { body: "" },
      { bound: "character-2" },
      { bound: "" },
    ];
    for (const change of tampered) {
      expect(
        await verifyNodeRequest([CURRENT], header, request(change), NOW, new NonceWindow()),
        JSON.stringify(change),
      ).toEqual({ ok: false, error: "forged" });
    }
  });

  it("refuses a timestamp more than SIGNATURE_MAX_AGE_MS away, in the past or the future", async () => {
    const nonces = new NonceWindow();
    const header = await signNodeRequest(CURRENT, request(), NOW, "nonce-clock");
    for (const now of [NOW + SIGNATURE_MAX_AGE_MS + 1, NOW - SIGNATURE_MAX_AGE_MS - 1]) {
      expect(await verifyNodeRequest([CURRENT], header, request(), now, nonces), String(now)).toEqual({
        ok: false,
        error: "expired",
      });
    }
    // Exactly at the edge of the window is still accepted.
    expect(await verifyNodeRequest([CURRENT], header, request(), NOW + SIGNATURE_MAX_AGE_MS, nonces)).toEqual({
      ok: true,
    });
    const early = await signNodeRequest(CURRENT, request(), NOW, "nonce-early");
    expect(await verifyNodeRequest([CURRENT], early, request(), NOW - SIGNATURE_MAX_AGE_MS, nonces)).toEqual({
      ok: true,
    });
  });

  it("refuses the same header a second time", async () => {
    const nonces = new NonceWindow();
    const header = await signNodeRequest(CURRENT, request(), NOW, "nonce-replay");
    expect(await verifyNodeRequest([CURRENT], header, request(), NOW, nonces)).toEqual({ ok: true });
    expect(await verifyNodeRequest([CURRENT], header, request(), NOW + 1_000, nonces)).toEqual({
      ok: false,
      error: "replayed",
    });
  });

  it("does not spend the nonce on a forged call", async () => {
    const nonces = new NonceWindow();
    const header = await signNodeRequest(CURRENT, request(), NOW, "nonce-forged-first");
    expect(await verifyNodeRequest([CURRENT], header, request({ body: "forged body" }), NOW, nonces)).toEqual({
      ok: false,
      error: "forged",
    });
    expect(await verifyNodeRequest([CURRENT], header, request(), NOW, nonces)).toEqual({ ok: true });
  });

  it("reports a missing header", async () => {
    for (const header of [undefined, null, ""]) {
      expect(await verifyNodeRequest([CURRENT], header, request(), NOW, new NonceWindow())).toEqual({
        ok: false,
        error: "missing",
      });
    }
  });

  it("reports a header it cannot parse as malformed", async () => {
    const good = await signNodeRequest(CURRENT, request(), NOW, "nonce-good");
    const signature = good.slice(good.indexOf("s=") + 2);
    const garbage = [
      "v1",
      `v2 t=1,n=abcdefgh,s=${signature}`,
      `v1 t=${NOW},n=abcdefgh,s=${"z".repeat(64)}`,
      `v1 t=${NOW},n=abcdefgh,s=${signature.toUpperCase()}`,
      `v1 t=${NOW},n=abcdefgh,s=${signature.slice(1)}`,
      `v1 t=${"1".repeat(17)},n=abcdefgh,s=${signature}`,
      `v1 t=${NOW},n=short,s=${signature}`,
      `v1 t=${NOW},n=bad/nonce,s=${signature}`,
      ` ${good}`,
      `${good} `,
    ];
    for (const header of garbage) {
      expect(await verifyNodeRequest([CURRENT], header, request(), NOW, new NonceWindow()), header).toEqual({
        ok: false,
        error: "malformed",
      });
    }
  });

  it("ignores empty secrets in the list", async () => {
    // WebCrypto refuses a zero-length HMAC key, so the header signed with "" is made with node:crypto,
    // over the same canonical text as signature.ts.
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    const r = request();
    const canonical = ["v1", r.node, r.method, r.path, String(NOW), "nonce-empty", sha(r.body), sha(r.bound)].join(
      "\n",
    );
    const withEmpty = `v1 t=${NOW},n=nonce-empty,s=${createHmac("sha256", "").update(canonical).digest("hex")}`;
    expect(await verifyNodeRequest(["", CURRENT], withEmpty, r, NOW, new NonceWindow())).toEqual({
      ok: false,
      error: "forged",
    });
    expect(await verifyNodeRequest([""], withEmpty, r, NOW, new NonceWindow())).toEqual({ ok: false, error: "forged" });

    // The check that this canonical text is the one signNodeRequest signs: with a real key, both agree.
    const withCurrent = `v1 t=${NOW},n=nonce-empty,s=${createHmac("sha256", CURRENT).update(canonical).digest("hex")}`;
    expect(withCurrent).toBe(await signNodeRequest(CURRENT, r, NOW, "nonce-empty"));
    expect(await verifyNodeRequest(["", CURRENT], withCurrent, r, NOW, new NonceWindow())).toEqual({ ok: true });
  });
});

describe("NonceWindow", () => {
  it("remembers a nonce once and forgets old ones when it grows large", () => {
    const window = new NonceWindow();
    expect(window.remember("nonce-a", NOW)).toBe(true);
    expect(window.remember("nonce-a", NOW + 1)).toBe(false);
    for (let i = 0; i <= 10_000; i++) window.remember(`filler-${i}`, NOW);
    const later = NOW + 2 * SIGNATURE_MAX_AGE_MS + 1;
    // Past 10,000 entries, entries older than twice the window are dropped before the check.
    expect(window.remember("nonce-a", later)).toBe(true);
  });
});
