import { describe, expect, it } from "vitest";
import { DEVICE_TOKEN_TTL_SECONDS, issueDeviceToken, readDeviceToken } from "./device-token";
import { issueTicket } from "./ticket";

const SECRET = "realm-secret-for-tests";
const NOW = 1_800_000_000;

describe("device tokens", () => {
  it("verify for the username they were issued for, whatever its case, until they expire", async () => {
    const token = await issueDeviceToken("Ada", SECRET, NOW);
    const read = await readDeviceToken(token, "ada", SECRET, NOW + 10);
    expect(read.ok && read.value).toMatchObject({ u: "ada", exp: NOW + DEVICE_TOKEN_TTL_SECONDS });
    expect(await readDeviceToken(token, "ADA", SECRET, NOW)).toMatchObject({ ok: true });
    expect(await readDeviceToken(token, "ada", SECRET, NOW + DEVICE_TOKEN_TTL_SECONDS)).toEqual({
      ok: false,
      error: "expired",
    });
  });

  it("refuse another username, another realm's secret, tampering and other signed kinds", async () => {
    const token = await issueDeviceToken("ada", SECRET, NOW);
    expect(await readDeviceToken(token, "bob", SECRET, NOW)).toEqual({ ok: false, error: "other_user" });
    expect(await readDeviceToken(token, "ada", `${SECRET}-eu`, NOW)).toEqual({ ok: false, error: "forged" });
    expect(await readDeviceToken(`x${token}`, "ada", SECRET, NOW)).toMatchObject({ ok: false });
    expect(await readDeviceToken("nonsense", "ada", SECRET, NOW)).toEqual({ ok: false, error: "malformed" });
    // A play ticket is signed with the same realm secret but for another purpose.
    const { ticket } = await issueTicket({ accountId: "a", characterId: "c" }, SECRET, NOW);
    expect(await readDeviceToken(ticket, "ada", SECRET, NOW)).toEqual({ ok: false, error: "forged" });
  });

  it("give each login its own device id", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const read = await readDeviceToken(await issueDeviceToken("ada", SECRET, NOW), "ada", SECRET, NOW);
      if (read.ok) ids.add(read.value.id);
    }
    expect(ids.size).toBe(10);
  });
});
