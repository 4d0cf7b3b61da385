/**
 * A running MUD zone switching to a new version of its content (docs/architecture.md, "Zones",
 * content reload; docs/decisions.md D40). Pure: the world as the old content left it, the new
 * content, and what changes so the world fits the new content, with a line for each online player
 * it touched and nobody else:
 *
 * - a player (online or not) in a room that no longer exists goes to the zone's entry room;
 * - an NPC whose template or home room vanished is removed, one that wandered into a vanished room
 *   goes home, and each room's spawns are met: extras removed (dead ones first), missing ones spawned;
 * - an item whose template vanished is removed (what it contained goes where it was), an item on
 *   the floor of a vanished room goes to the entry room, and items a room gained in its `items` are
 *   placed there (a new room's too), as a fresh zone would have them.
 */
import { capital, contentText, t } from "../i18n/translate";
import { copyPlain } from "../sim/plain";
import { describeRoom } from "./actors";
import { Outbox, type Outgoing } from "./events";
import type { ItemLocation, NpcTemplate } from "./types";
import { type MudNpc, type MudWorld, placeNpc, spawnItem, type ZoneContent } from "./world";

export interface ReloadResult {
  world: MudWorld;
  out: Outgoing[];
  /** Players whose room changed (their characters are written back). */
  changedPlayers: string[];
}

/** The world of `before` fitted to `after` (see the module's doc); `world` is not changed. */
export function reloadWorld(
  world: MudWorld,
  before: ZoneContent,
  after: ZoneContent,
  maxHpOf: (template: NpcTemplate) => number,
): ReloadResult {
  const next = copyPlain(world);
  const out = new Outbox();
  const entry = after.zone.entryRoom;
  const exists = (roomId: string) => Object.hasOwn(after.rooms, roomId);

  const removedNpcs = fitNpcs(next, after, maxHpOf);
  const moved: string[] = [];
  for (const player of Object.values(next.players)) {
    if (player.targetId !== null && removedNpcs.has(player.targetId)) {
      player.targetId = null;
      if (player.online) out.tell(player.id, "info", t("reload.foeGone"));
    }
    if (exists(player.roomId)) continue;
    player.roomId = entry;
    player.targetId = null;
    player.resting = false;
    moved.push(player.id);
  }
  fitItems(next, before, after, out);
  for (const id of moved) {
    const player = next.players[id];
    if (!player?.online) continue;
    const room = contentText("rooms", entry, "name", after.rooms[entry]?.name ?? entry);
    out.tell(id, "info", t("reload.moved", { room }));
    const look = describeRoom(next, after, entry, id);
    out.tell(id, "room", look.text, look.payload);
  }
  return { world: next, out: out.items, changedPlayers: moved };
}

/** NPCs fitted to the new templates and spawns; returns the ids removed. */
function fitNpcs(world: MudWorld, after: ZoneContent, maxHpOf: (template: NpcTemplate) => number): Set<string> {
  const removed = new Set<string>();
  const want = new Map<string, number>();
  for (const room of after.zone.rooms) {
    for (const spawn of room.spawns) {
      const key = `${room.id}\u0000${spawn.npc}`;
      want.set(key, (want.get(key) ?? 0) + spawn.count);
    }
  }
  const have = new Map<string, MudNpc[]>();
  for (const npc of Object.values(world.npcs)) {
    const key = `${npc.homeRoomId}\u0000${npc.templateId}`;
    const template = after.npcs[npc.templateId];
    // Spawned by a trigger or a GM, not by the content's spawns: kept while its template and home are.
    if (npc.transient || npc.summoned) {
      if (!template || !Object.hasOwn(after.rooms, npc.homeRoomId)) removed.add(npc.id);
      else {
        if (!Object.hasOwn(after.rooms, npc.roomId)) npc.roomId = npc.homeRoomId;
        npc.hp = Math.min(npc.hp, maxHpOf(template));
      }
      continue;
    }
    if (!template || !want.has(key)) {
      removed.add(npc.id);
      continue;
    }
    if (!Object.hasOwn(after.rooms, npc.roomId)) npc.roomId = npc.homeRoomId;
    // A template that got weaker caps what its living NPCs have left.
    npc.hp = Math.min(npc.hp, maxHpOf(template));
    have.set(key, [...(have.get(key) ?? []), npc]);
  }
  for (const [key, count] of want) {
    const present = have.get(key) ?? [];
    // Dead ones go first, then the newest: the NPCs players have met longest stay.
    const order = [...present].sort(
      (a, b) => Number(a.respawnAtTick === null) - Number(b.respawnAtTick === null) || idNumber(b) - idNumber(a),
    );
    for (const npc of order.slice(0, Math.max(0, present.length - count))) removed.add(npc.id);
    const [roomId, templateId] = key.split("\u0000") as [string, string];
    const template = after.npcs[templateId] as NpcTemplate;
    for (let i = present.length; i < count; i++) placeNpc(world, template, roomId, maxHpOf(template));
  }
  for (const id of removed) delete world.npcs[id];
  return removed;
}

const idNumber = (npc: MudNpc) => Number(npc.id.slice(npc.id.lastIndexOf("-") + 1)) || 0;

/** Items fitted to the new templates and rooms; holders online hear of what crumbled. */
function fitItems(world: MudWorld, before: ZoneContent, after: ZoneContent, out: Outbox): void {
  const gone = new Set(
    Object.values(world.items)
      .filter((i) => !after.items[i.templateId])
      .map((i) => i.id),
  );
  for (const id of gone) {
    const item = world.items[id];
    if (!item) continue;
    const holder = ownerOf(world, item.location);
    if (holder && world.players[holder]?.online) {
      // Its template is gone from the new content: the old one names it (no overlay translates it now).
      const name = before.items[item.templateId]?.name;
      out.tell(holder, "info", t("reload.crumbled", { item: capital(name ?? t("item.something")) }));
    }
  }
  for (const item of Object.values(world.items)) {
    if (gone.has(item.id)) continue;
    // What a vanished container held goes where the container was (up the chain, if nested).
    let at: ItemLocation = item.location;
    for (let depth = 0; at.kind === "container" && gone.has(at.containerId) && depth < 32; depth++) {
      at = world.items[at.containerId]?.location ?? { kind: "room", roomId: after.zone.entryRoom };
    }
    // It cannot take over a worn slot: it goes into the wearer's pack.
    if (at !== item.location) {
      world.items[item.id] = {
        ...item,
        location: at.kind === "equipped" ? { kind: "inventory", ownerId: at.ownerId } : at,
      };
    }
  }
  for (const id of gone) delete world.items[id];
  for (const item of Object.values(world.items)) {
    if (item.location.kind === "room" && !Object.hasOwn(after.rooms, item.location.roomId)) {
      world.items[item.id] = { ...item, location: { kind: "room", roomId: after.zone.entryRoom } };
    }
  }
  for (const room of after.zone.rooms) {
    const placed = [...(before.rooms[room.id]?.items ?? [])];
    for (const templateId of room.items) {
      const at = placed.indexOf(templateId);
      if (at >= 0) placed.splice(at, 1);
      else spawnItem(world, after, templateId, room.id);
    }
  }
}

/** The player holding an item at `location` (worn, carried, or in something it carries), if any. */
function ownerOf(world: MudWorld, location: ItemLocation): string | undefined {
  let at: ItemLocation | undefined = location;
  for (let depth = 0; at && depth < 32; depth++) {
    if (at.kind === "inventory" || at.kind === "equipped") return at.ownerId;
    if (at.kind === "room") return undefined;
    at = world.items[at.containerId]?.location;
  }
  return undefined;
}
