import { describe, expect, it } from "vitest";
import { ARCANE_REALMS_FILES, loadArcaneRealms } from "./arcane-realms";
import {
  checkZoneSet,
  deleteRoom,
  deleteTemplate,
  getRoom,
  getTemplate,
  listRooms,
  listTemplates,
  type PackFile,
  packCounts,
  putRoom,
  putSpawns,
  putTemplate,
  relativeFiles,
  stableJson,
} from "./edit";
import { loadContentPack, validateContentPack } from "./schema";

const files = relativeFiles(ARCANE_REALMS_FILES, "shared/content/arcane-realms");
const unwrap = <T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
};
const problems = (edited: PackFile[]) => {
  const result = validateContentPack(edited);
  return result.ok ? [] : result.error;
};
/** A room east of the village square with the way back, as a builder would send it. */
const shed = {
  id: "builders-shed",
  name: "A builder's shed",
  description: "Fresh planks.",
  exits: { out: "village-square" },
};

describe("pack edits", () => {
  it("makes paths relative to the pack's folder, and the built-in pack still validates", () => {
    expect(files.map((f) => f.path)).toContain("zones/start.json");
    expect(files.every((f) => !f.path.startsWith("shared/"))).toBe(true);
    expect(problems(files)).toEqual([]);
  });

  it("adds a room with an exit from an existing room and back; the pack validates and gains the room", () => {
    const square = unwrap(getRoom(files, "start", "village-square")) as { exits: Record<string, string> };
    const withShed = unwrap(putRoom(files, "start", shed));
    const linked = unwrap(
      putRoom(withShed, "start", { ...square, exits: { ...square.exits, shed: "builders-shed" } }, "village-square"),
    );
    const pack = loadContentPack(linked);
    expect(pack.zones.find((z) => z.id === "start")?.rooms.map((r) => r.id)).toContain("builders-shed");
    // The files it was given are untouched.
    expect(listRooms(files, "start")?.some((r) => (r as { id: string }).id === "builders-shed")).toBe(false);
  });

  it("a room without a way back is refused by validation, naming the file, field and fix", () => {
    const oneSided = unwrap(putRoom(files, "start", shed));
    const found = problems(oneSided);
    expect(found).toContainEqual(
      expect.objectContaining({ file: "zones/start.json", path: expect.stringMatching(/exits\.out$/) }),
    );
    expect(found.map((p) => p.message).join("\n")).toMatch(/no exit back/);
  });

  it("passes unknown room fields to the schema rather than dropping them", () => {
    const odd = unwrap(putRoom(files, "start", { ...shed, colour: "blue" }));
    expect(problems(odd).some((p) => p.path.endsWith("colour") || p.message.includes("colour"))).toBe(true);
  });

  it("refuses a duplicate room (409), an unknown zone or room (404), a renamed id (400)", () => {
    expect(putRoom(files, "start", { ...shed, id: "village-square" })).toMatchObject({
      ok: false,
      error: { status: 409, code: "exists" },
    });
    expect(putRoom(files, "nowhere", shed)).toMatchObject({ ok: false, error: { status: 404, field: "zoneId" } });
    expect(putRoom(files, "test-area", shed)).toMatchObject({ ok: false, error: { status: 404 } });
    expect(putRoom(files, "start", { ...shed, id: "moon" }, "moon")).toMatchObject({
      ok: false,
      error: { status: 404, field: "roomId" },
    });
    expect(putRoom(files, "start", { ...shed, id: "other" }, "village-square")).toMatchObject({
      ok: false,
      error: { status: 400, field: "id" },
    });
    expect(putRoom(files, "start", "a room")).toMatchObject({ ok: false, error: { status: 400 } });
    expect(putRoom(files, "start", { name: "no id" })).toMatchObject({
      ok: false,
      error: { status: 400, field: "id" },
    });
  });

  it("deleting the entry room, or a room others lead into, is refused by validation", () => {
    const pack = loadArcaneRealms();
    const start = pack.zones.find((z) => z.id === "start");
    const entry = start?.entryRoom as string;
    const found = problems(unwrap(deleteRoom(files, "start", entry)));
    expect(found.some((p) => p.path === "entryRoom")).toBe(true);
    expect(found.some((p) => /leads nowhere/.test(p.message))).toBe(true);
    expect(deleteRoom(files, "start", "moon")).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it("deleting an item a room places, or an NPC a spawn uses, is refused by validation", () => {
    const pack = loadArcaneRealms();
    const placed = pack.zones.flatMap((z) => z.rooms.flatMap((r) => r.items))[0] as string;
    const spawned = pack.zones.flatMap((z) => z.rooms.flatMap((r) => r.spawns.map((s) => s.npc)))[0] as string;
    expect(problems(unwrap(deleteTemplate(files, "items", placed))).length).toBeGreaterThan(0);
    expect(problems(unwrap(deleteTemplate(files, "npcs", spawned))).length).toBeGreaterThan(0);
    expect(deleteTemplate(files, "items", "no-such-item")).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it("adds, replaces and reads templates in the file that holds them", () => {
    const pack = loadArcaneRealms();
    const template = pack.items[0] as { id: string; name: string };
    const renamed = unwrap(putTemplate(files, "items", { ...template, name: "a renamed thing" }, template.id));
    expect(unwrap(getTemplate(renamed, "items", template.id))).toMatchObject({ name: "a renamed thing" });
    expect(listTemplates(renamed, "items")).toHaveLength(pack.items.length);
    const added = unwrap(putTemplate(files, "items", { ...template, id: "brand-new-thing" }));
    expect(listTemplates(added, "items")).toHaveLength(pack.items.length + 1);
    expect(problems(added)).toEqual([]);
    expect(putTemplate(files, "items", template)).toMatchObject({ ok: false, error: { status: 409 } });
    expect(putTemplate(files, "npcs", { id: "no-such-npc" }, "no-such-npc")).toMatchObject({
      ok: false,
      error: { status: 404 },
    });
  });

  it("replaces a room's spawns; a spawn of an unknown NPC is a validation problem", () => {
    const pack = loadArcaneRealms();
    const npc = pack.npcs[0]?.id as string;
    const spawned = unwrap(putSpawns(files, "start", "village-square", [{ npc, count: 2 }]));
    expect(unwrap(getRoom(spawned, "start", "village-square"))).toMatchObject({ spawns: [{ npc, count: 2 }] });
    expect(problems(spawned)).toEqual([]);
    const bad = unwrap(putSpawns(files, "start", "village-square", [{ npc: "ghost-of-nobody", count: 1 }]));
    expect(
      problems(bad)
        .map((p) => p.message)
        .join("\n"),
    ).toMatch(/ghost-of-nobody/);
  });

  it("keeps the deployment's zones: a missing or added zone is a problem", () => {
    const pack = loadArcaneRealms();
    expect(checkZoneSet(pack, pack)).toEqual([]);
    const fewer = { ...pack, zones: pack.zones.filter((z) => z.id !== "start") };
    expect(checkZoneSet(fewer, pack)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/start is missing/) }),
    ]);
    expect(checkZoneSet(pack, fewer)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/start is not one/) }),
    ]);
  });

  it("counts the pack, and writes JSON with two-space indentation, keys in the order they were written", () => {
    const counts = packCounts(loadArcaneRealms());
    expect(counts.zones).toBeGreaterThan(0);
    expect(counts.rooms).toBeGreaterThan(counts.zones);
    // Exits keep their order: it is the order players see them in.
    expect(stableJson({ id: "i", exits: { north: "a", east: "b", down: "c" } })).toBe(
      '{\n  "id": "i",\n  "exits": {\n    "north": "a",\n    "east": "b",\n    "down": "c"\n  }\n}\n',
    );
  });
});
