import { describe, expect, it } from "vitest";
import { InstanceRouter, ROUTED_COUNTS_MS } from "./instances";

describe("routing travellers into instances", () => {
  it("sends travellers to the zone until it holds the cap, then to the first instance with room", () => {
    const router = new InstanceRouter();
    const players: Record<string, number> = { woods: 2, "woods~2": 1 };
    const playersIn = (id: string) => players[id] ?? 0;
    expect(router.route("woods", 3, playersIn, 0)).toBe("woods");
    // woods now counts 2 players + 1 routed: full. woods~2 has 1 + 0.
    expect(router.route("woods", 3, playersIn, 1)).toBe("woods~2");
    expect(router.route("woods", 3, playersIn, 2)).toBe("woods~2");
    expect(router.route("woods", 3, playersIn, 3)).toBe("woods~3");
  });

  it("forgets a routed traveller once its session is admitted, or after a while", () => {
    const router = new InstanceRouter();
    const playersIn = () => 0;
    expect(router.route("arena", 1, playersIn, 0)).toBe("arena");
    expect(router.route("arena", 1, playersIn, 1)).toBe("arena~2");
    router.arrived("arena");
    // The session now counts in playersIn instead; here it left again, so arena has room.
    expect(router.route("arena", 1, playersIn, 2)).toBe("arena");
    expect(router.route("arena", 1, playersIn, 2 + ROUTED_COUNTS_MS)).toBe("arena");
  });

  it("never splits with a cap of 0, and takes an instance id as asked", () => {
    const router = new InstanceRouter();
    expect(router.route("start", 0, () => 10_000, 0)).toBe("start");
    expect(router.route("start~4", 1, () => 10_000, 0)).toBe("start~4");
  });
});

describe("a zone's own capacity from its content", () => {
  it("splits the Test Area, an arena of 100, into a second instance for the 101st traveller", async () => {
    const { zoneCapacity } = await import("../../shared/zone/registry");
    expect(zoneCapacity("test-area")).toBe(100);
    expect(zoneCapacity("test-area~2")).toBe(100);
    expect(zoneCapacity("start")).toBeUndefined();
    const router = new InstanceRouter();
    const routed = Array.from({ length: 101 }, (_, i) => router.route("test-area", 100, () => 0, i));
    expect(routed.filter((z) => z === "test-area")).toHaveLength(100);
    expect(routed[100]).toBe("test-area~2");
  });
});
