/**
 * The zone engine contract: what the engine of one zone kind (chat, MUD, field; later voxel and
 * others) provides to the zone object that hosts it (docs/architecture.md, "Zones").
 *
 * An engine is deterministic and does no I/O: it holds its zone's state in memory, time and
 * randomness come in through its contexts, what it produces is addressed output that the host
 * delivers, and its state leaves it only as a versioned JSON payload the host stores. The host
 * runs the base protocol every zone speaks (hello, ping, say, who) and hands the engine everything
 * else, so the zone object never names a kind.
 */
import type { ContentPack } from "../content/pack";
import type { Language } from "../i18n/languages";
import type { WindowSummary } from "../metrics/window";
import type { BucketConfig } from "../net/token-bucket";
import type { CharacterSnapshot } from "../protocol/character";
import type { ProtocolError } from "../protocol/errors";
import type { ClientMessage, ServerMessage } from "../protocol/messages";
import type { Result } from "../result";
import type { Rng } from "../sim/rng";
import type { Carried, Departure, Traveller } from "../world/traveller";

/** One tick: its number, when it was due (not when it ran) and the zone's seeded RNG. */
export interface TickContext {
  tick: number;
  now: number;
  rng: Rng;
}

/**
 * What `fastForward` is given: the zone's seeded RNG (drawn from exactly as per-tick stepping would
 * draw from it) and when the last tick of the span (`toTick`) was due.
 */
export interface IdleContext {
  rng: Rng;
  now: number;
}

/** A session as an engine knows it. */
export interface EngineSession {
  sessionId: string;
  /** The player the session plays: its character's id, or for a guest the session's own id. */
  playerId: string;
  name: string;
  /** The character played (guests have none), as the session brought it in. */
  character?: CharacterSnapshot | undefined;
  /** Whether the session may run the commands that change the zone (GM console). */
  gm: boolean;
  /** Whether it takes its snapshots as binary frames (protocol 2), where the kind has snapshots. */
  binary?: boolean;
  /** The language its player reads, as chosen at hello (docs/protocol.md); absent means English. */
  language?: Language;
}

/** The player a session plays: its character, or for a guest the session itself. */
export const playerIdOf = (session: { sessionId: string; character?: { id: string } | undefined }): string =>
  session.character?.id ?? session.sessionId;

/** Who receives an output: one session, every session of some players, or every greeted session but one. */
export type Audience = { session: string } | { players: readonly string[] } | { all: true; except?: string };

/** Output for sessions: a message, or a frame the engine encoded itself (per-session snapshots). */
export type Delivery =
  | { to: Audience; message: ServerMessage }
  | { to: Audience; text: string }
  /** A binary frame (protocol 2's snapshots: shared/protocol/binary.ts). */
  | { to: Audience; bytes: Uint8Array };

/**
 * What an engine call produced: output to deliver, whether the change must be committed before any
 * of it is sent (docs/decisions.md D5, D15), and the players whose characters changed in a way that
 * Postgres should hear of now rather than at the next periodic write (deaths, loot, levels).
 */
export interface Outcome {
  out: Delivery[];
  critical: boolean;
  changedPlayers?: readonly string[];
  /** A line worth the operator's log (a GM changing the zone), written by the host. */
  log?: { event: string; detail: Record<string, unknown> };
  /** GM commands run (MUD zones): the host logs each and writes it to Postgres `audit_log`. */
  audit?: readonly GmAudit[];
  /** Players leaving for another zone (an exit, a portal): the host hands each over (`depart`). */
  departures?: readonly Departure[];
}

/**
 * What a GM command did, for the audit (docs/admin.md, "GM commands in MUD zones"). The host adds
 * who the GM is beyond the world (its account) and when, and keeps it until Postgres has it.
 */
export interface GmAudit {
  /** The GM's player id: its character's id, or a guest session's own. */
  gm: string;
  gmName: string;
  /** The command's word (`goto`, `spawn`, …). */
  command: string;
  /** What it acted on: a player's name, an NPC, a room, a zone; absent when nothing (`broadcast`). */
  target?: string;
  /** What it did, in the command's own terms (from and to, the item created, the old and new value). */
  detail: Record<string, unknown>;
  /** The tick it ran in. */
  tick: number;
}

/** Nothing happened. */
export const NOTHING: Outcome = Object.freeze({ out: [], critical: false }) as Outcome;

/** Outcome of output that needs no commit. */
export const sending = (...out: Delivery[]): Outcome => ({ out, critical: false });

/** The client messages an engine is handed; the host answers hello, ping, say and who itself. */
export type EngineMessage = Extract<ClientMessage, { type: "command" | "input" | "cast" | "ack" | "resync" }>;

/** The zone's tick measurements, for a console that reports them (the GM `stats` line). */
export interface TickStats {
  summary(now: number): WindowSummary;
  reset(now: number): void;
}

/** What `receive` is told besides the message. */
export interface ReceiveContext {
  /** The zone's current tick (the last one run). */
  tick: number;
  /** Wall-clock time the message arrived, for rate limits. */
  now: number;
  stats: TickStats;
}

/** How an engine asks to be run; fixed for the engine's life except `tickHz`. */
export interface EngineTraits {
  /** Frames a session of this kind may send (token bucket per socket, checked by the host). */
  readonly floodLimit: BucketConfig;
  /** Whether everyone hears of each arrival and departure (`joined`/`left`); a field's crowd learns it from snapshots. */
  readonly announcesPresence: boolean;
  /** Whether each client message is worth a log line (a field's 20 inputs a second are not). */
  readonly logsMessages: boolean;
  /** Whether characters can be in this zone's world (a place only to talk has no bodies, and takes no travellers). */
  readonly holdsCharacters: boolean;
}

/** The contract the engine of a zone kind fulfils, one instance per zone. */
export interface ZoneEngine extends EngineTraits {
  /** The kind's name in the registry (`chat`, `mud`, `field`). */
  readonly kind: string;
  /** Ticks per second this zone wants now; undefined runs it at the realm's rate. */
  readonly tickHz: number | undefined;
  /** Whether the state changed since it was last serialized. */
  readonly dirty: boolean;
  /** A session said hello: its character (or guest) enters the zone, or takes its body back. */
  admit(session: EngineSession): Outcome;
  /**
   * The session left. `lastOfPlayer`: no other session plays its player here, so the player leaves
   * the world too (otherwise only the connection is forgotten).
   */
  release(session: EngineSession, lastOfPlayer: boolean): Outcome;
  /** A validated client message of this kind; a protocol error goes to the sender only. */
  receive(session: EngineSession, message: EngineMessage, ctx: ReceiveContext): Outcome | ProtocolError;
  /** Advances the zone by exactly one tick, numbered `ctx.tick`. */
  step(ctx: TickContext): Outcome;
  /**
   * The first tick after `afterTick` at which something would happen in this zone with no player
   * online (an NPC or enemy respawn due, an effect on a body ending or pulsing, an idle NPC's next
   * wandering, a missile still in flight), or undefined when nothing is scheduled: the zone then
   * changes only its tick number until a player comes. A pure query. Exact when `afterTick` is the
   * engine's current tick (the zone clock's last tick, which is how the host asks); for a later
   * `afterTick` it is never later than the true first event (an event already overdue counts as
   * `afterTick + 1`), so an alarm armed at it never wakes too late. While a player is online the
   * answer is `afterTick + 1`. Each engine's doc says what it schedules.
   */
  nextEventTick(afterTick: number): number | undefined;
  /**
   * Advances an unoccupied zone from its current tick to `toTick` (nothing when `toTick` is not
   * later), in time proportional to the events scheduled in between (`nextEventTick`), not to the
   * ticks: the end state, `serialize()` and the RNG's state are exactly those of calling `step` for
   * every tick up to `toTick` with no player online and no message received. With a player online
   * it steps every tick (correct, not fast). The RNG is the zone's: when the host draws from it
   * in a tick before the engine (the chat layer's weather), it must stop at those ticks: call this
   * up to the tick before, run its own part of the stop's tick, then call this up to the stop
   * (shared/sim/clock.ts, `catchUpStops`), so the draws interleave as stepping would. Output is what those ticks produced (nobody online hears a
   * room's events). The span starts at the engine's own tick, which stepping or fast-forwarding
   * every tick keeps equal to the zone clock's.
   */
  fastForward(toTick: number, ctx: IdleContext): Outcome;
  /**
   * Per-session output owed after one or more ticks (a field's snapshots): asked once after the
   * ticks of one advance, so catch-up ticks send one round, not one per tick.
   */
  publish(): Delivery[];
  /**
   * After the zone (re)loaded: players without a session in `present` leave (their sockets died
   * with the process), and sessions that survived resume.
   */
  settle(present: readonly EngineSession[]): Outcome;
  /** The session's character as the zone holds it now (level, pools, place), for the write-back. */
  characterOf(session: EngineSession): CharacterSnapshot | undefined;
  /**
   * Takes the player out of the world for a hand-off, with everything it carries and its effects;
   * undefined when it is not here. The character's snapshot (`characterOf`) is read before this.
   */
  depart(playerId: string): Carried | undefined;
  /**
   * A traveller handed over by another zone (or handed back after a failed hand-off) is placed at
   * its destination's place, holding what it carries, before its session arrives; `admit` then
   * lets it in as it is. A place this zone does not know puts it where newcomers enter.
   */
  arrive(traveller: Traveller): Outcome;
  /**
   * The player's connection dropped and the host keeps it in the world for a reconnect (docs/
   * architecture.md, "Reconnect"): the engine may show it as linkdead; `admit` ends that.
   */
  linkdead(playerId: string): Outcome;
  /**
   * Characters this zone's world holds, online or not (a body, an offline record, belongings kept
   * for a return, a traveller on its way in): an instance holding none may be discarded.
   */
  residents(): number;
  /** Entities the zone simulates (for reports); undefined counts its sessions. */
  population(): number | undefined;
  /** The state as a versioned JSON payload (docs/architecture.md, "Versioned state"); clears `dirty`. */
  serialize(): { v: number };
  /**
   * The realm published a new version of the content pack (docs/architecture.md, "Zones", content
   * reload): the engine runs it from now on, fitting its state to it, and tells only the players
   * it affected. Kinds without it keep what they run until they are next created (field zones).
   */
  reloadContent?(pack: ContentPack): Outcome;
  /**
   * A session already in the world becomes known to the engine again without changing the world:
   * how a replay (docs/replay.md) gives an engine restored from a recording's snapshot the sessions
   * that were playing. Only kinds that keep per-session state beside their serialized one need it.
   */
  attach?(session: EngineSession): void;
}

/** What the registry knows of a kind: which zones it runs and how to open their engines. */
export interface ZoneKind {
  readonly name: string;
  /** The name of its stored payload, in logs and quarantine entries (`mud_world`, `field_world`). */
  readonly stateName: string;
  claims(zoneId: string): boolean;
  /**
   * A new zone's engine (content decides where things start; `rng` seeds what content leaves to
   * chance). `pack` is the content the zone runs, when the realm published one; else the bundled pack.
   */
  create(zoneId: string, rng: Rng, pack?: ContentPack): ZoneEngine;
  /** An engine from a stored payload (upgrading older versions), or why the payload cannot be read. */
  restore(zoneId: string, raw: unknown, pack?: ContentPack): Result<ZoneEngine, string>;
}

/** Whether `result` is an outcome rather than a refusal. */
export const isOutcome = (result: Outcome | ProtocolError): result is Outcome => "out" in result;

/** The refusal for real-time frames in a zone that is no field. */
export function notAFieldZone(message: EngineMessage, zoneId: string): ProtocolError {
  return {
    code: "unsupported",
    field: "type",
    message: `${message.type} is for field zones (such as test-area); ${zoneId} is not one`,
  };
}
