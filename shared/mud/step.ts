/**
 * One MUD tick, pure: `stepWorld(world, commands, ctx)` returns the next world and the events to
 * send. Order within a tick: players' commands in arrival order (so two players reaching for one
 * item in the same tick are served first come, first served), then players' swings, then NPCs,
 * then effects and regeneration, then deaths, then a `stat_update` for every visible change.
 */

import { deriveStats } from "../rules/stats";
import { copyPlain } from "../sim/plain";
import type { Rng } from "../sim/rng";
import type { Departure } from "../world/traveller";
import { describeRoom, itemName, npcStats, npcTemplate, playerStats } from "./actors";
import { type CommandContext, type CommandRegistry, splitLine } from "./commands/registry";
import { findCommand } from "./commands/world";
import { tickEffects } from "./effects";
import { Outbox, type Outgoing } from "./events";
import { type FightContext, killNpc, killPlayer, npcAct, playerSwing } from "./fight";
import { dropEverything, equippedTemplatesByActor } from "./items";
import { statDiff, type VisibleStats, visibleStats } from "./stats";
import type { EffectState, ItemInstance, ItemTemplate } from "./types";
import { copyWorld, type MudPlayer, type MudWorld, type ZoneContent } from "./world";

export interface CommandInput {
  playerId: string;
  line: string;
}

export interface StepContext {
  tick: number;
  rng: Rng;
  content: ZoneContent;
  commands: CommandRegistry;
}

export interface StepResult {
  world: MudWorld;
  out: Outgoing[];
  /**
   * Items moved, something died or levelled up this tick: persist before sending `out` (nothing
   * duplicated or lost on a crash, no acknowledged death or level-up undone).
   */
  critical: boolean;
  /** Players leaving for another zone this tick (an exit into another zone): the host hands them over. */
  departures: Departure[];
  /** Players whose level, hp, xp or position changed (to write back to Postgres). */
  changedPlayers: string[];
}

/** The protocol's limit on a command line, in code points as docs/protocol.md (Frames) counts. */
const MAX_LINE = 500;

export function stepWorld(world: MudWorld, commands: readonly CommandInput[], ctx: StepContext): StepResult {
  const next: MudWorld = copyWorld(world);
  next.tick = ctx.tick;
  const out = new Outbox();
  let critical = false;
  const markCritical = () => {
    critical = true;
  };
  const fight: FightContext = { world: next, content: ctx.content, rng: ctx.rng, tick: ctx.tick, out, markCritical };
  // Who is online does not change within a tick (players join and leave between ticks), and a zone
  // keeps many more offline characters than it has players online: one pass over all of them.
  const playing = Object.values(next.players).filter((p) => p.online);
  const online = () => playing;
  // Each online player as it starts the tick. Its sheet (what it sees of its stats) is computed
  // now only when this tick can change more than its pools and progress: with commands to run, or
  // effects running on it. Otherwise (most players, most ticks) only a changed pool or level needs
  // its sheet, rebuilt below from these numbers; nothing else that feeds a sheet moves with time.
  const timeOnly = commands.length === 0;
  // Taken now, before anything moves: the state a "before" sheet must be computed from.
  const equippedAtStart = equippedTemplatesByActor(next.items, ctx.content.items);
  const start = new Map(
    online().map((p) => {
      const { level, xp, hp, mp, roomId } = p;
      const full = !timeOnly || p.effects.length > 0 ? sheet(p, equippedAtStart) : undefined;
      return [p.id, { level, xp, hp, mp, roomId, sheet: full }] as const;
    }),
  );
  // Effects applied (or refreshed, which replaces the object) during this tick first advance on the
  // next one (effects.ts): a 100-tick draught lasts 100 ticks and first pulses a full interval later.
  const effectsAtStart = new Set(playing.flatMap((p) => p.effects));

  const departures: Departure[] = [];
  for (const input of commands) {
    const player = next.players[input.playerId];
    // A player on its way out does nothing more here.
    if (!player?.online || departures.some((d) => d.playerId === player.id)) continue;
    const { word, args } = splitLine(Array.from(input.line).slice(0, MAX_LINE).join(""));
    if (!word) continue;
    // A word may also name an exit of the room the player stands in (commands/world.ts).
    const command = findCommand(ctx.commands, word, ctx.content.rooms[player.roomId]);
    if (!command) {
      out.tell(player.id, "info", `Huh? "${word}" is not a command. Type help for the list.`);
      continue;
    }
    if (command.name !== "rest") player.resting = false;
    const commandCtx: CommandContext = {
      world: next,
      player,
      content: ctx.content,
      rng: ctx.rng,
      tick: ctx.tick,
      out,
      markCritical,
      depart: (to) => departures.push({ playerId: player.id, to }),
    };
    command.run(commandCtx, args);
  }

  passTime(fight, online(), effectsAtStart);

  const changedPlayers: string[] = [];
  let equippedAfter: Map<string, ItemTemplate[]> | undefined;
  const equippedAtEnd = () => {
    equippedAfter ??= equippedTemplatesByActor(next.items, ctx.content.items);
    return equippedAfter;
  };
  for (const player of online()) {
    const was = start.get(player.id);
    if (!was) continue;
    const progressed =
      was.level !== player.level || was.xp !== player.xp || was.hp !== player.hp || was.mp !== player.mp;
    // Without effects at the start, the sheet then is this player's as it was: no effects, its pools.
    const previous =
      was.sheet ??
      (progressed || player.effects.length > 0
        ? sheet({ ...player, level: was.level, xp: was.xp, hp: was.hp, mp: was.mp, effects: [] }, equippedAtStart)
        : undefined);
    const diff = previous ? statDiff(previous, sheet(player, equippedAtEnd())) : {};
    if (Object.keys(diff).length) {
      out.tell(player.id, "stat_update", "", diff as Record<string, unknown>);
    }
    if (progressed || was.roomId !== player.roomId) changedPlayers.push(player.id);
  }
  return { world: next, out: out.items, critical, changedPlayers, departures };
}

/** The time phase of a tick: swings, NPCs, effects and regeneration, deaths. */
function passTime(fight: FightContext, online: readonly MudPlayer[], effectsAtStart: ReadonlySet<EffectState>): void {
  const { world: next, out } = fight;
  for (const player of online) if (player.targetId) playerSwing(fight, player);
  for (const npc of Object.values(next.npcs)) npcAct(fight, npc);

  // Who the NPCs are fighting, gathered once: asking every NPC for every player grows with both.
  // (A death in the loop below only releases NPCs from the player who died.)
  const targeted = new Set<string>();
  for (const npc of Object.values(next.npcs)) if (npc.targetId) targeted.add(npc.targetId);
  for (const player of online) {
    const stats = playerStats(next, fight.content, player);
    const inCombat = player.targetId !== null || targeted.has(player.id);
    const fresh = player.effects.filter((e) => !effectsAtStart.has(e));
    const ticked = tickEffects(
      player.effects.filter((e) => effectsAtStart.has(e)),
      { hp: player.hp, mp: player.mp, maxHp: stats.maxHp, maxMp: stats.maxMp },
      {
        tick: fight.tick,
        inCombat,
        vit: stats.vit,
        int: stats.int,
        // Resting doubles the pace of regeneration.
        regenIntervalTicks: player.resting ? 5 : 10,
      },
    );
    player.effects = [...ticked.effects, ...fresh];
    player.hp = ticked.hp;
    player.mp = ticked.mp;
    for (const event of ticked.events) {
      if (event.type === "effect_end")
        out.tell(player.id, "effect_end", `${event.name} wears off.`, { name: event.name });
      if (event.type === "hp_change" && event.effect) {
        const verb = event.amount > 0 ? "restores" : "costs";
        out.tell(player.id, "hp_change", `${event.effect} ${verb} ${Math.abs(event.amount)} hp.`, {
          amount: event.amount,
          hp: event.hp,
          effect: event.effect,
        });
      }
    }
    if (player.hp <= 0) killPlayer(fight, player);
  }
  tickNpcEffects(fight);
}

/**
 * One tick of every living NPC's effects (no regeneration: NPCs heal only by respawning). An NPC a
 * damage-over-time effect brings to 0 dies if its caster is online; otherwise it stays at 0.
 */
export function tickNpcEffects(fight: FightContext): void {
  for (const npc of Object.values(fight.world.npcs)) {
    if (npc.respawnAtTick !== null || npc.effects.length === 0) continue;
    const stats = npcStats(npcTemplate(fight.content, npc), npc);
    const ticked = tickEffects(
      npc.effects,
      { hp: npc.hp, mp: 0, maxHp: stats.maxHp, maxMp: 0 },
      {
        tick: fight.tick,
        inCombat: true,
        vit: stats.vit,
        int: stats.int,
      },
    );
    const sources = npc.effects.map((e) => e.source);
    npc.effects = ticked.effects;
    npc.hp = ticked.hp;
    if (npc.hp === 0) {
      // Killed by a damage-over-time effect: the experience goes to whoever cast it, if still here.
      const caster = sources.map((id) => fight.world.players[id]).find((p) => p?.online);
      if (caster) killNpc(fight, npc, caster);
    }
  }
}

/** What the player sees of its stats, with its equipment looked up in an index of the whole zone's (items.ts). */
function sheet(player: MudPlayer, equipped: ReadonlyMap<string, ItemTemplate[]>): VisibleStats {
  const { attributes, level, effects } = player;
  return visibleStats(player, deriveStats({ attributes, level, equipped: equipped.get(player.id) ?? [], effects }));
}

/** A character enters the zone (or comes back online): placed at its room, or the entry room. */
export function joinPlayer(
  world: MudWorld,
  content: ZoneContent,
  character: Omit<MudPlayer, "effects" | "targetId" | "resting" | "nextSwingTick" | "online" | "roomId"> & {
    roomId?: string;
  },
): { world: MudWorld; out: Outgoing[] } {
  const next = copyWorld(world);
  const out = new Outbox();
  const existing = next.players[character.id];
  const roomId =
    existing && content.rooms[existing.roomId]
      ? existing.roomId
      : character.roomId && content.rooms[character.roomId]
        ? character.roomId
        : content.zone.entryRoom;
  // While a character is in this zone the world is authoritative: a returning player keeps what the
  // world knows (it is never older than the database's copy, which this zone writes).
  const kept = existing ? { level: existing.level, xp: existing.xp, hp: existing.hp, mp: existing.mp } : {};
  next.players[character.id] = {
    // Copied: an offline player's record is shared with the world it came from (copyWorld).
    effects: copyPlain(existing?.effects ?? []),
    targetId: null,
    resting: false,
    nextSwingTick: 0,
    ...character,
    ...kept,
    roomId,
    online: true,
  };
  out.room(roomId, "arrive", `${character.name} arrives.`, [character.id], { name: character.name });
  const look = describeRoom(next, content, roomId, character.id);
  out.tell(character.id, "room", look.text, look.payload);
  return { world: next, out: out.items };
}

/**
 * A player leaves. A character stays in the world offline, out of every fight, with its items: they
 * live only in this zone (docs/decisions.md D15), and it comes back to them. A guest has nothing to
 * come back to (its next session is a new guest), so it is removed, and what it carried or wore
 * falls to the floor of the room it stood in, as if it had dropped it on its way out: nothing
 * vanishes or is duplicated, others can pick it up, and the world does not grow with every guest.
 * `critical` when items moved: save before sending `out` (docs/decisions.md D15).
 */
export function leavePlayer(
  world: MudWorld,
  content: ZoneContent,
  playerId: string,
): { world: MudWorld; out: Outgoing[]; critical: boolean } {
  const player = world.players[playerId];
  if (!player) return { world, out: [], critical: false };
  const next = copyWorld(world);
  const out = new Outbox();
  const leaving = copyPlain(player);
  leaving.online = false;
  leaving.targetId = null;
  leaving.resting = false;
  for (const npc of Object.values(next.npcs)) if (npc.targetId === playerId) npc.targetId = null;
  let critical = false;
  if (leaving.guest) {
    delete next.players[playerId];
    const dropped = dropEverything(next.items, playerId, leaving.roomId);
    if (dropped.ok && dropped.value.events.length) {
      next.items = dropped.value.items;
      critical = true;
      for (const { itemId } of dropped.value.events) {
        const name = itemName(content, next.items[itemId] as ItemInstance);
        out.room(leaving.roomId, "item", `${leaving.name} drops ${name}.`, [playerId], {
          action: "drop",
          item: name,
          actor: leaving.name,
        });
      }
    }
  } else next.players[playerId] = leaving;
  out.room(leaving.roomId, "depart", `${leaving.name} leaves the realm.`, [playerId], { name: leaving.name });
  return { world: next, out: out.items, critical };
}
