/**
 * The state of one MUD zone and how it starts. Plain JSON-safe data: the zone Durable Object
 * persists it and the pure step function (step.ts) advances it.
 */

import type { ContentPack } from "../content/pack";
import { copyPlain } from "../sim/plain";
import type { Rng } from "../sim/rng";
import type {
  Attributes,
  EffectState,
  FactionDef,
  ItemInstance,
  ItemTemplate,
  LootTable,
  NpcTemplate,
  QuestDef,
  RoomDef,
  ZoneDef,
} from "./types";

/** A player's progress in one quest (shared/mud/quests.ts): the current step and its count; `done` once finished. */
export interface QuestProgress {
  step: number;
  progress: number;
  done?: true;
}

export interface MudPlayer {
  /** The character id. */
  id: string;
  name: string;
  classId: string;
  attributes: Attributes;
  level: number;
  xp: number;
  hp: number;
  mp: number;
  roomId: string;
  effects: EffectState[];
  /** NPC being fought, if any. */
  targetId: string | null;
  resting: boolean;
  /** Tick of the next auto-attack while fighting. */
  nextSwingTick: number;
  /** Online players receive events and act; offline ones keep their items in the zone. */
  online: boolean;
  /** Skill id → tick from which it may be used again (shared/mud/cast.ts); absent before any use. */
  skillReadyAt?: Record<string, number>;
  /**
   * A guest (a session without a character): it never comes back, so it leaves the world when it
   * leaves the zone (step.ts, leavePlayer). Absent for characters.
   */
  guest?: true;
  /** Its connection dropped and the zone keeps it for a reconnect (docs/architecture.md, "Reconnect"); cleared when it comes back. */
  linkdead?: true;
  /**
   * It came from another zone and has not stood a tick in its room yet: the first tick it is online
   * fires its room's `enter` triggers (step.ts), as walking in would. Set by `placeInWorld` (travel.ts).
   */
  arriving?: true;
  /**
   * The `once: "per-player"` triggers it fired, as `zone-id/trigger-id` (shared/mud/triggers): kept
   * on the character, and carried with it between zones, so a welcome greets it once however often
   * it comes back, and a zone's memory does not grow with every character that ever passed.
   */
  triggersDone?: string[];
  /** Quest id → progress (shared/mud/quests.ts); absent before any quest, and in worlds saved before quests. */
  quests?: Record<string, QuestProgress>;
  /** Faction id → standing, only for factions it has changed (shared/mud/factions.ts); absent before any. */
  reputation?: Record<string, number>;
}

export interface MudNpc {
  id: string;
  templateId: string;
  roomId: string;
  homeRoomId: string;
  hp: number;
  effects: EffectState[];
  targetId: string | null;
  nextSwingTick: number;
  /** Dead NPCs wait for this tick to respawn at home. */
  respawnAtTick: number | null;
  /**
   * A wandering NPC's next wander (shared/mud/fight.ts, `WANDER_TICKS`): drawn when it is first
   * idle and alive, on each wander and on respawn. Absent for NPCs that never wander, and for
   * wanderers not yet scheduled (a fresh world, a world saved before wanders were scheduled).
   */
  wanderAtTick?: number;
  /** Spawned by a trigger (shared/mud/triggers): gone when it dies or is despawned, never respawned. */
  transient?: true;
  /**
   * A GM spawned it (commands/gm.ts): it lives on, respawning where it was spawned, though no spawn
   * of the content names it, so a content reload keeps it (reload.ts) rather than taking it for a
   * spawn that was removed.
   */
  summoned?: true;
}

export interface MudWorld {
  zoneId: string;
  tick: number;
  players: Record<string, MudPlayer>;
  npcs: Record<string, MudNpc>;
  items: Record<string, ItemInstance>;
  /** Counter for new ids (items from loot, respawns), so ids replay deterministically. */
  nextId: number;
  /**
   * Exits whose state triggers changed, by `room-id/exit`: it overrides content's `locked`
   * (`exitStateOf`). Replaced, never edited in place, so `copyWorld` may share it between ticks.
   */
  exitState?: Record<string, ExitState>;
  /** What `once` and cooldowns remember, by trigger id (shared/mud/triggers); replaced like `exitState`. */
  triggerState?: Record<string, TriggerMemory>;
}

/** An exit at runtime: `closed` lets nobody through, `locked` only a holder of its key. */
export type ExitState = "open" | "closed" | "locked";

/** What the zone remembers of one trigger. */
export interface TriggerMemory {
  /** The tick it last fired (cooldowns). */
  lastTick?: number;
  /** It fired, for `once: "ever"`. */
  fired?: true;
  /** Players it fired for, for `once: "per-player"`. */
  players?: string[];
}

/** Content looked up by id, for one zone of a pack. */
export interface ZoneContent {
  zone: ZoneDef;
  rooms: Record<string, RoomDef>;
  items: Record<string, ItemTemplate>;
  npcs: Record<string, NpcTemplate>;
  lootTables: Record<string, LootTable>;
  quests: Record<string, QuestDef>;
  factions: Record<string, FactionDef>;
}

/**
 * A lookup by id with no prototype: commands look names up by what players type, and a typed
 * `constructor` or `__proto__` must find nothing rather than Object.prototype's members.
 */
function byId<T extends { id: string }>(list: readonly T[]): Record<string, T> {
  const table: Record<string, T> = Object.create(null);
  for (const entry of list) table[entry.id] = entry;
  return table;
}

export function zoneContent(pack: ContentPack, zoneId: string): ZoneContent | undefined {
  const zone = pack.zones.find((z) => z.id === zoneId);
  if (!zone) return undefined;
  return {
    zone,
    rooms: byId(zone.rooms),
    items: byId(pack.items),
    npcs: byId(pack.npcs),
    lootTables: byId(pack.lootTables),
    quests: byId(pack.quests),
    factions: byId(pack.factions),
  };
}

/**
 * A copy of `world` that a step may change in place, sharing what no rule writes to: offline
 * players (commands, fights and effects act on online players only) and item instances (items.ts
 * replaces an item that moves and never edits one; the map itself is copied, since items are added
 * and removed). Offline players are what a long-lived zone accumulates, one per character that has
 * played here, so copying them on every tick would make each tick slower with every new character.
 */
export function copyWorld(world: MudWorld): MudWorld {
  const players: Record<string, MudPlayer> = {};
  for (const [id, player] of Object.entries(world.players)) {
    players[id] = player.online ? copyPlain(player) : player;
  }
  return { ...world, players, npcs: copyPlain(world.npcs), items: { ...world.items } };
}

export const newId = (world: MudWorld, prefix: string): string => `${prefix}-${world.nextId++}`;

/** Puts a new instance of `templateId` on the floor of `roomId`, with the template's durability. */
export function spawnItem(world: MudWorld, content: ZoneContent, templateId: string, roomId: string): ItemInstance {
  const item: ItemInstance = { id: newId(world, "item"), templateId, location: { kind: "room", roomId } };
  const durability = content.items[templateId]?.durability;
  if (durability !== undefined) item.durability = durability;
  world.items[item.id] = item;
  return item;
}

/**
 * Where an exit leads, if it stays in this zone: exits name `room-id`, or `zone-id:room-id`.
 * Undefined for an exit into another zone.
 */
export function roomInZone(zoneId: string, target: string): string | undefined {
  if (!target.includes(":")) return target;
  const [zone, room] = target.split(":");
  return zone === zoneId ? room : undefined;
}

/** The key of an exit in `MudWorld.exitState`. */
export const exitKey = (roomId: string, exit: string): string => `${roomId}/${exit}`;

/** An exit's state now: what a trigger last set, else locked when content lists it in `locked`, else open. */
export function exitStateOf(world: Pick<MudWorld, "exitState">, room: RoomDef, exit: string): ExitState {
  return world.exitState?.[exitKey(room.id, exit)] ?? (room.locked?.includes(exit) ? "locked" : "open");
}

/**
 * The exits of `room` that are open and stay in the zone: where a fleeing player or a wandering
 * NPC may go. Without `world`, content's `locked` alone decides.
 */
export function openExits(
  room: RoomDef | undefined,
  zoneId: string,
  world: Pick<MudWorld, "exitState"> = {},
): [exit: string, roomId: string][] {
  if (!room) return [];
  return Object.entries(room.exits).flatMap(([exit, target]) => {
    const to = roomInZone(zoneId, target);
    return to && exitStateOf(world, room, exit) === "open" ? [[exit, to] as [string, string]] : [];
  });
}

/**
 * A new NPC of `template` at full health in `roomId`, which becomes its home (where it respawns):
 * the one way content spawns, reloads, triggers and GMs put an NPC into a world.
 */
export function placeNpc(
  world: MudWorld,
  template: NpcTemplate,
  roomId: string,
  maxHp: number,
  extra: Pick<MudNpc, "transient" | "summoned"> = {},
): MudNpc {
  const npc: MudNpc = {
    id: newId(world, "npc"),
    templateId: template.id,
    roomId,
    homeRoomId: roomId,
    hp: maxHp,
    effects: [],
    targetId: null,
    nextSwingTick: 0,
    respawnAtTick: null,
    ...extra,
  };
  world.npcs[npc.id] = npc;
  return npc;
}

/** A fresh zone: room items placed, NPCs spawned at their rooms with full health. */
export function createWorld(content: ZoneContent, maxHpOf: (template: NpcTemplate) => number, _rng: Rng): MudWorld {
  const world: MudWorld = { zoneId: content.zone.id, tick: 0, players: {}, npcs: {}, items: {}, nextId: 1 };
  for (const room of content.zone.rooms) {
    for (const templateId of room.items) spawnItem(world, content, templateId, room.id);
    for (const spawn of room.spawns) {
      const template = content.npcs[spawn.npc];
      if (!template) continue;
      for (let i = 0; i < spawn.count; i++) placeNpc(world, template, room.id, maxHpOf(template));
    }
  }
  return world;
}
