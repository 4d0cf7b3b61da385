/**
 * Inventory operations over a map of item instances by id. Every item has exactly one location
 * (types.ts), and every operation here changes the location of existing entries only: it never
 * adds or removes a key, so an item can be neither duplicated nor lost. Operations return a new
 * map (the input is never mutated) and the moves as events, or an ItemError and no change.
 *
 * Reach: an actor can use what is in their inventory or equipped ("carried"), and containers that
 * are carried or lying in their room. Items inside a container must be taken out before use.
 * Checking that a give's recipient stands in the same room is the caller's job (target.ts).
 */
import { err, ok, type Result } from "../result";
import type { ItemInstance, ItemLocation, ItemTemplate, Slot } from "./types";

export type ItemMap = Readonly<Record<string, ItemInstance>>;
export type TemplateMap = Readonly<Record<string, ItemTemplate>>;

export type ItemAction = "pick_up" | "drop" | "give" | "equip" | "unequip" | "put_in" | "take_out";

/** One item moved; room lines ("Alice drops a rusty sword.") are written from these. */
export interface ItemEvent {
  type: "item_moved";
  action: ItemAction;
  actorId: string;
  itemId: string;
  templateId: string;
  from: ItemLocation;
  to: ItemLocation;
}

export type ItemErrorCode =
  | "not_found"
  | "not_here"
  | "not_carried"
  | "equipped"
  | "not_equipped"
  | "not_equippable"
  | "unknown_template"
  | "not_container"
  | "container_full"
  | "unique"
  | "invalid_target";

export interface ItemError {
  code: ItemErrorCode;
  /** A sentence for the player, naming the item. */
  message: string;
  itemId: string;
}

export type ItemResult = Result<{ items: Record<string, ItemInstance>; events: ItemEvent[] }, ItemError>;

/** Nesting deeper than this is treated as a broken chain (and refuses further nesting). */
export const MAX_NESTING = 16;

/** An item's name without its article ("rusty sword" from "a rusty sword"), whichever way content writes it. */
const bareName = (templates: TemplateMap, item: ItemInstance | undefined) =>
  ((item && templates[item.templateId]?.name) || "item").replace(/^(a|an|the|some)\s+/i, "");
/** "the rusty sword": reads correctly in every message below. */
const nameOf = (templates: TemplateMap, item: ItemInstance | undefined) => `the ${bareName(templates, item)}`;

const fail = (code: ItemErrorCode, itemId: string, message: string): ItemResult => err({ code, itemId, message });

const isCarriedBy = (location: ItemLocation, actorId: string) =>
  (location.kind === "inventory" || location.kind === "equipped") && location.ownerId === actorId;

/** Who ultimately holds an item: an actor, a room, or nobody (a broken or cyclic chain). */
export function holderOf(
  items: ItemMap,
  itemId: string,
): { kind: "actor"; id: string } | { kind: "room"; id: string } | undefined {
  let current = items[itemId];
  for (let depth = 0; current && depth <= MAX_NESTING; depth++) {
    const at = current.location;
    if (at.kind === "room") return { kind: "room", id: at.roomId };
    if (at.kind !== "container") return { kind: "actor", id: at.ownerId };
    current = items[at.containerId];
  }
  return undefined;
}

/** The item and everything nested inside it, at any depth. */
export function withContents(items: ItemMap, itemId: string): string[] {
  const children = new Map<string, string[]>();
  for (const item of Object.values(items)) {
    if (item.location.kind !== "container") continue;
    const list = children.get(item.location.containerId) ?? [];
    list.push(item.id);
    children.set(item.location.containerId, list);
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [itemId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

const where = (items: ItemMap, test: (location: ItemLocation) => boolean) =>
  Object.values(items).filter((item) => test(item.location));

/** Items lying in a room (not those inside containers there). */
export const itemsInRoom = (items: ItemMap, roomId: string) =>
  where(items, (l) => l.kind === "room" && l.roomId === roomId);
/** Items in an actor's inventory (not equipped, not inside carried containers). */
export const inventoryOf = (items: ItemMap, actorId: string) =>
  where(items, (l) => l.kind === "inventory" && l.ownerId === actorId);
/** Items an actor has equipped. */
export const equipmentOf = (items: ItemMap, actorId: string) =>
  where(items, (l) => l.kind === "equipped" && l.ownerId === actorId);
/** Items directly inside a container. */
export const contentsOf = (items: ItemMap, containerId: string) =>
  where(items, (l) => l.kind === "container" && l.containerId === containerId);

/** Templates of an actor's equipped items, for deriveStats (stats.ts). */
export function equippedTemplates(items: ItemMap, templates: TemplateMap, actorId: string): ItemTemplate[] {
  return equipmentOf(items, actorId).flatMap((item) => templates[item.templateId] ?? []);
}

/**
 * `equippedTemplates` of every actor at once, in one pass over the items (in item order, as
 * `equippedTemplates` lists them): for a step that needs every online player's stat sheet, where
 * one scan of all items per player grows with players × items.
 */
export function equippedTemplatesByActor(items: ItemMap, templates: TemplateMap): Map<string, ItemTemplate[]> {
  const byActor = new Map<string, ItemTemplate[]>();
  for (const item of Object.values(items)) {
    if (item.location.kind !== "equipped") continue;
    const template = templates[item.templateId];
    if (!template) continue;
    const list = byActor.get(item.location.ownerId);
    if (list) list.push(template);
    else byActor.set(item.location.ownerId, [template]);
  }
  return byActor;
}

/** Whether `actorId` holds an item of `templateId` anywhere: in its pack, worn, or inside a bag it carries. */
export function holdsTemplate(items: ItemMap, actorId: string, templateId: string): boolean {
  return Object.values(items).some(
    (item) => item.templateId === templateId && holderOf(items, item.id)?.id === actorId,
  );
}

/**
 * Would `receiverId` end up holding two of a unique template if the items in `moving` became
 * theirs? Returns the offending item id. Counts what they already hold plus everything moving.
 */
function uniqueClash(items: ItemMap, templates: TemplateMap, moving: string[], receiverId: string) {
  const movingSet = new Set(moving);
  const held = new Set<string>();
  for (const item of Object.values(items)) {
    if (movingSet.has(item.id) || !templates[item.templateId]?.unique) continue;
    const holder = holderOf(items, item.id);
    if (holder?.kind === "actor" && holder.id === receiverId) held.add(item.templateId);
  }
  for (const id of moving) {
    const item = items[id];
    if (!item || !templates[item.templateId]?.unique) continue;
    if (held.has(item.templateId)) return id;
    held.add(item.templateId);
  }
  return undefined;
}

function moved(
  items: ItemMap,
  moves: { itemId: string; to: ItemLocation; action: ItemAction }[],
  actorId: string,
): ItemResult {
  const next: Record<string, ItemInstance> = { ...items };
  const events: ItemEvent[] = [];
  for (const { itemId, to, action } of moves) {
    const item = next[itemId] as ItemInstance;
    next[itemId] = { ...item, location: to };
    events.push({ type: "item_moved", action, actorId, itemId, templateId: item.templateId, from: item.location, to });
  }
  return ok({ items: next, events });
}

/** Why an actor cannot hand over or stow an item from their inventory, if they cannot. */
function notInInventory(items: ItemMap, templates: TemplateMap, itemId: string, actorId: string) {
  const item = items[itemId];
  if (!item) return fail("not_found", itemId, "You don't have that.");
  const at = item.location;
  if (at.kind === "equipped" && at.ownerId === actorId) {
    return fail("equipped", itemId, `You are using ${nameOf(templates, item)}; remove it first.`);
  }
  if (at.kind !== "inventory" || at.ownerId !== actorId) {
    return fail("not_carried", itemId, `You aren't carrying ${nameOf(templates, item)}.`);
  }
  return undefined;
}

/** `get <item>`: takes an item lying in `roomId` (with anything inside it) into the inventory. */
export function pickUp(
  items: ItemMap,
  templates: TemplateMap,
  itemId: string,
  actorId: string,
  roomId: string,
): ItemResult {
  const item = items[itemId];
  if (!item) return fail("not_found", itemId, "You don't see that here.");
  if (item.location.kind !== "room" || item.location.roomId !== roomId) {
    return fail("not_here", itemId, `${capitalise(nameOf(templates, item))} isn't here any more.`);
  }
  const clash = uniqueClash(items, templates, withContents(items, itemId), actorId);
  if (clash) return fail("unique", clash, `You can only carry one ${bareName(templates, items[clash])}.`);
  return moved(items, [{ itemId, to: { kind: "inventory", ownerId: actorId }, action: "pick_up" }], actorId);
}

/** `drop <item>`: from the inventory to the floor of `roomId`. */
export function drop(
  items: ItemMap,
  templates: TemplateMap,
  itemId: string,
  actorId: string,
  roomId: string,
): ItemResult {
  const refused = notInInventory(items, templates, itemId, actorId);
  if (refused) return refused;
  return moved(items, [{ itemId, to: { kind: "room", roomId }, action: "drop" }], actorId);
}

/** `give <item> <player>`: from one inventory to another. */
export function give(items: ItemMap, templates: TemplateMap, itemId: string, fromId: string, toId: string): ItemResult {
  const refused = notInInventory(items, templates, itemId, fromId);
  if (refused) return refused;
  if (fromId === toId) return fail("invalid_target", itemId, "You can't give things to yourself.");
  const clash = uniqueClash(items, templates, withContents(items, itemId), toId);
  if (clash) return fail("unique", clash, `They can only carry one ${bareName(templates, items[clash])}.`);
  return moved(items, [{ itemId, to: { kind: "inventory", ownerId: toId }, action: "give" }], fromId);
}

/** `equip <item>`: wears or wields it, moving whatever held that slot back to the inventory. */
export function equip(items: ItemMap, templates: TemplateMap, itemId: string, actorId: string): ItemResult {
  const item = items[itemId];
  if (!item) return fail("not_found", itemId, "You don't have that.");
  const template = templates[item.templateId];
  if (!template) return fail("unknown_template", itemId, "That item is unknown to this realm.");
  const name = nameOf(templates, item);
  const at = item.location;
  if (at.kind === "equipped" && at.ownerId === actorId) {
    return fail("equipped", itemId, `You are already using ${name}.`);
  }
  if (at.kind !== "inventory" || at.ownerId !== actorId) {
    return fail("not_carried", itemId, `You aren't carrying ${name}.`);
  }
  const slot: Slot | undefined = template.slot;
  if (!slot) return fail("not_equippable", itemId, `You can't wear or wield ${name}.`);
  const occupants = equipmentOf(items, actorId).filter(
    (i) => i.location.kind === "equipped" && i.location.slot === slot,
  );
  return moved(
    items,
    [
      ...occupants.map((o) => ({
        itemId: o.id,
        to: { kind: "inventory", ownerId: actorId } as const,
        action: "unequip" as const,
      })),
      { itemId, to: { kind: "equipped", ownerId: actorId, slot }, action: "equip" },
    ],
    actorId,
  );
}

/** `remove <item>`: back from its slot to the inventory. */
export function unequip(items: ItemMap, templates: TemplateMap, itemId: string, actorId: string): ItemResult {
  const item = items[itemId];
  if (!item) return fail("not_found", itemId, "You aren't using that.");
  if (item.location.kind !== "equipped" || item.location.ownerId !== actorId) {
    return fail("not_equipped", itemId, `You aren't using ${nameOf(templates, item)}.`);
  }
  return moved(items, [{ itemId, to: { kind: "inventory", ownerId: actorId }, action: "unequip" }], actorId);
}

/**
 * Everything an actor carries or wears falls to the floor of `roomId` (a guest leaving for good,
 * step.ts); what is inside a carried container stays inside it and lies there with it.
 */
export function dropEverything(items: ItemMap, actorId: string, roomId: string): ItemResult {
  const held = where(items, (l) => isCarriedBy(l, actorId));
  return moved(
    items,
    held.map((item) => ({ itemId: item.id, to: { kind: "room", roomId }, action: "drop" as const })),
    actorId,
  );
}

/** A container the actor can reach: carried, or lying in their room. */
function reachableContainer(
  items: ItemMap,
  templates: TemplateMap,
  containerId: string,
  actorId: string,
  roomId: string,
): ItemError | { capacity: number } {
  const container = items[containerId];
  if (!container) return { code: "not_found", itemId: containerId, message: "You don't see that here." };
  const at = container.location;
  if (!isCarriedBy(at, actorId) && !(at.kind === "room" && at.roomId === roomId)) {
    return {
      code: "not_here",
      itemId: containerId,
      message: `${capitalise(nameOf(templates, container))} isn't here.`,
    };
  }
  const template = templates[container.templateId];
  const capacity = Math.floor(Number(template?.capacity));
  if (template?.type !== "container" || !(capacity >= 0)) {
    return {
      code: "not_container",
      itemId: containerId,
      message: `${capitalise(nameOf(templates, container))} can't hold anything.`,
    };
  }
  return { capacity };
}

/** `put <item> in <container>`: from the inventory into a carried container or one in the room. */
export function putIn(
  items: ItemMap,
  templates: TemplateMap,
  itemId: string,
  containerId: string,
  actorId: string,
  roomId: string,
): ItemResult {
  const refused = notInInventory(items, templates, itemId, actorId);
  if (refused) return refused;
  const reach = reachableContainer(items, templates, containerId, actorId, roomId);
  if ("code" in reach) return err(reach);
  const name = nameOf(templates, items[itemId]);
  // A bag cannot go inside itself, nor inside anything it already holds.
  if (withContents(items, itemId).includes(containerId)) {
    return fail("invalid_target", itemId, `You can't put ${name} inside itself.`);
  }
  if (contentsOf(items, containerId).length >= reach.capacity) {
    return fail("container_full", containerId, `${capitalise(nameOf(templates, items[containerId]))} is full.`);
  }
  if (nestingDepth(items, containerId) + subtreeHeight(items, itemId) >= MAX_NESTING) {
    return fail("invalid_target", itemId, `You can't nest ${name} that deeply.`);
  }
  return moved(items, [{ itemId, to: { kind: "container", containerId }, action: "put_in" }], actorId);
}

/** `get <item> from <container>`: out of a reachable container into the inventory. */
export function takeOut(
  items: ItemMap,
  templates: TemplateMap,
  itemId: string,
  actorId: string,
  roomId: string,
): ItemResult {
  const item = items[itemId];
  if (!item) return fail("not_found", itemId, "You don't see that here.");
  if (item.location.kind !== "container") {
    return fail("not_here", itemId, `${capitalise(nameOf(templates, item))} isn't in there.`);
  }
  const reach = reachableContainer(items, templates, item.location.containerId, actorId, roomId);
  if ("code" in reach) return err({ ...reach, itemId });
  const holder = holderOf(items, itemId);
  if (holder?.kind !== "actor" || holder.id !== actorId) {
    const clash = uniqueClash(items, templates, withContents(items, itemId), actorId);
    if (clash) return fail("unique", clash, `You can only carry one ${bareName(templates, items[clash])}.`);
  }
  return moved(items, [{ itemId, to: { kind: "inventory", ownerId: actorId }, action: "take_out" }], actorId);
}

/** How many containers enclose an item (0 when it lies in a room or is carried). */
function nestingDepth(items: ItemMap, itemId: string): number {
  let depth = 0;
  let at = items[itemId]?.location;
  while (at?.kind === "container" && depth <= MAX_NESTING) {
    depth++;
    at = items[at.containerId]?.location;
  }
  return depth;
}

/** Levels of nesting inside an item (0 for an empty bag or a sword). */
function subtreeHeight(items: ItemMap, itemId: string): number {
  let height = 0;
  for (const id of withContents(items, itemId)) {
    if (id !== itemId) height = Math.max(height, nestingDepth(items, id) - nestingDepth(items, itemId));
  }
  return height;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
