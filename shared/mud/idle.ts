/**
 * A MUD zone nobody watches (shared/zone/engine.ts, `nextEventTick` and `fastForward`). With no
 * player online a tick (step.ts) changes the world only through its NPCs, and only on these ticks:
 *
 * - a dead NPC's `respawnAtTick` (it respawns at home; a wanderer draws its next wander);
 * - a wandering NPC's `wanderAtTick`, or the first tick of a wanderer not yet scheduled
 *   (fight.ts, `wanderWhenDue`: the only RNG draws an empty zone makes);
 * - the first tick, when a living NPC still targets a player who is offline (the target is dropped);
 * - a living NPC's effect pulsing (dots and hots) or ending (effects.ts, `nextEffectChange`);
 * - a timer trigger's tick, when firing it could change the world or draw with nobody online
 *   (shared/mud/triggers, `mattersWhileEmpty`: it spawns, despawns, changes an exit, rolls a
 *   chance or remembers firing); the others would only speak to empty rooms.
 *
 * On every other tick only the tick number moves and living NPCs' effects count down (their hp
 * clamped to their maximum), which `passQuietTicks` does for a whole stretch at once. Offline
 * players are frozen: their effects wait for them to come back (step.ts runs online players only).
 * So `fastForwardWorld` runs the NPC phase of `stepWorld` on the event ticks only (`npcAct` for the
 * NPCs with something due, then every living NPC's effects), and ends exactly
 * where stepping every tick would, with the same RNG draws in the same order.
 */
import type { Rng } from "../sim/rng";
import { npcStats, npcTemplate } from "./actors";
import { countDownEffects, nextEffectChange, tickEffects } from "./effects";
import { Outbox, type Outgoing } from "./events";
import { type FightContext, npcAct } from "./fight";
import { tickNpcEffects } from "./step";
import { defaultTriggers, fireTimers, nextTimerTick, type TriggerRegistry } from "./triggers";
import { copyWorld, type MudNpc, type MudWorld, type ZoneContent } from "./world";

/** Whether a player is online: then every tick may change the world (swings, regeneration, commands). */
export const anyoneOnline = (world: MudWorld): boolean => Object.values(world.players).some((p) => p.online);

/**
 * The first tick after `afterTick` at which the world would change, stepping from `world.tick` with
 * nobody online, other than by the countdown of effects; undefined when nothing is scheduled.
 * Exact for `afterTick === world.tick`; for a later one never later than the truth (an event
 * already due counts as `afterTick + 1`). `afterTick + 1` while a player is online.
 */
export function nextWorldEvent(
  world: MudWorld,
  content: ZoneContent,
  afterTick: number,
  triggers: TriggerRegistry = defaultTriggers(),
): number | undefined {
  const soon = afterTick + 1;
  if (anyoneOnline(world)) return soon;
  let first: number | undefined;
  const consider = (tick: number) => {
    const at = Math.max(soon, tick);
    if (first === undefined || at < first) first = at;
  };
  for (const npc of Object.values(world.npcs)) {
    if (npc.respawnAtTick !== null) {
      consider(npc.respawnAtTick);
      continue;
    }
    // A target who is here but offline is dropped on the next tick (fight.ts, npcAct).
    if (npc.targetId !== null && world.players[npc.targetId]) consider(soon);
    if (content.npcs[npc.templateId]?.wanders) consider(npc.wanderAtTick ?? soon);
    const j = nextEffectChange(npc.effects, Math.max(0, afterTick - world.tick));
    if (j !== undefined) consider(world.tick + j);
  }
  // A timer trigger whose firing changes the world (or draws) with nobody online (shared/mud/triggers).
  const timer = nextTimerTick(world, content, afterTick, triggers);
  if (timer !== undefined) consider(timer);
  return first;
}

/**
 * Whether `npcAct` does anything to `npc` on `tick` with nobody online: a respawn due, a target to
 * drop, a wander due or to schedule. On any other tick it leaves the NPC as it is and draws nothing.
 */
function acts(world: MudWorld, content: ZoneContent, npc: MudNpc, tick: number): boolean {
  if (npc.respawnAtTick !== null) return tick >= npc.respawnAtTick;
  if (npc.targetId !== null && world.players[npc.targetId]) return true;
  if (!content.npcs[npc.templateId]?.wanders) return false;
  return npc.wanderAtTick === undefined || tick >= npc.wanderAtTick;
}

/**
 * `ticks` ticks with nobody online and no event (fewer than `nextWorldEvent` is away), passed at
 * once on a world the caller owns: each living NPC with effects has them counted down and its hp
 * clamped, as `tickNpcEffects` would over those ticks. The tick number is the caller's.
 */
export function passQuietTicks(world: MudWorld, content: ZoneContent, ticks: number): void {
  if (ticks <= 0) return;
  for (const npc of Object.values(world.npcs)) {
    if (npc.respawnAtTick !== null || npc.effects.length === 0) continue;
    const stats = npcStats(npcTemplate(content, npc), npc);
    // No effect runs: the pools are only clamped as every tick clamps them.
    const pools = tickEffects(
      [],
      { hp: npc.hp, mp: 0, maxHp: stats.maxHp, maxMp: 0 },
      {
        tick: world.tick + 1,
        inCombat: true,
        vit: stats.vit,
        int: stats.int,
      },
    );
    npc.hp = pools.hp;
    npc.effects = countDownEffects(npc.effects, ticks);
  }
}

/**
 * The world at `toTick` as `stepWorld` with no commands would leave it after every tick from
 * `world.tick + 1`, for a world with nobody online (it throws otherwise: the caller steps then).
 * Runs the NPC phase of a tick (npcAct for each NPC, then their effects) on event ticks only.
 * `out` is what those ticks said, to rooms nobody is in.
 */
export function fastForwardWorld(
  world: MudWorld,
  content: ZoneContent,
  toTick: number,
  rng: Rng,
  triggers: TriggerRegistry = defaultTriggers(),
): { world: MudWorld; out: Outgoing[] } {
  if (anyoneOnline(world)) throw new Error("fastForwardWorld is for a world with nobody online");
  if (toTick <= world.tick) return { world, out: [] };
  const event = nextWorldEvent(world, content, world.tick, triggers);
  // Nothing due and nothing counting down (the usual stretch between two weather stops): only the tick moves.
  const counting = Object.values(world.npcs).some((n) => n.respawnAtTick === null && n.effects.length > 0);
  if ((event === undefined || event > toTick) && !counting) return { world: { ...world, tick: toTick }, out: [] };
  const next = copyWorld(world);
  const out = new Outbox();
  const fight: FightContext = { world: next, content, rng, tick: next.tick, out, triggers };
  while (next.tick < toTick) {
    const event = nextWorldEvent(next, content, next.tick, triggers);
    if (event === undefined || event > toTick) {
      passQuietTicks(next, content, toTick - next.tick);
      next.tick = toTick;
      break;
    }
    passQuietTicks(next, content, event - 1 - next.tick);
    next.tick = event;
    fight.tick = event;
    // In the order a tick takes them; the others would do nothing (`acts`).
    for (const npc of Object.values(next.npcs)) if (acts(next, content, npc, event)) npcAct(fight, npc);
    tickNpcEffects(fight);
    // Then the timers due, as at the end of a tick's time phase (step.ts).
    fireTimers(fight);
  }
  return { world: next, out: out.items };
}
