import { describe, expect, it } from "vitest";
import { fromBase64Url, fromUtf8, hmacKey, toBase64Url, utf8 } from "./encoding";
import { type JwtSettings, signAccessToken, verifyAccessToken } from "./jwt";

const settings: JwtSettings = {
  secret: "s3cret-for-tests",
  issuer: "leviathan:local",
  audience: "realm",
  ttlSeconds: 900,
};
const subject = { sub: "acct-1", username: "ada", roles: ["player", "gm"] as ("player" | "gm" | "admin")[] };
const NOW = 1_800_000_000;

const b64json = (value: unknown) => toBase64Url(utf8.encode(JSON.stringify(value)));
const decodeJson = (text: string) => JSON.parse(fromUtf8.decode(fromBase64Url(text) as Uint8Array));

/** Signs `header.payload` with HS256 under `secret`, as an attacker holding (or guessing) a key would. */
async function signRaw(header: string, payload: string, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), utf8.encode(`${header}.${payload}`));
  return `${header}.${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

async function errorOf(token: string, at = NOW, s = settings) {
  const result = await verifyAccessToken(token, s, at);
  return result.ok ? "ok" : result.error;
}

describe("signAccessToken / verifyAccessToken", () => {
  it("round-trips the subject, roles, issuer, audience and times", async () => {
    const token = await signAccessToken(subject, settings, NOW);
    expect(token.split(".")).toHaveLength(3);
    const result = await verifyAccessToken(token, settings, NOW + 1);
    expect(result).toEqual({
      ok: true,
      value: {
        sub: "acct-1",
        username: "ada",
        roles: ["player", "gm"],
        iss: "leviathan:local",
        aud: "realm",
        iat: NOW,
        exp: NOW + 900,
      },
    });
  });

  it("writes a standard HS256 JWT header", async () => {
    const token = await signAccessToken(subject, settings, NOW);
    expect(decodeJson(token.split(".")[0] as string)).toEqual({ alg: "HS256", typ: "JWT" });
  });

  it("is valid until the second before exp and expired from exp on", async () => {
    const token = await signAccessToken(subject, settings, NOW);
    expect(await errorOf(token, NOW + 899)).toBe("ok");
    expect(await errorOf(token, NOW + 900)).toBe("expired");
    expect(await errorOf(token, NOW + 10_000)).toBe("expired");
  });

  it("refuses a token with a tampered payload (e.g. roles raised to admin)", async () => {
    const token = await signAccessToken(subject, settings, NOW);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = decodeJson(payload);
    const forged = b64json({ ...claims, roles: ["player", "gm", "admin"] });
    expect(await errorOf(`${header}.${forged}.${signature}`)).toBe("bad_signature");
    const extended = b64json({ ...claims, exp: claims.exp + 86_400 });
    expect(await errorOf(`${header}.${extended}.${signature}`, NOW + 1_000)).toBe("bad_signature");
  });

  it("refuses a tampered signature", async () => {
    const token = await signAccessToken(subject, settings, NOW);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const bytes = fromBase64Url(signature) as Uint8Array;
    bytes[0] = (bytes[0] as number) ^ 0x80;
    expect(await errorOf(`${header}.${payload}.${toBase64Url(bytes)}`)).toBe("bad_signature");
    expect(await errorOf(`${header}.${payload}.`)).toBe("bad_signature");
  });

  it("refuses a token signed with another secret", async () => {
    const token = await signAccessToken(subject, { ...settings, secret: "another-secret" }, NOW);
    expect(await errorOf(token)).toBe("bad_signature");
  });

  it("refuses a token for another issuer or audience", async () => {
    const otherIssuer = await signAccessToken(subject, { ...settings, issuer: "leviathan:eu" }, NOW);
    expect(await errorOf(otherIssuer)).toBe("wrong_issuer");
    const otherAudience = await signAccessToken(subject, { ...settings, audience: "admin-api" }, NOW);
    expect(await errorOf(otherAudience)).toBe("wrong_audience");
  });

  it("refuses alg: none and every header other than its own as malformed, even when correctly signed", async () => {
    const token = await signAccessToken(subject, settings, NOW);
    const payload = token.split(".")[1] as string;
    const none = b64json({ alg: "none", typ: "JWT" });
    expect(await errorOf(`${none}.${payload}.`)).toBe("malformed");
    expect(await errorOf(`${b64json({ alg: "none" })}.${payload}.`)).toBe("malformed");
    const headers = [
      { alg: "none", typ: "JWT" },
      { alg: "HS512", typ: "JWT" },
      { alg: "RS256", typ: "JWT" },
      { typ: "JWT", alg: "HS256" }, // same claims, different bytes: only the exact header is accepted
      { alg: "HS256", typ: "JWT", kid: "x" },
      { alg: "HS256" },
    ];
    for (const header of headers) {
      const signed = await signRaw(b64json(header), payload, settings.secret);
      expect(await errorOf(signed), JSON.stringify(header)).toBe("malformed");
    }
  });

  it("refuses anything that is not three dot-separated parts as malformed", async () => {
    const token = await signAccessToken(subject, settings, NOW);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    for (const bad of ["", "abc", `${header}.${payload}`, `${token}.`, `${token}.${signature}`, "...."]) {
      expect(await errorOf(bad), bad).toBe("malformed");
    }
  });

  it("refuses garbage base64 in the payload or signature as malformed", async () => {
    const token = await signAccessToken(subject, settings, NOW);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    expect(await errorOf(`${header}.${payload}!.${signature}`)).toBe("malformed");
    expect(await errorOf(`${header}.${payload}.${signature}*`)).toBe("malformed");
    expect(await errorOf(`${header}.@@@@.${signature}`)).toBe("malformed");
    expect(await errorOf(`${header}.A.${signature}`)).toBe("malformed");
  });

  it("refuses a correctly signed payload that is not JSON as malformed", async () => {
    const header = (await signAccessToken(subject, settings, NOW)).split(".")[0] as string;
    const signed = await signRaw(header, toBase64Url(utf8.encode("not json")), settings.secret);
    expect(await errorOf(signed)).toBe("malformed");
  });

  it("refuses correctly signed claims of the wrong shape", async () => {
    const header = (await signAccessToken(subject, settings, NOW)).split(".")[0] as string;
    const base = { ...subject, iss: settings.issuer, aud: settings.audience, iat: NOW, exp: NOW + 60 };
    for (const claims of [
      { ...base, sub: 42 },
      { ...base, exp: String(NOW + 60) },
      { ...base, roles: "admin" },
    ]) {
      const signed = await signRaw(header, b64json(claims), settings.secret);
      expect(await errorOf(signed), JSON.stringify(claims)).toBe("bad_claims");
    }
    // A signed payload that is JSON but not an object is refused as a value, never thrown.
    for (const payload of [null, 7, "claims"]) {
      const signed = await signRaw(header, b64json(payload), settings.secret);
      await expect(errorOf(signed), JSON.stringify(payload)).resolves.toBe("bad_claims");
    }
    // The same shape with the right types is accepted, so the failures above are about the types.
    expect(await errorOf(await signRaw(header, b64json(base), settings.secret))).toBe("ok");
  });
});
