/**
 * Firing triggers (docs/content.md, "Triggers"): which triggers an event reaches, whether `once`
 * or a cooldown holds one back, its conditions in order, then its actions in order. Deterministic:
 * a room's triggers before its zone's, each list in content order; the only randomness is a
 * `chance` condition drawing from the tick's RNG.
 */
import type { TriggerDef, TriggerOn, TriggerStep } from "../types";
import type { MudPlayer, MudWorld, TriggerMemory, ZoneContent } from "../world";
import { defaultTriggers } from "./defaults";
import {
  argsOf,
  MAX_TRIGGER_DEPTH,
  type TriggerContext,
  type TriggerEvent,
  type TriggerRegistry,
  type TriggerRun,
} from "./registry";

/** A trigger and the room it belongs to (undefined: a zone trigger). */
export interface PlacedTrigger {
  trigger: TriggerDef;
  room?: string;
}

/** How an event went: triggers whose `on` matched it, and those of them that ran their actions. */
export interface Fired {
  matched: number;
  fired: number;
}

const placedByContent = new WeakMap<ZoneContent, readonly PlacedTrigger[]>();

/**
 * Every trigger of the zone, its rooms' first (in room order), then the zone's own. Gathered once
 * per content (it is read on every move and every tick); reloaded content is a new object.
 */
export function triggersOf(content: ZoneContent): readonly PlacedTrigger[] {
  const known = placedByContent.get(content);
  if (known) return known;
  const placed: PlacedTrigger[] = [];
  for (const room of content.zone.rooms)
    for (const trigger of room.triggers ?? []) placed.push({ trigger, room: room.id });
  for (const trigger of content.zone.triggers ?? []) placed.push({ trigger });
  placedByContent.set(content, placed);
  return placed;
}

/** Lower case, single spaces: how a typed argument is compared with a trigger's `args`. */
export const normalArgs = (args: string): string => args.trim().replace(/\s+/g, " ").toLowerCase();

/** Whether `(tick - offsetTicks)` is a multiple of `everyTicks`: the ticks a timer fires on. */
export const timerDue = (on: Extract<TriggerOn, { event: "timer" }>, tick: number): boolean =>
  (((tick - (on.offsetTicks ?? 0)) % on.everyTicks) + on.everyTicks) % on.everyTicks === 0;

/** Whether a trigger placed in `room` (or the zone) answers `event` (conditions aside). */
export function matches(placed: PlacedTrigger, event: TriggerEvent, tick: number): boolean {
  const on = placed.trigger.on;
  if (on.event !== event.event) return false;
  if (on.event === "timer") return timerDue(on, tick);
  if (event.event === "timer") return false;
  // A room trigger answers events in its room; a zone trigger events anywhere, or in its `room`.
  const room = placed.room ?? ("room" in on ? on.room : undefined);
  if (room !== undefined && room !== event.room) return false;
  switch (on.event) {
    case "enter":
      return true;
    case "exit":
      return event.event === "exit" && (on.exit === undefined || on.exit === event.exit);
    case "command":
      return (
        event.event === "command" &&
        on.word === event.word.toLowerCase() &&
        (on.args === undefined || normalArgs(on.args) === normalArgs(event.args))
      );
    case "npc-death":
      return event.event === "npc-death" && on.npc === event.npc.templateId;
    case "item-used":
      return event.event === "item-used" && on.item === event.item;
  }
}

/** The name a per-player `once` is remembered by on the character: its zone and trigger. */
const doneKey = (world: MudWorld, trigger: TriggerDef) => `${world.zoneId}/${trigger.id}`;

/** Whether `once` or a cooldown holds the trigger back now, for this player. */
function heldBack(
  world: MudWorld,
  trigger: TriggerDef,
  memory: TriggerMemory | undefined,
  player: MudPlayer | undefined,
  tick: number,
) {
  if (trigger.once === "per-player" && player?.triggersDone?.includes(doneKey(world, trigger))) return true;
  if (!memory) return false;
  if (trigger.once === "ever" && memory.fired) return true;
  // A world saved before the character kept them remembered them by player here.
  if (trigger.once === "per-player" && player && memory.players?.includes(player.id)) return true;
  return (
    trigger.cooldownTicks !== undefined &&
    memory.lastTick !== undefined &&
    tick < memory.lastTick + trigger.cooldownTicks
  );
}

/** Records a firing, when the trigger has anything to remember. Replaced, not edited (world.ts). */
function remember(world: MudWorld, trigger: TriggerDef, player: MudPlayer | undefined, tick: number): void {
  if (trigger.once === "per-player" && player) {
    // On the character (the tick's own copy of it): it travels with it, and the zone keeps no list.
    player.triggersDone = [...(player.triggersDone ?? []), doneKey(world, trigger)];
  }
  if (trigger.once !== "ever" && trigger.cooldownTicks === undefined) return;
  const was = world.triggerState?.[trigger.id] ?? {};
  const now: TriggerMemory = { ...was };
  if (trigger.cooldownTicks !== undefined) now.lastTick = tick;
  if (trigger.once === "ever") now.fired = true;
  world.triggerState = { ...world.triggerState, [trigger.id]: now };
}

const registryOf = (ctx: TriggerContext): TriggerRegistry => ctx.triggers ?? defaultTriggers();

function holds(registry: TriggerRegistry, run: TriggerRun, step: TriggerStep): boolean {
  const def = registry.conditionOf(step);
  const args = def && argsOf(def, step);
  return def !== undefined && args !== undefined && def.test(run, args);
}

/**
 * Fires the triggers `event` reaches. Chained events (an action's teleport) fire one level deeper;
 * at `MAX_TRIGGER_DEPTH` nothing more fires, so two rooms teleporting into each other stop.
 */
export function fireTriggers(ctx: TriggerContext, event: TriggerEvent): Fired {
  const depth = ctx.depth ?? 0;
  const result: Fired = { matched: 0, fired: 0 };
  if (depth >= MAX_TRIGGER_DEPTH) return result;
  const registry = registryOf(ctx);
  const player = event.event === "timer" ? undefined : event.event === "npc-death" ? event.killer : event.player;
  for (const placed of triggersOf(ctx.content)) {
    if (!matches(placed, event, ctx.tick)) continue;
    result.matched++;
    const { trigger } = placed;
    // An event's player must still be online and here (an earlier trigger may have sent it away).
    const here = event.event === "timer" ? placed.room : event.room;
    if (heldBack(ctx.world, trigger, ctx.world.triggerState?.[trigger.id], player, ctx.tick)) continue;
    const run: TriggerRun = {
      ...ctx,
      trigger,
      event,
      ...(player?.online ? { player } : {}),
      ...(here !== undefined ? { here } : {}),
      chain: (next) => {
        fireTriggers({ ...ctx, depth: depth + 1 }, next);
      },
    };
    if (!(trigger.if ?? []).every((step) => holds(registry, run, step))) continue;
    remember(ctx.world, trigger, player, ctx.tick);
    result.fired++;
    for (const step of trigger.do) {
      const def = registry.actionOf(step);
      const args = def && argsOf(def, step);
      if (def && args !== undefined) def.run(run, args);
    }
  }
  return result;
}

/**
 * Whether a timer firing with nobody online could change the world or the RNG: one of its actions
 * changes the world without players, one of its conditions draws, or it remembers firing. Others
 * an idle zone may skip (shared/mud/idle.ts): stepping them would change nothing.
 */
export function mattersWhileEmpty(trigger: TriggerDef, world: MudWorld, registry: TriggerRegistry): boolean {
  if (trigger.once === "ever" && world.triggerState?.[trigger.id]?.fired) return false;
  if (trigger.once || trigger.cooldownTicks !== undefined) return true;
  // Unknown steps count as mattering: a plugin's step is assumed to change something.
  if ((trigger.if ?? []).some((s) => registry.conditionOf(s)?.draws ?? true)) return true;
  return trigger.do.some((s) => registry.actionOf(s)?.whileEmpty ?? true);
}

/** The first tick after `afterTick` at which a timer that matters with nobody online fires. */
export function nextTimerTick(
  world: MudWorld,
  content: ZoneContent,
  afterTick: number,
  registry: TriggerRegistry = defaultTriggers(),
): number | undefined {
  let first: number | undefined;
  for (const { trigger } of triggersOf(content)) {
    const on = trigger.on;
    if (on.event !== "timer" || !mattersWhileEmpty(trigger, world, registry)) continue;
    const offset = on.offsetTicks ?? 0;
    const from = afterTick + 1;
    const tick = from + ((((offset - from) % on.everyTicks) + on.everyTicks) % on.everyTicks);
    if (first === undefined || tick < first) first = tick;
  }
  return first;
}

/** The timers due on `ctx.tick` fire (stepWorld after the time phase; fastForwardWorld on event ticks). */
export function fireTimers(ctx: TriggerContext): void {
  const due = triggersOf(ctx.content).some(
    ({ trigger }) => trigger.on.event === "timer" && timerDue(trigger.on, ctx.tick),
  );
  if (due) fireTriggers(ctx, { event: "timer" });
}

/**
 * Whether `word` is a room verb where `player` stands: a command trigger of that room, or a zone
 * trigger for it (or for anywhere), has this word. Used by the dispatcher (commands/world.ts).
 */
export function isRoomVerb(content: ZoneContent, roomId: string, word: string): boolean {
  const lower = word.toLowerCase();
  return triggersOf(content).some(({ trigger, room }) => {
    const on = trigger.on;
    if (on.event !== "command" || on.word !== lower) return false;
    const where = room ?? on.room;
    return where === undefined || where === roomId;
  });
}
