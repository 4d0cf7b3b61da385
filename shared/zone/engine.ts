/**
 * The zone engine contract: what the engine of one zone kind (chat, MUD, field; later voxel and
 * others) provides to the zone object that hosts it (docs/architecture.md, "Zones"). Pure: an
 * engine is functions over its own JSON-safe state, time and randomness come in through the tick
 * context, and what it produces is addressed output the host delivers through session ports.
 */
import type { ProtocolError } from "../protocol/errors";
import type { ClientMessage, ServerMessage } from "../protocol/messages";
import type { Result } from "../result";
import type { Rng } from "../sim/rng";

/** One tick: its number, when it was due (not when it ran) and the zone's seeded RNG. */
export interface TickContext {
  tick: number;
  now: number;
  rng: Rng;
}

/** Who a message or an admission is about, as the host knows the session. */
export interface EngineSession {
  sessionId: string;
  name: string;
}

/** Output for sessions: one session, or every greeted session but one. */
export type Delivery =
  | { to: { session: string }; message: ServerMessage }
  | { to: { all: true; except?: string }; message: ServerMessage };

/**
 * What an engine call produced: the new state, output to deliver, and whether the change must be
 * committed before any of that output is sent (docs/decisions.md D5, D15).
 */
export interface Outcome<S> {
  state: S;
  out: Delivery[];
  critical: boolean;
}

/** The contract an engine of a zone kind fulfils. */
export interface ZoneEngine<S> {
  /** The kind's name in the registry (`chat`, `mud`, `field`). */
  readonly kind: string;
  /** A new zone's state. */
  initial(zoneId: string): S;
  /** A session's character (or guest) enters the zone. */
  admit(state: S, session: EngineSession): Outcome<S>;
  /** The session's last connection left. */
  release(state: S, session: EngineSession): Outcome<S>;
  /** A validated client message this kind handles; a protocol error goes to the sender only. */
  receive(state: S, session: EngineSession, message: ClientMessage, tick: number): Outcome<S> | ProtocolError;
  /** Advances the zone by exactly one tick, numbered `ctx.tick`. */
  step(state: S, ctx: TickContext): Outcome<S>;
  /** The state as a versioned JSON payload (docs/architecture.md, "Versioned state"). */
  serialize(state: S): { v: number };
  /** Reads a stored payload back (upgrading older versions), or says why it cannot. */
  restore(raw: unknown): Result<S, string>;
}

/** Nothing happened: the state as it was, no output. */
export const unchanged = <S>(state: S): Outcome<S> => ({ state, out: [], critical: false });

/** Whether `result` is an outcome rather than a refusal. */
export const isOutcome = <S>(result: Outcome<S> | ProtocolError): result is Outcome<S> => "out" in result;
