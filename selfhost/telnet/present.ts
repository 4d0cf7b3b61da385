/**
 * What a telnet player reads for each frame the realm sends (docs/protocol.md): the game events'
 * own text, chat, arrivals, errors and travel, as styled lines; and what a MUD client's GMCP
 * scripts get from the same frames (Char.Vitals, Room.Info, Char.Items). Pure, so both are tested
 * without a realm.
 */

import type { ServerMessage } from "../../shared/protocol/messages";
import { derivedPools } from "../../shared/rules/stats";
import type { Style, StyledLine } from "./text";

type Frame = ServerMessage;
type EventFrame = Extract<Frame, { text: string; payload?: unknown }>;

const EVENT_STYLE: Partial<Record<string, Style>> = {
  say: "chat",
  emote: "chat",
  combat: "damage",
  hp_change: "damage",
  death: "damage",
  level_up: "good",
  loot: "good",
};

/** The lines a frame prints, given this session's id (to say "You" for its own chat). */
export function describeFrame(frame: Frame, ownSessionId?: string): StyledLine[] {
  switch (frame.type) {
    case "said":
      return [
        {
          text: frame.sessionId === ownSessionId ? `You say: ${frame.text}` : `${frame.name} says: ${frame.text}`,
          style: "chat",
        },
      ];
    case "joined":
      return [{ text: `${frame.name} has joined.`, style: "system" }];
    case "left":
      return [{ text: `${frame.name} has left.`, style: "system" }];
    case "who":
      return [{ text: `Here: ${frame.players.map((p) => p.name).join(", ") || "nobody"}.`, style: "plain" }];
    case "weather":
      return [{ text: `The weather turns: ${frame.weather}.`, style: "system" }];
    case "error":
      return [{ text: `${frame.message} (${frame.code})`, style: "error" }];
    case "travel":
      return [{ text: frame.reason ?? `You travel to ${frame.zone}.`, style: "system" }];
    case "welcome":
    case "pong":
    case "field":
    case "snapshot":
      return [];
    default:
      return describeEvent(frame as EventFrame);
  }
}

function describeEvent(frame: EventFrame): StyledLine[] {
  if (!frame.text) return [];
  if (frame.type === "room") {
    // The room's text is its name, its description, then "Exits: …" and who and what is here.
    return frame.text.split("\n").map((text, index) => ({
      text,
      style: index === 0 ? "title" : text.startsWith("Exits:") ? "exits" : "plain",
    }));
  }
  return [{ text: frame.text, style: EVENT_STYLE[frame.type] ?? "plain" }];
}

export interface GmcpMessage {
  name: string;
  data: unknown;
}

export interface Vitals {
  hp: number;
  maxhp: number;
  mp: number;
  maxmp: number;
}

const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/**
 * Follows the frames and says which GMCP messages they make. Vitals are kept whole, because a
 * `stat_update` carries only what changed and a client wants all four each time.
 */
export class GmcpTracker {
  vitals: Vitals | undefined;
  private zone = "";

  onFrame(frame: Frame): GmcpMessage[] {
    if (frame.type === "welcome") {
      this.zone = frame.zone;
      const c = frame.character;
      if (!c) return [];
      // `welcome` has no maxima: they follow from attributes and level (shared/rules/stats.ts), which
      // is exact without gear; the next `stat_update` or `stats` corrects them when gear changes them.
      const pools = derivedPools({ str: c.str, dex: c.dex, int: c.int, vit: c.vit }, c.level);
      this.vitals = { hp: c.hp, maxhp: pools.maxHp, mp: c.mp, maxmp: pools.maxMp };
      return [{ name: "Char.Vitals", data: { ...this.vitals } }];
    }
    if (!("payload" in frame) || !frame.payload) return [];
    const payload = frame.payload as Record<string, unknown>;
    switch (frame.type) {
      case "stat_update":
      case "stats":
      case "hp_change":
        return this.updateVitals(payload);
      case "room":
        return [{ name: "Room.Info", data: roomInfo(this.zone, payload) }];
      case "inventory":
        return [{ name: "Char.Items.List", data: { location: "inv", items: inventoryItems(payload) } }];
      case "item":
        return itemChange(payload);
      default:
        return [];
    }
  }

  private updateVitals(payload: Record<string, unknown>): GmcpMessage[] {
    if (!this.vitals) return [];
    const before = JSON.stringify(this.vitals);
    const next = { ...this.vitals };
    next.hp = num(payload.hp) ?? next.hp;
    next.maxhp = num(payload.max_hp) ?? next.maxhp;
    next.mp = num(payload.mp) ?? next.mp;
    next.maxmp = num(payload.max_mp) ?? next.maxmp;
    this.vitals = next;
    return JSON.stringify(next) === before ? [] : [{ name: "Char.Vitals", data: { ...next } }];
  }
}

function roomInfo(zone: string, payload: Record<string, unknown>) {
  const id = typeof payload.id === "string" ? payload.id : "";
  const exits = Array.isArray(payload.exits) ? payload.exits.filter((e) => typeof e === "string") : [];
  // `num` is unique across the realm: a room id is only unique within its zone.
  return { num: `${zone}:${id}`, id, name: payload.name ?? "", area: zone, zone, exits };
}

function inventoryItems(payload: Record<string, unknown>) {
  const items = Array.isArray(payload.items) ? payload.items : [];
  return items
    .filter((i): i is { id: string; name: string } => typeof i?.id === "string" && typeof i?.name === "string")
    .map((i) => ({ id: i.id, name: i.name }));
}

/** Own pick-ups and drops as Add/Remove; others' (they carry an `actor`) change nothing of ours. */
function itemChange(payload: Record<string, unknown>): GmcpMessage[] {
  if (payload.actor !== undefined || typeof payload.item !== "string") return [];
  const item = { ...(typeof payload.itemId === "string" ? { id: payload.itemId } : {}), name: payload.item };
  if (payload.action === "get" || payload.action === "receive") {
    return [{ name: "Char.Items.Add", data: { location: "inv", item } }];
  }
  if (payload.action === "drop" || payload.action === "give") {
    return [{ name: "Char.Items.Remove", data: { location: "inv", item } }];
  }
  return [];
}
