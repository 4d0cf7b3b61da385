/** Looking things up in a zone: derived stats, names, who and what is in a room, room text. */

import { capital, contentText, joined, type Param, t } from "../i18n/translate";
import { type DerivedStats, deriveStats } from "../rules/stats";
import { equippedTemplates, itemsInRoom } from "./items";
import type { ItemInstance, NpcTemplate } from "./types";
import { exitKey, type MudNpc, type MudPlayer, type MudWorld, type ZoneContent } from "./world";

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

/** An item's name as a translatable text: the pack's name, or an overlay's in the reader's language. */
export const itemText = (content: ZoneContent, item: ItemInstance): Param => {
  const template = content.items[item.templateId];
  return template ? contentText("items", template.id, "name", template.name) : t("item.something");
};

/** An NPC's name as a translatable text (article included, as content writes it). */
export const npcText = (content: ZoneContent, npc: MudNpc): Param => {
  const template = npcTemplate(content, npc);
  return contentText("npcs", template.id, "name", template.name);
};

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

/** An exit as the room's text lists it: "north", or "north (closed)" when a trigger closed it. */
const exitLabel = (exit: string, state: string | undefined) => (state ? `${exit} (${state})` : exit);

/** The `look` text and payload for a room as `viewerId` sees it. */
export function describeRoom(world: MudWorld, content: ZoneContent, roomId: string, viewerId: string) {
  const room = content.rooms[roomId];
  if (!room) return { text: t("room.nowhere"), payload: { id: roomId } };
  const exits = Object.keys(room.exits);
  // Exits a trigger closed or locked say so (shared/mud/triggers); content's own locks read as before.
  const changed: Record<string, string> = {};
  for (const exit of exits) {
    const state = world.exitState?.[exitKey(room.id, exit)];
    if (state && state !== "open") changed[exit] = state;
  }
  const labels = exits.map((exit) => exitLabel(exit, changed[exit]));
  const items = itemsInRoom(world.items, roomId).map((i) => itemName(content, i));
  const npcs = livingNpcsIn(world, roomId).map((n) => npcTemplate(content, n).name);
  const others = onlinePlayersIn(world, roomId).filter((p) => p.id !== viewerId);
  const players = others.map((p) => p.name);
  const linkdead = others.filter((p) => p.linkdead).map((p) => p.name);
  const lines: Param[] = [
    contentText("rooms", room.id, "name", room.name),
    contentText("rooms", room.id, "description", room.description),
    t("room.exits", { exits: exits.length ? joined(labels, ", ") : t("room.noExits") }),
  ];
  const seen = itemsInRoom(world.items, roomId).map((i) => itemText(content, i));
  // A plain comma list, as the English line has always read ("You see: a, b, c.").
  if (seen.length) lines.push(t("room.items", { items: joined(seen, ", ") }));
  for (const npc of livingNpcsIn(world, roomId))
    lines.push(t("room.npcHere", { name: capital(npcText(content, npc)) }));
  for (const name of players)
    lines.push(linkdead.includes(name) ? t("room.playerLinkdead", { name }) : t("room.playerHere", { name }));
  const payload = {
    id: room.id,
    name: room.name,
    exits,
    items,
    npcs,
    players,
    ...(linkdead.length ? { linkdead } : {}),
    ...(Object.keys(changed).length ? { exitStates: changed } : {}),
  };
  return { text: joined(lines, "\n"), payload };
}
