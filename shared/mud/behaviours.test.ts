import { describe, expect, it } from "vitest";
import { createRng } from "../sim/rng";
import { askBehaviour, type BehaviourContext, NpcBehaviours } from "./behaviours";
import { Outbox } from "./events";
import { MudScenario } from "./testing";
import type { ZoneContent } from "./world";

/** The start zone with its well rats naming `behaviour`, and a behaviour "grab" that records its calls. */
function setup(behaviour: string) {
  const scenario = new MudScenario();
  const rat = scenario.content.npcs["well-rat"];
  if (!rat) throw new Error("the start zone has well rats");
  const content: ZoneContent = {
    ...scenario.content,
    npcs: { ...scenario.content.npcs, "well-rat": { ...rat, behaviour } },
  };
  const asked: string[] = [];
  const behaviours = new NpcBehaviours().register({ name: "grab", act: (_ctx, n) => asked.push(n.id) > 0 });
  /** The first rat of the world as it is now (joining copies the world). */
  const rat1 = () => {
    const npc = Object.values(scenario.world.npcs).find((n) => n.templateId === "well-rat");
    if (!npc) throw new Error("a rat spawned");
    return npc;
  };
  const ask = (registry: NpcBehaviours | "none" = behaviours) => {
    const ctx: BehaviourContext = { world: scenario.world, content, rng: createRng(1), tick: 1, out: new Outbox() };
    return askBehaviour(ctx, registry === "none" ? undefined : registry, rat1());
  };
  return { scenario, asked, rat1, ask };
}

describe("askBehaviour", () => {
  it("asks the named behaviour of a living NPC watched by an online player", () => {
    const { scenario, asked, rat1, ask } = setup("grab");
    scenario.join("alice", { roomId: "well-shaft" });
    expect(ask()).toBe(true);
    expect(asked).toEqual([rat1().id]);
  });

  it("does not ask with nobody in the room, for a dead NPC, or for a name this realm lacks", () => {
    const { scenario, asked, rat1, ask } = setup("grab");
    expect(ask()).toBe(false);
    scenario.join("alice", { roomId: "well-shaft" });
    expect(ask("none")).toBe(false);
    expect(ask(new NpcBehaviours())).toBe(false);
    rat1().respawnAtTick = 50;
    expect(ask()).toBe(false);
    const other = setup("vanish");
    other.scenario.join("bob", { roomId: "well-shaft" });
    expect(other.ask()).toBe(false);
    expect(asked).toEqual([]);
    expect(other.asked).toEqual([]);
  });

  it("refuses a name registered twice", () => {
    const registry = new NpcBehaviours().register({ name: "x", act: () => false });
    expect(() => registry.register({ name: "x", act: () => true })).toThrow(/"x" is registered twice/);
  });
});
