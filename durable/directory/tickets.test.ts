/**
 * The redeemed-ticket ledger inside the real directory Durable Object (workerd, isolated storage):
 * single use, pruning after expiry, persistence across re-construction, and the RPC the gateway calls.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TicketLedger } from "./tickets";

const T0 = 1_800_000_000_000;
const directory = () => env.DIRECTORY.getByName("local:directory");

const rows = (state: DurableObjectState) =>
  state.storage.sql
    .exec<{ jti: string; expires_at: number }>("SELECT jti, expires_at FROM redeemed_tickets ORDER BY jti")
    .toArray();

describe("TicketLedger", () => {
  it("redeems a ticket id once and refuses every replay", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const ledger = new TicketLedger(state.storage);
      expect(ledger.redeem("jti-once", T0 + 60_000, T0)).toBe(true);
      expect(ledger.redeem("jti-once", T0 + 60_000, T0 + 1)).toBe(false);
      expect(ledger.redeem("jti-once", T0 + 60_000, T0 + 30_000)).toBe(false);
      // A replay claiming another expiry is still a replay.
      expect(ledger.redeem("jti-once", T0 + 999_000, T0 + 30_000)).toBe(false);
    });
  });

  it("treats different ids independently", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const ledger = new TicketLedger(state.storage);
      expect(ledger.redeem("jti-a", T0 + 60_000, T0)).toBe(true);
      expect(ledger.redeem("jti-b", T0 + 60_000, T0)).toBe(true);
      expect(ledger.redeem("jti-a", T0 + 60_000, T0)).toBe(false);
      expect(ledger.redeem("jti-b", T0 + 60_000, T0)).toBe(false);
      expect(ledger.redeem("JTI-A", T0 + 60_000, T0)).toBe(true); // ids are case-sensitive
    });
  });

  it("keeps a row up to and including its expiry, prunes it after, and then forgets the id", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const ledger = new TicketLedger(state.storage);
      const exp = T0 + 60_000;
      expect(ledger.redeem("jti-short", exp, T0)).toBe(true);
      expect(ledger.redeem("jti-long", T0 + 600_000, T0)).toBe(true);

      // At exactly the expiry the row is kept (pruning is `expires_at < now`): still a replay.
      expect(ledger.redeem("jti-short", exp, exp)).toBe(false);
      expect(rows(state).map((r) => r.jti)).toEqual(["jti-long", "jti-short"]);

      // One millisecond later any redeem prunes it; the live row stays.
      expect(ledger.redeem("jti-other", T0 + 600_000, exp + 1)).toBe(true);
      expect(rows(state).map((r) => r.jti)).toEqual(["jti-long", "jti-other"]);
      expect(ledger.redeem("jti-long", T0 + 600_000, exp + 1)).toBe(false);

      // Pruning forgets the id, so the ledger alone would take it again. That is safe only because
      // readTicket refuses an expired ticket (exp <= now seconds) before the ledger is consulted.
      expect(ledger.redeem("jti-short", exp, exp + 1)).toBe(true);
    });
  });

  it("survives re-construction over the same storage, and its table is created only once", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      expect(new TicketLedger(state.storage).redeem("jti-persist", T0 + 60_000, T0)).toBe(true);
      const again = new TicketLedger(state.storage);
      expect(again.redeem("jti-persist", T0 + 60_000, T0 + 1)).toBe(false);
      expect(rows(state)).toContainEqual({ jti: "jti-persist", expires_at: T0 + 60_000 });
    });
    // A later request to the same object (a new turn, a new ledger) still refuses the replay.
    await runInDurableObject(directory(), (_instance, state) => {
      expect(new TicketLedger(state.storage).redeem("jti-persist", T0 + 60_000, T0 + 2)).toBe(false);
    });
  });
});

describe("DirectoryDurableObject.redeemTicket (RPC)", () => {
  it("answers true for the first redemption and false for the replay", async () => {
    const stub = directory();
    const expiresAtMs = Date.now() + 60_000;
    expect(await stub.redeemTicket("jti-rpc", expiresAtMs)).toBe(true);
    expect(await stub.redeemTicket("jti-rpc", expiresAtMs)).toBe(false);
    expect(await stub.redeemTicket("jti-rpc-2", expiresAtMs)).toBe(true);
    await runInDurableObject(stub, (_instance, state) => {
      expect(rows(state).map((r) => r.jti)).toEqual(["jti-rpc", "jti-rpc-2"]);
    });
  });

  it("is scoped to the realm: another realm's directory has its own ledger", async () => {
    const expiresAtMs = Date.now() + 60_000;
    expect(await directory().redeemTicket("jti-shared", expiresAtMs)).toBe(true);
    expect(await env.DIRECTORY.getByName("eu:directory").redeemTicket("jti-shared", expiresAtMs)).toBe(true);
    expect(await directory().redeemTicket("jti-shared", expiresAtMs)).toBe(false);
  });
});
