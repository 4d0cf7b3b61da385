/**
 * What the MUD tells players: `{ type, text, payload? }` events, each addressed to one player, a
 * room, or the whole zone. The zone turns them into frames; the text is what a terminal prints,
 * the payload what a graphical client reads.
 */

import { MUD_EVENT_TYPES, type MudEventType } from "../protocol/enums";

// The kinds are a protocol enumeration; re-exported for the engine's own modules.
export { MUD_EVENT_TYPES, type MudEventType };

export interface MudEvent {
  type: MudEventType;
  text: string;
  payload?: Record<string, unknown>;
}

export type Audience = { to: string } | { room: string; except?: string[] } | { zone: true };

export interface Outgoing {
  audience: Audience;
  event: MudEvent;
}

/** Collects a tick's events in order. */
export class Outbox {
  readonly items: Outgoing[] = [];

  tell(playerId: string, type: MudEventType, text: string, payload?: Record<string, unknown>): void {
    this.items.push({ audience: { to: playerId }, event: payload ? { type, text, payload } : { type, text } });
  }

  room(
    roomId: string,
    type: MudEventType,
    text: string,
    except: string[] = [],
    payload?: Record<string, unknown>,
  ): void {
    this.items.push({ audience: { room: roomId, except }, event: payload ? { type, text, payload } : { type, text } });
  }
}
