/**
 * What a GM's `inspect` shows (gm.ts): everything this zone's world holds of a player or an NPC,
 * as text for a terminal and as a payload for a tool.
 */
import { xpForLevel } from "../../rules/stats";
import { itemName, npcStats, npcTemplate, playerStats } from "../actors";
import { holderOf } from "../items";
import type { EffectState } from "../types";
import type { MudNpc, MudPlayer } from "../world";
import type { CommandContext } from "./registry";

type Inspected = { text: string; payload: Record<string, unknown> };

const effectsOf = (effects: readonly EffectState[]) =>
  effects.map((e) => ({ name: e.name, kind: e.kind, remaining_ticks: e.remaining_ticks, source: e.source }));

const effectLine = (effects: readonly EffectState[]) =>
  effects.length ? effects.map((e) => `${e.name} (${e.kind}, ${e.remaining_ticks} ticks)`).join(", ") : "none";

/** A player: place, progress, pools, attributes and derived stats, effects, items, quests and standing. */
export function inspectPlayer(ctx: CommandContext, player: MudPlayer): Inspected {
  const stats = playerStats(ctx.world, ctx.content, player);
  // Everything it holds, at any depth: carried, worn, and inside what it carries.
  const items = Object.values(ctx.world.items)
    .filter((item) => holderOf(ctx.world.items, item.id)?.id === player.id)
    .map((item) => ({
      id: item.id,
      templateId: item.templateId,
      name: itemName(ctx.content, item),
      where:
        item.location.kind === "equipped"
          ? `worn (${item.location.slot})`
          : item.location.kind === "container"
            ? `in ${item.location.containerId}`
            : "carried",
      ...(item.durability !== undefined ? { durability: item.durability } : {}),
    }));
  // Quests and reputation exist on players once content defines them (docs/content.md).
  const extra = player as MudPlayer & { quests?: Record<string, unknown>; reputation?: Record<string, number> };
  const state = player.linkdead ? "linkdead" : player.online ? "online" : "offline";
  const payload = {
    kind: "player",
    id: player.id,
    name: player.name,
    class: player.classId,
    state,
    ...(player.guest ? { guest: true } : {}),
    room: player.roomId,
    level: player.level,
    xp: player.xp,
    nextLevelXp: xpForLevel(player.level + 1),
    hp: player.hp,
    mp: player.mp,
    attributes: { ...player.attributes },
    stats: { ...stats },
    effects: effectsOf(player.effects),
    items,
    target: player.targetId,
    resting: player.resting,
    quests: extra.quests ?? {},
    reputation: extra.reputation ?? {},
  };
  const { str, dex, int, vit } = player.attributes;
  const lines = [
    `${player.name} (${player.id}), ${state}${player.guest ? " guest" : ""}, level ${player.level} ${player.classId}, in ${player.roomId}`,
    `HP ${player.hp}/${stats.maxHp}  MP ${player.mp}/${stats.maxMp}  XP ${player.xp} (next level at ${payload.nextLevelXp})`,
    `Base STR ${str} DEX ${dex} INT ${int} VIT ${vit}; with gear and effects STR ${stats.str} DEX ${stats.dex} INT ${stats.int} VIT ${stats.vit} ATK ${stats.attack} DEF ${stats.defense}`,
    `Effects: ${effectLine(player.effects)}`,
    `Items: ${items.length ? items.map((i) => `${i.name} [${i.id}, ${i.where}]`).join(", ") : "none"}`,
    `Fighting: ${player.targetId ?? "nothing"}${player.resting ? ", resting" : ""}`,
  ];
  const quests = Object.keys(payload.quests);
  if (quests.length) lines.push(`Quests: ${quests.join(", ")}`);
  const standing = Object.entries(payload.reputation);
  if (standing.length) lines.push(`Reputation: ${standing.map(([f, n]) => `${f} ${n}`).join(", ")}`);
  return { text: lines.join("\n"), payload };
}

/** An NPC: template, place and home, health, effects, target, respawn and wander schedule. */
export function inspectNpc(ctx: CommandContext, npc: MudNpc): Inspected {
  const template = npcTemplate(ctx.content, npc);
  const stats = npcStats(template, npc);
  const payload = {
    kind: "npc",
    id: npc.id,
    template: npc.templateId,
    name: template.name,
    room: npc.roomId,
    home: npc.homeRoomId,
    level: template.level,
    hp: npc.hp,
    maxHp: stats.maxHp,
    effects: effectsOf(npc.effects),
    target: npc.targetId,
    respawnAtTick: npc.respawnAtTick,
    ...(npc.wanderAtTick !== undefined ? { wanderAtTick: npc.wanderAtTick } : {}),
  };
  const alive =
    npc.respawnAtTick === null ? `HP ${npc.hp}/${stats.maxHp}` : `dead, respawns at tick ${npc.respawnAtTick}`;
  const lines = [
    `${template.name} (${npc.id}, template ${npc.templateId}), level ${template.level}, in ${npc.roomId} (home ${npc.homeRoomId})`,
    `${alive}; fighting ${npc.targetId ?? "nobody"}`,
    `Effects: ${effectLine(npc.effects)}`,
  ];
  return { text: lines.join("\n"), payload };
}
