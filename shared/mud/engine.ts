/**
 * The MUD engine of a world zone of the content pack, behind the zone engine contract
 * (shared/zone/engine.ts): it holds the world, queues commands for the next tick, runs `stepWorld`
 * and addresses the events to players. The rules live in the modules beside it; this only holds
 * the state and translates.
 */
import { loadArcaneRealms } from "../content/arcane-realms";
import { loadArcaneRealmsOverlays } from "../content/arcane-realms/i18n";
import type { ContentPack } from "../content/pack";
import { type Language, SOURCE_LANGUAGE } from "../i18n/languages";
import { renderParam, t } from "../i18n/translate";
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
import type { NpcBehaviours } from "./behaviours";
import { defaultCommands } from "./commands";
import type { CommandRegistry } from "./commands/registry";
import { Outbox, type Outgoing } from "./events";
import { anyoneOnline, fastForwardWorld, nextWorldEvent } from "./idle";
import { MUD_WORLD_ROW, readMudWorld, writeMudWorld } from "./persisted";
import { reloadWorld } from "./reload";
import { type CommandInput, joinPlayer, leavePlayer, stepWorld } from "./step";
import { placeInWorld, takeOutOfWorld } from "./travel";
import type { TriggerRegistry } from "./triggers";
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
  /**
   * Each player's language, as its session said at hello: sessions are the host's, so this is
   * never saved; the host's `settle` hands the surviving sessions back after a reload.
   */
  private readonly languages = new Map<string, Language>();
  /** The pack's content translations, by language (docs/content.md, "Translating a pack"). */
  private readonly overlays = loadArcaneRealmsOverlays();
  private readonly commands: CommandRegistry;
  private readonly behaviours: NpcBehaviours | undefined;
  private readonly triggers: TriggerRegistry | undefined;

  /** `parts`: the realm's registries (defaults plus enabled plugins, docs/plugins.md); none: the defaults. */
  constructor(
    public content: ZoneContent,
    public world: MudWorld,
    parts: MudParts = {},
  ) {
    this.commands = parts.commands?.() ?? defaultCommands();
    this.behaviours = parts.behaviours;
    this.triggers = parts.triggers;
  }

  /**
   * Runs `pack` from now on (shared/mud/reload.ts): the world fitted to it, affected players told.
   * A pack without this zone changes nothing (the deployment fixes the zones, docs/decisions.md D40).
   */
  reloadContent(pack: ContentPack): Outcome {
    const content = zoneContent(pack, this.content.zone.id);
    if (!content) return NOTHING;
    const result = reloadWorld(this.world, this.content, content, (template) => npcStats(template).maxHp);
    this.content = content;
    this.world = result.world;
    this.dirty = true;
    // Items may have vanished or moved: committed before anyone hears of it (docs/decisions.md D15).
    return { out: this.address(result.out), critical: true, changedPlayers: result.changedPlayers };
  }

  /** A session said hello: its character enters the world (a guest: a fresh Warrior with full pools). */
  admit(session: EngineSession): Outcome {
    this.languages.set(session.playerId, session.language ?? SOURCE_LANGUAGE);
    const c = session.character;
    const joined = joinPlayer(this.world, this.content, {
      ...admitCharacter({ id: session.playerId, name: session.name, character: c }, GUEST_CLASS.mud),
      // A guest leaves nothing behind in the world when it goes (leavePlayer).
      ...(c ? {} : { guest: true as const }),
    });
    this.world = joined.world;
    this.dirty = true;
    // Critical when arriving completed a quest step that moved items or levels (shared/mud/quests.ts).
    return { out: this.address(joined.out), critical: joined.critical };
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
    // Whether it may run GM commands travels with the line: the pure step decides nothing about sessions.
    this.queue.push({ playerId: session.playerId, line: message.line, ...(session.gm ? { gm: true } : {}) });
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
      ...(this.behaviours ? { behaviours: this.behaviours } : {}),
      ...(this.triggers ? { triggers: this.triggers } : {}),
    });
    this.world = result.world;
    this.dirty = true;
    const { departures, audit } = result;
    return {
      out: this.address(result.out),
      critical: result.critical,
      changedPlayers: result.changedPlayers,
      ...(departures.length ? { departures } : {}),
      ...(audit.length ? { audit } : {}),
    };
  }

  /**
   * What a MUD zone schedules with nobody online (shared/mud/idle.ts): NPC respawns, wanders
   * (fight.ts, `WANDER_TICKS`), a target left behind dropped, NPC effects pulsing or ending.
   * Offline players' effects are frozen until they return, so they schedule nothing.
   */
  nextEventTick(afterTick: number): number | undefined {
    return nextWorldEvent(this.world, this.content, afterTick, this.triggers);
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
    const result = fastForwardWorld(this.world, this.content, toTick, ctx.rng, this.triggers);
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
    for (const s of present) this.languages.set(s.playerId, s.language ?? SOURCE_LANGUAGE);
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
    const out = new Outbox();
    out.room(marked.roomId, "info", t("room.linkdead", { name: marked.name }), [playerId]);
    return { out: this.address(out.items), critical: false };
  }

  /** The character with what the world knows of it now (level, xp, pools, room). */
  characterOf(session: EngineSession) {
    const player = this.world.players[session.playerId];
    const c = session.character;
    if (!player || !c) return c;
    const { level, xp, hp, mp, roomId } = player;
    // Attributes as the world holds them (a GM's `set`): they travel with a hand-off in the snapshot.
    const { str, dex, int, vit } = player.attributes;
    return { ...c, level, xp, hp, mp, roomId, str, dex, int, vit };
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
    const audit: NonNullable<Outcome["audit"]>[number][] = [];
    let critical = false;
    for (let tick = this.world.tick + 1; tick <= toTick; tick++) {
      const stepped = this.step({ tick, now: ctx.now, rng: ctx.rng });
      out.push(...stepped.out);
      critical ||= stepped.critical;
      for (const id of stepped.changedPlayers ?? []) changed.add(id);
      departures.push(...(stepped.departures ?? []));
      audit.push(...(stepped.audit ?? []));
    }
    return {
      out,
      critical,
      changedPlayers: [...changed],
      ...(departures.length ? { departures } : {}),
      ...(audit.length ? { audit } : {}),
    };
  }

  private leave(playerId: string): Outcome {
    // Only a player in the world leaves it; a session that never entered leaves nothing behind.
    if (!this.world.players[playerId]?.online) return NOTHING;
    this.languages.delete(playerId);
    const left = leavePlayer(this.world, this.content, playerId);
    this.world = left.world;
    this.dirty = true;
    // A guest's things fell to the floor: committed before anyone hears of it (docs/decisions.md D15).
    return { out: this.address(left.out), critical: left.critical };
  }

  /**
   * Each event to its audience: a room's audience is who is online in it as the tick ends. An
   * event emitted as a catalogue message is rendered per language: its recipients are split by
   * language, each group getting its own text (the English one as emitted, byte for byte).
   */
  private address(out: readonly Outgoing[]): Delivery[] {
    return out.flatMap((item) => {
      const to = this.audienceOf(item.audience);
      if (!item.local) return [{ to, message: item.event }];
      const byLanguage = this.byLanguage(to);
      if (!byLanguage) return [{ to, message: item.event }];
      return [...byLanguage].map(([language, players]) => ({
        to: { players },
        message:
          language === SOURCE_LANGUAGE
            ? item.event
            : {
                ...item.event,
                text: renderParam(language, item.local as NonNullable<Outgoing["local"]>, this.overlays[language]),
              },
      }));
    });
  }

  /** The audience's players grouped by language, or undefined when all of them read English. */
  private byLanguage(to: Audience): Map<Language, string[]> | undefined {
    const players =
      "players" in to
        ? to.players
        : Object.values(this.world.players)
            .filter((p) => p.online)
            .map((p) => p.id);
    if (players.every((id) => (this.languages.get(id) ?? SOURCE_LANGUAGE) === SOURCE_LANGUAGE)) return undefined;
    const groups = new Map<Language, string[]>();
    for (const id of players) {
      const language = this.languages.get(id) ?? SOURCE_LANGUAGE;
      groups.set(language, [...(groups.get(language) ?? []), id]);
    }
    return groups;
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

/** The registries a MUD engine runs with, built by the realm from the defaults and its enabled plugins. */
export interface MudParts {
  /** A fresh command registry for each engine (the default: `defaultCommands`). */
  commands?: () => CommandRegistry;
  behaviours?: NpcBehaviours;
  /** Trigger conditions and actions content may name (the built-ins when absent). */
  triggers?: TriggerRegistry;
}

/** World zones of the content pack, run with `parts` (docs/plugins.md). */
export function mudKind(parts: MudParts = {}): ZoneKind {
  return {
    name: "mud",
    stateName: MUD_WORLD_ROW.name,
    claims: (zoneId) => contentOf(zoneId) !== undefined,
    create(zoneId, rng, pack) {
      const content = requireContent(zoneId, pack);
      return new MudEngine(
        content,
        createWorld(content, (t) => npcStats(t).maxHp, rng),
        parts,
      );
    },
    restore(zoneId, raw, pack) {
      const read = readMudWorld(raw);
      if (!read.ok) return read;
      // The pack a zone restores with may not be the one its world was saved under (a stored pack
      // that no longer validates runs the bundled one; a deployment dropped a template): fitted as a
      // reload would fit it, so no NPC or item of an unknown template is left to fail a tick.
      const content = requireContent(zoneId, pack);
      const fitted = reloadWorld(read.value, content, content, (template) => npcStats(template).maxHp);
      const engine = new MudEngine(content, fitted.world, parts);
      if (JSON.stringify(fitted.world) !== JSON.stringify(read.value)) engine.dirty = true;
      return { ok: true, value: engine };
    },
  };
}

/** World zones of the content pack, with the default registries only. */
export const MUD_KIND: ZoneKind = mudKind();

// Which zones are MUD zones is the deployment's (the bundled pack), whatever pack a zone runs.
const contentOf = (zoneId: string) => zoneContent(loadArcaneRealms(), zoneId);

/** The zone's content from the pack it runs; the bundled pack's for a zone that pack lacks. */
function requireContent(zoneId: string, pack?: ContentPack): ZoneContent {
  const content = (pack && zoneContent(pack, zoneId)) ?? contentOf(zoneId);
  if (!content) throw new Error(`the content pack has no world zone ${zoneId}`);
  return content;
}
