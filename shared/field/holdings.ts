/**
 * What a field keeps of its players besides their bodies, by player id (a character's id, or a
 * guest's session id): the items each holds here (`holdings`, as carried between zones, worn ones
 * with their slot) and the travellers handed over by another zone whose sessions have not said
 * hello yet (`arrivals`). Both are saved with the field (shared/field/persisted.ts), so a
 * character's items never vanish: a body leaves with its last session, its holdings stay for its
 * return, and only a hand-off (`depart`) takes them away, to the zone that takes the player.
 *
 * Worn items count in the sheet through their templates' modifiers, exactly as a MUD room counts
 * equipped items (shared/mud/actors.ts `playerStats` → the rulebook's `deriveStats`).
 */
import type { EffectState } from "../mud/types";
import type { CharacterSnapshot } from "../protocol/character";
import { admitCharacter } from "../rules/admission";
import { GUEST_CLASS } from "../rules/classes";
import type { Gear } from "../rules/sheet";
import type { Carried, CarriedItem, Traveller } from "../world/traveller";
import type { EngineSession } from "../zone/engine";
import type { Entrant } from "./character";
import { itemTemplate } from "./content";
import type { FieldEvent } from "./types";

/** A traveller recorded by `arrive`, waiting for its session's hello. */
export interface PendingArrival {
  /** The hand-off it came with: the same traveller sent twice is taken once. */
  transferId: string;
  /** The character as the source held it last: pools, level and experience. */
  character: CharacterSnapshot;
  /** Its effects, with their remaining ticks. */
  effects: EffectState[];
  /** The place of this zone it enters at. */
  place?: string;
}

/** A character's quests and standing: the MUD's rules keep them, a field only holds them for the way back. */
export type Journal = Pick<Carried, "quests" | "reputation" | "triggersDone">;

export interface Belongings {
  holdings: Record<string, CarriedItem[]>;
  arrivals: Record<string, PendingArrival>;
  /**
   * Quests and standing of the characters here (shared/mud/quests.ts, factions.ts), by player id:
   * nothing in a field changes them, and a hand-off gives them back. Absent in fields saved before
   * quests, and when nobody here has any.
   */
  journals?: Record<string, Journal>;
}

export const noBelongings = (): Belongings => ({ holdings: {}, arrivals: {} });

/** The modifiers of the worn items (those with a slot) whose templates the pack knows, for the sheet. */
export function wornGear(items: readonly CarriedItem[]): NonNullable<Gear["equipped"]> {
  return items.flatMap((item) => {
    const template = item.slot ? itemTemplate(item.templateId) : undefined;
    return template ? [{ modifiers: template.modifiers.map((m) => ({ ...m })) }] : [];
  });
}

/** `more` appended to `held`, its `inside` indexes moved along so each still names its container. */
export function appendItems(held: readonly CarriedItem[], more: readonly CarriedItem[]): CarriedItem[] {
  const offset = held.length;
  return [
    ...held,
    ...more.map((item) => (item.inside === undefined ? { ...item } : { ...item, inside: item.inside + offset })),
  ];
}

/**
 * Records a traveller handed to this zone: what it carries joins what it already held here, and
 * its character, effects and place wait for its session. False when this hand-off was already taken.
 */
export function recordArrival(b: Belongings, traveller: Traveller, place: string | undefined): boolean {
  const playerId = traveller.character.id;
  if (b.arrivals[playerId]?.transferId === traveller.transferId) return false;
  b.holdings[playerId] = appendItems(b.holdings[playerId] ?? [], traveller.carried.items);
  b.arrivals[playerId] = {
    transferId: traveller.transferId,
    character: traveller.character,
    effects: traveller.carried.effects.map((e) => ({ ...e })),
    ...(place ? { place } : {}),
  };
  // The traveller is newer than anything kept of an earlier visit.
  const { quests, reputation, triggersDone } = traveller.carried;
  const { [playerId]: _earlier, ...others } = b.journals ?? {};
  if (quests || reputation || triggersDone) {
    b.journals = {
      ...others,
      [playerId]: {
        ...(quests ? { quests } : {}),
        ...(reputation ? { reputation } : {}),
        ...(triggersDone ? { triggersDone } : {}),
      },
    };
  } else if (b.journals) b.journals = others;
  return true;
}

/**
 * Who enters for `session` with the entity id `id`: the traveller waiting for it (taken from
 * `arrivals`) or the session's own character (a guest plays a fresh Mage), wearing the worn items
 * it holds here and under the traveller's effects; and the place it enters at.
 */
export function entrantFor(
  b: Belongings,
  session: Pick<EngineSession, "playerId" | "name" | "character">,
  id: string,
): { entrant: Entrant; place: string | undefined } {
  const arrival = b.arrivals[session.playerId];
  delete b.arrivals[session.playerId];
  const gear = { equipped: wornGear(b.holdings[session.playerId] ?? []), effects: arrival?.effects ?? [] };
  const character = arrival?.character ?? session.character;
  const admitted = admitCharacter({ id, name: session.name, character }, GUEST_CLASS.field, gear);
  return { entrant: { ...admitted, ...gear }, place: arrival?.place };
}

/** Takes everything kept of `playerId` (for a hand-off), or undefined when nothing is kept. */
export function takeBelongings(
  b: Belongings,
  playerId: string,
): { items: CarriedItem[]; arrival: PendingArrival | undefined; journal: Journal } | undefined {
  const items = b.holdings[playerId];
  const arrival = b.arrivals[playerId];
  const journal = b.journals?.[playerId];
  if (!items && !arrival && !journal) return undefined;
  delete b.holdings[playerId];
  delete b.arrivals[playerId];
  if (b.journals && journal) {
    const { [playerId]: _taken, ...others } = b.journals;
    b.journals = others;
  }
  return { items: items ?? [], arrival, journal: journal ?? {} };
}

/**
 * The `loot` events of a tick put into the killers' holdings; `entities` maps player ids to the
 * entity ids events name. Returns the player ids that received something.
 */
export function pocketLoot(
  b: Belongings,
  entities: Readonly<Record<string, string>>,
  events: readonly FieldEvent[],
): string[] {
  const looted: string[] = [];
  for (const event of events) {
    if (event.type !== "loot") continue;
    const playerId = Object.keys(entities).find((key) => entities[key] === event.to);
    if (playerId === undefined) continue;
    const items = event.items.map(looseItem);
    b.holdings[playerId] = appendItems(b.holdings[playerId] ?? [], items);
    if (!looted.includes(playerId)) looted.push(playerId);
  }
  return looted;
}

/** A new item in the pack, with its template's durability (as the MUD spawns one). */
function looseItem(templateId: string): CarriedItem {
  const durability = itemTemplate(templateId)?.durability;
  return durability === undefined ? { templateId } : { templateId, durability };
}

/** The belongings as saved: their lists are replaced, never edited, so copying the records is enough. */
export const copyBelongings = (b: Belongings): Belongings => ({
  holdings: { ...b.holdings },
  arrivals: { ...b.arrivals },
  ...(b.journals ? { journals: { ...b.journals } } : {}),
});
