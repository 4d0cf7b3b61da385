import { describe, expect, it } from "vitest";
import type { TriggerStep } from "../types";
import type { MudPlayer, MudWorld } from "../world";
import { fireTriggers } from "./fire";
import { command, contentWith, direct, inRoom, say } from "./testing";

/** Whether a trigger with condition `condition` fires for Alice, after `setup`. */
function holds(condition: TriggerStep, setup: (world: MudWorld, alice: MudPlayer) => void = () => {}): boolean {
  const content = contentWith((c) =>
    inRoom(c, "village-square", { id: "t", on: command("test"), if: [condition], do: [say("yes")] }),
  );
  const d = direct(content);
  setup(d.world, d.alice);
  return d.fire().fired === 1;
}

describe("trigger conditions", () => {
  it("has-item and lacks-item count carried and worn items", () => {
    const give = (world: MudWorld) => {
      const key = Object.values(world.items).find((i) => i.templateId === "brass-tower-key");
      if (key) world.items[key.id] = { ...key, location: { kind: "inventory", ownerId: "alice" } };
    };
    expect(holds({ type: "has-item", item: "brass-tower-key" })).toBe(false);
    expect(holds({ type: "has-item", item: "brass-tower-key" }, give)).toBe(true);
    expect(holds({ type: "lacks-item", item: "brass-tower-key" })).toBe(true);
    expect(holds({ type: "lacks-item", item: "brass-tower-key" }, give)).toBe(false);
  });

  it("quest-step, quest-done, quest-not-started read the player's quests", () => {
    const on = (p: MudPlayer) => (p.quests = { "rats-in-the-well": { step: 1, progress: 0 } });
    const done = (p: MudPlayer) => (p.quests = { "rats-in-the-well": { step: 1, progress: 0, done: true } });
    expect(holds({ type: "quest-step", quest: "rats-in-the-well", step: 1 }, (_, p) => on(p))).toBe(true);
    expect(holds({ type: "quest-step", quest: "rats-in-the-well", step: 0 }, (_, p) => on(p))).toBe(false);
    expect(holds({ type: "quest-step", quest: "rats-in-the-well", step: 1 }, (_, p) => done(p))).toBe(false);
    expect(holds({ type: "quest-done", quest: "rats-in-the-well" }, (_, p) => done(p))).toBe(true);
    expect(holds({ type: "quest-done", quest: "rats-in-the-well" }, (_, p) => on(p))).toBe(false);
    expect(holds({ type: "quest-not-started", quest: "rats-in-the-well" })).toBe(true);
    expect(holds({ type: "quest-not-started", quest: "rats-in-the-well" }, (_, p) => on(p))).toBe(false);
  });

  it("reputation-at-least and reputation-below, from the faction's start until earned", () => {
    const earned = (_: MudWorld, p: MudPlayer) => (p.reputation = { "lantern-watch": 40 });
    expect(holds({ type: "reputation-at-least", faction: "lantern-watch", value: 0 })).toBe(true);
    expect(holds({ type: "reputation-at-least", faction: "lantern-watch", value: 40 })).toBe(false);
    expect(holds({ type: "reputation-at-least", faction: "lantern-watch", value: 40 }, earned)).toBe(true);
    expect(holds({ type: "reputation-below", faction: "lantern-watch", value: 40 })).toBe(true);
    expect(holds({ type: "reputation-below", faction: "lantern-watch", value: 40 }, earned)).toBe(false);
  });

  it("level-at-least, exit-is (content's lock, then runtime state) and npc-alive", () => {
    expect(holds({ type: "level-at-least", level: 1 })).toBe(true);
    expect(holds({ type: "level-at-least", level: 2 })).toBe(false);
    const locked = { type: "exit-is", room: "tower-steps", exit: "north", state: "locked" };
    expect(holds(locked)).toBe(true);
    expect(holds(locked, (w) => (w.exitState = { "tower-steps/north": "open" }))).toBe(false);
    expect(holds({ type: "exit-is", exit: "east", state: "open" })).toBe(true);
    expect(
      holds(
        { type: "exit-is", exit: "east", state: "closed" },
        (w) => (w.exitState = { "village-square/east": "closed" }),
      ),
    ).toBe(true);
    expect(holds({ type: "npc-alive", npc: "lamplighter" })).toBe(true);
    expect(holds({ type: "npc-alive", npc: "well-rat" })).toBe(false);
    expect(holds({ type: "npc-alive", npc: "well-rat", room: "well-shaft" })).toBe(true);
    const killRats = (w: MudWorld) => {
      for (const n of Object.values(w.npcs)) if (n.templateId === "well-rat") n.respawnAtTick = 99;
    };
    expect(holds({ type: "npc-alive", npc: "well-rat", room: "well-shaft" }, killRats)).toBe(false);
  });

  it("chance draws from the seeded RNG: about its percent of the time, the same for the same seed", () => {
    const content = contentWith((c) =>
      inRoom(c, "village-square", {
        id: "t",
        on: command("test"),
        if: [{ type: "chance", percent: 30 }],
        do: [say("y")],
      }),
    );
    const rolls = (seed: number) => {
      const d = direct(content, "village-square", seed);
      return Array.from({ length: 400 }, () => d.fire().fired);
    };
    const a = rolls(3);
    expect(rolls(3)).toEqual(a);
    const hits = a.filter((f) => f === 1).length;
    expect(hits).toBeGreaterThan(80);
    expect(hits).toBeLessThan(160);
  });

  it("a condition about the player is false without one (a timer)", () => {
    const content = contentWith((c) =>
      inRoom(c, "village-square", {
        id: "t",
        on: { event: "timer", everyTicks: 1 },
        if: [{ type: "level-at-least", level: 1 }],
        do: [say("y")],
      }),
    );
    const d = direct(content);
    expect(fireTriggers(d.ctx, { event: "timer" })).toEqual({ matched: 1, fired: 0 });
  });
});
