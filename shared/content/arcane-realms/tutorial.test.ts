/**
 * A new character plays through the Proving Grounds on the real pack and the real engine: talks
 * to the drillmaster, picks up and wields, fights a dummy, pulls the lever that opens the last gate
 * and reports to the sergeant, finishing the "first steps" quest with its rewards.
 */
import { describe, expect, it } from "vitest";
import { npcStats } from "../../mud/actors";
import { defaultCommands } from "../../mud/commands";
import { joinPlayer, stepWorld } from "../../mud/step";
import { createWorld, exitStateOf, type MudWorld, zoneContent } from "../../mud/world";
import { CLASSES } from "../../rules/classes";
import { derivedPools } from "../../rules/stats";
import { createRng } from "../../sim/rng";
import { loadArcaneRealms } from ".";

function tutorial() {
  const content = zoneContent(loadArcaneRealms(), "tutorial");
  if (!content) throw new Error("no tutorial zone");
  const commands = defaultCommands();
  const rng = createRng(7);
  let world: MudWorld = createWorld(content, (t) => npcStats(t).maxHp, createRng(1));
  const attributes = { ...(CLASSES.warrior?.base as MudWorld["players"][string]["attributes"]) };
  const pools = derivedPools(attributes, 1);
  world = joinPlayer(world, content, {
    id: "ada",
    name: "Ada",
    classId: "warrior",
    attributes,
    level: 1,
    xp: 0,
    ...pools,
    hp: pools.maxHp,
    mp: pools.maxMp,
  }).world;
  let tick = 0;
  const type = (line: string) => {
    tick += 1;
    world = stepWorld(world, [{ playerId: "ada", line }], { tick, rng, content, commands }).world;
  };
  const idle = () => type("");
  return {
    content,
    type,
    idle,
    get world() {
      return world;
    },
    get ada() {
      return world.players.ada as MudWorld["players"][string];
    },
    carried: (template: string) =>
      Object.values(world.items).some(
        (i) =>
          i.templateId === template &&
          (i.location.kind === "inventory" || i.location.kind === "equipped") &&
          i.location.ownerId === "ada",
      ),
  };
}

describe("the Proving Grounds, played through", () => {
  it("takes a new warrior from the gate to the waymark and finishes First Steps", () => {
    const t = tutorial();
    expect(t.ada.roomId).toBe("proving-gate");
    t.type("talk orla");
    expect(t.ada.quests?.["first-steps"]).toMatchObject({ step: 0 });

    t.type("north");
    t.type("get chalk");
    // The chalk is handed over as the step completes; the walk to the kit store is the next step.
    expect(t.carried("chalk-stub")).toBe(false);
    t.type("east");
    expect(t.ada.quests?.["first-steps"]).toMatchObject({ step: 2 });
    t.type("get sword");
    t.type("get vest");
    t.type("north");
    t.type("wield sword");
    t.type("wear vest");
    expect(t.carried("practice-sword") && t.carried("padded-vest")).toBe(true);
    t.type("east");
    t.type("attack dummy");
    for (let i = 0; i < 400 && (t.ada.quests?.["first-steps"]?.step ?? 0) < 3; i++) t.idle();
    expect(t.ada.quests?.["first-steps"]).toMatchObject({ step: 3 });
    expect(t.ada.hp).toBeGreaterThan(0);

    t.type("north");
    t.type("east");
    expect(t.ada.roomId).toBe("spell-circle");
    t.type("north");
    expect(t.ada.roomId).toBe("spell-circle"); // the last gate is shut
    const circle = t.content.rooms["spell-circle"];
    if (!circle) throw new Error("no spell-circle");
    t.type("pull lever");
    expect(exitStateOf(t.world, circle, "north")).toBe("open");
    t.type("north");
    expect(t.ada.roomId).toBe("waymark");
    expect(exitStateOf(t.world, circle, "north")).toBe("locked"); // it swings shut behind
    expect(t.ada.quests?.["first-steps"]).toMatchObject({ step: 4 });

    t.type("talk pell");
    expect(t.ada.quests?.["first-steps"]?.done).toBe(true);
    expect(t.carried("watch-token")).toBe(true);
    expect(t.ada.xp).toBeGreaterThanOrEqual(100);
    expect(t.ada.reputation?.["lantern-watch"]).toBe(50);
  });
});
