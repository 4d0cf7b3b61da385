/**
 * Test support for triggers: the start zone with triggers added (a deep copy, so no test changes
 * the shared pack), a scenario on it, and a direct context to fire one trigger for Alice.
 */
import { createRng } from "../../sim/rng";
import { npcStats } from "../actors";
import { Outbox } from "../events";
import { MudScenario, startContent } from "../testing";
import type { TriggerDef, TriggerStep } from "../types";
import { createWorld, type MudPlayer, type ZoneContent } from "../world";
import { fireTriggers } from "./fire";
import type { TriggerContext } from "./registry";

/** The start zone with some triggers added: a deep copy, so no test changes the shared pack. */
export function contentWith(add: (content: ZoneContent) => void): ZoneContent {
  const content = structuredClone(startContent());
  add(content);
  return content;
}

/** Adds triggers to a room of `content`. */
export const inRoom = (content: ZoneContent, roomId: string, ...triggers: TriggerDef[]) => {
  const room = content.rooms[roomId];
  if (!room) throw new Error(`no room ${roomId}`);
  room.triggers = [...(room.triggers ?? []), ...triggers];
};
/** Adds triggers to the zone of `content`. */
export const inZone = (content: ZoneContent, ...triggers: TriggerDef[]) => {
  content.zone.triggers = [...(content.zone.triggers ?? []), ...triggers];
};

/** A scenario on `content` with Alice (and Bob) in the square. */
export function scenario(content: ZoneContent, seed = 1): MudScenario {
  const s = new MudScenario(seed);
  Object.assign(s, { content, world: createWorld(content, (t) => npcStats(t).maxHp, createRng(1)) });
  s.join("alice");
  s.join("bob");
  return s;
}

/** A `message` action to the player. */
export const say = (text: string): TriggerStep => ({ type: "message", text });
/** A `command` event's `on`. */
export const command = (word: string, args?: string) => ({
  event: "command" as const,
  word,
  ...(args ? { args } : {}),
});

/** A direct context on a fresh world with Alice online in `roomId`: for one condition or action. */
export function direct(content: ZoneContent, roomId = "village-square", seed = 7) {
  const s = new MudScenario(seed);
  Object.assign(s, { content, world: createWorld(content, (t) => npcStats(t).maxHp, createRng(1)) });
  s.join("alice", { roomId });
  const out = new Outbox();
  const departures: { playerId: string; zoneId: string }[] = [];
  const ctx: TriggerContext = {
    world: s.world,
    content,
    rng: createRng(seed),
    tick: 10,
    out,
    markCritical: () => {},
    depart: (to, playerId) => departures.push({ playerId: playerId ?? "", zoneId: to.zoneId }),
  };
  const alice = s.world.players.alice as MudPlayer;
  const fire = (args = "") =>
    fireTriggers(ctx, { event: "command", player: alice, room: alice.roomId, word: "test", args });
  return { world: s.world, alice, ctx, out, departures, fire };
}
