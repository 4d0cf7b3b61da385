import { describe, expect, it } from "vitest";
import { fromBase64Url, fromUtf8, hmacKey, toBase64Url, utf8 } from "./encoding";
import { type JwtSettings, signAccessToken, verifyAccessToken } from "./jwt";
import { issueTicket, readTicket, TICKET_TTL_SECONDS } from "./ticket";

const SECRET = "realm-secret-for-tests";
const NOW = 1_800_000_000;
const subject = { accountId: "acct-7", characterId: "char-3" };

const b64json = (value: unknown) => toBase64Url(utf8.encode(JSON.stringify(value)));

/** MACs a ticket payload under `key` exactly as issueTicket does, but with a key of our choosing. */
async function macWith(payload: string, key: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(key), utf8.encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

async function errorOf(ticket: string, at = NOW, secret = SECRET) {
  const result = await readTicket(ticket, secret, at);
  return result.ok ? "ok" : result.error;
}

describe("issueTicket / readTicket", () => {
  it("round-trips the account, character, a fresh jti and a 60-second expiry", async () => {
    expect(TICKET_TTL_SECONDS).toBe(60);
    const { ticket, claims } = await issueTicket(subject, SECRET, NOW);
    expect(claims).toEqual({ jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), ...subject, exp: NOW + 60 });
    expect(ticket.split(".")).toHaveLength(2);
    expect(await readTicket(ticket, SECRET, NOW)).toEqual({ ok: true, value: claims });
  });

  it("gives every ticket its own jti", async () => {
    const issued = await Promise.all(Array.from({ length: 20 }, () => issueTicket(subject, SECRET, NOW)));
    expect(new Set(issued.map((t) => t.claims.jti)).size).toBe(20);
  });

  it("is valid for 60 seconds and expired from exp on", async () => {
    const { ticket } = await issueTicket(subject, SECRET, NOW);
    expect(await errorOf(ticket, NOW + 59)).toBe("ok");
    expect(await errorOf(ticket, NOW + 60)).toBe("expired");
    expect(await errorOf(ticket, NOW + 3_600)).toBe("expired");
  });

  it("refuses a changed payload as forged (another character, a later expiry)", async () => {
    const { ticket, claims } = await issueTicket(subject, SECRET, NOW);
    const mac = ticket.split(".")[1] as string;
    expect(await errorOf(`${b64json({ ...claims, characterId: "char-999" })}.${mac}`)).toBe("forged");
    expect(await errorOf(`${b64json({ ...claims, exp: NOW + 86_400 })}.${mac}`, NOW + 120)).toBe("forged");
  });

  it("refuses a ticket whose mac comes from another secret", async () => {
    const { ticket } = await issueTicket(subject, "some-other-realm-secret", NOW);
    expect(await errorOf(ticket)).toBe("forged");
    const payload = ticket.split(".")[0] as string;
    expect(await errorOf(await macWith(payload, "ticket:some-other-realm-secret"))).toBe("forged");
    // And the same payload MAC'd with the right key is accepted, so the key is what decided.
    expect(await errorOf(await macWith(payload, `ticket:${SECRET}`))).toBe("ok");
  });

  it("refuses malformed tickets", async () => {
    const { ticket } = await issueTicket(subject, SECRET, NOW);
    const [payload, mac] = ticket.split(".") as [string, string];
    for (const bad of [
      "",
      "no-dot",
      `${ticket}.extra`,
      `${payload}!.${mac}`, // not base64url
      `${payload}.${mac}=`,
      `${payload}.A`, // impossible base64 length
      `${"A".repeat(1100)}.${mac}`, // over the size limit
    ]) {
      expect(await errorOf(bad), bad.slice(0, 40)).toBe("malformed");
    }
    // A correctly MAC'd payload that is not JSON is malformed, not forged.
    expect(await errorOf(await macWith(toBase64Url(utf8.encode("{oops")), `ticket:${SECRET}`))).toBe("malformed");
  });

  it("refuses correctly MAC'd claims of the wrong shape as malformed, without throwing", async () => {
    // Only the realm's own key can produce these, but readTicket promises a Result, never an exception,
    // and a ticket without a numeric exp must never count as unexpired.
    const good = { jti: "j", ...subject, exp: NOW + 60 };
    const { exp: _exp, ...noExp } = good;
    for (const claims of [
      null,
      42,
      "text",
      [],
      noExp,
      { ...good, exp: "9999999999" },
      { ...good, jti: 5 },
      { ...good, characterId: null },
    ]) {
      const ticket = await macWith(b64json(claims), `ticket:${SECRET}`);
      await expect(errorOf(ticket), JSON.stringify(claims)).resolves.toBe("malformed");
    }
    expect(await errorOf(await macWith(b64json(good), `ticket:${SECRET}`))).toBe("ok");
  });

  it("carries an optional zone claim, and leaves it out when none is given", async () => {
    const { ticket, claims } = await issueTicket({ ...subject, fam: "fam-1", zone: "test-area" }, SECRET, NOW);
    expect(claims).toMatchObject({ ...subject, fam: "fam-1", zone: "test-area", exp: NOW + 60 });
    expect(await readTicket(ticket, SECRET, NOW)).toEqual({ ok: true, value: claims });
    const plain = await issueTicket(subject, SECRET, NOW);
    expect("zone" in plain.claims).toBe(false);
    const read = await readTicket(plain.ticket, SECRET, NOW);
    expect(read.ok && read.value.zone).toBeUndefined();
  });

  it("refuses a correctly MAC'd ticket whose zone claim is not a zone id as malformed", async () => {
    const good = { jti: "j", ...subject, exp: NOW + 60 };
    for (const zone of ["", "Start", "-start", "a".repeat(65), "start/../x", 7, null, ["start"]]) {
      const ticket = await macWith(b64json({ ...good, zone }), `ticket:${SECRET}`);
      await expect(errorOf(ticket), JSON.stringify(zone)).resolves.toBe("malformed");
    }
    for (const zone of ["start", "test-area", "a", "9_x", "a".repeat(64)]) {
      expect(await errorOf(await macWith(b64json({ ...good, zone }), `ticket:${SECRET}`)), zone).toBe("ok");
    }
  });

  it("carries the character a zone hands over as an object, and refuses any other shape as malformed", async () => {
    const character = { id: "char-3", name: "Ada", xp: 77 };
    const { ticket, claims } = await issueTicket({ ...subject, zone: "start", character }, SECRET, NOW);
    const read = await readTicket(ticket, SECRET, NOW);
    expect(read.ok && read.value.character).toEqual(character);
    expect(claims.character).toEqual(character);
    const good = { jti: "j", ...subject, zone: "start", exp: NOW + 60 };
    for (const bad of ["ada", 7, null, true]) {
      const forged = await macWith(b64json({ ...good, character: bad }), `ticket:${SECRET}`);
      await expect(errorOf(forged), JSON.stringify(bad)).resolves.toBe("malformed");
    }
  });

  it("will not issue a ticket with a zone that is not a zone id", async () => {
    await expect(issueTicket({ ...subject, zone: "Not A Zone" }, SECRET, NOW)).rejects.toThrow(RangeError);
  });

  it("carries claims in a payload that decodes to JSON", async () => {
    const { ticket, claims } = await issueTicket(subject, SECRET, NOW);
    const payload = fromBase64Url(ticket.split(".")[0] as string) as Uint8Array;
    expect(JSON.parse(fromUtf8.decode(payload))).toEqual(claims);
  });
});

describe("tickets and access tokens do not stand in for each other", () => {
  const jwt: JwtSettings = { secret: SECRET, issuer: "leviathan:local", audience: "realm", ttlSeconds: 900 };

  it("a ticket is not accepted as an access token", async () => {
    const { ticket } = await issueTicket(subject, SECRET, NOW);
    expect(await verifyAccessToken(ticket, jwt, NOW)).toEqual({ ok: false, error: "malformed" });
  });

  it("an access token is not accepted as a ticket", async () => {
    const token = await signAccessToken({ sub: "acct-7", username: "ada", roles: ["player"] }, jwt, NOW);
    expect(await errorOf(token)).toBe("malformed");
  });

  it("the ticket key is not the access-token key (it MACs under ticket:<secret>)", async () => {
    const claims = { jti: "handmade", ...subject, exp: NOW + 60 };
    const payload = b64json(claims);
    // MAC'd with the bare realm secret (the access-token key): refused as forged.
    expect(await errorOf(await macWith(payload, SECRET))).toBe("forged");
    // MAC'd with the ticket key: accepted.
    expect(await errorOf(await macWith(payload, `ticket:${SECRET}`))).toBe("ok");

    // And a JWT signed with the ticket key fails the access-token check.
    const header = b64json({ alg: "HS256", typ: "JWT" });
    const body = b64json({
      sub: "acct-7",
      username: "ada",
      roles: ["admin"],
      iss: jwt.issuer,
      aud: jwt.audience,
      iat: NOW,
      exp: NOW + 60,
    });
    const mac = await crypto.subtle.sign("HMAC", await hmacKey(`ticket:${SECRET}`), utf8.encode(`${header}.${body}`));
    const token = `${header}.${body}.${toBase64Url(new Uint8Array(mac))}`;
    expect(await verifyAccessToken(token, jwt, NOW)).toEqual({ ok: false, error: "bad_signature" });
  });
});
