/**
 * GM commands in MUD zones (docs/admin.md, "GM commands in MUD zones"): typed like any command,
 * but only a session the zone's host marks `gm` may run them (the dispatcher in step.ts refuses
 * everyone else, and `help` hides them). Each reports what it did through `ctx.audit`; the host logs
 * it and writes it to Postgres `audit_log`. They act within this zone's world only: another zone is
 * reached through the hand-off (`transfer`), as an exit would.
 */
import { ZONE_ID_PATTERN } from "../../config";
import { capital, contentText, t } from "../../i18n/translate";
import { levelForXp, MAX_LEVEL, MAX_XP, STAT_LIMITS, xpForLevel } from "../../rules/stats";
import { destinationOf } from "../../world/traveller";
import { describeRoom, npcCandidates, npcStats, npcTemplate, playerStats } from "../actors";
import { holdsTemplate } from "../items";
import { resolveOne } from "../target";
import type { ItemInstance } from "../types";
import { type MudNpc, type MudPlayer, newId, placeNpc } from "../world";
import { inspectNpc, inspectPlayer } from "./gm-inspect";
import type { CommandContext, CommandRegistry } from "./registry";

/** Most NPCs one `spawn` makes. */
export const MAX_SPAWN = 10;
/** A broadcast's length, in code points as the protocol counts (docs/protocol.md, Frames). */
const MAX_BROADCAST = 500;
/** What `set` changes, and the range each takes. */
export const SETTABLE = ["hp", "mp", "level", "xp", "str", "dex", "int", "vit"] as const;
type Settable = (typeof SETTABLE)[number];

const tell = (ctx: CommandContext, text: string, payload?: Record<string, unknown>) =>
  ctx.out.tell(ctx.player.id, "info", text, payload);

/**
 * A player of this zone's world by name (any case) or id; `me` is the GM. Online players first:
 * two guests may share a name with an offline character.
 */
export function findPlayer(ctx: CommandContext, name: string, onlineOnly = false): MudPlayer | undefined {
  if (name.toLowerCase() === "me") return ctx.player;
  const lower = name.toLowerCase();
  const named = Object.values(ctx.world.players).filter((p) => p.id === name || p.name.toLowerCase() === lower);
  return named.find((p) => p.online) ?? (onlineOnly ? undefined : named[0]);
}

function noPlayer(ctx: CommandContext, name: string, onlineOnly = false) {
  const where = onlineOnly ? "online in" : "in the world of";
  tell(ctx, `No player "${name}" is ${where} ${ctx.content.zone.name}. Type who for the list.`);
}

/** Moves `who` to `roomId` in one step (no exit taken): the rooms see it vanish and appear. */
function relocate(ctx: CommandContext, who: MudPlayer, roomId: string): void {
  ctx.out.room(who.roomId, "depart", t("gm.vanishes", { name: who.name }), [who.id], { name: who.name });
  who.roomId = roomId;
  who.targetId = null;
  who.resting = false;
  ctx.out.room(roomId, "arrive", t("gm.appears", { name: who.name }), [who.id], { name: who.name });
  if (!who.online) return;
  const look = describeRoom(ctx.world, ctx.content, roomId, who.id);
  ctx.out.tell(who.id, "room", look.text, look.payload);
}

/** `word arg rest…`: the first word and the rest of the line. */
function firstWord(args: string): [string, string] {
  const space = args.indexOf(" ");
  return space === -1 ? [args, ""] : [args.slice(0, space), args.slice(space + 1).trim()];
}

/** Up to five ids of `ids` containing `word`, to suggest after a miss. */
function suggest(ids: readonly string[], word: string): string {
  const near = ids.filter((id) => id.includes(word.toLowerCase())).slice(0, 5);
  return near.length ? ` Did you mean ${near.join(", ")}?` : "";
}

function gotoCommand(ctx: CommandContext, args: string) {
  if (!args) return tell(ctx, "Go to where? Try: goto <room-id> or goto <player>.");
  const target = ctx.content.rooms[args] ? undefined : findPlayer(ctx, args, true);
  const roomId = ctx.content.rooms[args] ? args : target?.roomId;
  if (!roomId) {
    const rooms = Object.keys(ctx.content.rooms);
    return tell(ctx, `No room or online player "${args}" in ${ctx.content.zone.name}.${suggest(rooms, args)}`);
  }
  if (roomId === ctx.player.roomId) return tell(ctx, "You are already there.");
  const from = ctx.player.roomId;
  relocate(ctx, ctx.player, roomId);
  ctx.audit({ command: "goto", target: target?.name ?? roomId, detail: { from, to: roomId } });
}

function summonCommand(ctx: CommandContext, args: string) {
  if (!args) return tell(ctx, "Summon whom? Try: summon <player>.");
  const target = findPlayer(ctx, args, true);
  if (!target) return noPlayer(ctx, args, true);
  if (target.id === ctx.player.id) return tell(ctx, "You cannot summon yourself.");
  if (target.roomId === ctx.player.roomId) return tell(ctx, `${target.name} is already here.`);
  const from = target.roomId;
  ctx.out.tell(target.id, "info", t("gm.summoned", { gm: ctx.player.name }), { summonedBy: ctx.player.name });
  relocate(ctx, target, ctx.player.roomId);
  tell(ctx, `You summon ${target.name}.`);
  ctx.audit({ command: "summon", target: target.name, detail: { playerId: target.id, from, to: ctx.player.roomId } });
}

function transferCommand(ctx: CommandContext, args: string) {
  const [name, where] = firstWord(args);
  if (!name || !where || where.includes(" ")) {
    return tell(ctx, "Send whom where? Try: transfer <player> <zone>[:<room>].");
  }
  const target = findPlayer(ctx, name, true);
  if (!target) return noPlayer(ctx, name, true);
  if (target.guest) return tell(ctx, `${target.name} is a guest: guests stay in the zone they joined.`);
  const to = destinationOf(where.includes(":") ? where : `${where}:`, ctx.world.zoneId);
  if (!ZONE_ID_PATTERN.test(to.zoneId)) return tell(ctx, `"${to.zoneId}" is not a zone id (such as forest or start).`);
  if (to.zoneId === ctx.world.zoneId) {
    return tell(ctx, `${target.name} is already in ${to.zoneId}: use goto or summon within a zone.`);
  }
  const place = to.place ? `:${to.place}` : "";
  ctx.out.room(target.roomId, "depart", t("gm.vanishes", { name: target.name }), [target.id], { name: target.name });
  if (target.id !== ctx.player.id) {
    const sent = t("gm.sent", { gm: ctx.player.name, zone: to.zoneId });
    ctx.out.tell(target.id, "info", sent, { sentBy: ctx.player.name });
    tell(ctx, `You send ${target.name} to ${to.zoneId}${place}.`);
  } else tell(ctx, `You go to ${to.zoneId}${place}…`);
  target.targetId = null;
  target.resting = false;
  // The hand-off takes it from here, as an exit into another zone would (a zone that does not
  // take it puts it back where it stood).
  ctx.depart(to, target.id);
  ctx.audit({
    command: "transfer",
    target: target.name,
    detail: { playerId: target.id, from: target.roomId, toZone: to.zoneId, ...(to.place ? { place: to.place } : {}) },
  });
}

function spawnCommand(ctx: CommandContext, args: string) {
  const [templateId, countText] = firstWord(args);
  if (!templateId) return tell(ctx, "Spawn what? Try: spawn <npc-template> [count].");
  const template = ctx.content.npcs[templateId];
  if (!template) {
    const ids = Object.keys(ctx.content.npcs);
    return tell(ctx, `No NPC template "${templateId}".${suggest(ids, templateId)}`);
  }
  const count = countText ? Number(countText) : 1;
  if (!/^\d+$/.test(countText || "1") || count < 1 || count > MAX_SPAWN) {
    return tell(ctx, `Spawn 1 to ${MAX_SPAWN} at a time, not "${countText}".`);
  }
  const roomId = ctx.player.roomId;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    // It lives here from now on: when killed it respawns here, as content's NPCs at theirs.
    ids.push(placeNpc(ctx.world, template, roomId, npcStats(template).maxHp, { summoned: true }).id);
  }
  const name = capital(contentText("npcs", templateId, "name", template.name));
  const seen = count > 1 ? t("gm.appearsMany", { name, count }) : t("gm.appears", { name });
  ctx.out.room(roomId, "info", seen, [ctx.player.id], { npc: template.name, count });
  tell(ctx, `You spawn ${template.name}${count > 1 ? ` ×${count}` : ""} (${ids.join(", ")}).`, { npcs: ids });
  ctx.audit({ command: "spawn", target: templateId, detail: { room: roomId, npcIds: ids } });
}

/** An NPC by id anywhere in the zone (dead ones too), or by what the GM sees in its room. */
function findNpc(ctx: CommandContext, text: string): { npc: MudNpc } | { error: string } {
  const byId = Object.hasOwn(ctx.world.npcs, text) ? ctx.world.npcs[text] : undefined;
  if (byId) return { npc: byId };
  const found = resolveOne(text, npcCandidates(ctx.world, ctx.content, ctx.player.roomId));
  return found.ok ? { npc: found.value.npc } : { error: found.error.message };
}

function despawnCommand(ctx: CommandContext, args: string) {
  if (!args) return tell(ctx, "Despawn what? Try: despawn <npc> (as you see it here, or its id).");
  const found = findNpc(ctx, args);
  if ("error" in found) return tell(ctx, found.error);
  const { npc } = found;
  const name = npcTemplate(ctx.content, npc).name;
  delete ctx.world.npcs[npc.id];
  for (const player of Object.values(ctx.world.players)) if (player.targetId === npc.id) player.targetId = null;
  // A dead one waiting to respawn is seen by nobody: it just never comes back.
  if (npc.respawnAtTick === null) {
    const shown = capital(contentText("npcs", npc.templateId, "name", name));
    ctx.out.room(npc.roomId, "info", t("gm.fades", { name: shown }), [ctx.player.id], { npc: name });
  }
  tell(ctx, `You despawn ${name} (${npc.id}).`);
  ctx.audit({
    command: "despawn",
    target: npc.templateId,
    detail: { npcId: npc.id, room: npc.roomId, home: npc.homeRoomId },
  });
}

function giveCommand(ctx: CommandContext, args: string) {
  const [name, templateId] = firstWord(args);
  if (!name || !templateId) return tell(ctx, "Give whom what? Try: gmgive <player> <item-template>.");
  const target = findPlayer(ctx, name);
  if (!target) return noPlayer(ctx, name);
  const template = ctx.content.items[templateId];
  if (!template) {
    const ids = Object.keys(ctx.content.items);
    return tell(ctx, `No item template "${templateId}".${suggest(ids, templateId)}`);
  }
  if (template.unique) {
    if (holdsTemplate(ctx.world.items, target.id, templateId))
      return tell(ctx, `${target.name} already has ${template.name}, and can hold only one.`);
  }
  const item: ItemInstance = {
    id: newId(ctx.world, "item"),
    templateId,
    location: { kind: "inventory", ownerId: target.id },
  };
  if (template.durability !== undefined) item.durability = template.durability;
  ctx.world.items[item.id] = item;
  ctx.markCritical();
  if (target.id !== ctx.player.id && target.online) {
    const item = contentText("items", templateId, "name", template.name);
    ctx.out.tell(target.id, "item", t("gm.gave", { gm: ctx.player.name, item }), {
      action: "receive",
      item: template.name,
      actor: ctx.player.name,
    });
  }
  tell(ctx, `${target.name} now carries ${template.name} (${item.id}).`, { itemId: item.id });
  ctx.audit({ command: "gmgive", target: target.name, detail: { playerId: target.id, templateId, itemId: item.id } });
}

function inspectCommand(ctx: CommandContext, args: string) {
  if (!args) return tell(ctx, "Inspect whom? Try: inspect <player> or inspect <npc>.");
  const player = findPlayer(ctx, args);
  if (player) {
    const shown = inspectPlayer(ctx, player);
    ctx.out.tell(ctx.player.id, "info", shown.text, { inspect: shown.payload });
    return ctx.audit({ command: "inspect", target: player.name, detail: { playerId: player.id } });
  }
  const found = findNpc(ctx, args);
  if ("error" in found) return tell(ctx, `No player "${args}" in this zone, and no NPC: ${found.error}`);
  const shown = inspectNpc(ctx, found.npc);
  ctx.out.tell(ctx.player.id, "info", shown.text, { inspect: shown.payload });
  ctx.audit({ command: "inspect", target: found.npc.templateId, detail: { npcId: found.npc.id } });
}

/** The range `stat` may be set to on `player` now (pools: up to its current maxima). */
function rangeOf(ctx: CommandContext, player: MudPlayer, stat: Settable): { min: number; max: number } {
  if (stat === "hp" || stat === "mp") {
    const stats = playerStats(ctx.world, ctx.content, player);
    // hp 0 would be a death the rules did not cause: a GM who wants one can say so plainly.
    return stat === "hp" ? { min: 1, max: stats.maxHp } : { min: 0, max: stats.maxMp };
  }
  if (stat === "level") return { min: 1, max: MAX_LEVEL };
  if (stat === "xp") return { min: 0, max: MAX_XP };
  return STAT_LIMITS[stat];
}

function setCommand(ctx: CommandContext, args: string) {
  const [name, rest] = firstWord(args);
  const [statText, valueText] = firstWord(rest);
  const stat = statText.toLowerCase() as Settable;
  if (!name || !statText || !valueText) {
    return tell(ctx, `Set what? Try: set <player> <stat> <value>, stat one of ${SETTABLE.join(", ")}.`);
  }
  if (!SETTABLE.includes(stat)) return tell(ctx, `"${statText}" cannot be set; try one of ${SETTABLE.join(", ")}.`);
  const target = findPlayer(ctx, name);
  if (!target) return noPlayer(ctx, name);
  const value = Number(valueText);
  const { min, max } = rangeOf(ctx, target, stat);
  if (!/^-?\d+$/.test(valueText) || !Number.isSafeInteger(value) || value < min || value > max) {
    return tell(ctx, `${stat} must be a whole number from ${min} to ${max} for ${target.name}, not "${valueText}".`);
  }
  const before = { level: target.level, xp: target.xp, hp: target.hp, mp: target.mp, ...target.attributes };
  if (stat === "hp" || stat === "mp") target[stat] = value;
  else if (stat === "xp") {
    // Level follows experience, so the sheet stays one the rules could have reached.
    target.xp = value;
    target.level = levelForXp(value);
  } else if (stat === "level") {
    target.level = value;
    // Experience moves to the start of the level when it lay outside it, so the next kill neither
    // jumps levels nor needs more than the level's span.
    const next = value < MAX_LEVEL ? xpForLevel(value + 1) : Number.POSITIVE_INFINITY;
    if (target.xp < xpForLevel(value) || target.xp >= next) target.xp = xpForLevel(value);
  } else target.attributes = { ...target.attributes, [stat]: value };
  // A lower maximum (a lower level, less vit or int) takes the pools down with it.
  const stats = playerStats(ctx.world, ctx.content, target);
  target.hp = Math.min(target.hp, stats.maxHp);
  target.mp = Math.min(target.mp, stats.maxMp);
  const after = { level: target.level, xp: target.xp, hp: target.hp, mp: target.mp, ...target.attributes };
  const changed = Object.fromEntries(
    Object.entries(after)
      .filter(([key, v]) => before[key as keyof typeof before] !== v)
      .map(([key, v]) => [key, { from: before[key as keyof typeof before], to: v }]),
  );
  // Levels and pools reach Postgres at once (docs/decisions.md D15): commit before anyone hears.
  ctx.markCritical();
  if (target.id !== ctx.player.id && target.online) {
    ctx.out.tell(target.id, "info", t("gm.setYour", { gm: ctx.player.name, stat, value }), { stat, value });
  }
  const summary = Object.entries(changed).map(([key, c]) => `${key} ${c.from} → ${c.to}`);
  tell(ctx, `${target.name}: ${summary.length ? summary.join(", ") : `${stat} was already ${value}`}.`, { changed });
  ctx.audit({ command: "set", target: target.name, detail: { playerId: target.id, stat, value, changed } });
}

function broadcastCommand(ctx: CommandContext, args: string) {
  if (!args) return tell(ctx, "Broadcast what? Try: broadcast <text>.");
  const text = Array.from(args).slice(0, MAX_BROADCAST).join("");
  const from = ctx.player.name;
  ctx.out.zone("info", t("gm.broadcast", { gm: from, text }), { broadcast: text, from });
  ctx.audit({ command: "broadcast", detail: { text } });
}

/** Registers the GM commands (each `gm: true`). */
export function registerGmCommands(registry: CommandRegistry): void {
  const gm = true as const;
  registry.register({
    name: "goto",
    gm,
    usage: "goto <room-id|player>",
    help: "GM: step into a room of this zone (by its id), or into the room of an online player.",
    run: gotoCommand,
  });
  registry.register({
    name: "summon",
    gm,
    usage: "summon <player>",
    help: "GM: bring an online player of this zone to the room you stand in.",
    run: summonCommand,
  });
  registry.register({
    name: "transfer",
    gm,
    usage: "transfer <player> <zone>[:<room>]",
    help: "GM: send an online player (or yourself, `me`) to another zone through the hand-off, as an exit would.",
    run: transferCommand,
  });
  registry.register({
    name: "spawn",
    gm,
    usage: `spawn <npc-template> [1-${MAX_SPAWN}]`,
    help: "GM: make NPCs of a template here; they stay, and respawn here when killed, until despawned.",
    run: spawnCommand,
  });
  registry.register({
    name: "despawn",
    gm,
    usage: "despawn <npc>",
    help: "GM: remove an NPC for good, by what you see here (`2.wolf`) or its id from inspect.",
    run: despawnCommand,
  });
  registry.register({
    name: "gmgive",
    gm,
    usage: "gmgive <player> <item-template>",
    help: "GM: create an item of a template in a player's inventory (online or not).",
    run: giveCommand,
  });
  registry.register({
    name: "inspect",
    gm,
    usage: "inspect <player|npc>",
    help: "GM: everything the zone holds of a player (anywhere here) or an NPC (here, or by id).",
    run: inspectCommand,
  });
  registry.register({
    name: "set",
    gm,
    usage: "set <player> <stat> <value>",
    help: `GM: set a player's ${SETTABLE.join(", ")}.`,
    run: setCommand,
  });
  registry.register({
    name: "broadcast",
    gm,
    usage: "broadcast <text>",
    help: "GM: say something to every player in this zone.",
    run: broadcastCommand,
  });
}
