import { describe, expect, it } from "vitest";
import { type FightContext, killNpc } from "../fight";
import { texts } from "../testing";
import { command, contentWith, direct, inRoom, inZone, say, scenario } from "./testing";

describe("trigger events", () => {
  it("enter and exit fire when walking, in the room's order; the player sees them after the room", () => {
    const content = contentWith((c) => {
      inRoom(c, "smithy", {
        id: "smithy-in",
        on: { event: "enter" },
        do: [say("The forge roars."), { type: "message", to: "room", text: "{player} comes in." }],
      });
      inRoom(c, "village-square", {
        id: "square-out",
        on: { event: "exit", exit: "west" },
        do: [say("You leave the square westward.")],
      });
      inZone(c, { id: "any-enter", on: { event: "enter", room: "smithy" }, do: [say("Zone knows.")] });
    });
    const s = scenario(content);
    s.type("bob", "west");
    const seen = s.type("alice", "west");
    expect(texts(seen.alice, "info")).toEqual(["You leave the square westward.", "The forge roars.", "Zone knows."]);
    expect(seen.alice?.findIndex((e) => e.type === "room")).toBeLessThan(
      seen.alice?.findIndex((e) => e.type === "info") ?? -1,
    );
    expect(texts(seen.bob, "info")).toContain("Alice comes in.");
    // Walking east fires neither the west exit nor the smithy's enter.
    s.type("alice", "east");
    expect(texts(s.type("alice", "east").alice, "info")).toEqual([]);
  });

  it("enter fires on the first tick a traveller from another zone stands in its room, and not on logging in again", () => {
    const content = contentWith((c) =>
      inRoom(c, "smithy", { id: "smithy-in", on: { event: "enter" }, do: [say("The forge roars.")] }),
    );
    const s = scenario(content);
    s.leave("alice");
    // As placeInWorld (travel.ts) leaves a character handed over by another zone: offline, arriving.
    Object.assign(s.player("alice"), { roomId: "smithy", arriving: true });
    s.join("alice");
    expect(texts(s.step().alice, "info")).toEqual(["The forge roars."]);
    expect(s.player("alice").arriving).toBeUndefined();
    expect(texts(s.step().alice, "info")).toEqual([]);
    // Logging out and in again in the same room is no arrival.
    s.leave("alice");
    s.join("alice");
    expect(texts(s.step().alice, "info")).toEqual([]);
  });

  it("room verbs: after exact commands and exits, before prefixes; wrong args and held-back triggers answer", () => {
    const content = contentWith((c) => {
      inRoom(c, "village-square", {
        id: "lever",
        on: command("pull", "the lever"),
        if: [{ type: "level-at-least", level: 2 }],
        do: [{ type: "close-exit", exit: "north" }, say("Clunk.")],
      });
    });
    const s = scenario(content);
    const info = (line: string) => texts(s.type("alice", line).alice, "info");
    expect(info("pull  The Lever")).toEqual(["Nothing happens."]);
    expect(info("pull rope")).toEqual(["You can't pull rope here."]);
    s.player("alice").level = 2;
    expect(info("PULL the lever")).toEqual(["Clunk."]);
    expect(info("north")).toEqual(["The way north is closed."]);
    expect(s.player("alice").roomId).toBe("village-square");
    // Elsewhere the verb does not exist.
    s.type("alice", "east");
    expect(info("pull lever")).toEqual(['Huh? "pull" is not a command. Type help for the list.']);
  });

  it("precedence at run time: a command's exact word, then an exit, then the room verb, then prefixes", () => {
    const content = contentWith((c) =>
      inRoom(
        c,
        "village-square",
        { id: "look", on: command("look"), do: [say("verb look")] },
        { id: "down", on: command("down"), do: [say("verb down")] },
        { id: "hel", on: command("hel"), do: [say("verb hel")] },
      ),
    );
    const s = scenario(content);
    expect(texts(s.type("alice", "look").alice, "info")).toEqual([]);
    expect(texts(s.type("alice", "hel").alice, "info")).toEqual(["verb hel"]);
    s.type("alice", "down");
    expect(s.player("alice").roomId).toBe("well-shaft");
  });

  it("a timer fires on its ticks, players present or not, and spawn-npc never overfills", () => {
    const content = contentWith((c) =>
      inZone(c, {
        id: "rats",
        on: { event: "timer", everyTicks: 5, offsetTicks: 2 },
        do: [{ type: "spawn-npc", npc: "well-rat", room: "smithy", count: 2 }],
      }),
    );
    const s = scenario(content);
    const rats = () => Object.values(s.world.npcs).filter((n) => n.roomId === "smithy" && n.templateId === "well-rat");
    s.run(1);
    expect(rats()).toHaveLength(0);
    s.run(1);
    expect(s.tick).toBe(2);
    expect(rats().map((n) => n.transient)).toEqual([true, true]);
    s.run(10);
    expect(rats()).toHaveLength(2);
  });

  it("npc-death fires for the killer; a spawned NPC is gone for good when killed", () => {
    const content = contentWith((c) =>
      inZone(c, {
        id: "rat-bounty",
        on: { event: "npc-death", npc: "well-rat" },
        do: [{ type: "give-item", item: "rat-tail" }, say("Bounty!")],
      }),
    );
    const d = direct(content, "well-shaft");
    const rat = Object.values(d.world.npcs).find((n) => n.templateId === "well-rat");
    if (!rat) throw new Error("no rat");
    rat.transient = true;
    const fight: FightContext = { ...d.ctx, out: d.out };
    killNpc(fight, rat, d.alice);
    expect(d.world.npcs[rat.id]).toBeUndefined();
    expect(d.out.items.map((o) => o.event.text)).toContain("Bounty!");
    expect(
      Object.values(d.world.items).some((i) => i.templateId === "rat-tail" && i.location.kind === "inventory"),
    ).toBe(true);
  });

  it("use fires item-used; a potion is still drunk; anything else says nothing happens", () => {
    const content = contentWith((c) =>
      inRoom(c, "lantern-inn", {
        id: "mug",
        on: { event: "item-used", item: "cracked-mug" },
        do: [say("You toast the inn.")],
      }),
    );
    const s = scenario(content);
    s.type("alice", "east");
    s.type("alice", "get mug");
    s.type("alice", "get draught");
    expect(texts(s.type("alice", "use mug").alice, "info")).toEqual(["You toast the inn."]);
    expect(texts(s.type("alice", "use draught").alice, "effect_start")).toHaveLength(1);
    expect(s.inventory("alice")).toEqual(["cracked-mug"]);
    s.type("alice", "west");
    expect(texts(s.type("alice", "use mug").alice, "info")).toEqual([
      "Nothing happens when you use a cracked clay mug here.",
    ]);
    expect(texts(s.type("alice", "use").alice, "info")).toEqual(["What do you want to use?"]);
  });
});
