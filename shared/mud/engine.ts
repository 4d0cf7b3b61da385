/**
 * The MUD engine of a world zone of the content pack, behind the zone engine contract
 * (shared/zone/engine.ts): it holds the world, queues commands for the next tick, runs `stepWorld`
 * and addresses the events to players. The rules live in the modules beside it; this only holds
 * the state and translates.
 */
import { loadArcaneRealms } from "../content/arcane-realms";
import type { ProtocolError } from "../protocol/errors";
import { admitCharacter } from "../rules/admission";
import { GUEST_CLASS } from "../rules/classes";
import type { Carried, Traveller } from "../world/traveller";
import {
  type Audience,
  type Delivery,
  type EngineMessage,
  type EngineSession,
  type IdleContext,
  NOTHING,
  notAFieldZone,
  type Outcome,
  type ReceiveContext,
  type TickContext,
  type ZoneEngine,
  type ZoneKind,
} from "../zone/engine";
import { npcStats } from "./actors";
import { defaultCommands } from "./commands";
import type { CommandRegistry } from "./commands/registry";
import type { Outgoing } from "./events";
import { anyoneOnline, fastForwardWorld, nextWorldEvent } from "./idle";
import { MUD_WORLD_ROW, readMudWorld, writeMudWorld } from "./persisted";
import { type CommandInput, joinPlayer, leavePlayer, stepWorld } from "./step";
import { placeInWorld, takeOutOfWorld } from "./travel";
import { copyWorld, createWorld, type MudPlayer, type MudWorld, type ZoneContent, zoneContent } from "./world";

/** Commands a player may have waiting for the next tick; more are refused as a flood. */
export const MAX_QUEUED_PER_PLAYER = 5;

export class MudEngine implements ZoneEngine {
  readonly kind = "mud";
  readonly tickHz = undefined;
  readonly floodLimit = { capacity: 40, refillPerSecond: 20 };
  readonly announcesPresence = true;
  readonly logsMessages = true;
  readonly holdsCharacters = true;
  dirty = false;
  private queue: CommandInput[] = [];
  private readonly commands: CommandRegistry = defaultCommands();

  constructor(
    readonly content: ZoneContent,
    public world: MudWorld,
  ) {}

  /** A session said hello: its character enters the world (a guest: a fresh Warrior with full pools). */
  admit(session: EngineSession): Outcome {
    const c = session.character;
    const joined = joinPlayer(this.world, this.content, {
      ...admitCharacter({ id: session.playerId, name: session.name, character: c }, GUEST_CLASS.mud),
      // A guest leaves nothing behind in the world when it goes (leavePlayer).
      ...(c ? {} : { guest: true as const }),
    });
    this.world = joined.world;
    this.dirty = true;
    return { out: this.address(joined.out), critical: false };
  }

  /** The player's last session left: a character goes offline, a guest is gone with what it carried dropped. */
  release(session: EngineSession, lastOfPlayer: boolean): Outcome {
    return lastOfPlayer ? this.leave(session.playerId) : NOTHING;
  }

  receive(session: EngineSession, message: EngineMessage, _ctx?: ReceiveContext): Outcome | ProtocolError {
    if (message.type !== "command") return notAFieldZone(message, this.content.zone.id);
    if (this.queue.filter((c) => c.playerId === session.playerId).length >= MAX_QUEUED_PER_PLAYER) {
      return { code: "rate_limited", message: "wait for your last commands to finish" };
    }
    this.queue.push({ playerId: session.playerId, line: message.line });
    return NOTHING;
  }

  /** One tick with the commands queued since the last. Critical: items moved, someone died or levelled. */
  step(ctx: TickContext): Outcome {
    const commands = this.queue;
    this.queue = [];
    const result = stepWorld(this.world, commands, {
      tick: ctx.tick,
      rng: ctx.rng,
      content: this.content,
      commands: this.commands,
    });
    this.world = result.world;
    this.dirty = true;
    const { departures } = result;
    return {
      out: this.address(result.out),
      critical: result.critical,
      changedPlayers: result.changedPlayers,
      ...(departures.length ? { departures } : {}),
    };
  }

  /**
   * What a MUD zone schedules with nobody online (shared/mud/idle.ts): NPC respawns, wanders
   * (fight.ts, `WANDER_TICKS`), a target left behind dropped, NPC effects pulsing or ending.
   * Offline players' effects are frozen until they return, so they schedule nothing.
   */
  nextEventTick(afterTick: number): number | undefined {
    return nextWorldEvent(this.world, this.content, afterTick);
  }

  /**
   * The world from `world.tick` to `toTick` as stepping every tick with no commands would leave it
   * (shared/mud/idle.ts), running event ticks only; with a player online or a command queued, it
   * steps every tick. Equivalence rests on the wander rule: wandering NPCs walk on a drawn schedule
   * (fight.ts, `wanderWhenDue`), online or not, never on a per-tick roll.
   */
  fastForward(toTick: number, ctx: IdleContext): Outcome {
    if (toTick <= this.world.tick) return NOTHING;
    if (anyoneOnline(this.world) || this.queue.length) return this.stepThrough(toTick, ctx);
    const result = fastForwardWorld(this.world, this.content, toTick, ctx.rng);
    this.world = result.world;
    this.dirty = true;
    return { out: this.address(result.out), critical: false };
  }

  publish(): Delivery[] {
    return [];
  }

  /** Players the world shows online without a session in `present` leave it, as if they had logged out. */
  settle(present: readonly EngineSession[]): Outcome {
    const playing = new Set(present.map((s) => s.playerId));
    const out: Delivery[] = [];
    let critical = false;
    for (const player of Object.values(this.world.players)) {
      if (!player.online || playing.has(player.id)) continue;
      const left = this.leave(player.id);
      out.push(...left.out);
      critical ||= left.critical;
    }
    return { out, critical };
  }

  /** Its connection dropped: it stays online in its room, shown as linkdead, until it comes back or the host lets it go. */
  linkdead(playerId: string): Outcome {
    const player = this.world.players[playerId];
    if (!player?.online || player.linkdead) return NOTHING;
    const next = copyWorld(this.world);
    const marked = next.players[playerId] as MudPlayer;
    marked.linkdead = true;
    this.world = next;
    this.dirty = true;
    const text = `${marked.name}'s eyes glaze over: linkdead.`;
    return {
      out: this.address([{ audience: { room: marked.roomId, except: [playerId] }, event: { type: "info", text } }]),
      critical: false,
    };
  }

  /** The character with what the world knows of it now (level, xp, pools, room). */
  characterOf(session: EngineSession) {
    const player = this.world.players[session.playerId];
    const c = session.character;
    if (!player || !c) return c;
    const { level, xp, hp, mp, roomId } = player;
    return { ...c, level, xp, hp, mp, roomId };
  }

  /** The player and all it carries leave the world for a hand-off (travel.ts). */
  depart(playerId: string): Carried | undefined {
    if (!this.world.players[playerId]) return undefined;
    const next = copyWorld(this.world);
    const carried = takeOutOfWorld(next, playerId);
    this.world = next;
    this.queue = this.queue.filter((c) => c.playerId !== playerId);
    this.dirty = true;
    return carried;
  }

  /** A traveller is placed at its room, offline until its session says hello (travel.ts). */
  arrive(traveller: Traveller): Outcome {
    const next = copyWorld(this.world);
    placeInWorld(next, this.content, traveller, GUEST_CLASS.mud);
    this.world = next;
    this.dirty = true;
    // Its items now exist here: committed before the hand-off is acknowledged.
    return { out: [], critical: true };
  }

  /** Characters with a record in this world, online or not (guests leave none behind). */
  residents(): number {
    return Object.values(this.world.players).filter((p) => !p.guest).length;
  }

  population(): undefined {
    return undefined;
  }

  serialize() {
    this.dirty = false;
    return writeMudWorld(this.world);
  }

  /** Every tick from the world's next to `toTick`, one `step` each, their outcomes merged. */
  private stepThrough(toTick: number, ctx: IdleContext): Outcome {
    const out: Delivery[] = [];
    const changed = new Set<string>();
    const departures: NonNullable<Outcome["departures"]>[number][] = [];
    let critical = false;
    for (let tick = this.world.tick + 1; tick <= toTick; tick++) {
      const stepped = this.step({ tick, now: ctx.now, rng: ctx.rng });
      out.push(...stepped.out);
      critical ||= stepped.critical;
      for (const id of stepped.changedPlayers ?? []) changed.add(id);
      departures.push(...(stepped.departures ?? []));
    }
    return {
      out,
      critical,
      changedPlayers: [...changed],
      ...(departures.length ? { departures } : {}),
    };
  }

  private leave(playerId: string): Outcome {
    // Only a player in the world leaves it; a session that never entered leaves nothing behind.
    if (!this.world.players[playerId]?.online) return NOTHING;
    const left = leavePlayer(this.world, this.content, playerId);
    this.world = left.world;
    this.dirty = true;
    // A guest's things fell to the floor: committed before anyone hears of it (docs/decisions.md D15).
    return { out: this.address(left.out), critical: left.critical };
  }

  /** Each event to its audience: a room's audience is who is online in it as the tick ends. */
  private address(out: readonly Outgoing[]): Delivery[] {
    return out.map(({ audience, event }) => ({ to: this.audienceOf(audience), message: event }));
  }

  private audienceOf(audience: Outgoing["audience"]): Audience {
    if ("to" in audience) return { players: [audience.to] };
    if ("room" in audience) {
      const players = Object.values(this.world.players)
        .filter((p) => p.online && p.roomId === audience.room && !audience.except?.includes(p.id))
        .map((p) => p.id);
      return { players };
    }
    return { all: true };
  }
}

/** World zones of the content pack. */
export const MUD_KIND: ZoneKind = {
  name: "mud",
  stateName: MUD_WORLD_ROW.name,
  claims: (zoneId) => contentOf(zoneId) !== undefined,
  create(zoneId, rng) {
    const content = requireContent(zoneId);
    return new MudEngine(
      content,
      createWorld(content, (t) => npcStats(t).maxHp, rng),
    );
  },
  restore(zoneId, raw) {
    const read = readMudWorld(raw);
    return read.ok ? { ok: true, value: new MudEngine(requireContent(zoneId), read.value) } : read;
  },
};

const contentOf = (zoneId: string) => zoneContent(loadArcaneRealms(), zoneId);

function requireContent(zoneId: string): ZoneContent {
  const content = contentOf(zoneId);
  if (!content) throw new Error(`the content pack has no world zone ${zoneId}`);
  return content;
}
