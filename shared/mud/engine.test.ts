/**
 * The MUD engine behind the zone engine contract (shared/zone/engine.ts), driven as a zone hosts it:
 * sessions admitted and released, command frames queued and answered on the next step, the world
 * settled after a reload, and its state serialized and restored, on the real Arcane Realms content.
 */
import { describe, expect, it } from "vitest";
import type { CharacterSnapshot } from "../protocol/character";
import { parsedCharacter as character } from "../protocol/character.fixtures";
import { createRng } from "../sim/rng";
import {
  type Delivery,
  type EngineMessage,
  type EngineSession,
  isOutcome,
  NOTHING,
  type Outcome,
  type ReceiveContext,
} from "../zone/engine";
import { MAX_QUEUED_PER_PLAYER, MUD_KIND, MudEngine } from "./engine";
import type { MudEvent } from "./events";

const ZONE = "start";
const stats = {
  summary: () => {
    throw new Error("a MUD zone has no stats line");
  },
  reset: () => {},
};
const ctx: ReceiveContext = { tick: 0, now: 1_000, stats };

const ADA_ID = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
const BOB_ID = "7a2b3c4d-5e6f-4a7b-9c8d-1e2f3a4b5c6d";

function guest(name: string, over: Partial<EngineSession> = {}): EngineSession {
  const sessionId = `session-${name.toLowerCase()}`;
  return { sessionId, playerId: sessionId, name, gm: false, ...over };
}

function hero(id: string, name: string, over: Partial<CharacterSnapshot> = {}): EngineSession {
  const c = character(id, { name, ...over });
  return { sessionId: `session-${name.toLowerCase()}`, playerId: c.id, name, character: c, gm: false };
}

function create(): MudEngine {
  const engine = MUD_KIND.create(ZONE, createRng(7));
  if (!(engine instanceof MudEngine)) throw new Error("the mud kind opened something other than a MudEngine");
  return engine;
}

/** The engine's ticks, numbered from 1 as a zone runs them. */
function stepper(engine: MudEngine, seed = 3) {
  const rng = createRng(seed);
  let tick = 0;
  return (): Outcome => {
    tick += 1;
    return engine.step({ tick, now: tick * 100, rng });
  };
}

function accepted(result: ReturnType<MudEngine["receive"]>): Outcome {
  if (!isOutcome(result)) throw new Error(`refused: ${result.code} ${result.message}`);
  return result;
}

const command = (line: string): EngineMessage => ({ type: "command", line });

/** The messages of `out` that reach `playerId` (room and player audiences; a MUD sends no pre-encoded text). */
function seenBy(out: readonly Delivery[], playerId: string): MudEvent[] {
  return out.flatMap((d) => {
    if (!("message" in d)) throw new Error("a MUD engine sends messages, not pre-encoded text");
    const to = d.to;
    const reaches = "players" in to ? to.players.includes(playerId) : "all" in to ? to.except !== playerId : false;
    return reaches ? [d.message as MudEvent] : [];
  });
}

const ofType = (out: readonly Delivery[], playerId: string, type: string) =>
  seenBy(out, playerId).filter((e) => e.type === type);

describe("the mud kind", () => {
  it("claims the world zones of the content pack and names its payload mud_world", () => {
    expect(MUD_KIND.claims("start")).toBe(true);
    expect(MUD_KIND.claims("test-area")).toBe(false);
    expect(MUD_KIND.claims("no-such-zone")).toBe(false);
    expect(MUD_KIND.stateName).toBe("mud_world");
  });

  it("opens a fresh world of the zone, the same for the same seed, clean until something happens", () => {
    const a = create();
    const b = create();
    expect(a.world).toEqual(b.world);
    expect(a.world.zoneId).toBe("start");
    expect(Object.keys(a.world.players)).toEqual([]);
    expect(Object.keys(a.world.npcs).length).toBeGreaterThan(0);
    expect(a.dirty).toBe(false);
    expect(a.kind).toBe("mud");
    expect(a.announcesPresence).toBe(true);
    expect(a.population()).toBeUndefined();
  });
});

describe("admitting a session", () => {
  it("places a guest in the entry room as a fresh warrior and describes the room to its player only", () => {
    const engine = create();
    const ada = guest("Ada");
    const admitted = engine.admit(ada);

    expect(admitted.critical).toBe(false);
    expect(engine.dirty).toBe(true);
    const player = engine.world.players[ada.playerId];
    expect(player).toMatchObject({ name: "Ada", classId: "warrior", level: 1, online: true, guest: true });
    expect(player?.roomId).toBe("village-square");

    const rooms = admitted.out.filter((d) => "message" in d && d.message.type === "room");
    expect(rooms).toEqual([
      {
        to: { players: [ada.playerId] },
        message: expect.objectContaining({
          type: "room",
          text: expect.stringMatching(/^Lanternmere Square\n/),
          payload: expect.objectContaining({ id: "village-square", players: [] }),
        }),
      },
    ]);
    // Alone in the room: the arrival reaches nobody.
    expect(seenBy(admitted.out, ada.playerId).map((e) => e.type)).toEqual(["room"]);
  });

  it("lets the others in the room hear the arrival, not the newcomer, and shows the newcomer who is there", () => {
    const engine = create();
    const ada = guest("Ada");
    const bob = guest("Bob");
    engine.admit(ada);
    const admitted = engine.admit(bob);

    const arrivals = admitted.out.filter((d) => "message" in d && d.message.type === "arrive");
    expect(arrivals).toEqual([
      { to: { players: [ada.playerId] }, message: expect.objectContaining({ text: "Bob arrives." }) },
    ]);
    expect(ofType(admitted.out, bob.playerId, "arrive")).toEqual([]);
    const [look] = ofType(admitted.out, bob.playerId, "room");
    expect(look?.text).toMatch(/\nAda is here\.$/);
    expect(ofType(admitted.out, ada.playerId, "room")).toEqual([]);
  });

  it("brings a character in where it was, with the level and pools it brought", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada", { roomId: "lantern-inn", level: 3, xp: 250, hp: 40, mp: 12 });
    const admitted = engine.admit(ada);
    expect(engine.world.players[ADA_ID]).toMatchObject({
      roomId: "lantern-inn",
      level: 3,
      xp: 250,
      hp: 40,
      mp: 12,
      online: true,
    });
    expect(engine.world.players[ADA_ID]?.guest).toBeUndefined();
    expect(ofType(admitted.out, ADA_ID, "room")[0]?.text).toMatch(/^The Sleeping Lantern\n/);
  });
});

describe("command frames", () => {
  it("are queued and answered only by the next step, addressed to who sees them", () => {
    const engine = create();
    const ada = guest("Ada");
    const bob = guest("Bob");
    engine.admit(ada);
    engine.admit(bob);
    const step = stepper(engine);

    const queued = accepted(engine.receive(ada, command("east"), ctx));
    expect(queued.out).toEqual([]);
    expect(engine.world.players[ada.playerId]?.roomId).toBe("village-square");

    const stepped = step();
    expect(engine.world.players[ada.playerId]?.roomId).toBe("lantern-inn");
    expect(ofType(stepped.out, ada.playerId, "room")[0]?.text).toMatch(/^The Sleeping Lantern\n/);
    // Bob stayed in the square: he sees Ada go, and nothing of the inn.
    expect(seenBy(stepped.out, bob.playerId).map((e) => e.text)).toEqual([expect.stringMatching(/^Ada /)]);
    expect(ofType(stepped.out, bob.playerId, "room")).toEqual([]);
    expect(stepped.changedPlayers).toContain(ada.playerId);

    // The queue was emptied by the step: the next one runs nothing again.
    const idle = step();
    expect(seenBy(idle.out, ada.playerId).filter((e) => e.type === "room")).toEqual([]);
    expect(engine.world.players[ada.playerId]?.roomId).toBe("lantern-inn");
  });

  it("answers an unknown word with a hint to its player only", () => {
    const engine = create();
    const ada = guest("Ada");
    const bob = guest("Bob");
    engine.admit(ada);
    engine.admit(bob);
    accepted(engine.receive(ada, command("dance wildly"), ctx));
    const stepped = stepper(engine)();
    expect(stepped.out).toContainEqual({
      to: { players: [ada.playerId] },
      message: { type: "info", text: 'Huh? "dance" is not a command. Type help for the list.' },
    });
    expect(seenBy(stepped.out, bob.playerId)).toEqual([]);
  });

  it(`refuses more than ${MAX_QUEUED_PER_PLAYER} waiting commands of one player as rate_limited, until the next step`, () => {
    const engine = create();
    const ada = guest("Ada");
    const bob = guest("Bob");
    engine.admit(ada);
    engine.admit(bob);

    for (let i = 0; i < MAX_QUEUED_PER_PLAYER; i++) accepted(engine.receive(ada, command("look"), ctx));
    expect(engine.receive(ada, command("look"), ctx)).toMatchObject({ code: "rate_limited" });
    // Another player's queue is its own.
    accepted(engine.receive(bob, command("look"), ctx));

    const stepped = stepper(engine)();
    expect(ofType(stepped.out, ada.playerId, "room")).toHaveLength(MAX_QUEUED_PER_PLAYER);
    expect(ofType(stepped.out, bob.playerId, "room")).toHaveLength(1);
    accepted(engine.receive(ada, command("look"), ctx));
  });

  it("counts a player's commands across its sessions", () => {
    const engine = create();
    const first = hero(ADA_ID, "Ada");
    const second = { ...first, sessionId: "session-ada-2" };
    engine.admit(first);
    for (let i = 0; i < MAX_QUEUED_PER_PLAYER - 1; i++) accepted(engine.receive(first, command("look"), ctx));
    accepted(engine.receive(second, command("look"), ctx));
    expect(engine.receive(second, command("look"), ctx)).toMatchObject({ code: "rate_limited" });
  });

  it("refuses real-time frames as unsupported, naming the zone", () => {
    const engine = create();
    const ada = guest("Ada");
    engine.admit(ada);
    const frames: EngineMessage[] = [
      { type: "input", seq: 1, move: { x: 1, y: 0 } },
      { type: "cast", skill: "magic-missile" },
      { type: "ack", n: 1 },
      { type: "resync" },
    ];
    for (const frame of frames) {
      expect(engine.receive(ada, frame, ctx)).toMatchObject({
        code: "unsupported",
        field: "type",
        message: expect.stringMatching(new RegExp(`^${frame.type} is for field zones.*start is not one`)),
      });
    }
  });

  it("makes a step that moves an item critical, and names who changed", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada", { roomId: "lantern-inn" });
    engine.admit(ada);
    const step = stepper(engine);
    expect(step().critical).toBe(false);

    accepted(engine.receive(ada, command("get mug"), ctx));
    const stepped = step();
    expect(stepped.critical).toBe(true);
    expect(ofType(stepped.out, ADA_ID, "item").map((e) => e.text)).toEqual(["You pick up a cracked clay mug."]);
    const mug = Object.values(engine.world.items).find((i) => i.templateId === "cracked-mug");
    expect(mug?.location).toEqual({ kind: "inventory", ownerId: ADA_ID });
  });
});

describe("releasing a session", () => {
  it("changes nothing while another session still plays the player", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    engine.admit(ada);
    engine.serialize();
    const before = structuredClone(engine.world);

    const released = engine.release(ada, false);
    expect(released.out).toEqual([]);
    expect(released.critical).toBe(false);
    expect(engine.world).toEqual(before);
    expect(engine.dirty).toBe(false);
  });

  it("takes a character offline with its last session; it stays in the world and the room hears it go", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    const bob = guest("Bob");
    engine.admit(ada);
    engine.admit(bob);
    engine.serialize();

    const released = engine.release(ada, true);
    expect(engine.world.players[ADA_ID]).toMatchObject({ online: false, roomId: "village-square" });
    expect(engine.dirty).toBe(true);
    expect(released.out).toEqual([
      {
        to: { players: [bob.playerId] },
        message: expect.objectContaining({ type: "depart", text: "Ada leaves the realm." }),
      },
    ]);

    // Gone from the room: the next arrival no longer sees her there.
    const carl = engine.admit(guest("Carl"));
    expect(ofType(carl.out, "session-carl", "room")[0]?.text).not.toMatch(/Ada is here/);
  });

  it("removes a guest with its last session, dropping what it carried where it stood (critical)", () => {
    const engine = create();
    const ada = guest("Ada");
    engine.admit(ada);
    accepted(engine.receive(ada, command("east"), ctx));
    accepted(engine.receive(ada, command("get mug"), ctx));
    stepper(engine)();
    const mug = Object.values(engine.world.items).find((i) => i.templateId === "cracked-mug");
    expect(mug?.location).toEqual({ kind: "inventory", ownerId: ada.playerId });

    const released = engine.release(ada, true);
    expect(released.critical).toBe(true);
    expect(engine.world.players[ada.playerId]).toBeUndefined();
    expect(mug && engine.world.items[mug.id]?.location).toEqual({ kind: "room", roomId: "lantern-inn" });
  });

  it("produces nothing for a session that never entered, nor for one already gone", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    const never = engine.release(guest("Nobody"), true);
    expect(never.out).toEqual([]);
    expect(never.critical).toBe(false);
    expect(engine.dirty).toBe(false);
    expect(engine.world.players["session-nobody"]).toBeUndefined();

    engine.admit(ada);
    engine.release(ada, true);
    engine.serialize();
    const again = engine.release(ada, true);
    expect(again.out).toEqual([]);
    expect(engine.dirty).toBe(false);
  });

  it("drops the queued commands of a player that left before the step", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    engine.admit(ada);
    accepted(engine.receive(ada, command("east"), ctx));
    engine.release(ada, true);
    const stepped = stepper(engine)();
    expect(engine.world.players[ADA_ID]).toMatchObject({ online: false, roomId: "village-square" });
    expect(seenBy(stepped.out, ADA_ID)).toEqual([]);
  });
});

describe("settling after a reload", () => {
  it("takes every online player without a session offline (a guest leaves the world)", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    const bob = guest("Bob");
    engine.admit(ada);
    engine.admit(bob);

    engine.settle([]);
    expect(engine.world.players[ADA_ID]?.online).toBe(false);
    expect(engine.world.players[bob.playerId]).toBeUndefined();
    expect(Object.values(engine.world.players).filter((p) => p.online)).toEqual([]);
  });

  it("keeps the players whose sessions survived, and tells them of those who left", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    const bob = hero(BOB_ID, "Bob");
    engine.admit(ada);
    engine.admit(bob);

    const settled = engine.settle([ada]);
    expect(engine.world.players[ADA_ID]?.online).toBe(true);
    expect(engine.world.players[BOB_ID]?.online).toBe(false);
    expect(ofType(settled.out, ADA_ID, "depart").map((e) => e.text)).toEqual(["Bob leaves the realm."]);
    expect(settled.critical).toBe(false);

    // Settling again with the same sessions finds nobody left to take offline.
    expect(engine.settle([ada]).out).toEqual([]);
  });
});

describe("the character as the zone holds it", () => {
  it("reflects the world's level, pools and room, and leaves the rest of the snapshot alone", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada", { level: 2, xp: 120, hp: 33, mp: 7, playSeconds: 99 });
    engine.admit(ada);
    accepted(engine.receive(ada, command("east"), ctx));
    stepper(engine)();

    const player = engine.world.players[ADA_ID];
    if (!player) throw new Error("Ada is not in the world");
    const held = engine.characterOf(ada);
    expect(held).toEqual({
      ...ada.character,
      level: player.level,
      xp: player.xp,
      hp: player.hp,
      mp: player.mp,
      roomId: "lantern-inn",
    });
    expect(held?.playSeconds).toBe(99);

    // The world's numbers win over what the session brought.
    player.hp = 5;
    expect(engine.characterOf(ada)?.hp).toBe(5);
  });

  it("has no character for a guest, and returns the snapshot as it came for one not in the world", () => {
    const engine = create();
    const ada = guest("Ada");
    engine.admit(ada);
    expect(engine.characterOf(ada)).toBeUndefined();
    const stranger = hero(BOB_ID, "Bob");
    expect(engine.characterOf(stranger)).toEqual(stranger.character);
  });
});

describe("the stored world", () => {
  it("is serialized with its version, which clears dirty, and restores through JSON to an equal world", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    engine.admit(ada);
    engine.admit(guest("Bob"));
    accepted(engine.receive(ada, command("east"), ctx));
    accepted(engine.receive(ada, command("get mug"), ctx));
    stepper(engine)();
    expect(engine.dirty).toBe(true);

    const payload = engine.serialize();
    expect(engine.dirty).toBe(false);
    expect(payload.v).toBe(1);

    const restored = MUD_KIND.restore(ZONE, JSON.parse(JSON.stringify(payload)));
    if (!restored.ok) throw new Error(restored.error);
    const again = restored.value;
    expect(again).toBeInstanceOf(MudEngine);
    expect((again as MudEngine).world).toEqual(engine.world);
    expect(again.dirty).toBe(false);
    expect(again.characterOf(ada)).toEqual(engine.characterOf(ada));
  });

  it("gives a restored engine the same future as the one it came from", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada", { level: 8 });
    engine.admit(ada);
    const restored = MUD_KIND.restore(ZONE, JSON.parse(JSON.stringify(engine.serialize())));
    if (!restored.ok) throw new Error(restored.error);
    const copy = restored.value as MudEngine;

    const [stepA, stepB] = [stepper(engine, 11), stepper(copy, 11)];
    for (const line of ["down", "kill rat", "look", "", "", "", "up"]) {
      if (line) {
        accepted(engine.receive(ada, command(line), ctx));
        accepted(copy.receive(ada, command(line), ctx));
      }
      expect(stepB()).toEqual(stepA());
    }
    expect(copy.world).toEqual(engine.world);
  });

  it("refuses a payload that is not a world, naming mud_world", () => {
    for (const raw of ["garbage", null, { v: 1, zoneId: 3 }, { v: "one" }, { v: 2 }]) {
      const restored = MUD_KIND.restore(ZONE, raw);
      expect(restored.ok).toBe(false);
      expect(!restored.ok && restored.error).toMatch(/^mud_world: /);
    }
  });
});

describe("a linkdead character", () => {
  it("stays in its room shown as linkdead to the others, and is itself again once admitted", () => {
    const engine = create();
    const ada = hero(ADA_ID, "Ada");
    const bob = hero(BOB_ID, "Bob");
    engine.admit(ada);
    engine.admit(bob);
    const dropped = engine.linkdead(ADA_ID);
    expect(seenBy(dropped.out, BOB_ID).map((e) => e.text)).toEqual(["Ada's eyes glaze over: linkdead."]);
    expect(seenBy(dropped.out, ADA_ID)).toEqual([]);
    expect(engine.linkdead(ADA_ID)).toEqual(NOTHING);
    const look = accepted(engine.receive(bob, command("look"), ctx));
    expect(look.out).toEqual([]);
    const seen = stepper(engine)().out;
    const room = seenBy(seen, BOB_ID).find((e) => e.type === "room");
    expect(room?.payload).toMatchObject({ players: ["Ada"], linkdead: ["Ada"] });
    expect(room?.text).toMatch(/Ada is here, staring into nothing \(linkdead\)\./);
    engine.admit(ada);
    expect(engine.world.players[ADA_ID]?.linkdead).toBeUndefined();
    expect(engine.linkdead("nobody")).toEqual(NOTHING);
  });
});
