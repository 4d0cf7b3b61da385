/**
 * Character placements inside the real directory Durable Object (workerd): where each character's
 * record lives, persisted in the directory's SQLite, apart from the in-memory live-session map.
 * The tests of this file share the object's storage, so each uses its own character ids.
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DirectoryDurableObject } from "./directory";
import { PlacementTable } from "./placements";

const T0 = 1_800_000_000_000;
const directory = () => env.DIRECTORY.getByName("local:directory");

describe("PlacementTable", () => {
  it("knows nothing of a character never placed, and the latest placement wins", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      const table = new PlacementTable(state.storage);
      expect(table.whereIs("table-1")).toBeNull();
      table.place("table-1", "start", T0);
      expect(table.whereIs("table-1")).toBe("start");
      table.place("table-1", "test-area", T0 + 1);
      expect(table.whereIs("table-1")).toBe("test-area");
      expect(table.whereIs("table-2")).toBeNull(); // one row per character
      expect(
        state.storage.sql
          .exec("SELECT zone_id, placed_at FROM character_placements WHERE character_id = ?", "table-1")
          .toArray(),
      ).toEqual([{ zone_id: "test-area", placed_at: T0 + 1 }]);
    });
  });

  it("survives re-construction over the same storage", async () => {
    await runInDurableObject(directory(), (_instance, state) => {
      new PlacementTable(state.storage).place("rebuild-1", "harbour", T0);
      // A second constructor runs CREATE TABLE IF NOT EXISTS again without losing rows.
      expect(new PlacementTable(state.storage).whereIs("rebuild-1")).toBe("harbour");
    });
  });
});

describe("DirectoryDurableObject placements (RPC)", () => {
  it("answers whereIs with the zone placeCharacter named", async () => {
    const stub = directory();
    expect(await stub.whereIs("rpc-place-1")).toBeNull();
    await stub.placeCharacter("rpc-place-1", "test-area");
    expect(await stub.whereIs("rpc-place-1")).toBe("test-area");
    await stub.placeCharacter("rpc-place-1", "start");
    expect(await stub.whereIs("rpc-place-1")).toBe("start");
  });

  it("refuses to place a character in something that is not a zone id, and keeps the old placement", async () => {
    const stub = directory();
    await stub.placeCharacter("rpc-bad-1", "start");
    for (const zone of ["", "Start", "../x", "a".repeat(65)]) {
      // Caught here, not through expect().rejects, which leaves the RPC promise's rejection unhandled.
      const refusal = await stub.placeCharacter("rpc-bad-1", zone).then(
        () => null,
        (error: unknown) => String(error),
      );
      expect(refusal, zone).toMatch(/not a zone id/);
    }
    expect(await stub.whereIs("rpc-bad-1")).toBe("start");
  });

  it("records a claim as a placement too: a character that connects somewhere lives there", async () => {
    const stub = directory();
    expect(await stub.claimCharacter("claim-1", "harbour")).toBeNull();
    expect(await stub.whereIs("claim-1")).toBe("harbour");
    // Releasing the live session forgets the session, not where the character lives.
    await stub.releaseCharacter("claim-1", "harbour");
    expect(await stub.whereIs("claim-1")).toBe("harbour");
    // A later placement (a travel) moves it on; a later claim elsewhere moves it again.
    await stub.placeCharacter("claim-1", "test-area");
    expect(await stub.whereIs("claim-1")).toBe("test-area");
    expect(await stub.claimCharacter("claim-1", "start")).toBeNull(); // released above: no live session to displace
    expect(await stub.whereIs("claim-1")).toBe("start");
  });

  it("keeps placements per realm", async () => {
    await directory().placeCharacter("realm-place-1", "start");
    expect(await env.DIRECTORY.getByName("eu:directory").whereIs("realm-place-1")).toBeNull();
  });

  it("survives a fresh object instance over the same storage, while the live-session map does not", async () => {
    const stub = env.DIRECTORY.getByName("local:directory-evict");
    await stub.placeCharacter("evict-1", "test-area");
    expect(await stub.claimCharacter("evict-2", "harbour")).toBeNull();
    expect(await stub.claimCharacter("evict-2", "harbour")).toBeNull(); // same zone: nothing to displace

    // A brand-new instance built over the same storage already answers.
    await runInDurableObject(stub, (_instance, state) => {
      const fresh = new DirectoryDurableObject(state, env);
      expect(fresh.whereIs("evict-1")).toBe("test-area");
      expect(fresh.whereIs("evict-2")).toBe("harbour");
    });

    // And so does the object itself after eviction (its in-memory state gone).
    await evictDurableObject(stub);
    expect(await stub.whereIs("evict-1")).toBe("test-area");
    expect(await stub.whereIs("evict-2")).toBe("harbour");
    // The live-session map was memory only: a claim elsewhere no longer knows the old session.
    expect(await stub.claimCharacter("evict-2", "start")).toBeNull();
    expect(await stub.whereIs("evict-2")).toBe("start");
  });
});
