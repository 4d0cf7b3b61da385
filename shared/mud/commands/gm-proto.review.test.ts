import { describe, expect, it } from "vitest";
import { MudScenario, texts } from "../testing";

function scene() {
  const s = new MudScenario();
  s.join("gm", { name: "Greta" });
  s.join("bob");
  s.gms.add("gm");
  s.clear();
  return s;
}

describe("GM commands with Object.prototype names", () => {
  it("goto constructor is refused, the GM stays in a real room", () => {
    const s = scene();
    let seen: unknown;
    let thrown: unknown;
    try { seen = s.type("gm", "goto constructor"); } catch (e) { thrown = e; }
    console.log("goto thrown:", String(thrown), "room:", s.player("gm").roomId, JSON.stringify(seen)?.slice(0, 300));
    expect(thrown).toBeUndefined();
    expect(s.player("gm").roomId).toBe("village-square");
  });
  it("gmgive bob toString makes no item", () => {
    const s = scene();
    const before = Object.keys(s.world.items).length;
    let thrown: unknown;
    try { s.type("gm", "gmgive bob toString"); } catch (e) { thrown = e; }
    console.log("gmgive thrown:", String(thrown), Object.values(s.world.items).filter((i) => i.templateId === "toString"));
    let thrown2: unknown;
    try { console.log(texts(s.type("bob", "inventory").bob)); } catch (e) { thrown2 = e; }
    console.log("inventory thrown:", String(thrown2));
    expect(thrown).toBeUndefined();
    expect(Object.keys(s.world.items).length).toBe(before);
  });
  it("spawn constructor makes no NPC", () => {
    const s = scene();
    const before = Object.keys(s.world.npcs).length;
    let thrown: unknown;
    try { s.type("gm", "spawn constructor"); } catch (e) { thrown = e; }
    console.log("spawn thrown:", String(thrown));
    let thrown2: unknown;
    try { s.type("bob", "look"); s.tick?.(); } catch (e) { thrown2 = e; }
    console.log("look thrown:", String(thrown2));
    expect(thrown).toBeUndefined();
    expect(Object.keys(s.world.npcs).length).toBe(before);
  });
  it("despawn __proto__", () => {
    const s = scene();
    let thrown: unknown;
    try { s.type("gm", "despawn __proto__"); } catch (e) { thrown = e; }
    console.log("despawn thrown:", String(thrown));
    expect(thrown).toBeUndefined();
  });
});
