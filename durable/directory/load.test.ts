import { describe, expect, it } from "vitest";
import { admit, emptyLoad, type RealmLoad, release, report, totalPlayers } from "./load";

/** Admits `n` sessions into `zoneId`, returning the load and how many were refused. */
function admitMany(load: RealmLoad, zoneId: string, n: number, cap: number) {
  let refused = 0;
  for (let i = 0; i < n; i++) {
    const result = admit(load, zoneId, cap);
    load = result.load;
    if (!result.admission.ok) refused += 1;
  }
  return { load, refused };
}

describe("realm load", () => {
  it("starts empty", () => {
    expect(emptyLoad()).toEqual({ playersByZone: {}, refusedTotal: 0 });
    expect(totalPlayers(emptyLoad())).toBe(0);
  });

  it("admits up to the cap across zones, then refuses with a reason and counts refusals", () => {
    let load = emptyLoad();
    load = admitMany(load, "start", 2, 3).load;
    const third = admit(load, "forest", 3);
    expect(third.admission).toEqual({ ok: true });
    load = third.load;
    expect(load.playersByZone).toEqual({ start: 2, forest: 1 });

    const fourth = admit(load, "start", 3);
    expect(fourth.admission.ok).toBe(false);
    if (!fourth.admission.ok) {
      expect(fourth.admission.reason).toBe("the realm is full (3 players); try again in a few seconds");
    }
    expect(fourth.load.playersByZone).toEqual({ start: 2, forest: 1 });
    expect(fourth.load.refusedTotal).toBe(1);

    const { load: after, refused } = admitMany(fourth.load, "market", 5, 3);
    expect(refused).toBe(5);
    expect(after.refusedTotal).toBe(6);
    expect(totalPlayers(after)).toBe(3);
  });

  it("admits again once a slot is released", () => {
    const full = admitMany(emptyLoad(), "start", 2, 2).load;
    expect(admit(full, "start", 2).admission.ok).toBe(false);
    const freed = release(full, "start");
    expect(admit(freed, "forest", 2).admission).toEqual({ ok: true });
  });

  it("never releases below zero, even for an unknown zone", () => {
    let load = admitMany(emptyLoad(), "start", 1, 10).load;
    load = release(load, "start");
    load = release(load, "start");
    load = release(load, "nowhere");
    expect(load.playersByZone).toEqual({ start: 0, nowhere: 0 });
    expect(totalPlayers(load)).toBe(0);
    expect(admitMany(load, "start", 3, 3).refused).toBe(0);
  });

  it("lets a zone's report override its running count", () => {
    let load = admitMany(emptyLoad(), "start", 4, 10).load;
    load = admitMany(load, "forest", 2, 10).load;
    // The zone knows best: two of its sessions died without a release.
    load = report(load, "start", 2);
    expect(load.playersByZone).toEqual({ start: 2, forest: 2 });
    expect(totalPlayers(load)).toBe(4);
    load = report(load, "forest", -5);
    expect(load.playersByZone.forest).toBe(0);
    load = report(load, "market", 7);
    expect(totalPlayers(load)).toBe(9);
  });

  it("frees room for admission when a report lowers the count", () => {
    const full = admitMany(emptyLoad(), "start", 3, 3).load;
    expect(admit(full, "start", 3).admission.ok).toBe(false);
    expect(admit(report(full, "start", 1), "start", 3).admission.ok).toBe(true);
  });

  it("does not mutate the load it is given", () => {
    const load = admitMany(emptyLoad(), "start", 1, 10).load;
    const snapshot = structuredClone(load);
    admit(load, "start", 10);
    admit(load, "start", 1);
    release(load, "start");
    report(load, "start", 9);
    expect(load).toEqual(snapshot);
  });
});
