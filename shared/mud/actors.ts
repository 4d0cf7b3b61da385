/** Looking things up in a zone: derived stats, names, who and what is in a room, room text. */

import { type DerivedStats, deriveStats } from "../rules/stats";
import { equippedTemplates, itemsInRoom } from "./items";
import type { ItemInstance, NpcTemplate } from "./types";
import type { MudNpc, MudPlayer, MudWorld, ZoneContent } from "./world";

export function playerStats(world: MudWorld, content: ZoneContent, player: MudPlayer): DerivedStats {
  return deriveStats({
    attributes: player.attributes,
    level: player.level,
    equipped: equippedTemplates(world.items, content.items, player.id),
    effects: player.effects,
  });
}

export function npcStats(template: NpcTemplate, npc?: MudNpc): DerivedStats {
  return deriveStats({
    attributes: template.attributes,
    level: template.level,
    effects: npc?.effects ?? [],
    baseDefense: template.armour,
  });
}

export const npcTemplate = (content: ZoneContent, npc: MudNpc): NpcTemplate => {
  const template = content.npcs[npc.templateId];
  if (!template) throw new Error(`NPC ${npc.id} has unknown template ${npc.templateId}`);
  return template;
};

/** An NPC's name as content writes it, article included ("a thornback wolf", "Hadda the smith"). */
export const npcName = (content: ZoneContent, npc: MudNpc) => npcTemplate(content, npc).name;
export const itemName = (content: ZoneContent, item: ItemInstance) =>
  content.items[item.templateId]?.name ?? "something";
export const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const onlinePlayersIn = (world: MudWorld, roomId: string) =>
  Object.values(world.players).filter((p) => p.online && p.roomId === roomId);

export const livingNpcsIn = (world: MudWorld, roomId: string) =>
  Object.values(world.npcs).filter((n) => n.respawnAtTick === null && n.roomId === roomId);

/** Targetable views for shared/mud/target.ts. */
export const npcCandidates = (world: MudWorld, content: ZoneContent, roomId: string) =>
  livingNpcsIn(world, roomId).map((npc) => {
    const template = npcTemplate(content, npc);
    return { npc, name: template.name, keywords: template.keywords };
  });

export const itemCandidates = (content: ZoneContent, items: ItemInstance[]) =>
  items.map((item) => {
    const template = content.items[item.templateId];
    return { item, name: template?.name ?? item.templateId, keywords: template?.keywords ?? [] };
  });

/** The `look` text and payload for a room as `viewerId` sees it. */
export function describeRoom(world: MudWorld, content: ZoneContent, roomId: string, viewerId: string) {
  const room = content.rooms[roomId];
  if (!room) return { text: "You are nowhere at all.", payload: { id: roomId } };
  const exits = Object.keys(room.exits);
  const items = itemsInRoom(world.items, roomId).map((i) => itemName(content, i));
  const npcs = livingNpcsIn(world, roomId).map((n) => npcTemplate(content, n).name);
  const others = onlinePlayersIn(world, roomId).filter((p) => p.id !== viewerId);
  const players = others.map((p) => p.name);
  const linkdead = others.filter((p) => p.linkdead).map((p) => p.name);
  const lines = [room.name, room.description, `Exits: ${exits.length ? exits.join(", ") : "none"}.`];
  if (items.length) lines.push(`You see: ${items.join(", ")}.`);
  for (const npc of npcs) lines.push(`${sentence(npc)} is here.`);
  for (const name of players)
    lines.push(linkdead.includes(name) ? `${name} is here, staring into nothing (linkdead).` : `${name} is here.`);
  const payload = {
    id: room.id,
    name: room.name,
    exits,
    items,
    npcs,
    players,
    ...(linkdead.length ? { linkdead } : {}),
  };
  return { text: lines.join("\n"), payload };
}
