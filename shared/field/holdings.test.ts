/**
 * What a field keeps of its players besides their bodies: worn items counted through the pack's
 * templates, travellers recorded once and admitted as they came, and loot put into the killer's
 * holdings, on the real Arcane Realms pack.
 */
import { describe, expect, it } from "vitest";
import { loadArcaneRealms } from "../content/arcane-realms";
import type { EffectState } from "../mud/types";
import { CharacterSnapshot } from "../protocol/character";
import { characterSheet } from "../rules/sheet";
import type { CarriedItem, Traveller } from "../world/traveller";
import {
  appendItems,
  type Belongings,
  entrantFor,
  noBelongings,
  pocketLoot,
  recordArrival,
  takeBelongings,
  wornGear,
} from "./holdings";

const BEA = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";

const template = (id: string) => {
  const found = loadArcaneRealms().items.find((item) => item.id === id);
  if (!found) throw new Error(`no item template ${id}`);
  return found;
};

function character(over: Partial<CharacterSnapshot> = {}): CharacterSnapshot {
  return CharacterSnapshot.parse({
    id: BEA,
    accountId: "5f2d7e60-1c1b-4c3e-8f7a-2a9b8c7d6e5f",
    name: "Bea",
    class: "mage",
    level: 3,
    xp: 450,
    hp: 21,
    mp: 9,
    str: 8,
    dex: 10,
    int: 14,
    vit: 9,
    zoneId: "start",
    roomId: "tower-study",
    x: 0,
    y: 0,
    playSeconds: 10,
    version: 2,
    ...over,
  });
}

const WARD: EffectState = {
  name: "Ward",
  kind: "buff",
  duration_ticks: 100,
  interval_ticks: 0,
  magnitude: 2,
  stat: "vit",
  source: "npc-1",
  remaining_ticks: 30,
};

function traveller(items: CarriedItem[], over: Partial<Traveller> = {}): Traveller {
  return {
    transferId: "transfer-1",
    from: "start",
    to: { zoneId: "test-area", place: "portal" },
    departedAt: 1_000,
    character: character(),
    carried: { effects: [WARD], items },
    write: null,
    ...over,
  };
}

describe("worn gear", () => {
  it("is the modifiers of the items worn in a slot, looked up in the pack; carried ones do not count", () => {
    const gear = wornGear([
      { templateId: "iron-cap", slot: "head" },
      { templateId: "apprentice-staff" },
      { templateId: "reed-charm", slot: "neck" },
      { templateId: "no-such-thing", slot: "ring" },
    ]);
    expect(gear).toEqual([
      { modifiers: template("iron-cap").modifiers },
      { modifiers: template("reed-charm").modifiers },
    ]);
  });
});

describe("holdings", () => {
  it("append items with their containers' indexes moved along", () => {
    const held: CarriedItem[] = [{ templateId: "rat-tail" }];
    const joined = appendItems(held, [{ templateId: "travellers-satchel" }, { templateId: "cracked-mug", inside: 0 }]);
    expect(joined).toEqual([
      { templateId: "rat-tail" },
      { templateId: "travellers-satchel" },
      { templateId: "cracked-mug", inside: 1 },
    ]);
    expect(held).toEqual([{ templateId: "rat-tail" }]);
  });

  it("are taken whole with the pending arrival, and then forgotten", () => {
    const b = noBelongings();
    expect(takeBelongings(b, BEA)).toBeUndefined();
    recordArrival(b, traveller([{ templateId: "iron-cap", slot: "head" }]), "portal");
    const taken = takeBelongings(b, BEA);
    expect(taken?.items).toEqual([{ templateId: "iron-cap", slot: "head" }]);
    expect(taken?.arrival).toMatchObject({ transferId: "transfer-1", effects: [WARD], place: "portal" });
    expect(b).toEqual(noBelongings());
  });
});

describe("an arrival", () => {
  it("is recorded once per hand-off, its items joining what the player already held here", () => {
    const b: Belongings = { holdings: { [BEA]: [{ templateId: "rat-tail" }] }, arrivals: {} };
    const sent = traveller([{ templateId: "iron-cap", slot: "head" }]);
    expect(recordArrival(b, sent, "portal")).toBe(true);
    expect(recordArrival(b, sent, "portal")).toBe(false);
    expect(b.holdings[BEA]).toEqual([{ templateId: "rat-tail" }, { templateId: "iron-cap", slot: "head" }]);
    expect(b.arrivals[BEA]).toEqual({
      transferId: "transfer-1",
      character: character(),
      effects: [WARD],
      place: "portal",
    });
  });

  it("enters as the traveller's character, with its effects and its worn items counted, once", () => {
    const b = noBelongings();
    recordArrival(b, traveller([{ templateId: "iron-cap", slot: "head" }, { templateId: "rat-tail" }]), "portal");
    const session = { playerId: BEA, name: "Bea", character: character({ hp: 99, level: 1, xp: 0 }) };
    const { entrant, place } = entrantFor(b, session, "p7");

    expect(place).toBe("portal");
    expect(entrant).toMatchObject({ id: "p7", name: "Bea", classId: "mage", level: 3, xp: 450, hp: 21, mp: 9 });
    expect(entrant.effects).toEqual([WARD]);
    expect(entrant.equipped).toEqual([{ modifiers: template("iron-cap").modifiers }]);
    // The arrival is used up: the next body of the player is its session's character, still wearing the cap.
    expect(b.arrivals).toEqual({});
    const again = entrantFor(b, session, "p8");
    expect(again.place).toBeUndefined();
    expect(again.entrant).toMatchObject({ level: 1, xp: 0, hp: 99, effects: [] });
    expect(again.entrant.equipped).toEqual([{ modifiers: template("iron-cap").modifiers }]);
  });

  it("leaves a guest a fresh Mage, full by the rulebook with what it wears", () => {
    const b: Belongings = { holdings: { "session-gus": [{ templateId: "iron-cap", slot: "head" }] }, arrivals: {} };
    const { entrant } = entrantFor(b, { playerId: "session-gus", name: "Gus" }, "p2");
    const sheet = characterSheet(
      { classId: "mage", attributes: entrant.attributes, level: 1 },
      { equipped: [template("iron-cap")] },
    );
    expect(entrant).toMatchObject({ classId: "mage", level: 1, hp: sheet.stats.maxHp, mp: sheet.stats.maxMp });
  });
});

describe("loot", () => {
  it("goes into the killer's holdings, by its player id, with the template's durability", () => {
    const b = noBelongings();
    const entities = { [BEA]: "p1", "session-gus": "p2" };
    const looted = pocketLoot(b, entities, [
      { type: "xp", to: "p1", amount: 20, xp: 20, from: "e1" },
      { type: "loot", to: "p1", items: ["iron-cap", "rat-tail"], from: "e1" },
      { type: "loot", to: "p9", items: ["rat-tail"], from: "e2" },
      { type: "loot", to: "p1", items: ["cracked-mug"], from: "e3" },
    ]);
    expect(looted).toEqual([BEA]);
    expect(b.holdings).toEqual({
      [BEA]: [
        { templateId: "iron-cap", durability: template("iron-cap").durability },
        { templateId: "rat-tail" },
        { templateId: "cracked-mug" },
      ],
    });
  });
});
