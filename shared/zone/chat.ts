/**
 * Chat: the layer every zone runs under its kind's engine (said lines and weather over
 * shared/sim/zone.ts, answered by the host's base protocol), and the engine of a zone that is only
 * a place to talk (docs/architecture.md, "Zones").
 */
import { z } from "zod";
import { SOURCE_LANGUAGE } from "../i18n/languages";
import { translate } from "../i18n/translate";
import { readVersioned, type VersionedSpec, writeVersioned } from "../persist/versioned";
import { WEATHERS } from "../protocol/enums";
import { ok } from "../result";
import { initialZoneState, nextSaid, stepZone, WEATHER_PERIOD_TICKS, type ZoneSimState } from "../sim/zone";
import {
  type Delivery,
  type EngineSession,
  type IdleContext,
  NOTHING,
  notAFieldZone,
  type Outcome,
  sending,
  type TickContext,
  type ZoneEngine,
  type ZoneKind,
} from "./engine";

/** How the chat state is read when stored as JSON: version 1 is the first. */
export const CHAT_STATE: VersionedSpec<ZoneSimState> = {
  name: "chat_state",
  current: 1,
  upgrades: [(row) => row],
  schema: z.object({
    tick: z.number().int().min(0),
    weather: z.enum(WEATHERS),
    nextSaidId: z.number().int().min(1),
  }),
};

/** What a chat call produced: the new chat state, output, and whether to commit before sending. */
export interface ChatOutcome {
  state: ZoneSimState;
  out: Delivery[];
  critical: boolean;
}

/** The chat layer: pure functions over the zone's chat state. */
export const chat = {
  initial: (): ZoneSimState => initialZoneState(),

  /** A line said by `session`: numbered, sent to everyone, committed before it is sent (docs/decisions.md D5). */
  say(
    state: ZoneSimState,
    session: Pick<EngineSession, "sessionId" | "name">,
    message: { text: string },
    tick: number,
  ) {
    const reserved = nextSaid(state);
    const line = {
      type: "said" as const,
      id: reserved.id,
      sessionId: session.sessionId,
      name: session.name,
      text: message.text,
      tick,
    };
    return { state: reserved.state, out: [{ to: { all: true as const }, message: line }], critical: true, line };
  },

  /** One tick of weather; a change is announced to everyone. */
  step(state: ZoneSimState, ctx: TickContext): ChatOutcome {
    const result = stepZone(state, ctx);
    return {
      state: result.state,
      out: result.events.map((event) => ({ to: { all: true }, message: event })),
      critical: false,
    };
  },

  /**
   * The chat layer's next scheduled tick after `afterTick`: weather is reconsidered (one RNG draw)
   * on every multiple of `WEATHER_PERIOD_TICKS`, whether or not anyone is online.
   */
  nextEventTick: (afterTick: number): number =>
    (Math.floor(afterTick / WEATHER_PERIOD_TICKS) + 1) * WEATHER_PERIOD_TICKS,

  /**
   * The chat layer from its tick to `toTick` as stepping every tick would leave it (same weather,
   * same RNG draws), running only the weather ticks in between. `ctx.now` is when `toTick` was due.
   */
  fastForward(state: ZoneSimState, toTick: number, ctx: IdleContext): ChatOutcome {
    const out: Delivery[] = [];
    let current = state;
    for (let tick = chat.nextEventTick(state.tick); tick <= toTick; tick += WEATHER_PERIOD_TICKS) {
      const stepped = chat.step(current, { tick, now: ctx.now, rng: ctx.rng });
      current = stepped.state;
      out.push(...stepped.out);
    }
    if (toTick > current.tick) current = { ...current, tick: toTick };
    return { state: current, out, critical: false };
  },

  serialize: (state: ZoneSimState) => writeVersioned(CHAT_STATE, state),
  restore: (raw: unknown) => readVersioned(CHAT_STATE, raw),
};

/** The engine of a zone that is only a place to talk: everything it has is the chat layer's. */
export class TalkOnlyEngine implements ZoneEngine {
  readonly kind = "chat";
  readonly tickHz = undefined;
  readonly dirty = false;
  readonly floodLimit = { capacity: 40, refillPerSecond: 20 };
  readonly announcesPresence = true;
  readonly logsMessages = true;
  readonly holdsCharacters = false;

  constructor(private readonly zoneId: string) {}

  admit = (): Outcome => NOTHING;
  release = (): Outcome => NOTHING;
  step = (): Outcome => NOTHING;
  /** Nothing is ever scheduled: the zone holds no state of its own (the chat layer's weather is the host's). */
  nextEventTick = (): number | undefined => undefined;
  fastForward = (): Outcome => NOTHING;
  publish = (): Delivery[] => [];
  settle = (): Outcome => NOTHING;
  characterOf = (session: EngineSession) => session.character;
  /** Nobody has a body here: a traveller arrives with nothing for this zone to hold. */
  depart = () => undefined;
  arrive = (): Outcome => NOTHING;
  linkdead = (): Outcome => NOTHING;
  residents = () => 0;
  population = () => undefined;
  serialize = () => ({ v: 1 });

  receive(session: EngineSession, message: Parameters<ZoneEngine["receive"]>[1]) {
    if (message.type !== "command") return notAFieldZone(message, this.zoneId);
    const text = translate(session.language ?? SOURCE_LANGUAGE, "zone.talkOnly");
    return sending({ to: { session: session.sessionId }, message: { type: "info", text } });
  }
}

/** The kind of a zone no other kind claims. Its engine keeps no state of its own. */
export const CHAT_KIND: ZoneKind = {
  name: "chat",
  stateName: "chat_zone",
  claims: () => true,
  create: (zoneId) => new TalkOnlyEngine(zoneId),
  restore: (zoneId) => ok(new TalkOnlyEngine(zoneId)),
};
