/**
 * Commands live in a registry that content packs and plugins extend (docs/architecture.md, rule 10):
 * each registers its name, aliases, help and handler; the dispatcher finds one by exact name,
 * alias, or unambiguous prefix ("inv" → inventory).
 */

import type { Rng } from "../../sim/rng";
import type { Destination } from "../../world/traveller";
import type { Outbox } from "../events";
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
  /** The player leaves for another zone: the zone hands it over once the tick is done. */
  depart(to: Destination): void;
}

export interface CommandDefinition {
  name: string;
  aliases?: string[];
  usage: string;
  help: string;
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

  /** Exact name or alias first, then a prefix that only one command name starts with. */
  find(word: string): CommandDefinition | undefined {
    const lower = word.toLowerCase();
    const exact = this.byName.get(lower);
    if (exact) return exact;
    const candidates = this.ordered.filter((c) => c.name.startsWith(lower));
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  list(): readonly CommandDefinition[] {
    return this.ordered;
  }
}

/** Splits "get 2.sword" into ["get", "2.sword"]. */
export function splitLine(line: string): { word: string; args: string } {
  const trimmed = line.trim().replace(/\s+/g, " ");
  const space = trimmed.indexOf(" ");
  return space === -1 ? { word: trimmed, args: "" } : { word: trimmed.slice(0, space), args: trimmed.slice(space + 1) };
}
