/**
 * The chat engine: a zone's chat lines and weather (shared/sim/zone.ts) behind the engine
 * contract. Every zone runs it; a MUD or field engine adds its own world on the same ticks.
 */
import { z } from "zod";
import { readVersioned, type VersionedSpec, writeVersioned } from "../persist/versioned";
import { WEATHERS } from "../protocol/enums";
import { initialZoneState, nextSaid, stepZone, type ZoneSimState } from "../sim/zone";
import { type Outcome, unchanged, type ZoneEngine } from "./engine";

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

export const chatEngine: ZoneEngine<ZoneSimState> = {
  kind: "chat",
  initial: () => initialZoneState(),
  admit: unchanged,
  release: unchanged,
  receive(state, session, message, tick): Outcome<ZoneSimState> | { code: "unsupported"; message: string } {
    if (message.type !== "say") {
      return { code: "unsupported", message: `${message.type} is not a chat message` };
    }
    const reserved = nextSaid(state);
    const line = {
      type: "said" as const,
      id: reserved.id,
      sessionId: session.sessionId,
      name: session.name,
      text: message.text,
      tick,
    };
    // A line anyone saw must survive a crash: committed before it is sent (docs/decisions.md D5).
    return { state: reserved.state, out: [{ to: { all: true }, message: line }], critical: true };
  },
  step(state, ctx) {
    const result = stepZone(state, ctx);
    return {
      state: result.state,
      out: result.events.map((event) => ({ to: { all: true }, message: event })),
      critical: false,
    };
  },
  serialize: (state) => writeVersioned(CHAT_STATE, state),
  restore: (raw) => readVersioned(CHAT_STATE, raw),
};
