/**
 * The size and shape of the starter pack: enough zones, rooms, creatures and items to play
 * through, a tutorial that teaches only commands that exist, dungeons behind instanced exits, and a
 * world in which every zone can be walked to from where new characters arrive.
 */
import { describe, expect, it } from "vitest";
import { defaultCommands } from "../../mud/commands";
import { resolveSkill } from "../../rules/skills";
import { loadArcaneRealms } from ".";

const pack = loadArcaneRealms();
const rooms = pack.zones.flatMap((zone) => zone.rooms.map((room) => ({ zone: zone.id, room })));
const zone = (id: string) => {
  const found = pack.zones.find((z) => z.id === id);
  if (!found) throw new Error(`no zone ${id}`);
  return found;
};

/** Zone ids reached by walking exits from `start:village-square`, through fields and instanced exits. */
function reachableZones(): Set<string> {
  const fields = new Map(pack.fieldZones.map((f) => [f.id, f]));
  const seen = new Set<string>();
  const queue = ["start:village-square"];
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (seen.has(next)) continue;
    seen.add(next);
    const [zoneId = "", place = ""] = next.split(":");
    const field = fields.get(zoneId);
    if (field) {
      queue.push(...(field.exits ?? []).map((exit) => exit.to));
      continue;
    }
    const room = zone(zoneId).rooms.find((r) => r.id === place);
    for (const target of Object.values(room?.exits ?? {}))
      queue.push(target.includes(":") ? target : `${zoneId}:${target}`);
  }
  return new Set([...seen].map((key) => key.split(":")[0] as string));
}

describe("the Arcane Realms starter pack", () => {
  it("has at least 5 MUD zones, 60 rooms, 25 NPC templates and 60 item templates", () => {
    expect(pack.zones.length).toBeGreaterThanOrEqual(5);
    expect(rooms.length).toBeGreaterThanOrEqual(60);
    expect(pack.npcs.length).toBeGreaterThanOrEqual(25);
    expect(pack.items.length).toBeGreaterThanOrEqual(60);
    expect(pack.factions.length).toBeGreaterThanOrEqual(2);
  });

  it("has a quest in every MUD zone, each with a giver", () => {
    const zoneOfNpc = new Map<string, Set<string>>();
    for (const { zone: z, room } of rooms) {
      for (const spawn of room.spawns) zoneOfNpc.set(spawn.npc, (zoneOfNpc.get(spawn.npc) ?? new Set()).add(z));
    }
    const zoneOfRoom = new Map(rooms.map(({ zone: z, room }) => [room.id, z]));
    const questZones = new Set<string>();
    for (const quest of pack.quests) {
      expect(quest.giver, quest.id).toBeDefined();
      for (const { objective } of quest.steps) {
        if (objective.kind === "reach") questZones.add(zoneOfRoom.get(objective.room) ?? "");
        if (objective.kind === "kill") for (const z of zoneOfNpc.get(objective.npc) ?? []) questZones.add(z);
      }
    }
    for (const z of pack.zones) expect(questZones, z.id).toContain(z.id);
  });

  it("gives the village watch and the Briar Band their members, and killing a member costs standing", () => {
    for (const faction of ["lantern-watch", "briar-band"]) {
      const members = pack.npcs.filter((npc) => npc.faction === faction);
      expect(members.length, faction).toBeGreaterThanOrEqual(2);
      for (const npc of members) {
        const own = npc.reputationOnKill?.find((change) => change.faction === faction);
        expect(own?.delta, npc.id).toBeLessThan(0);
      }
    }
  });

  it("lets a new character walk from the village square to every MUD zone and field zone", () => {
    const reached = reachableZones();
    for (const z of pack.zones) expect(reached, z.id).toContain(z.id);
    for (const f of pack.fieldZones) expect(reached, f.id).toContain(f.id);
  });

  it("puts every dungeon behind an instanced exit", () => {
    const instancedInto = new Set(
      rooms.flatMap(({ room }) => (room.instanced ?? []).map((exit) => (room.exits[exit] ?? "").split(":")[0])),
    );
    expect(instancedInto).toEqual(new Set(["well-depths", "sleeper-barrow"]));
  });

  it("gives every item template a place to be found: a room, a loot table or a quest's rewards", () => {
    const found = new Set([
      ...rooms.flatMap(({ room }) => room.items),
      ...pack.lootTables.flatMap((table) => table.entries.map((entry) => entry.item)),
      ...pack.quests.flatMap((quest) => quest.rewards.items ?? []),
    ]);
    const lost = pack.items.map((item) => item.id).filter((id) => !found.has(id));
    expect(lost).toEqual([]);
  });

  it("places every field enemy template in a field zone, and a second field zone has its own", () => {
    const placed = new Set(pack.fieldZones.flatMap((f) => (f.enemies ?? []).map((e) => e.template)));
    expect(placed).toEqual(new Set(pack.fieldEnemies.map((e) => e.id)));
    const downs = pack.fieldZones.find((f) => f.id === "gorse-downs");
    const theirs = new Set((downs?.enemies ?? []).map((e) => e.template));
    expect([...theirs].filter((t) => t === "golem" || t === "wisp")).toEqual([]);
    expect(theirs.size).toBeGreaterThanOrEqual(3);
  });

  describe("the tutorial", () => {
    const tutorial = zone("tutorial");
    const text = tutorial.rooms.map((room) => room.description).join("\n");

    it("is one named exit from the road south of the village square, and leads back to the village", () => {
      const gate = zone("start").rooms.find((r) => r.id === "south-gate");
      expect(gate?.exits.yard).toBe(`tutorial:${tutorial.entryRoom}`);
      expect(zone("start").rooms.find((r) => r.id === "village-square")?.exits.south).toBe("south-gate");
      const last = tutorial.rooms.at(-1);
      expect(Object.values(last?.exits ?? {})).toContain("start:south-gate");
    });

    it("teaches, in its rooms, commands the MUD really has", () => {
      const registry = defaultCommands();
      const taught = ["look", "examine", "get", "inventory", "drop", "wield", "wear", "remove", "stats"];
      taught.push("attack", "flee", "drink", "effects", "rest", "cast", "who", "say", "help", "talk", "quests");
      for (const word of taught) {
        expect(text, word).toMatch(new RegExp(`\\b${word}\\b`));
        expect(registry.exact(word), word).toBeDefined();
      }
      for (const skill of ["magic-missile", "arcane-nova", "heal", "cleave", "mm"]) {
        expect(text, skill).toContain(skill);
        expect(resolveSkill(skill), skill).toBeDefined();
      }
    });

    it("has only harmless creatures and an instructor", () => {
      const ids = new Set(tutorial.rooms.flatMap((room) => room.spawns.map((s) => s.npc)));
      expect(ids).toContain("drillmaster");
      for (const id of ids) {
        const npc = pack.npcs.find((n) => n.id === id);
        expect(npc?.aggressive, id).toBe(false);
        expect(npc?.damage.max, id).toBeLessThanOrEqual(2);
      }
    });
  });
});
