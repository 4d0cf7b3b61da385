import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../shared/protocol/messages";
import { describeFrame, GmcpTracker } from "./present";

const character = {
  id: "8f14e45f-ceea-4e7a-9c1b-000000000001",
  name: "Brannoc",
  class: "warrior",
  level: 1,
  xp: 0,
  hp: 80,
  mp: 30,
  str: 14,
  dex: 9,
  int: 5,
  vit: 12,
  zoneId: "start",
  roomId: null,
  x: 0,
  y: 0,
  playSeconds: 0,
};
const welcome = {
  type: "welcome",
  protocol: 1,
  snapshots: "json",
  sessionId: "s1",
  name: "Brannoc",
  zone: "start",
  realm: "test",
  tickRate: 10,
  tick: 1,
  weather: "clear",
  character,
  recent: [],
} as ServerMessage;
const room = {
  type: "room",
  text: "Lanternmere Square\nA square.\nExits: north, east.",
  payload: { id: "village-square", name: "Lanternmere Square", exits: ["north", "east"], items: [] },
} as ServerMessage;

describe("describeFrame", () => {
  it("styles a room's title and exits", () => {
    expect(describeFrame(room)).toEqual([
      { text: "Lanternmere Square", style: "title" },
      { text: "A square.", style: "plain" },
      { text: "Exits: north, east.", style: "exits" },
    ]);
  });

  it("prints chat, arrivals, errors and travel; nothing for welcome, pong or an empty stat_update", () => {
    const said = { type: "said", id: 1, sessionId: "s2", name: "Ada", text: "hello", tick: 3 } as ServerMessage;
    expect(describeFrame(said, "s1")).toEqual([{ text: "Ada says: hello", style: "chat" }]);
    expect(describeFrame(said, "s2")).toEqual([{ text: "You say: hello", style: "chat" }]);
    expect(describeFrame({ type: "joined", sessionId: "s2", name: "Ada" })[0]?.text).toBe("Ada has joined.");
    expect(describeFrame({ type: "error", code: "rate_limited", message: "Slow down" })).toEqual([
      { text: "Slow down (rate_limited)", style: "error" },
    ]);
    expect(describeFrame({ type: "travel", zone: "test-area", reason: "You step through." })[0]?.text).toBe(
      "You step through.",
    );
    expect(describeFrame(welcome)).toEqual([]);
    expect(describeFrame({ type: "stat_update", text: "", payload: { hp: 3 } } as ServerMessage)).toEqual([]);
    expect(describeFrame({ type: "combat", text: "You hit the rat for 4." } as ServerMessage)[0]?.style).toBe("damage");
  });
});

describe("GmcpTracker", () => {
  it("sends Char.Vitals from welcome (maxima from attributes) and keeps them whole on stat_update", () => {
    const tracker = new GmcpTracker();
    // Warrior vit 12, level 1: 20 + 12 × 5 = 80 hp; int 5: 10 + 5 × 4 = 30 mp (shared/rules/stats.ts).
    expect(tracker.onFrame(welcome)).toEqual([{ name: "Char.Vitals", data: { hp: 80, maxhp: 80, mp: 30, maxmp: 30 } }]);
    const update = { type: "stat_update", text: "", payload: { hp: 71 } } as ServerMessage;
    expect(tracker.onFrame(update)).toEqual([{ name: "Char.Vitals", data: { hp: 71, maxhp: 80, mp: 30, maxmp: 30 } }]);
    expect(tracker.onFrame(update)).toEqual([]);
    const stats = { type: "stats", text: "…", payload: { hp: 71, max_hp: 90, mp: 30, max_mp: 30 } } as ServerMessage;
    expect(tracker.onFrame(stats)[0]?.data).toEqual({ hp: 71, maxhp: 90, mp: 30, maxmp: 30 });
  });

  it("sends Room.Info with a realm-wide num and the zone as area", () => {
    const tracker = new GmcpTracker();
    tracker.onFrame(welcome);
    expect(tracker.onFrame(room)).toEqual([
      {
        name: "Room.Info",
        data: {
          num: "start:village-square",
          id: "village-square",
          name: "Lanternmere Square",
          area: "start",
          zone: "start",
          exits: ["north", "east"],
        },
      },
    ]);
  });

  it("sends Char.Items.List from inventory and Add/Remove for the player's own pick-ups and drops", () => {
    const tracker = new GmcpTracker();
    const inventory = {
      type: "inventory",
      text: "You carry: a mug.",
      payload: { carried: ["a mug"], items: [{ id: "item-1", name: "a mug" }, { id: 7 }], stacks: [], equipped: [] },
    } as ServerMessage;
    expect(tracker.onFrame(inventory)).toEqual([
      { name: "Char.Items.List", data: { location: "inv", items: [{ id: "item-1", name: "a mug" }] } },
    ]);
    const got = { type: "item", text: "You pick up a mug.", payload: { action: "get", item: "a mug", itemId: "i2" } };
    expect(tracker.onFrame(got as ServerMessage)).toEqual([
      { name: "Char.Items.Add", data: { location: "inv", item: { id: "i2", name: "a mug" } } },
    ]);
    const dropped = { type: "item", text: "You drop a mug.", payload: { action: "drop", item: "a mug", itemId: "i2" } };
    expect(tracker.onFrame(dropped as ServerMessage)[0]?.name).toBe("Char.Items.Remove");
    const theirs = { type: "item", text: "Ada drops a mug.", payload: { action: "drop", item: "a mug", actor: "Ada" } };
    expect(tracker.onFrame(theirs as ServerMessage)).toEqual([]);
  });
});
