import { describe, expect, it } from "vitest";
import { texts } from "../testing";
import { MAX_TRIGGER_DEPTH } from "./registry";
import { command, contentWith, inRoom, inZone, say, scenario } from "./testing";

describe("once, cooldowns and chains", () => {
  it("once ever, once per player, and a cooldown", () => {
    const content = contentWith((c) =>
      inRoom(
        c,
        "village-square",
        { id: "ever", on: command("ring"), once: "ever", do: [say("ever")] },
        { id: "each", on: command("ring"), once: "per-player", do: [say("each")] },
        { id: "cool", on: command("ring"), cooldownTicks: 3, do: [say("cool")] },
      ),
    );
    const s = scenario(content);
    const ring = (who: string) => texts(s.type(who, "ring")[who], "info");
    expect(ring("alice")).toEqual(["ever", "each", "cool"]);
    expect(ring("alice")).toEqual(["Nothing happens."]);
    expect(ring("bob")).toEqual(["each"]);
    s.run(1);
    expect(ring("alice")).toEqual(["cool"]);
    // The zone remembers what is the zone's; each character, what it fired itself (its own record).
    expect(s.world.triggerState).toEqual({ ever: { fired: true }, cool: { lastTick: 5 } });
    expect(s.player("alice").triggersDone).toEqual([`${s.world.zoneId}/each`]);
    expect(s.player("bob").triggersDone).toEqual([`${s.world.zoneId}/each`]);
    // Logging out and in again (or travelling: travel.test.ts) keeps it.
    s.leave("bob");
    s.join("bob");
    expect(ring("bob")).toEqual(["Nothing happens."]);
  });

  it("still honours a per-player once a world saved before characters kept them remembered by player", () => {
    const content = contentWith((c) =>
      inRoom(c, "village-square", { id: "each", on: command("ring"), once: "per-player", do: [say("each")] }),
    );
    const s = scenario(content);
    s.world.triggerState = { each: { players: ["alice"] } };
    expect(texts(s.type("alice", "ring").alice, "info")).toEqual(["Nothing happens."]);
    expect(texts(s.type("bob", "ring").bob, "info")).toEqual(["each"]);
  });

  it(`rooms teleporting into each other stop after ${MAX_TRIGGER_DEPTH} chained events`, () => {
    const content = contentWith((c) => {
      inRoom(c, "smithy", {
        id: "a",
        on: { event: "enter" },
        do: [say("in smithy"), { type: "teleport", to: "lantern-inn" }],
      });
      inRoom(c, "lantern-inn", {
        id: "b",
        on: { event: "enter" },
        do: [say("in inn"), { type: "teleport", to: "smithy" }],
      });
    });
    const s = scenario(content);
    const seen = texts(s.type("alice", "west").alice, "info");
    expect(seen).toEqual(["in smithy", "in inn", "in smithy"]);
    // The third teleport still moves it; the enter it would cause is one level too deep to fire.
    expect(s.player("alice").roomId).toBe("lantern-inn");
  });

  it("the same seed and commands give the same world hash", async () => {
    const { stateHash } = await import("../../sim/hash");
    const content = contentWith((c) =>
      inZone(
        c,
        {
          id: "flicker",
          on: { event: "timer", everyTicks: 3 },
          if: [{ type: "chance", percent: 50 }],
          do: [{ type: "close-exit", room: "village-square", exit: "east" }],
        },
        {
          id: "mend",
          on: { event: "timer", everyTicks: 4 },
          if: [{ type: "chance", percent: 50 }],
          do: [
            { type: "open-exit", room: "village-square", exit: "east" },
            { type: "spawn-npc", npc: "well-rat", room: "smithy" },
          ],
        },
      ),
    );
    const play = (seed: number) => {
      const s = scenario(content, seed);
      s.run(60, (tick) => (tick % 5 === 0 ? [["alice", tick % 10 ? "east" : "west"]] : []));
      return stateHash(s.world);
    };
    expect(play(11)).toBe(play(11));
    expect(play(11)).not.toBe(play(12));
  });
});
