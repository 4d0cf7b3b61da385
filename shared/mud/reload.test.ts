/**
 * A MUD zone switching content while players stand in it (shared/mud/reload.ts through
 * `MudEngine.reloadContent`): rooms added and removed, spawns met, items whose template vanished,
 * and only affected players told. Each test edits the real pack with the builder API's own edits
 * (shared/content/edit.ts), so it follows whatever the pack holds.
 */
import { describe, expect, it } from "vitest";
import { ARCANE_REALMS_FILES } from "../content/arcane-realms";
import { type PackFile, putRoom, putSpawns, putTemplate, relativeFiles } from "../content/edit";
import type { ContentPack } from "../content/pack";
import { loadContentPack } from "../content/schema";
import { createRng } from "../sim/rng";
import type { Delivery, EngineSession, Outcome } from "../zone/engine";
import { MUD_KIND, MudEngine } from "./engine";
import { placeNpc } from "./world";

const ZONE = "start";
const base = relativeFiles(ARCANE_REALMS_FILES, "shared/content/arcane-realms");
const basePack = loadContentPack(base);
const entry = basePack.zones.find((z) => z.id === ZONE)?.entryRoom as string;
const stats = { summary: () => ({}) as never, reset: () => {} };
const rng = createRng(7);
let tick = 0;

const unwrap = <T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
};
const guest = (name: string): EngineSession => ({
  sessionId: `s-${name}`,
  playerId: `s-${name}`,
  name,
  gm: false,
});

/** The pack plus a shed east of the entry room (exit `shed` there, `out` back), holding `extra`. */
function withShed(files: PackFile[] = base, extra: Record<string, unknown> = {}): PackFile[] {
  const rooms = loadContentPack(files).zones.find((z) => z.id === ZONE)?.rooms ?? [];
  const square = rooms.find((r) => r.id === entry);
  const shed = { id: "builders-shed", name: "A builder's shed", description: "Fresh planks.", exits: { out: entry } };
  const added = unwrap(putRoom(files, ZONE, { ...shed, ...extra }));
  return unwrap(putRoom(added, ZONE, { ...square, exits: { ...square?.exits, shed: "builders-shed" } }, entry));
}

function engineWith(pack: ContentPack = basePack): MudEngine {
  const engine = MUD_KIND.create(ZONE, createRng(1), pack);
  if (!(engine instanceof MudEngine)) throw new Error("start is a MUD zone");
  return engine;
}

function run(engine: MudEngine, session: EngineSession, line: string): Delivery[] {
  engine.receive(session, { type: "command", line }, { tick, now: 0, stats });
  tick = engine.world.tick + 1;
  return engine.step({ tick, now: 0, rng }).out;
}

const reload = (engine: MudEngine, files: PackFile[]): Outcome => engine.reloadContent(loadContentPack(files));
const toPlayer = (out: readonly Delivery[], id: string) =>
  out.filter((d) => "players" in d.to && d.to.players.includes(id) && "message" in d);
const texts = (out: readonly Delivery[], id: string) =>
  toPlayer(out, id).map((d) => ("message" in d && "text" in d.message ? String(d.message.text) : ""));

describe("MudEngine.reloadContent", () => {
  it("takes the pack it is created with, and runs a room added live: a player walks into it", () => {
    const ada = guest("Ada");
    const engine = engineWith();
    engine.admit(ada);
    expect(engine.world.players[ada.playerId]?.roomId).toBe(entry);
    expect(texts(run(engine, ada, "go shed"), ada.playerId).join("\n")).not.toMatch(/A builder's shed/);

    const outcome = reload(engine, withShed());
    // Nobody was affected: nobody is told anything.
    expect(outcome.out).toEqual([]);
    expect(outcome.critical).toBe(true);
    const walked = run(engine, ada, "go shed");
    expect(engine.world.players[ada.playerId]?.roomId).toBe("builders-shed");
    expect(texts(walked, ada.playerId).join("\n")).toMatch(/A builder's shed/);

    const fresh = engineWith(loadContentPack(withShed()));
    expect(fresh.content.rooms["builders-shed"]).toBeDefined();
  });

  it("moves players standing in a removed room to the entry room; only they are told", () => {
    const [ada, bob] = [guest("Ada"), guest("Bob")];
    const engine = engineWith(loadContentPack(withShed()));
    engine.admit(ada);
    engine.admit(bob);
    run(engine, ada, "go shed");
    expect(engine.world.players[ada.playerId]?.roomId).toBe("builders-shed");

    const outcome = reload(engine, base);
    expect(engine.world.players[ada.playerId]?.roomId).toBe(entry);
    expect(outcome.changedPlayers).toEqual([ada.playerId]);
    expect(texts(outcome.out, ada.playerId).join("\n")).toMatch(/The place where you stood is gone/);
    expect(toPlayer(outcome.out, ada.playerId).some((d) => "message" in d && d.message.type === "room")).toBe(true);
    expect(toPlayer(outcome.out, bob.playerId)).toEqual([]);
  });

  it("meets each room's spawns: new ones spawned, extras and vanished ones removed", () => {
    const npc = basePack.npcs[0]?.id as string;
    const homed = (engine: MudEngine) =>
      Object.values(engine.world.npcs).filter((n) => n.homeRoomId === "builders-shed" && n.templateId === npc);
    const engine = engineWith();
    const before = Object.keys(engine.world.npcs).sort();
    const two = unwrap(putSpawns(withShed(), ZONE, "builders-shed", [{ npc, count: 2 }]));
    reload(engine, two);
    expect(homed(engine)).toHaveLength(2);
    expect(homed(engine).every((n) => n.roomId === "builders-shed" && n.respawnAtTick === null)).toBe(true);

    const [first] = homed(engine);
    reload(engine, unwrap(putSpawns(two, ZONE, "builders-shed", [{ npc, count: 1 }])));
    // The older one stays.
    expect(homed(engine).map((n) => n.id)).toEqual([first?.id]);

    reload(engine, base);
    expect(homed(engine)).toEqual([]);
    expect(Object.keys(engine.world.npcs).sort()).toEqual(before);
  });

  it("keeps NPCs a trigger or a GM spawned while their template and home remain, apart from the spawns it meets", () => {
    const npc = basePack.npcs[0]?.id as string;
    const template = basePack.npcs[0] as NonNullable<(typeof basePack.npcs)[0]>;
    const engine = engineWith(loadContentPack(withShed()));
    const summoned = placeNpc(engine.world, template, "builders-shed", 10, { summoned: true });
    const conjured = placeNpc(engine.world, template, entry, 10, { transient: true });
    // A spawn of the same template in the same room is met on its own: the summoned one is no part of it.
    reload(engine, unwrap(putSpawns(withShed(), ZONE, "builders-shed", [{ npc, count: 1 }])));
    const inShed = Object.values(engine.world.npcs).filter((n) => n.homeRoomId === "builders-shed");
    expect(inShed.map((n) => n.id)).toContain(summoned.id);
    expect(inShed).toHaveLength(2);
    expect(engine.world.npcs[conjured.id]).toBeDefined();
    // Their home gone (the shed removed), they go too; the conjured one in the square stays.
    reload(engine, base);
    expect(engine.world.npcs[summoned.id]).toBeUndefined();
    expect(engine.world.npcs[conjured.id]).toBeDefined();
  });

  it("a world saved under another pack is fitted to the one it restores with: no unknown template is left to fail a tick", () => {
    const template = basePack.npcs[0] as NonNullable<(typeof basePack.npcs)[0]>;
    const edited = unwrap(putTemplate(base, "npcs", { ...template, id: "review-ghost", name: "a ghost" }));
    const haunted = unwrap(putSpawns(edited, ZONE, entry, [{ npc: "review-ghost", count: 1 }]));
    const saved = engineWith(loadContentPack(haunted)).serialize();
    // As a zone whose stored pack no longer validates restores: with the bundled pack.
    const restored = MUD_KIND.restore(ZONE, saved, basePack);
    if (!restored.ok) throw new Error(restored.error);
    const engine = restored.value as MudEngine;
    expect(Object.values(engine.world.npcs).map((n) => n.templateId)).not.toContain("review-ghost");
    expect(engine.dirty).toBe(true);
    for (let t = 1; t <= 20; t++) engine.step({ tick: engine.world.tick + 1, now: 0, rng });
    // A world that matches its pack restores unchanged.
    const same = MUD_KIND.restore(ZONE, engineWith().serialize(), basePack);
    expect(same.ok && same.value.dirty).toBe(false);
  });

  it("places items a room gained; an item whose template vanished crumbles, and its holder alone is told", () => {
    const template = { ...(basePack.items.find((i) => i.type === "junk") ?? basePack.items[0]), id: "builders-hammer" };
    const withHammer = unwrap(putTemplate(base, "items", { ...template, name: "a builder's hammer" }));
    const placed = withShed(withHammer, { items: ["builders-hammer"] });
    const [ada, bob] = [guest("Ada"), guest("Bob")];
    const engine = engineWith(loadContentPack(withShed(withHammer)));
    engine.admit(ada);
    engine.admit(bob);
    reload(engine, placed);
    const hammers = () => Object.values(engine.world.items).filter((i) => i.templateId === "builders-hammer");
    expect(hammers().map((i) => i.location)).toEqual([{ kind: "room", roomId: "builders-shed" }]);
    // The same list again places nothing more.
    reload(engine, placed);
    expect(hammers()).toHaveLength(1);

    const hammer = hammers()[0];
    if (!hammer) throw new Error("no hammer");
    engine.world.items[hammer.id] = { ...hammer, location: { kind: "inventory", ownerId: ada.playerId } };
    const outcome = reload(engine, base);
    expect(hammers()).toEqual([]);
    expect(texts(outcome.out, ada.playerId)).toEqual([
      "A builder's hammer crumbles to dust: it no longer exists in this realm.",
    ]);
    expect(toPlayer(outcome.out, bob.playerId)).toEqual([]);
  });

  it("a pack without the zone changes nothing", () => {
    const engine = engineWith();
    const world = engine.world;
    const other = { ...basePack, zones: basePack.zones.filter((z) => z.id !== ZONE) };
    expect(engine.reloadContent(other)).toMatchObject({ out: [], critical: false });
    expect(engine.world).toBe(world);
  });
});
