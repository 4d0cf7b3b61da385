import { describe, expect, it } from "vitest";
import { readRealmConfig } from "../../config";
import { copyPack, START } from "../../content/fixture";
import { validateContentPack } from "../../content/schema";
import { MudEngine } from "../../mud/engine";
import { Outbox } from "../../mud/events";
import { stepWorld } from "../../mud/step";
import { MudScenario } from "../../mud/testing";
import { defaultTriggers, fireTriggers, triggersSchema } from "../../mud/triggers";
import type { TriggerDef } from "../../mud/types";
import type { ZoneContent } from "../../mud/world";
import { createRng } from "../../sim/rng";
import type { Outcome } from "../../zone/engine";
import { realmWith } from "../installed";
import { type Realm, startRealm } from "../realm";
import lanternFestival from ".";
import { FESTIVE_TEMPLATE } from "./festive";

const festival = () => startRealm([lanternFestival]);

/** The texts a MUD engine's outcome delivers, in order. */
const texts = (outcome: Outcome) =>
  outcome.out.flatMap((d) => ("message" in d && "text" in d.message ? [String(d.message.text)] : []));

/** A guest, Alice, playing in the real `start` zone of a realm, one line a tick. */
function alicePlaying(realm: Realm) {
  const engine = realm.zoneKinds().kindOf("start").create("start", createRng(7));
  if (!(engine instanceof MudEngine)) throw new Error("start is a MUD zone");
  const session = { sessionId: "s-alice", playerId: "s-alice", name: "Alice", gm: false };
  engine.admit(session);
  const rng = createRng(11);
  let tick = 0;
  return {
    engine,
    alice: () => engine.world.players["s-alice"],
    type(line: string) {
      engine.receive(session, { type: "command", line });
      tick += 1;
      return texts(engine.step({ tick, now: tick * 100, rng }));
    },
  };
}

describe("lantern-festival: festive effect", () => {
  it("registers the festive buff as a named effect", () => {
    expect(festival().effect("festive")).toEqual(FESTIVE_TEMPLATE);
  });
});

describe("lantern-festival: dance", () => {
  it("is a MUD command after the built-in ones, with its help", () => {
    const names = festival()
      .commands()
      .list()
      .map((c) => c.name);
    expect(names.at(-1)).toBe("dance");
    expect(names.indexOf("look")).toBeLessThan(names.indexOf("dance"));
  });

  it("shows the dance and grants Festive Spirit, renewed rather than stacked", () => {
    const play = alicePlaying(festival());
    expect(play.type("dance")).toContain("You dance beneath the lanterns. Festive Spirit takes hold.");
    expect(play.alice()?.effects).toMatchObject([{ name: "Festive Spirit", kind: "buff", stat: "dex", magnitude: 2 }]);
    play.type("dance");
    expect(play.alice()?.effects).toHaveLength(1);
    expect(play.alice()?.effects[0]?.remaining_ticks).toBe(FESTIVE_TEMPLATE.duration_ticks);
  });

  it("refuses a dancer in a fight", () => {
    const play = alicePlaying(festival());
    const alice = play.alice();
    if (!alice) throw new Error("Alice is in the world");
    alice.targetId = Object.keys(play.engine.world.npcs)[0] ?? null;
    expect(play.type("dance")).toContain("You are too busy fighting to dance.");
    expect(play.alice()?.effects).toEqual([]);
  });
});

describe("lantern-festival: skittish", () => {
  /** The start zone with its well rats skittish, Alice in the well shaft, one rat fighting her. */
  function ratFight(hp: number) {
    const scenario = new MudScenario();
    const rat = scenario.content.npcs["well-rat"];
    if (!rat) throw new Error("the start zone has well rats");
    const content: ZoneContent = {
      ...scenario.content,
      npcs: { ...scenario.content.npcs, "well-rat": { ...rat, behaviour: "skittish" } },
    };
    scenario.join("alice", { roomId: "well-shaft" });
    const npc = Object.values(scenario.world.npcs).find((n) => n.templateId === "well-rat");
    if (!npc) throw new Error("a rat spawned");
    Object.assign(npc, { hp, targetId: "alice" });
    return { scenario, content, ratId: npc.id };
  }

  const step = (fight: ReturnType<typeof ratFight>, realm: Realm | undefined) =>
    stepWorld(fight.scenario.world, [], {
      tick: 1,
      rng: createRng(3),
      content: fight.content,
      commands: fight.scenario.commands,
      ...(realm ? { behaviours: realm.behaviours } : {}),
    });

  it("flees through an open exit when badly hurt, and forgets its foe", () => {
    const fight = ratFight(1);
    const result = step(fight, festival());
    const rat = result.world.npcs[fight.ratId];
    expect(rat?.roomId).not.toBe("well-shaft");
    expect(rat?.targetId).toBeNull();
    const said = result.out.map((o) => o.event.text);
    expect(said.some((t) => /^A bloated well rat panics and flees \w+!$/.test(t))).toBe(true);
    expect(said).toContain("A bloated well rat scurries in, wide-eyed.");
  });

  it("fights on while hale, and acts as any NPC when the plugin is not enabled", () => {
    const hale = ratFight(1000);
    expect(step(hale, festival()).world.npcs[hale.ratId]?.roomId).toBe("well-shaft");
    const off = ratFight(1);
    expect(step(off, undefined).world.npcs[off.ratId]).toMatchObject({ roomId: "well-shaft", targetId: "alice" });
  });
});

describe("lantern-festival: fireworks", () => {
  const show: TriggerDef = {
    id: "square-show",
    on: { event: "enter" },
    do: [{ type: "fireworks", colour: "gold", festive: true }],
  };

  it("is a trigger action content may name in a realm that enables the plugin", () => {
    const steps = [{ id: "show", on: { event: "enter" }, do: [{ type: "fireworks", festive: true }] }];
    expect(triggersSchema(festival().triggers, "room").safeParse(steps).success).toBe(true);
    expect(triggersSchema(defaultTriggers(), "room").safeParse(steps).success).toBe(false);
    const bad = [{ id: "show", on: { event: "enter" }, do: [{ type: "fireworks", colour: "plaid" }] }];
    expect(triggersSchema(festival().triggers, "room").safeParse(bad).success).toBe(false);
  });

  it("validates in a whole pack only with the realm's triggers, as the builder API and the zones check it", () => {
    const copy = copyPack();
    copy.room(START, "village-square").triggers = [show];
    expect(validateContentPack(copy.files, { triggers: festival().triggers }).ok).toBe(true);
    const without = validateContentPack(copy.files);
    expect(without.ok).toBe(false);
    if (!without.ok) expect(without.error[0]).toMatchObject({ file: START, path: expect.stringMatching(/triggers/) });
  });

  it("bursts over the room and, when festive, gives everyone there the festive effect", () => {
    const scenario = new MudScenario();
    scenario.join("alice", { roomId: "village-square" });
    scenario.join("bob", { roomId: "village-square" });
    const square = scenario.content.rooms["village-square"];
    if (!square) throw new Error("the start zone has a village square");
    const withShow = { ...square, triggers: [show] };
    const content: ZoneContent = {
      ...scenario.content,
      rooms: { ...scenario.content.rooms, "village-square": withShow },
      zone: {
        ...scenario.content.zone,
        rooms: scenario.content.zone.rooms.map((r) => (r.id === square.id ? withShow : r)),
      },
    };
    const out = new Outbox();
    const alice = scenario.world.players.alice;
    if (!alice) throw new Error("Alice joined");
    const ctx = { world: scenario.world, content, rng: createRng(1), tick: 5, out, triggers: festival().triggers };
    expect(fireTriggers(ctx, { event: "enter", player: alice, room: "village-square" })).toEqual({
      matched: 1,
      fired: 1,
    });
    expect(out.items.map((o) => o.event.text)).toContain(
      "Fireworks burst overhead, raining gold stars over the lanterns!",
    );
    for (const id of ["alice", "bob"]) {
      expect(scenario.world.players[id]?.effects).toMatchObject([{ name: "Festive Spirit" }]);
    }
  });
});

describe("lantern-festival through the installed list", () => {
  it("runs in the realm when PLUGINS names it, and not otherwise", () => {
    const on = realmWith(readRealmConfig({ PLUGINS: "lantern-festival" }).plugins);
    expect(on.plugins).toEqual(["lantern-festival"]);
    expect(alicePlaying(on).type("dance")).toContain("You dance beneath the lanterns. Festive Spirit takes hold.");

    const off = realmWith(readRealmConfig({}).plugins);
    expect(off.plugins).toEqual([]);
    expect(off.behaviours.get("skittish")).toBeUndefined();
    const play = alicePlaying(off);
    expect(play.type("dance").join("\n")).not.toContain("Festive Spirit");
    expect(play.alice()?.effects).toEqual([]);
  });
});
