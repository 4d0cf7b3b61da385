/**
 * The redeemed-ticket ledger inside the real directory Durable Object (workerd): single use,
 * pruning after expiry, persistence across re-construction, and the RPC the gateway calls.
 * The tests of this file share the object's storage, so each uses its own ticket ids.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TicketLedger } from "./tickets";

const T0 = 1_800_000_000_000;
const directory = () => env.DIRECTORY.getByName("local:directory");

/** Ledger rows whose id starts with `prefix`, ordered by id. */
const rows = (state: DurableObjectState, prefix: string) =>
  state.storage.sql
    .exec<{ jti: string; expires_at: number }>("SELECT jti, expires_at FROM redeemed_tickets ORDER BY jti")
    .toArray()
    .filter((row) => row.jti.startsWith(prefix));

describe("TicketLedger", () => {
  it("redeems a ticket id once and refuses every replay", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const ledger = new TicketLedger(state.storage);
      expect(ledger.redeem("once-1", T0 + 60_000, T0)).toBe(true);
      expect(ledger.redeem("once-1", T0 + 60_000, T0 + 1)).toBe(false);
      expect(ledger.redeem("once-1", T0 + 60_000, T0 + 30_000)).toBe(false);
      // A replay claiming another expiry is still a replay, and does not change the stored one.
      expect(ledger.redeem("once-1", T0 + 999_000, T0 + 30_000)).toBe(false);
      expect(rows(state, "once-")).toEqual([{ jti: "once-1", expires_at: T0 + 60_000 }]);
    });
  });

  it("looks without spending, and gives back a redemption the server could not complete", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const ledger = new TicketLedger(state.storage);
      expect(ledger.isRedeemed("back-1")).toBe(false);
      expect(ledger.isRedeemed("back-1")).toBe(false);
      expect(ledger.redeem("back-1", T0 + 60_000, T0)).toBe(true);
      expect(ledger.isRedeemed("back-1")).toBe(true);
      ledger.restore("back-1");
      expect(ledger.isRedeemed("back-1")).toBe(false);
      expect(ledger.redeem("back-1", T0 + 60_000, T0 + 1)).toBe(true);
      expect(ledger.redeem("back-1", T0 + 60_000, T0 + 2)).toBe(false);
    });
  });

  it("treats different ids independently", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const ledger = new TicketLedger(state.storage);
      expect(ledger.redeem("indep-a", T0 + 60_000, T0)).toBe(true);
      expect(ledger.redeem("indep-b", T0 + 60_000, T0)).toBe(true);
      expect(ledger.redeem("indep-a", T0 + 60_000, T0)).toBe(false);
      expect(ledger.redeem("indep-b", T0 + 60_000, T0)).toBe(false);
      expect(ledger.redeem("INDEP-A", T0 + 60_000, T0)).toBe(true); // ids are case-sensitive
    });
  });

  it("keeps a row up to and including its expiry, prunes it after, and then forgets the id", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const ledger = new TicketLedger(state.storage);
      const exp = T0 + 60_000;
      expect(ledger.redeem("prune-short", exp, T0)).toBe(true);
      expect(ledger.redeem("prune-long", T0 + 600_000, T0)).toBe(true);

      // At exactly the expiry the row is kept (pruning is `expires_at < now`): still a replay.
      expect(ledger.redeem("prune-short", exp, exp)).toBe(false);
      expect(rows(state, "prune-").map((r) => r.jti)).toEqual(["prune-long", "prune-short"]);

      // One millisecond later any redeem prunes it; the live row stays and still refuses replays.
      expect(ledger.redeem("prune-other", T0 + 600_000, exp + 1)).toBe(true);
      expect(rows(state, "prune-").map((r) => r.jti)).toEqual(["prune-long", "prune-other"]);
      expect(ledger.redeem("prune-long", T0 + 600_000, exp + 1)).toBe(false);

      // Pruning forgets the id, so the ledger alone would take it again. That is safe only because
      // readTicket refuses an expired ticket (exp <= now, in seconds) before the ledger is consulted.
      expect(ledger.redeem("prune-short", exp, exp + 1)).toBe(true);
    });
  });

  it("survives re-construction over the same storage", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      expect(new TicketLedger(state.storage).redeem("persist-1", T0 + 60_000, T0)).toBe(true);
      // A second constructor runs CREATE TABLE IF NOT EXISTS again without losing rows.
      const again = new TicketLedger(state.storage);
      expect(again.redeem("persist-1", T0 + 60_000, T0 + 1)).toBe(false);
      expect(rows(state, "persist-")).toEqual([{ jti: "persist-1", expires_at: T0 + 60_000 }]);
    });
    // A later request to the same object, with yet another ledger, still refuses the replay.
    await runInDurableObject(directory(), (_instance, state) => {
      expect(new TicketLedger(state.storage).redeem("persist-1", T0 + 60_000, T0 + 2)).toBe(false);
    });
  });
});

describe("DirectoryDurableObject.redeemTicket (RPC)", () => {
  it("answers true for the first redemption and false for the replay, and records it in SQLite", async () => {
    const stub = directory();
    const expiresAtMs = Date.now() + 60_000;
    expect(await stub.redeemTicket("rpc-1", expiresAtMs)).toBe(true);
    expect(await stub.redeemTicket("rpc-1", expiresAtMs)).toBe(false);
    expect(await stub.redeemTicket("rpc-2", expiresAtMs)).toBe(true);
    await runInDurableObject(stub, (_instance, state) => {
      expect(rows(state, "rpc-")).toEqual([
        { jti: "rpc-1", expires_at: expiresAtMs },
        { jti: "rpc-2", expires_at: expiresAtMs },
      ]);
    });
  });

  it("keeps one ledger per realm: another realm's directory does not see this realm's redemptions", async () => {
    const expiresAtMs = Date.now() + 60_000;
    expect(await directory().redeemTicket("realm-1", expiresAtMs)).toBe(true);
    expect(await env.DIRECTORY.getByName("eu:directory").redeemTicket("realm-1", expiresAtMs)).toBe(true);
    expect(await directory().redeemTicket("realm-1", expiresAtMs)).toBe(false);
  });
});
