/**
 * NPC behaviours by name (docs/architecture.md, rule 10; docs/plugins.md): an NPC template may name
 * a `behaviour` in content (docs/content.md), and on the NPC's turn the registered behaviour of that
 * name is asked first; when it says it handled the turn, the default rules (target, swing, wander)
 * are skipped for that tick.
 *
 * A behaviour is asked only for a living NPC whose room holds an online player. That keeps the idle
 * rule intact: a zone nobody plays in skips to its next scheduled event (shared/mud/idle.ts), and a
 * behaviour that could act there unseen would make the skipped ticks differ from stepped ones.
 */
import type { Rng } from "../sim/rng";
import type { Outbox } from "./events";
import type { MudNpc, MudWorld, ZoneContent } from "./world";

/** What a behaviour may read and change: the tick's working world, its RNG and outbox. */
export interface BehaviourContext {
  world: MudWorld;
  content: ZoneContent;
  rng: Rng;
  tick: number;
  out: Outbox;
  /** Deaths, loot and item moves are critical (docs/architecture.md, rule 8). */
  markCritical?(): void;
}

/** One named way for NPCs to act. */
export interface NpcBehaviour {
  /** The word NPC templates name in content (`"behaviour": "skittish"`). */
  name: string;
  /**
   * The NPC's turn: change the world through `ctx` and return true to skip the default rules this
   * tick, or false to let them run as for any NPC. Time and randomness only from `ctx`.
   */
  act(ctx: BehaviourContext, npc: MudNpc): boolean;
}

/** The behaviours a zone's NPCs may name, in registration order. */
export class NpcBehaviours {
  private readonly byName = new Map<string, NpcBehaviour>();

  /** Adds a behaviour; a name may be registered once. */
  register(behaviour: NpcBehaviour): this {
    if (this.byName.has(behaviour.name)) throw new Error(`NPC behaviour "${behaviour.name}" is registered twice`);
    this.byName.set(behaviour.name, behaviour);
    return this;
  }

  get(name: string): NpcBehaviour | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

/**
 * Asks the NPC's named behaviour for its turn. False (the default rules run) when the template names
 * none, the name is not registered in this realm (its plugin is not enabled: the NPC acts as any
 * other), the NPC is dead, or no online player stands in its room.
 */
export function askBehaviour(ctx: BehaviourContext, behaviours: NpcBehaviours | undefined, npc: MudNpc): boolean {
  const name = ctx.content.npcs[npc.templateId]?.behaviour;
  if (!name || !behaviours || npc.respawnAtTick !== null) return false;
  const behaviour = behaviours.get(name);
  if (!behaviour) return false;
  const watched = Object.values(ctx.world.players).some((p) => p.online && p.roomId === npc.roomId);
  return watched && behaviour.act(ctx, npc);
}
