/**
 * Parties in the real directory Durable Object's SQLite (workerd): inviting, accepting, leaving,
 * the limits, and what survives a new instance over the same storage. Each test uses its own ids.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { INVITE_TTL_MS, PARTY_MAX, Parties } from "./parties";

const T0 = 1_800_000_000_000;
const directory = () => env.DIRECTORY.getByName("local:directory");
const member = (id: string) => ({ id, name: id.toUpperCase() });

describe("Parties", () => {
  it("makes a party at the first invitation, lets the invited join, and lists members in order", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const parties = new Parties(state.storage);
      expect(parties.invite(member("a1"), member("b1"), "party-1", T0)).toMatchObject({ ok: true, partyId: "party-1" });
      expect(parties.partyOf("a1")?.members).toEqual([member("a1")]);
      expect(parties.partyOf("b1")).toBeNull();
      expect(parties.accept(member("b1"), T0 + 1)).toEqual({
        ok: true,
        partyId: "party-1",
        members: [member("a1"), member("b1")],
      });
      // The invitation is spent: accepting again is refused.
      expect(parties.accept(member("b1"), T0 + 2)).toMatchObject({ ok: false });
      // A second object over the same storage knows the party (it is on disk).
      expect(new Parties(state.storage).partyOf("b1")?.partyId).toBe("party-1");
    });
  });

  it("refuses inviting oneself or a member of another party, and an expired invitation", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const parties = new Parties(state.storage);
      expect(parties.invite(member("a2"), member("a2"), "p-x", T0)).toEqual({
        ok: false,
        reason: "you cannot invite yourself",
      });
      parties.invite(member("a2"), member("b2"), "party-2", T0);
      parties.accept(member("b2"), T0);
      expect(parties.invite(member("c2"), member("b2"), "party-3", T0)).toEqual({
        ok: false,
        reason: "B2 is already in a party",
      });
      parties.invite(member("a2"), member("d2"), "unused", T0);
      expect(parties.accept(member("d2"), T0 + INVITE_TTL_MS + 1)).toMatchObject({ ok: false });
    });
  });

  it("breaks a party up when one member is left, and holds at most PARTY_MAX", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const parties = new Parties(state.storage);
      parties.invite(member("a3"), member("b3"), "party-4", T0);
      parties.accept(member("b3"), T0);
      expect(parties.leave("b3")).toEqual({ ok: true, partyId: "party-4", members: [] });
      expect(parties.partyOf("a3")).toBeNull();
      expect(parties.leave("a3")).toMatchObject({ ok: false });
      const ids = Array.from({ length: PARTY_MAX }, (_, i) => `m3-${i}`);
      for (const id of ids.slice(1)) {
        parties.invite(member(ids[0] as string), member(id), "party-5", T0);
        expect(parties.accept(member(id), T0)).toMatchObject({ ok: true });
      }
      expect(parties.invite(member(ids[0] as string), member("extra-3"), "x", T0)).toMatchObject({
        ok: false,
        reason: `a party has at most ${PARTY_MAX} members`,
      });
    });
  });
});
