/**
 * Commands live in a registry that content packs and plugins extend (docs/architecture.md, rule 10):
 * each registers its name, aliases, help and handler; the dispatcher finds one by exact name,
 * alias, or unambiguous prefix ("inv" → inventory).
 */

import type { Rng } from "../../sim/rng";
import type { Destination } from "../../world/traveller";
import type { GmAudit } from "../../zone/engine";
import type { Outbox } from "../events";
import type { TriggerRegistry } from "../triggers/registry";
import type { MudPlayer, MudWorld, ZoneContent } from "../world";

export interface CommandContext {
  /** A working copy of the world for this tick: handlers change it in place. */
  world: MudWorld;
  player: MudPlayer;
  content: ZoneContent;
  rng: Rng;
  tick: number;
  out: Outbox;
  /** Items were moved: the tick must be committed before its events are sent. */
  markCritical(): void;
  /**
   * A player leaves for another zone: the zone hands it over once the tick is done. The player
   * running the command unless `playerId` names another (a GM's `transfer`).
   */
  depart(to: Destination, playerId?: string): void;
  /** Whether the player may run GM commands (its session's `gm`, decided by the zone's host). */
  gm: boolean;
  /** Records what a GM command did; the host logs it and writes it to Postgres `audit_log`. */
  audit(entry: Omit<GmAudit, "gm" | "gmName" | "tick">): void;
  /** Trigger conditions and actions (shared/mud/triggers) that movement and `use` fire; the built-ins when absent. */
  triggers?: TriggerRegistry;
}

export interface CommandDefinition {
  name: string;
  aliases?: string[];
  usage: string;
  help: string;
  /**
   * Only for GMs (docs/admin.md, "GM commands in MUD zones"): refused to anyone else, left out of
   * their `help`, and found by its exact name only, never by a prefix.
   */
  gm?: true;
  /** `args` is the rest of the line after the command word, trimmed. */
  run(ctx: CommandContext, args: string): void;
}

export class CommandRegistry {
  private readonly byName = new Map<string, CommandDefinition>();
  private readonly ordered: CommandDefinition[] = [];

  register(definition: CommandDefinition): this {
    for (const word of [definition.name, ...(definition.aliases ?? [])]) {
      if (this.byName.has(word)) throw new Error(`command word "${word}" is registered twice`);
      this.byName.set(word, definition);
    }
    this.ordered.push(definition);
    return this;
  }

  /** The command whose name or alias is exactly `word` (any case). */
  exact(word: string): CommandDefinition | undefined {
    return this.byName.get(word.toLowerCase());
  }

  /**
   * Exact name or alias first, then a prefix that only one command name starts with. GM commands
   * take no part in prefixes: adding them changes no abbreviation a player relies on, and a GM's
   * typo never runs a command that changes the zone.
   */
  find(word: string): CommandDefinition | undefined {
    const lower = word.toLowerCase();
    const exact = this.byName.get(lower);
    if (exact) return exact;
    const candidates = this.ordered.filter((c) => !c.gm && c.name.startsWith(lower));
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  list(): readonly CommandDefinition[] {
    return this.ordered;
  }

  /** The commands a player sees in `help`: GM commands only for a GM. */
  visibleTo(gm: boolean): readonly CommandDefinition[] {
    return gm ? this.ordered : this.ordered.filter((c) => !c.gm);
  }
}

/** Splits "get 2.sword" into ["get", "2.sword"]. */
export function splitLine(line: string): { word: string; args: string } {
  const trimmed = line.trim().replace(/\s+/g, " ");
  // `'` is a word of its own, as MUD players type it: `'evening, all` says "evening, all".
  if (trimmed.startsWith("'")) return { word: "'", args: trimmed.slice(1).trim() };
  const space = trimmed.indexOf(" ");
  return space === -1 ? { word: trimmed, args: "" } : { word: trimmed.slice(0, space), args: trimmed.slice(space + 1) };
}
