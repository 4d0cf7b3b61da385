/**
 * Fighting inside a zone tick: swings on a timer, deaths, experience, loot and respawns. Uses
 * the formulas in combat.ts, loot.ts and stats.ts; speaks through the Outbox.
 */

import { applyXp } from "../rules/stats";
import type { Rng } from "../sim/rng";
import {
  describeRoom,
  livingNpcsIn,
  npcName,
  npcStats,
  npcTemplate,
  onlinePlayersIn,
  playerStats,
  sentence,
} from "./actors";
import { resolveAttack } from "./combat";
import type { Outbox } from "./events";
import { equipmentOf, equippedTemplates } from "./items";
import { rollLoot } from "./loot";
import { type MudNpc, type MudPlayer, type MudWorld, openExits, spawnItem, type ZoneContent } from "./world";

/** Ticks between two swings (2 s at 10 Hz). */
export const SWING_TICKS = 20;

/**
 * Ticks between two wanderings of a wandering NPC, drawn uniformly from this range (5 s on average
 * at 10 Hz, the rate of the former 2 % chance per tick). Wandering is scheduled rather than rolled
 * every tick, so a zone nobody watches can skip to its next wander (shared/mud/idle.ts).
 */
export const WANDER_TICKS = { min: 25, max: 75 } as const;

export interface FightContext {
  world: MudWorld;
  content: ZoneContent;
  rng: Rng;
  tick: number;
  out: Outbox;
  /**
   * Deaths, loot and level-ups are critical changes (docs/architecture.md, rule 8): the tick that makes them
   * is committed before its events are sent, as item moves are.
   */
  markCritical?(): void;
}

/** The template of the weapon `player` wields, if any (melee swings and skills roll its damage). */
export function weaponOf(ctx: Pick<FightContext, "world" | "content">, player: MudPlayer) {
  const wielded = equipmentOf(ctx.world.items, player.id).find(
    (i) => i.location.kind === "equipped" && i.location.slot === "weapon",
  );
  return wielded ? ctx.content.items[wielded.templateId] : undefined;
}

/** A player's auto-attack on its target, when due. */
export function playerSwing(ctx: FightContext, player: MudPlayer): void {
  const npc = player.targetId ? ctx.world.npcs[player.targetId] : undefined;
  if (!npc || npc.respawnAtTick !== null || npc.roomId !== player.roomId) {
    player.targetId = null;
    return;
  }
  if (ctx.tick < player.nextSwingTick) return;
  player.nextSwingTick = ctx.tick + SWING_TICKS;
  const template = npcTemplate(ctx.content, npc);
  const result = resolveAttack(
    playerStats(ctx.world, ctx.content, player),
    npcStats(template, npc),
    weaponOf(ctx, player),
    ctx.rng,
  );
  const name = npcName(ctx.content, npc);
  if (!result.hit) {
    ctx.out.tell(player.id, "combat", `You miss ${name}.`, {
      attacker: player.name,
      target: template.name,
      hit: false,
    });
    ctx.out.room(player.roomId, "combat", `${player.name} misses ${name}.`, [player.id]);
    return;
  }
  npc.hp = Math.max(0, npc.hp - result.damage);
  npc.targetId ??= player.id;
  const crit = result.crit ? " A critical hit!" : "";
  ctx.out.tell(player.id, "combat", `You hit ${name} for ${result.damage}.${crit}`, {
    attacker: player.name,
    target: template.name,
    hit: true,
    damage: result.damage,
    crit: result.crit,
    targetHp: npc.hp,
  });
  ctx.out.room(player.roomId, "combat", `${player.name} hits ${name}.`, [player.id]);
  if (npc.hp === 0) killNpc(ctx, npc, player);
}

/** Damages an NPC from a spell or skill; kills it at 0. */
export function hurtNpc(ctx: FightContext, npc: MudNpc, damage: number, by: MudPlayer): void {
  npc.hp = Math.max(0, npc.hp - damage);
  npc.targetId ??= by.id;
  if (npc.hp === 0) killNpc(ctx, npc, by);
}

export function killNpc(ctx: FightContext, npc: MudNpc, killer: MudPlayer): void {
  const template = npcTemplate(ctx.content, npc);
  const name = npcName(ctx.content, npc);
  ctx.markCritical?.();
  ctx.out.room(npc.roomId, "death", `${sentence(name)} dies.`, [], { npc: template.name, killer: killer.name });
  npc.respawnAtTick = ctx.tick + Math.max(1, template.respawnTicks);
  npc.targetId = null;
  npc.effects = [];
  for (const player of Object.values(ctx.world.players)) if (player.targetId === npc.id) player.targetId = null;
  // Loot falls to the room, where anyone present may pick it up.
  const table = ctx.content.lootTables[template.lootTable];
  const dropped = table ? rollLoot(table, ctx.rng) : [];
  for (const templateId of dropped) spawnItem(ctx.world, ctx.content, templateId, npc.roomId);
  if (dropped.length) {
    const names = dropped.map((t) => ctx.content.items[t]?.name ?? t);
    ctx.out.room(npc.roomId, "loot", `${sentence(name)} drops ${names.join(", ")}.`, [], { items: names });
  }
  const gear = {
    equipped: equippedTemplates(ctx.world.items, ctx.content.items, killer.id),
    effects: killer.effects,
  };
  const gained = applyXp(killer, template.xp, gear);
  Object.assign(killer, { level: gained.state.level, xp: gained.state.xp, hp: gained.state.hp, mp: gained.state.mp });
  ctx.out.tell(killer.id, "info", `You gain ${template.xp} experience.`, { xp: template.xp });
  for (const level of gained.levelUps) {
    ctx.out.tell(killer.id, "level_up", `You reach level ${level}!`, { level });
    ctx.out.room(killer.roomId, "level_up", `${killer.name} reaches level ${level}!`, [killer.id], { level });
  }
}

/** An NPC's turn: pick a target, swing when due, or wander. */
export function npcAct(ctx: FightContext, npc: MudNpc): void {
  if (npc.respawnAtTick !== null) {
    if (ctx.tick >= npc.respawnAtTick) respawnNpc(ctx, npc);
    return;
  }
  const template = npcTemplate(ctx.content, npc);
  let target = npc.targetId ? ctx.world.players[npc.targetId] : undefined;
  if (target && (!target.online || target.roomId !== npc.roomId)) {
    npc.targetId = null;
    target = undefined;
  }
  if (!target && template.aggressive) {
    const here = onlinePlayersIn(ctx.world, npc.roomId);
    if (here.length) {
      target = here[ctx.rng.int(0, here.length - 1)];
      npc.targetId = target?.id ?? null;
      npc.nextSwingTick = ctx.tick + Math.floor(SWING_TICKS / 2);
      if (target) ctx.out.room(npc.roomId, "combat", `${sentence(npcName(ctx.content, npc))} attacks ${target.name}!`);
    }
  }
  if (target) {
    if (ctx.tick < npc.nextSwingTick) return;
    npc.nextSwingTick = ctx.tick + SWING_TICKS;
    const result = resolveAttack(
      npcStats(template, npc),
      playerStats(ctx.world, ctx.content, target),
      template,
      ctx.rng,
    );
    const name = sentence(npcName(ctx.content, npc));
    // attackVerb carries its own preposition ("bites at", "brings her hammer down on"; docs/content.md).
    ctx.out.room(npc.roomId, "combat", `${name} ${template.attackVerb} ${target.name}.`, [target.id]);
    if (!result.hit) {
      ctx.out.tell(target.id, "combat", `${name} ${template.attackVerb} you and misses.`, { hit: false });
      return;
    }
    target.hp = Math.max(0, target.hp - result.damage);
    target.resting = false;
    ctx.out.tell(target.id, "combat", `${name} ${template.attackVerb} you and hits for ${result.damage}.`, {
      hit: true,
      damage: result.damage,
      hp: target.hp,
    });
    return;
  }
  if (template.wanders) wanderWhenDue(ctx, npc);
}

/**
 * The wander rule, the same with or without players online: an idle, living wandering NPC without
 * a schedule draws one (`WANDER_TICKS` from now) and stays; on or after its scheduled tick it
 * walks through one open exit, drawn uniformly (none: it stays), then draws its next wander. A
 * fight holds the schedule: an NPC whose wander fell due while fighting wanders on its first idle
 * tick. Draws: at most two `rng.int`, exit then gap, and only on the ticks named here.
 */
function wanderWhenDue(ctx: FightContext, npc: MudNpc): void {
  if (npc.wanderAtTick === undefined) {
    npc.wanderAtTick = ctx.tick + nextWanderGap(ctx.rng);
    return;
  }
  if (ctx.tick < npc.wanderAtTick) return;
  wander(ctx, npc);
  npc.wanderAtTick = ctx.tick + nextWanderGap(ctx.rng);
}

const nextWanderGap = (rng: Rng) => rng.int(WANDER_TICKS.min, WANDER_TICKS.max);

function wander(ctx: FightContext, npc: MudNpc): void {
  const open = openExits(ctx.content.rooms[npc.roomId], ctx.world.zoneId);
  if (!open.length) return;
  const [exit, to] = open[ctx.rng.int(0, open.length - 1)] as [string, string];
  const name = sentence(npcName(ctx.content, npc));
  ctx.out.room(npc.roomId, "depart", `${name} leaves ${exit}.`);
  npc.roomId = to;
  ctx.out.room(to, "arrive", `${name} arrives.`);
}

function respawnNpc(ctx: FightContext, npc: MudNpc): void {
  const template = npcTemplate(ctx.content, npc);
  npc.respawnAtTick = null;
  npc.roomId = npc.homeRoomId;
  npc.hp = npcStats(template).maxHp;
  npc.effects = [];
  npc.targetId = null;
  // A wanderer comes back with a fresh schedule rather than one that fell due while it was dead.
  if (template.wanders) npc.wanderAtTick = ctx.tick + nextWanderGap(ctx.rng);
  ctx.out.room(npc.roomId, "arrive", `${sentence(template.name)} appears.`);
}

/** A player at 0 hp dies and wakes at the zone's bind room with half health. */
export function killPlayer(ctx: FightContext, player: MudPlayer): void {
  ctx.markCritical?.();
  ctx.out.tell(player.id, "death", "You die...", { bindRoom: ctx.content.zone.bindRoom });
  ctx.out.room(player.roomId, "death", `${player.name} dies.`, [player.id], { name: player.name });
  for (const npc of livingNpcsIn(ctx.world, player.roomId)) if (npc.targetId === player.id) npc.targetId = null;
  player.targetId = null;
  player.effects = [];
  player.resting = false;
  player.roomId = ctx.content.zone.bindRoom;
  player.hp = Math.max(1, Math.floor(playerStats(ctx.world, ctx.content, player).maxHp / 2));
  const bind = ctx.content.rooms[player.roomId]?.name ?? "a quiet place";
  ctx.out.tell(player.id, "respawn", `You wake in ${bind}, weak but alive.`, { room: player.roomId });
  ctx.out.room(player.roomId, "arrive", `${player.name} appears, pale and shaking.`, [player.id]);
  // Where it woke, as on walking in: its screen shows the room it now stands in.
  const look = describeRoom(ctx.world, ctx.content, player.roomId, player.id);
  ctx.out.tell(player.id, "room", look.text, look.payload);
}
