/**
 * Property test for items.ts: thousands of random operation sequences on a seeded Rng never
 * duplicate or lose an item, and every item always sits in exactly one valid place.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../sim/rng";
import {
  drop,
  equip,
  equipmentOf,
  give,
  type ItemMap,
  type ItemResult,
  inventoryOf,
  itemsInRoom,
  MAX_NESTING,
  pickUp,
  putIn,
  takeOut,
  unequip,
} from "./items";
import { carried, deepFreeze, inRoom, inside, T, world } from "./items.fixtures";
import type { ItemInstance, ItemLocation } from "./types";

describe("inventory property: nothing duplicated, nothing lost", () => {
  const ACTORS = ["alice", "bob", "cara"];
  const ROOMS = ["hall", "cellar"];
  const TEMPLATE_IDS = ["sword", "dagger", "helm", "potion", "coin", "bag", "chest", "amulet"];

  const pick = <X>(rng: ReturnType<typeof createRng>, list: readonly X[]) => list[rng.int(0, list.length - 1)] as X;

  function initial(rng: ReturnType<typeof createRng>): ItemMap {
    const entries: [string, string, ItemLocation][] = [];
    for (let i = 0; i < 18; i++) {
      const templateId = TEMPLATE_IDS[i % TEMPLATE_IDS.length] as string;
      // Half start carried (never the unique amulets, which might otherwise start doubled up).
      const location =
        templateId !== "amulet" && rng.next() < 0.5 ? carried(pick(rng, ACTORS)) : inRoom(pick(rng, ROOMS));
      entries.push([`i${i}`, templateId, location]);
    }
    return world(entries);
  }

  /** Every broken invariant, checked independently of the module's own helpers (plain code: fast). */
  function problems(items: ItemMap, ids: string[], templateOf: Map<string, string>): string[] {
    const found: string[] = [];
    const keys = Object.keys(items).sort();
    if (keys.join() !== ids.join()) found.push(`ids changed: ${keys.join()}`);
    const slots = new Set<string>();
    const counts = new Map<string, number>();
    const uniques = new Set<string>();
    for (const [key, item] of Object.entries(items)) {
      if (item.id !== key) found.push(`${key} holds ${item.id}`);
      if (item.templateId !== templateOf.get(key)) found.push(`${key} changed template`);
      const at = item.location;
      if (at.kind === "room" && !ROOMS.includes(at.roomId)) found.push(`${key} in unknown room`);
      if ((at.kind === "inventory" || at.kind === "equipped") && !ACTORS.includes(at.ownerId)) {
        found.push(`${key} held by unknown ${at.ownerId}`);
      }
      if (at.kind === "equipped") {
        if (T[item.templateId]?.slot !== at.slot) found.push(`${key} worn in wrong slot ${at.slot}`);
        if (slots.has(`${at.ownerId}/${at.slot}`)) found.push(`${at.ownerId} has two in ${at.slot}`);
        slots.add(`${at.ownerId}/${at.slot}`);
      }
      if (at.kind === "container") {
        if (T[items[at.containerId]?.templateId ?? ""]?.type !== "container") found.push(`${key} in a non-container`);
        counts.set(at.containerId, (counts.get(at.containerId) ?? 0) + 1);
      }
      // Walk up to a room or an actor: no cycles, no dangling containers.
      let current: ItemInstance | undefined = item;
      let steps = 0;
      while (current?.location.kind === "container" && steps <= MAX_NESTING) {
        current = items[current.location.containerId];
        steps++;
      }
      const top = current?.location;
      if (!top || top.kind === "container") found.push(`${key} has no holder`);
      else if (T[item.templateId]?.unique && top.kind !== "room") {
        const owned = `${top.ownerId}/${item.templateId}`;
        if (uniques.has(owned)) found.push(`${owned} twice`);
        uniques.add(owned);
      }
    }
    for (const [containerId, n] of counts) {
      if (n > (T[items[containerId]?.templateId ?? ""]?.capacity ?? 0)) found.push(`${containerId} over capacity`);
    }
    return found;
  }

  it("finds broken invariants (the checker itself can fail)", () => {
    const ids = ["a", "b", "c"];
    const templateOf = new Map([
      ["a", "amulet"],
      ["b", "amulet"],
      ["c", "sword"],
    ]);
    const broken = world([
      ["a", "amulet", carried("alice")],
      ["b", "amulet", carried("alice")],
      ["c", "sword", { kind: "equipped", ownerId: "alice", slot: "head" }],
    ]);
    expect(problems(broken, ids, templateOf)).toEqual(["alice/amulet twice", "c worn in wrong slot head"]);
    expect(problems(world([["a", "amulet", inside("a")]]), ["a"], templateOf)).toContain("a has no holder");
  });

  it("keeps every item exactly once in one valid place over thousands of random sequences", () => {
    const rng = createRng(0xc0ffee);
    const successes = new Map<string, number>();
    const broken: string[] = [];
    for (let sequence = 0; sequence < 2_000; sequence++) {
      let items = initial(rng);
      const ids = Object.keys(items).sort();
      const templateOf = new Map(Object.values(items).map((i) => [i.id, i.templateId]));
      for (let step = 0; step < 30; step++) {
        const actor = pick(rng, ACTORS);
        const room = pick(rng, ROOMS);
        const op = rng.int(0, 6);
        // Half the time, an item the operation could plausibly apply to (random picks alone rarely
        // make a valid move); the other half anything, to exercise the refusals.
        const at = (id: string) => items[id]?.location;
        const mine = (id: string, kind: string) => {
          const l = at(id);
          return l?.kind === kind && "ownerId" in l && l.ownerId === actor;
        };
        const plausible = [
          (id: string) => at(id)?.kind === "room",
          (id: string) => mine(id, "inventory"),
          (id: string) => mine(id, "inventory"),
          (id: string) => mine(id, "inventory"),
          (id: string) => mine(id, "equipped"),
          (id: string) => mine(id, "inventory"),
          (id: string) => at(id)?.kind === "container",
        ][op] as (id: string) => boolean;
        const choose = (test: (id: string) => boolean) => {
          const fits = ids.filter(test);
          return fits.length > 0 && rng.next() < 0.5 ? pick(rng, fits) : pick(rng, ids);
        };
        const item = choose(plausible);
        const other = choose((id) => T[templateOf.get(id) ?? ""]?.type === "container");
        const result = [
          () => pickUp(items, T, item, actor, room),
          () => drop(items, T, item, actor, room),
          () => give(items, T, item, actor, pick(rng, ACTORS)),
          () => equip(items, T, item, actor),
          () => unequip(items, T, item, actor),
          () => putIn(items, T, item, other, actor, room),
          () => takeOut(items, T, item, actor, room),
        ][op]?.() as ItemResult;
        if (!result.ok) continue;
        const name = ["pickUp", "drop", "give", "equip", "unequip", "putIn", "takeOut"][op] as string;
        successes.set(name, (successes.get(name) ?? 0) + 1);
        const label = `sequence ${sequence} step ${step} ${name}`;
        // Each event describes a real move: from the item's old place to its new one.
        const { events } = result.value;
        if (events.length === 0) broken.push(`${label}: no event`);
        for (const event of events) {
          if (JSON.stringify(result.value.items[event.itemId]?.location) !== JSON.stringify(event.to)) {
            broken.push(`${label}: event destination`);
          }
          if (JSON.stringify(items[event.itemId]?.location) !== JSON.stringify(event.from)) {
            broken.push(`${label}: event origin`);
          }
        }
        items = deepFreeze(result.value.items);
        broken.push(...problems(items, ids, templateOf).map((p) => `${label}: ${p}`));
      }
    }
    expect(broken.slice(0, 10)).toEqual([]);
    // Every operation succeeded often enough for the invariants to mean something.
    for (const name of ["pickUp", "drop", "give", "equip", "unequip", "putIn", "takeOut"]) {
      expect(successes.get(name) ?? 0, name).toBeGreaterThan(100);
    }
  });

  it("lists inventory, equipment and room contents from the same map", () => {
    const items = world([
      ["s1", "sword", { kind: "equipped", ownerId: "alice", slot: "weapon" }],
      ["c1", "coin", carried("alice")],
      ["c2", "coin", inRoom("hall")],
    ]);
    expect(inventoryOf(items, "alice").map((i) => i.id)).toEqual(["c1"]);
    expect(equipmentOf(items, "alice").map((i) => i.id)).toEqual(["s1"]);
    expect(itemsInRoom(items, "hall").map((i) => i.id)).toEqual(["c2"]);
  });
});
