/**
 * Fighting inside a zone tick: swings on a timer, deaths, experience, loot and respawns. Uses
 * the formulas in combat.ts, loot.ts and stats.ts; speaks through the Outbox.
 */

import { capital, contentText, joined, t } from "../i18n/translate";
import type { Rng } from "../sim/rng";
import type { Destination } from "../world/traveller";
import { describeRoom, livingNpcsIn, npcStats, npcTemplate, npcText, onlinePlayersIn, playerStats } from "./actors";
import { askBehaviour, type NpcBehaviours } from "./behaviours";
import { resolveAttack } from "./combat";
import type { Outbox } from "./events";
import { adjustReputation, standingWith } from "./factions";
import { equipmentOf } from "./items";
import { rollLoot } from "./loot";
import { noteObjective } from "./quests";
import { gainXp } from "./rewards";
import { fireTriggers, type TriggerRegistry } from "./triggers";
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
  /** The realm's NPC behaviours, asked first on an NPC's turn when its template names one. */
  behaviours?: NpcBehaviours;
  /** Trigger conditions and actions (shared/mud/triggers); the built-ins when absent. */
  triggers?: TriggerRegistry;
  /** Hands a player over to another zone after the tick (a trigger's teleport on a death); as a command's `depart`. */
  depart?(to: Destination, playerId?: string): void;
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
  const name = npcText(ctx.content, npc);
  if (!result.hit) {
    ctx.out.tell(player.id, "combat", t("fight.miss.self", { target: name }), {
      attacker: player.name,
      target: template.name,
      hit: false,
    });
    ctx.out.room(player.roomId, "combat", t("fight.miss.room", { actor: player.name, target: name }), [player.id]);
    return;
  }
  npc.hp = Math.max(0, npc.hp - result.damage);
  npc.targetId ??= player.id;
  const hit = { target: name, damage: result.damage };
  ctx.out.tell(player.id, "combat", result.crit ? t("fight.hit.selfCrit", hit) : t("fight.hit.self", hit), {
    attacker: player.name,
    target: template.name,
    hit: true,
    damage: result.damage,
    crit: result.crit,
    targetHp: npc.hp,
  });
  ctx.out.room(player.roomId, "combat", t("fight.hit.room", { actor: player.name, target: name }), [player.id]);
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
  const name = capital(npcText(ctx.content, npc));
  ctx.markCritical?.();
  ctx.out.room(npc.roomId, "death", t("fight.npcDies", { name }), [], { npc: template.name, killer: killer.name });
  npc.respawnAtTick = ctx.tick + Math.max(1, template.respawnTicks);
  npc.targetId = null;
  npc.effects = [];
  for (const player of Object.values(ctx.world.players)) if (player.targetId === npc.id) player.targetId = null;
  // Loot falls to the room, where anyone present may pick it up.
  const table = ctx.content.lootTables[template.lootTable];
  const dropped = table ? rollLoot(table, ctx.rng) : [];
  for (const templateId of dropped) spawnItem(ctx.world, ctx.content, templateId, npc.roomId);
  if (dropped.length) {
    const names = dropped.map((id) => ctx.content.items[id]?.name ?? id);
    const items = joined(
      dropped.map((id, i) => contentText("items", id, "name", names[i] as string)),
      ", ",
    );
    ctx.out.room(npc.roomId, "loot", t("fight.loot", { name, items }), [], { items: names });
  }
  gainXp(ctx, killer, template.xp);
  // Standing and quests count a kill by a player (docs/content.md, "Quests", "Factions and reputation").
  const quest = { ...ctx, markCritical: () => ctx.markCritical?.() };
  for (const change of template.reputationOnKill ?? []) adjustReputation(quest, killer, change.faction, change.delta);
  noteObjective(quest, killer, { kind: "kill", npc: template.id });
  // A trigger's NPC is gone for good rather than respawned (shared/mud/triggers, spawn-npc).
  if (npc.transient) delete ctx.world.npcs[npc.id];
  fireTriggers(ctx, { event: "npc-death", npc, killer, room: npc.roomId });
}

/** An NPC's turn: pick a target, swing when due, or wander. */
export function npcAct(ctx: FightContext, npc: MudNpc): void {
  if (npc.respawnAtTick !== null) {
    if (ctx.tick >= npc.respawnAtTick) respawnNpc(ctx, npc);
    return;
  }
  // A named behaviour (content's `behaviour`, docs/plugins.md) may take the whole turn.
  if (askBehaviour(ctx, ctx.behaviours, npc)) return;
  const template = npcTemplate(ctx.content, npc);
  let target = npc.targetId ? ctx.world.players[npc.targetId] : undefined;
  if (target && (!target.online || target.roomId !== npc.roomId)) {
    npc.targetId = null;
    target = undefined;
  }
  if (!target && (template.aggressive || template.faction)) {
    // Standing overrides the template (docs/content.md, "Factions and reputation"): a faction's
    // NPC attacks whoever it is hostile to, and never on sight whoever it is friendly with.
    const here = onlinePlayersIn(ctx.world, npc.roomId).filter((p) => {
      const standing = standingWith(p, template, ctx.content);
      return standing === "hostile" || (template.aggressive && standing === "neutral");
    });
    if (here.length) {
      target = here[ctx.rng.int(0, here.length - 1)];
      npc.targetId = target?.id ?? null;
      npc.nextSwingTick = ctx.tick + Math.floor(SWING_TICKS / 2);
      if (target) {
        const name = capital(npcText(ctx.content, npc));
        ctx.out.room(npc.roomId, "combat", t("fight.npcAttacks", { name, target: target.name }));
      }
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
    const name = capital(npcText(ctx.content, npc));
    // attackVerb carries its own preposition ("bites at", "brings her hammer down on"; docs/content.md).
    const verb = template.attackVerb;
    ctx.out.room(npc.roomId, "combat", t("fight.npcSwing.room", { name, verb, target: target.name }), [target.id]);
    if (!result.hit) {
      ctx.out.tell(target.id, "combat", t("fight.npcSwing.miss", { name, verb }), { hit: false });
      return;
    }
    target.hp = Math.max(0, target.hp - result.damage);
    target.resting = false;
    ctx.out.tell(target.id, "combat", t("fight.npcSwing.hit", { name, verb, damage: result.damage }), {
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
  const open = openExits(ctx.content.rooms[npc.roomId], ctx.world.zoneId, ctx.world);
  if (!open.length) return;
  const [exit, to] = open[ctx.rng.int(0, open.length - 1)] as [string, string];
  const name = capital(npcText(ctx.content, npc));
  ctx.out.room(npc.roomId, "depart", t("fight.npcLeaves", { name, exit }));
  npc.roomId = to;
  ctx.out.room(to, "arrive", t("room.arrive", { name }));
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
  ctx.out.room(npc.roomId, "arrive", t("fight.npcAppears", { name: capital(npcText(ctx.content, npc)) }));
}

/** A player at 0 hp dies and wakes at the zone's bind room with half health. */
export function killPlayer(ctx: FightContext, player: MudPlayer): void {
  ctx.markCritical?.();
  ctx.out.tell(player.id, "death", t("fight.youDie"), { bindRoom: ctx.content.zone.bindRoom });
  ctx.out.room(player.roomId, "death", t("fight.playerDies", { name: player.name }), [player.id], {
    name: player.name,
  });
  for (const npc of livingNpcsIn(ctx.world, player.roomId)) if (npc.targetId === player.id) npc.targetId = null;
  player.targetId = null;
  player.effects = [];
  player.resting = false;
  player.roomId = ctx.content.zone.bindRoom;
  player.hp = Math.max(1, Math.floor(playerStats(ctx.world, ctx.content, player).maxHp / 2));
  const bindRoom = ctx.content.rooms[player.roomId];
  const bind = bindRoom ? contentText("rooms", bindRoom.id, "name", bindRoom.name) : t("fight.wakeNowhere");
  ctx.out.tell(player.id, "respawn", t("fight.wake", { room: bind }), { room: player.roomId });
  ctx.out.room(player.roomId, "arrive", t("fight.playerAppears", { name: player.name }), [player.id]);
  // Where it woke, as on walking in: its screen shows the room it now stands in.
  const look = describeRoom(ctx.world, ctx.content, player.roomId, player.id);
  ctx.out.tell(player.id, "room", look.text, look.payload);
}
