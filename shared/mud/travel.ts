/**
 * A character leaving a MUD zone for another, and arriving in one (docs/architecture.md, "Travel
 * and hand-off"): what it carries and wears leaves the world with it, as templates, and is given
 * new instances in the world it arrives in. Nothing is copied: the source removes each item it hands
 * over, and the target creates each item it is handed, once.
 */

import { baseZoneOf } from "../config";
import { admitCharacter } from "../rules/admission";
import { copyPlain } from "../sim/plain";
import type { Carried, CarriedItem, Traveller } from "../world/traveller";
import { equipmentOf, inventoryOf, withContents } from "./items";
import type { ItemInstance, ItemLocation } from "./types";
import { type MudPlayer, type MudWorld, newId, type ZoneContent } from "./world";

/**
 * Removes `playerId` and everything it carries (worn, in its pack, nested in carried containers)
 * from `world`, returning what it carried; undefined when the world has no such player. Changes
 * `world` in place (pass a copy; see copyWorld).
 */
export function takeOutOfWorld(world: MudWorld, playerId: string): Carried | undefined {
  const player = world.players[playerId];
  if (!player) return undefined;
  const held = [...equipmentOf(world.items, playerId), ...inventoryOf(world.items, playerId)];
  const order = held.flatMap((item) => withContents(world.items, item.id));
  const index = new Map(order.map((id, i) => [id, i]));
  const items = order.map((id): CarriedItem => {
    const item = world.items[id] as ItemInstance;
    const at = item.location;
    return {
      templateId: item.templateId,
      ...(at.kind === "equipped" ? { slot: at.slot } : {}),
      ...(at.kind === "container" ? { inside: index.get(at.containerId) as number } : {}),
      ...(item.durability !== undefined ? { durability: item.durability } : {}),
    };
  });
  for (const id of order) delete world.items[id];
  delete world.players[playerId];
  for (const npc of Object.values(world.npcs)) if (npc.targetId === playerId) npc.targetId = null;
  // Quests and standing go with it: only the world held them (shared/mud/quests.ts, factions.ts).
  return {
    effects: copyPlain(player.effects),
    items,
    ...(player.quests ? { quests: copyPlain(player.quests) } : {}),
    ...(player.reputation ? { reputation: copyPlain(player.reputation) } : {}),
    ...(player.triggersDone ? { triggersDone: [...player.triggersDone] } : {}),
  };
}

/**
 * Places a traveller in `world`, offline until its session arrives: at its destination's room if
 * this zone has it, else the entry room, with its pools, effects and items (new instances). A record
 * the world kept of an earlier visit is replaced: the traveller is newer. Changes `world` in place.
 */
export function placeInWorld(
  world: MudWorld,
  content: ZoneContent,
  traveller: Traveller,
  guestClass: string,
): MudPlayer {
  const c = traveller.character;
  const place = traveller.to.place;
  const roomId = place && content.rooms[place] ? place : content.zone.entryRoom;
  const admitted = admitCharacter({ id: c.id, name: c.name, character: c }, guestClass);
  const player: MudPlayer = {
    id: c.id,
    name: c.name,
    classId: admitted.classId,
    attributes: admitted.attributes,
    level: admitted.level,
    xp: admitted.xp,
    hp: admitted.hp,
    mp: admitted.mp,
    roomId,
    effects: copyPlain(traveller.carried.effects),
    targetId: null,
    resting: false,
    nextSwingTick: 0,
    online: false,
    // Its room's `enter` triggers fire on its first tick here (step.ts); not for a traveller handed
    // back to the zone it left after a failed hand-off, which never stopped being here.
    ...(baseZoneOf(traveller.from) !== world.zoneId ? { arriving: true as const } : {}),
    ...(traveller.carried.quests ? { quests: copyPlain(traveller.carried.quests) } : {}),
    ...(traveller.carried.reputation ? { reputation: copyPlain(traveller.carried.reputation) } : {}),
    ...(traveller.carried.triggersDone ? { triggersDone: [...traveller.carried.triggersDone] } : {}),
  };
  // An earlier visit's items stayed with it here only while it was here; it took them when it left.
  for (const item of Object.values(world.items)) {
    const at = item.location;
    if ((at.kind === "inventory" || at.kind === "equipped") && at.ownerId === c.id) {
      for (const id of withContents(world.items, item.id)) delete world.items[id];
    }
  }
  world.players[c.id] = player;
  const ids = traveller.carried.items.map(() => newId(world, "item"));
  traveller.carried.items.forEach((carried, i) => {
    const location: ItemLocation =
      carried.inside !== undefined && ids[carried.inside] !== undefined && carried.inside !== i
        ? { kind: "container", containerId: ids[carried.inside] as string }
        : carried.slot
          ? { kind: "equipped", ownerId: c.id, slot: carried.slot }
          : { kind: "inventory", ownerId: c.id };
    const item: ItemInstance = { id: ids[i] as string, templateId: carried.templateId, location };
    if (carried.durability !== undefined) item.durability = carried.durability;
    world.items[item.id] = item;
  });
  return player;
}
