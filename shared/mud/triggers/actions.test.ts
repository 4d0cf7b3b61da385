import { describe, expect, it } from "vitest";
import { texts } from "../testing";
import type { TriggerStep } from "../types";
import { openExits, spawnItem } from "../world";
import { fireTriggers } from "./fire";
import { command, contentWith, direct, inRoom, say, scenario } from "./testing";

describe("trigger actions", () => {
  /** Fires one trigger of the square doing `actions` for Alice; returns the direct harness. */
  function run(actions: TriggerStep[], roomId = "village-square") {
    const content = contentWith((c) => inRoom(c, roomId, { id: "t", on: command("test"), do: actions }));
    const d = direct(content, roomId);
    expect(d.fire().fired).toBe(1);
    return { ...d, content };
  }

  it("spawn-npc and despawn-npc: spawned ones vanish, the pack's own wait to respawn", () => {
    const d = run([
      { type: "spawn-npc", npc: "well-rat", count: 3 },
      { type: "despawn-npc", npc: "lamplighter" },
    ]);
    const here = Object.values(d.world.npcs).filter((n) => n.roomId === "village-square");
    expect(here.filter((n) => n.templateId === "well-rat" && n.transient && n.respawnAtTick === null)).toHaveLength(3);
    expect(here.find((n) => n.templateId === "lamplighter")?.respawnAtTick).toBeGreaterThan(10);
    fireTriggers(d.ctx, { event: "command", player: d.alice, room: "village-square", word: "test", args: "" });
    expect(
      Object.values(d.world.npcs).filter((n) => n.roomId === "village-square" && n.templateId === "well-rat"),
    ).toHaveLength(3);
    const gone = run([
      { type: "spawn-npc", npc: "well-rat" },
      { type: "despawn-npc", npc: "well-rat" },
    ]);
    expect(
      Object.values(gone.world.npcs).filter((n) => n.roomId === "village-square" && n.templateId === "well-rat"),
    ).toEqual([]);
  });

  it("open, close, lock and unlock an exit; walking, wandering and the room's text honour it", () => {
    const d = run([
      { type: "close-exit", exit: "east" },
      { type: "lock-exit", exit: "west" },
      { type: "unlock-exit", exit: "east" },
      { type: "open-exit", room: "tower-steps", exit: "north" },
    ]);
    expect(d.world.exitState).toEqual({
      "village-square/east": "closed",
      "village-square/west": "locked",
      "tower-steps/north": "open",
    });
    const open = openExits(d.content.rooms["village-square"], "start", d.world).map(([e]) => e);
    expect(open).toEqual(["north", "south", "down"]);
    // Back to content's own state: forgotten rather than stored.
    const u = run([
      { type: "lock-exit", exit: "west" },
      { type: "unlock-exit", exit: "west" },
    ]);
    expect(u.world.exitState).toEqual({});
    const s = scenario(
      contentWith((c) =>
        inRoom(c, "village-square", {
          id: "t",
          on: command("test"),
          do: [
            { type: "close-exit", exit: "east" },
            { type: "lock-exit", exit: "west" },
          ],
        }),
      ),
    );
    s.type("alice", "test");
    expect(texts(s.type("alice", "east").alice, "info")).toEqual(["The way east is closed."]);
    expect(texts(s.type("alice", "west").alice, "info")).toEqual([
      "The way west is locked. Perhaps a key lies somewhere.",
    ]);
    const look = s.type("alice", "look").alice?.find((e) => e.type === "room");
    expect(look?.text).toContain("Exits: north, east (closed), west (locked), south, down.");
    expect(look?.payload).toMatchObject({ exitStates: { east: "closed", west: "locked" } });
  });

  it("message to the player, the others in the room, the zone", () => {
    const d = run([
      say("to you"),
      { type: "message", to: "room", text: "{player} waves" },
      { type: "message", to: "zone", text: "bells" },
    ]);
    expect(d.out.items).toEqual([
      { audience: { to: "alice" }, event: { type: "info", text: "to you" } },
      { audience: { room: "village-square", except: ["alice"] }, event: { type: "info", text: "Alice waves" } },
      { audience: { zone: true }, event: { type: "info", text: "bells" } },
    ]);
  });

  it("apply-effect, give-item (unique once), take-item", () => {
    const effect = { name: "Glow", kind: "hot", duration_ticks: 30, interval_ticks: 10, magnitude: 2 };
    const d = run([
      { type: "apply-effect", effect },
      { type: "give-item", item: "cracked-mug", count: 2 },
      { type: "give-item", item: "watch-token", count: 3 },
      { type: "give-item", item: "watch-token" },
      { type: "take-item", item: "cracked-mug" },
    ]);
    expect(d.alice.effects).toMatchObject([{ name: "Glow", source: "trigger:t", remaining_ticks: 30 }]);
    const held = Object.values(d.world.items)
      .filter((i) => i.location.kind === "inventory")
      .map((i) => i.templateId);
    expect(held.sort()).toEqual(["cracked-mug", "watch-token"]);
  });

  it("give-item gives no second unique item to a player who keeps one in a bag", () => {
    const content = contentWith((c) =>
      inRoom(c, "village-square", { id: "t", on: command("test"), do: [{ type: "give-item", item: "watch-token" }] }),
    );
    const d = direct(content);
    const bag = spawnItem(d.world, content, "travellers-satchel", "village-square");
    const token = spawnItem(d.world, content, "watch-token", "village-square");
    d.world.items[bag.id] = { ...bag, location: { kind: "inventory", ownerId: "alice" } };
    d.world.items[token.id] = { ...token, location: { kind: "container", containerId: bag.id } };
    d.fire();
    expect(Object.values(d.world.items).filter((i) => i.templateId === "watch-token")).toHaveLength(1);
  });

  it("teleport within the zone fires enter there; into another zone it departs", () => {
    const content = contentWith((c) => {
      inRoom(c, "village-square", { id: "t", on: command("test"), do: [{ type: "teleport", to: "tower-study" }] });
      inRoom(c, "tower-study", { id: "arrive", on: { event: "enter" }, do: [say("Dust swirls.")] });
      inRoom(c, "smithy", {
        id: "t2",
        on: command("test"),
        do: [{ type: "teleport", to: "whispering-woods:woods-edge" }],
      });
    });
    const d = direct(content);
    d.fire();
    expect(d.alice.roomId).toBe("tower-study");
    expect(d.out.items.map((o) => o.event.text)).toContain("Dust swirls.");
    const e = direct(content, "smithy");
    e.fire();
    expect(e.departures).toEqual([{ playerId: "alice", zoneId: "whispering-woods" }]);
  });

  it("an item a trigger gives counts toward a quest's collect step", () => {
    const content = contentWith((c) =>
      inRoom(c, "village-square", { id: "t", on: command("test"), do: [{ type: "give-item", item: "chalk-stub" }] }),
    );
    const d = direct(content);
    d.alice.quests = { "first-steps": { step: 0, progress: 0 } };
    d.fire();
    expect(d.alice.quests?.["first-steps"]?.step).toBe(1);
  });

  it("start-quest, advance-quest and adjust-reputation go through the quest rules", () => {
    const d = run([
      { type: "start-quest", quest: "rats-in-the-well" },
      { type: "advance-quest", quest: "rats-in-the-well" },
      { type: "adjust-reputation", faction: "lantern-watch", delta: 15 },
    ]);
    expect(d.alice.quests?.["rats-in-the-well"]).toEqual({ step: 1, progress: 0 });
    expect(d.alice.reputation).toEqual({ "lantern-watch": 15 });
  });
});
