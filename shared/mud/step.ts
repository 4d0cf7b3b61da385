/**
 * One MUD tick, pure: `stepWorld(world, commands, ctx)` returns the next world and the events to
 * send. Order within a tick: players' commands in arrival order (so two players reaching for one
 * item in the same tick are served first come, first served), then players' swings, then NPCs,
 * then effects and regeneration, then deaths, then a `stat_update` for every visible change.
 */

import { t } from "../i18n/translate";
import { deriveStats } from "../rules/stats";
import { copyPlain } from "../sim/plain";
import type { Rng } from "../sim/rng";
import type { Departure } from "../world/traveller";
import type { GmAudit } from "../zone/engine";
import { describeRoom, itemName, itemText, npcStats, npcTemplate, playerStats } from "./actors";
import type { NpcBehaviours } from "./behaviours";
import { type CommandContext, type CommandRegistry, splitLine } from "./commands/registry";
import { findCommand } from "./commands/world";
import { tickEffects } from "./effects";
import { Outbox, type Outgoing } from "./events";
import { type FightContext, killNpc, killPlayer, npcAct, playerSwing } from "./fight";
import { dropEverything, equippedTemplatesByActor } from "./items";
import { noteObjective } from "./quests";
import { statDiff, type VisibleStats, visibleStats } from "./stats";
import { fireTimers, fireTriggers, type TriggerRegistry } from "./triggers";
import type { EffectState, ItemInstance, ItemTemplate } from "./types";
import { copyWorld, type MudPlayer, type MudWorld, type ZoneContent } from "./world";

export interface CommandInput {
  playerId: string;
  line: string;
  /** The session may run GM commands (shared/zone/engine.ts, `EngineSession.gm`); absent: it may not. */
  gm?: boolean;
}

export interface StepContext {
  tick: number;
  rng: Rng;
  content: ZoneContent;
  commands: CommandRegistry;
  /** NPC behaviours content may name (shared/mud/behaviours.ts); none: every NPC follows the default rules. */
  behaviours?: NpcBehaviours;
  /** Trigger conditions and actions (shared/mud/triggers); the built-ins when absent. */
  triggers?: TriggerRegistry;
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
  /** What GM commands did this tick, in order: the host logs and stores each (docs/admin.md). */
  audit: GmAudit[];
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
  if (ctx.behaviours) fight.behaviours = ctx.behaviours;
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
      const { level, xp, hp, mp, roomId, attributes } = p;
      const full = !timeOnly || p.effects.length > 0 ? sheet(p, equippedAtStart) : undefined;
      return [p.id, { level, xp, hp, mp, roomId, attributes, sheet: full }] as const;
    }),
  );
  // Effects applied (or refreshed, which replaces the object) during this tick first advance on the
  // next one (effects.ts): a 100-tick draught lasts 100 ticks and first pulses a full interval later.
  const effectsAtStart = new Set(playing.flatMap((p) => p.effects));

  const departures: Departure[] = [];
  // Triggers fired by the time phase (a death, a timer) may hand a player over too: once per player.
  fight.depart = (to, playerId) => {
    if (playerId && !departures.some((d) => d.playerId === playerId)) departures.push({ playerId, to });
  };
  if (ctx.triggers) fight.triggers = ctx.triggers;
  // A traveller from another zone stands in its room for the first time: its `enter` triggers fire
  // now, on the zone's tick (with its RNG), before anyone's commands (docs/content.md, "Triggers").
  for (const player of playing) {
    if (!player.arriving) continue;
    delete player.arriving;
    fireTriggers(fight, { event: "enter", player, room: player.roomId });
  }
  const audit: GmAudit[] = [];
  for (const input of commands) {
    const player = next.players[input.playerId];
    // A player on its way out does nothing more here.
    if (!player?.online || departures.some((d) => d.playerId === player.id)) continue;
    const { word, args } = splitLine(Array.from(input.line).slice(0, MAX_LINE).join(""));
    if (!word) continue;
    // A word may also name an exit of the room the player stands in (commands/world.ts).
    // Or a room verb of a trigger there ("pull lever"; commands/world.ts has the precedence).
    const command = findCommand(ctx.commands, word, ctx.content.rooms[player.roomId], ctx.content);
    if (!command) {
      out.tell(player.id, "info", t("step.unknownCommand", { word }));
      continue;
    }
    if (command.gm && !input.gm) {
      out.tell(player.id, "info", t("step.gmOnly", { command: command.name }));
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
      // One hand-off per player: a second departure in the same tick (a GM's transfer of someone
      // already leaving) is not another.
      depart: (to, playerId = player.id) => {
        if (!departures.some((d) => d.playerId === playerId)) departures.push({ playerId, to });
      },
      gm: input.gm === true,
      audit: (entry) => audit.push({ ...entry, gm: player.id, gmName: player.name, tick: ctx.tick }),
      ...(ctx.triggers ? { triggers: ctx.triggers } : {}),
    };
    command.run(commandCtx, args);
  }

  passTime(fight, online(), effectsAtStart);
  // Timers last, as an idle zone runs them (idle.ts): after the NPCs and effects of the tick.
  fireTimers(fight);

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
    // Attributes change only by a GM's `set`, which replaces the object.
    if (progressed || was.roomId !== player.roomId || was.attributes !== player.attributes)
      changedPlayers.push(player.id);
  }
  return { world: next, out: out.items, critical, changedPlayers, departures, audit };
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
        out.tell(player.id, "effect_end", t("effect.end", { effect: event.name }), { name: event.name });
      if (event.type === "hp_change" && event.effect) {
        const change = { effect: event.effect, amount: Math.abs(event.amount) };
        out.tell(player.id, "hp_change", t(event.amount > 0 ? "effect.restores" : "effect.costs", change), {
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
    // Despawned by a trigger fired earlier in this loop (a death's): no longer in the world.
    if (fight.world.npcs[npc.id] !== npc) continue;
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
): { world: MudWorld; out: Outgoing[]; critical: boolean } {
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
  // Attributes too: a GM's `set` changes them in the world only (docs/admin.md, "GM commands in MUD zones").
  const kept = existing
    ? { level: existing.level, xp: existing.xp, hp: existing.hp, mp: existing.mp, attributes: existing.attributes }
    : {};
  // Quests and standing live only in the world, and travel with the character (travel.ts).
  const journal = {
    ...(existing?.quests ? { quests: copyPlain(existing.quests) } : {}),
    ...(existing?.reputation ? { reputation: copyPlain(existing.reputation) } : {}),
    ...(existing?.triggersDone ? { triggersDone: [...existing.triggersDone] } : {}),
  };
  next.players[character.id] = {
    // Copied: an offline player's record is shared with the world it came from (copyWorld).
    effects: copyPlain(existing?.effects ?? []),
    targetId: null,
    resting: false,
    nextSwingTick: 0,
    ...character,
    ...kept,
    ...journal,
    // Handed over by another zone and not yet online here: its arrival's `enter` is still owed.
    ...(existing?.arriving ? { arriving: true as const } : {}),
    roomId,
    online: true,
  };
  out.room(roomId, "arrive", t("room.arrive", { name: character.name }), [character.id], { name: character.name });
  const look = describeRoom(next, content, roomId, character.id);
  out.tell(character.id, "room", look.text, look.payload);
  // Arriving from another zone can be where a quest was leading (a reach step; shared/mud/quests.ts).
  let critical = false;
  const quest = { world: next, content, out, tick: next.tick, markCritical: () => (critical = true) };
  noteObjective(quest, next.players[character.id] as MudPlayer, { kind: "reach", room: roomId });
  return { world: next, out: out.items, critical };
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
        const text = itemText(content, next.items[itemId] as ItemInstance);
        out.room(leaving.roomId, "item", t("item.drop.room", { actor: leaving.name, item: text }), [playerId], {
          action: "drop",
          item: name,
          actor: leaving.name,
        });
      }
    }
  } else next.players[playerId] = leaving;
  out.room(leaving.roomId, "depart", t("room.leaveRealm", { name: leaving.name }), [playerId], { name: leaving.name });
  return { world: next, out: out.items, critical };
}
