/**
 * Test helper: drives the pure MUD engine on the real Arcane Realms content the way the zone
 * Durable Object does (join, queued commands, one `stepWorld` per tick, leave) and delivers every
 * Outgoing event to the players its audience reaches, so a test reads like a player's screen.
 * Audiences are resolved against the world *after* the tick, exactly as durable/zone/mud.ts does.
 */
import { loadArcaneRealms } from "../content/arcane-realms";
import { CLASSES } from "../rules/classes";
import { derivedPools } from "../rules/stats";
import { createRng, type Rng } from "../sim/rng";
import { npcStats } from "./actors";
import { defaultCommands } from "./commands";
import type { Audience, MudEvent, MudEventType, Outgoing } from "./events";
import { type CommandInput, joinPlayer, leavePlayer, type StepResult, stepWorld } from "./step";
import { createWorld, type MudPlayer, type MudWorld, type ZoneContent, zoneContent } from "./world";

/** The `start` zone (Lanternmere) of the Arcane Realms pack. */
export function startContent(): ZoneContent {
  const content = zoneContent(loadArcaneRealms(), "start");
  if (!content) throw new Error("the Arcane Realms pack has no zone `start`");
  return content;
}

/** The online players an event reaches in `world`. */
export function recipients(world: MudWorld, audience: Audience): string[] {
  const online = Object.values(world.players).filter((p) => p.online);
  if ("to" in audience) return online.some((p) => p.id === audience.to) ? [audience.to] : [];
  if ("room" in audience) {
    return online.filter((p) => p.roomId === audience.room && !audience.except?.includes(p.id)).map((p) => p.id);
  }
  return online.map((p) => p.id);
}

/** What each player saw, by player id. */
export type Screens = Record<string, MudEvent[]>;

export interface JoinOptions {
  name?: string;
  classId?: string;
  level?: number;
  roomId?: string;
  /** Defaults to the class's maximum. */
  hp?: number;
  mp?: number;
  attributes?: MudPlayer["attributes"];
  /** A guest rather than a character: removed from the world when it leaves. */
  guest?: boolean;
}

/** Commands for one tick, in arrival order: `[playerId, line]` pairs. */
export type Lines = readonly (readonly [string, string])[];

export class MudScenario {
  readonly content: ZoneContent = startContent();
  readonly commands = defaultCommands();
  world: MudWorld;
  readonly rng: Rng;
  /** The last tick run; the next step runs tick + 1. */
  tick = 0;
  /** Everything each player has been shown since joining (or since `clear`). */
  readonly screens: Screens = {};
  /** The result of the last tick. */
  last: StepResult | undefined;
  /** Players whose sessions may run GM commands (the host's `EngineSession.gm`). */
  readonly gms = new Set<string>();

  constructor(seed = 1) {
    this.rng = createRng(seed);
    this.world = createWorld(this.content, (t) => npcStats(t).maxHp, createRng(1));
  }

  /** A character enters; returns what that player saw. Defaults: a level-1 warrior at full health. */
  join(id: string, options: JoinOptions = {}): MudEvent[] {
    const classId = options.classId ?? "warrior";
    const base = CLASSES[classId]?.base;
    if (!base && !options.attributes) throw new Error(`unknown class ${classId}: pass attributes`);
    const attributes = options.attributes ?? { ...(base as MudPlayer["attributes"]) };
    const level = options.level ?? 1;
    const pools = derivedPools(attributes, level);
    const joined = joinPlayer(this.world, this.content, {
      id,
      name: options.name ?? id.charAt(0).toUpperCase() + id.slice(1),
      classId,
      attributes,
      level,
      xp: 0,
      hp: options.hp ?? pools.maxHp,
      mp: options.mp ?? pools.maxMp,
      roomId: options.roomId,
      ...(options.guest ? { guest: true as const } : {}),
    });
    this.world = joined.world;
    return this.deliver(joined.out)[id] ?? [];
  }

  leave(id: string): Screens {
    const left = leavePlayer(this.world, this.content, id);
    this.last = {
      world: left.world,
      out: left.out,
      critical: left.critical,
      changedPlayers: [],
      departures: [],
      audit: [],
    };
    this.world = left.world;
    return this.deliver(left.out);
  }

  /** Runs one tick with these commands; returns what each player saw in it. */
  step(lines: Lines = []): Screens {
    const inputs: CommandInput[] = lines.map(([playerId, line]) => ({
      playerId,
      line,
      ...(this.gms.has(playerId) ? { gm: true } : {}),
    }));
    this.tick += 1;
    this.last = stepWorld(this.world, inputs, {
      tick: this.tick,
      rng: this.rng,
      content: this.content,
      commands: this.commands,
    });
    this.world = this.last.world;
    return this.deliver(this.last.out);
  }

  /** One player types one line; returns what every player saw in that tick. */
  type(playerId: string, line: string): Screens {
    return this.step([[playerId, line]]);
  }

  /** Runs `n` ticks, `feed(tick)` giving each tick's commands; returns everything each player saw. */
  run(n: number, feed?: (tick: number) => Lines): Screens {
    const seen: Screens = {};
    for (let i = 0; i < n; i++) merge(seen, this.step(feed?.(this.tick + 1) ?? []));
    return seen;
  }

  /**
   * Runs ticks until `done` holds after one (checked with that tick's screens), at most `limit`
   * ticks; returns everything seen. Throws when the limit is reached, so a stuck fight fails loudly.
   */
  until(done: (tickScreens: Screens, world: MudWorld) => boolean, limit = 2_000, feed?: (tick: number) => Lines) {
    const seen: Screens = {};
    for (let i = 0; i < limit; i++) {
      const screens = this.step(feed?.(this.tick + 1) ?? []);
      merge(seen, screens);
      if (done(screens, this.world)) return seen;
    }
    throw new Error(`condition not reached within ${limit} ticks (now at tick ${this.tick})`);
  }

  player(id: string): MudPlayer {
    const player = this.world.players[id];
    if (!player) throw new Error(`no player ${id}`);
    return player;
  }

  /** Item template ids lying in a room, in display order. */
  roomItems(roomId: string): string[] {
    return Object.values(this.world.items)
      .filter((i) => i.location.kind === "room" && i.location.roomId === roomId)
      .map((i) => i.templateId);
  }

  /** Item template ids in a player's inventory (not equipped). */
  inventory(playerId: string): string[] {
    return Object.values(this.world.items)
      .filter((i) => i.location.kind === "inventory" && i.location.ownerId === playerId)
      .map((i) => i.templateId);
  }

  clear(): void {
    for (const id of Object.keys(this.screens)) this.screens[id] = [];
  }

  private deliver(out: readonly Outgoing[]): Screens {
    const now: Screens = {};
    for (const { audience, event } of out) {
      for (const id of recipients(this.world, audience)) {
        append(now, id, [event]);
        append(this.screens, id, [event]);
      }
    }
    return now;
  }
}

function append(screens: Screens, id: string, events: readonly MudEvent[]): void {
  const list = screens[id] ?? [];
  list.push(...events);
  screens[id] = list;
}

function merge(into: Screens, from: Screens): void {
  for (const [id, events] of Object.entries(from)) append(into, id, events);
}

/** The texts of `events`, optionally only those of one type. */
export function texts(events: readonly MudEvent[] | undefined, type?: MudEventType): string[] {
  return (events ?? []).filter((e) => type === undefined || e.type === type).map((e) => e.text);
}

/** The events of one type. */
export function ofType(events: readonly MudEvent[] | undefined, type: MudEventType): MudEvent[] {
  return (events ?? []).filter((e) => e.type === type);
}
