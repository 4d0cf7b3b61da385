/**
 * What the MUD tells players: `{ type, text, payload? }` events, each addressed to one player, a
 * room, or the whole zone. The zone turns them into frames; the text is what a terminal prints,
 * the payload what a graphical client reads.
 */

import { english, isText, type Text } from "../i18n/translate";
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
  /**
   * The event's text as a catalogue message, when it was emitted as one: `event.text` is its
   * English rendering, and the engine renders it again for each recipient of another language
   * (MudEngine.address). Not enumerable, so an outgoing event compares, copies and serializes
   * exactly as its English form.
   */
  readonly local?: Text;
}

/** An outgoing event, carrying `text`'s message (if it is one) beside its English rendering. */
function outgoing(audience: Audience, type: MudEventType, text: string | Text, payload?: Record<string, unknown>) {
  const rendered = typeof text === "string" ? text : english(text);
  const item: Outgoing = { audience, event: payload ? { type, text: rendered, payload } : { type, text: rendered } };
  if (isText(text)) Object.defineProperty(item, "local", { value: text, enumerable: false });
  return item;
}

/**
 * Collects a tick's events in order. Each text is a literal string or, for text players read in
 * their own language, a catalogue message (`t(key, params)`, shared/i18n/catalogue.ts).
 */
export class Outbox {
  readonly items: Outgoing[] = [];

  tell(playerId: string, type: MudEventType, text: string | Text, payload?: Record<string, unknown>): void {
    this.items.push(outgoing({ to: playerId }, type, text, payload));
  }

  room(
    roomId: string,
    type: MudEventType,
    text: string | Text,
    except: string[] = [],
    payload?: Record<string, unknown>,
  ): void {
    this.items.push(outgoing({ room: roomId, except }, type, text, payload));
  }

  /** Every player online in the zone, wherever they stand (a GM's broadcast). */
  zone(type: MudEventType, text: string | Text, payload?: Record<string, unknown>): void {
    this.items.push(outgoing({ zone: true }, type, text, payload));
  }
}
