import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { CommandDefinition } from "../mud/commands/registry";
import { resolveSkill, type SkillRule } from "../rules/skills";
import type { ZoneKind } from "../zone/engine";
import { definePlugin, type PluginErrorCode, type PluginRealm } from "./api";
import { startRealm } from "./realm";

const command = (name: string): CommandDefinition => ({ name, usage: name, help: `Does ${name}.`, run: () => {} });
const plugin = (name: string, setup: (realm: PluginRealm) => void) => definePlugin({ name, version: "1.0.0", setup });

/** Runs `act` expecting a PluginError; returns its plugin, code and message. */
function refused(act: () => unknown): { plugin: string; code: PluginErrorCode; message: string } {
  try {
    act();
  } catch (error) {
    if (error instanceof Error && error.name === "PluginError") {
      const { plugin, code } = error as unknown as { plugin: string; code: PluginErrorCode };
      return { plugin, code, message: error.message };
    }
    throw error;
  }
  throw new Error("expected a PluginError");
}

describe("definePlugin", () => {
  it("accepts a name, a version and a setup", () => {
    const p = definePlugin({ name: "tidy", version: "2.1.0-beta.1", setup: () => {} });
    expect(p).toMatchObject({ name: "tidy", version: "2.1.0-beta.1" });
    expect(Object.isFrozen(p)).toBe(true);
  });

  it("refuses a bad name, version or setup with the fix", () => {
    expect(refused(() => definePlugin({ name: "Bad Name", version: "1.0.0", setup: () => {} }))).toMatchObject({
      code: "invalid",
      plugin: "Bad Name",
      message: expect.stringMatching(/name must be lower-case/),
    });
    expect(refused(() => definePlugin({ name: "ok", version: "1", setup: () => {} })).message).toMatch(
      /major\.minor\.patch/,
    );
    const noSetup = { name: "ok", version: "1.0.0" } as unknown as Parameters<typeof definePlugin>[0];
    expect(refused(() => definePlugin(noSetup)).message).toMatch(/plugin ok: setup must be a function/);
  });
});

describe("startRealm: commands", () => {
  it("adds plugins' commands after the built-ins, in plugin order, the same every time", () => {
    const plugins = [
      plugin("a", (r) => r.commands.register(command("juggle"))),
      plugin("b", (r) => r.commands.register(command("bow"))),
    ];
    const names = () =>
      startRealm(plugins)
        .commands()
        .list()
        .map((c) => c.name);
    expect(names().slice(-2)).toEqual(["juggle", "bow"]);
    expect(names()).toEqual(names());
    expect(startRealm([]).commands().find("juggle")).toBeUndefined();
  });

  it("refuses a word already taken, by the realm or by an earlier plugin", () => {
    expect(refused(() => startRealm([plugin("shadow", (r) => r.commands.register(command("look")))]))).toMatchObject({
      plugin: "shadow",
      code: "duplicate",
      message: expect.stringMatching(/command look: command word "look" is registered twice/),
    });
    const twice = [
      plugin("a", (r) => r.commands.register(command("juggle"))),
      plugin("b", (r) => r.commands.register(command("juggle"))),
    ];
    expect(refused(() => startRealm(twice))).toMatchObject({ plugin: "b", code: "duplicate" });
  });

  it("refuses a bad command definition, naming the field", () => {
    const bad = plugin("bad", (r) => r.commands.register({ ...command("Shout Loud") }));
    expect(refused(() => startRealm([bad]))).toMatchObject({
      code: "invalid",
      message: expect.stringMatching(/bad command: name:/),
    });
  });
});

describe("startRealm: the realm's life", () => {
  it("refuses a registration after the realm started", () => {
    let kept: PluginRealm | undefined;
    startRealm([
      plugin("late", (r) => {
        kept = r;
      }),
    ]);
    expect(refused(() => kept?.commands.register(command("later")))).toMatchObject({ plugin: "late", code: "closed" });
  });

  it("reports a setup that throws or is asynchronous", () => {
    const throws = plugin("boom", () => {
      throw new Error("no config");
    });
    expect(refused(() => startRealm([throws]))).toMatchObject({
      code: "setup_failed",
      message: expect.stringMatching(/boom: setup threw: no config/),
    });
    const later = definePlugin({ name: "later", version: "1.0.0", setup: (async () => {}) as unknown as () => void });
    expect(refused(() => startRealm([later]))).toMatchObject({
      code: "setup_failed",
      message: expect.stringMatching(/synchronous/),
    });
  });

  it("refuses a plugin loaded twice", () => {
    const p = plugin("once", () => {});
    expect(refused(() => startRealm([p, p]))).toMatchObject({ plugin: "once", code: "duplicate" });
  });

  it("records which registries each plugin touched", () => {
    const realm = startRealm([
      plugin("t", (r) => {
        r.commands.register(command("tap"));
        r.effects.register("tapped", {
          name: "Tapped",
          kind: "hot",
          duration_ticks: 10,
          interval_ticks: 5,
          magnitude: 1,
        });
      }),
    ]);
    expect([...(realm.touched.get("t") ?? [])]).toEqual(["commands", "effects"]);
  });
});

describe("startRealm: skills, effects, behaviours, zone kinds, triggers", () => {
  const skill: SkillRule = {
    id: "spark-test",
    name: "Spark",
    aliases: ["spk"],
    classes: ["mage"],
    description: "A small spark.",
    shape: "bolt",
    manaCost: 2,
    cooldownMs: 500,
    castMs: 0,
    range: 300,
    scaling: "spell",
    amount: 3,
    powerFactor: 1,
    speed: 500,
    mud: { damage: { min: 1, max: 2 } },
  };

  it("puts a plugin's skill into the rulebook once the realm starts, and again without complaint", () => {
    const sparks = plugin("sparks", (r) => r.skills.register(skill));
    expect(resolveSkill("spk")).toBeUndefined();
    expect(startRealm([sparks]).skills.map((s) => s.id)).toEqual(["spark-test"]);
    expect(resolveSkill("spk")?.id).toBe("spark-test");
    expect(startRealm([sparks]).skills).toHaveLength(1);
    const copy = plugin("copycat", (r) => r.skills.register({ ...skill, id: "other", aliases: ["mm"] }));
    expect(refused(() => startRealm([copy]))).toMatchObject({
      code: "duplicate",
      message: expect.stringMatching(/"mm" already names skill magic-missile/),
    });
    expect(
      refused(() =>
        startRealm([
          plugin("odd", (r) => r.skills.register({ ...skill, id: "odd", aliases: [], shape: "ring" as "bolt" })),
        ]),
      ),
    ).toMatchObject({ code: "invalid", message: expect.stringMatching(/shape/) });
  });

  it("shares named effect templates with later plugins, checked as content effects", () => {
    const glow = {
      name: "Glow",
      kind: "buff" as const,
      stat: "int" as const,
      magnitude: 1,
      duration_ticks: 50,
      interval_ticks: 1,
    };
    let seen: unknown;
    const realm = startRealm([
      plugin("a", (r) => r.effects.register("glow", glow)),
      plugin("b", (r) => {
        seen = r.effects.get("glow");
      }),
    ]);
    expect(seen).toEqual(glow);
    expect(realm.effect("glow")).toEqual(glow);
    expect(
      refused(() => startRealm([plugin("c", (r) => r.effects.register("glow", { ...glow, stat: undefined }))])),
    ).toMatchObject({
      code: "invalid",
      message: expect.stringMatching(/bad effect glow: stat: a buff changes a stat/),
    });
    expect(
      refused(() =>
        startRealm([
          plugin("a", (r) => r.effects.register("glow", glow)),
          plugin("d", (r) => r.effects.register("glow", glow)),
        ]),
      ),
    ).toMatchObject({ plugin: "d", code: "duplicate" });
  });

  it("registers NPC behaviours and checks content's behaviour names against them", () => {
    const realm = startRealm([plugin("shy", (r) => r.npcBehaviours.register({ name: "shy", act: () => false }))]);
    expect(realm.behaviours.names()).toEqual(["shy"]);
    const npc = (id: string, behaviour?: string) =>
      ({ id, ...(behaviour ? { behaviour } : {}) }) as Parameters<typeof realm.checkBehaviours>[0][number];
    expect(realm.checkBehaviours([npc("rat"), npc("mouse", "shy")])).toEqual([]);
    expect(realm.checkBehaviours([npc("owl", "shyy")])).toEqual([
      'NPC owl names behaviour "shyy", which no enabled plugin registers (known: shy): enable its plugin or remove the field',
    ]);
    expect(
      refused(() =>
        startRealm([
          plugin("x", (r) => r.npcBehaviours.register({ name: "shy", act: () => false })),
          plugin("y", (r) => r.npcBehaviours.register({ name: "shy", act: () => false })),
        ]),
      ),
    ).toMatchObject({ plugin: "y", code: "duplicate" });
  });

  it("asks a plugin's zone kind after the field and MUD kinds, and refuses a taken kind name", () => {
    const voxel: ZoneKind = {
      name: "voxel",
      stateName: "voxel_world",
      claims: (id) => id.startsWith("vox-"),
      create: () => {
        throw new Error("not in this test");
      },
      restore: () => ({ ok: false, error: "not in this test" }),
    };
    const kinds = startRealm([plugin("vox", (r) => r.zoneKinds.register(voxel))]).zoneKinds();
    expect(kinds.names()).toEqual(["field", "mud", "voxel"]);
    expect(kinds.kindOf("vox-1~2").name).toBe("voxel");
    expect(kinds.kindOf("start").name).toBe("mud");
    expect(
      refused(() => startRealm([plugin("m", (r) => r.zoneKinds.register({ ...voxel, name: "mud" }))])),
    ).toMatchObject({ code: "duplicate" });
  });

  it("extends a copy of the built-in triggers, never the shared one", () => {
    const always = { type: "always-test", summary: "holds", fields: { note: z.string().optional() }, test: () => true };
    const realm = startRealm([plugin("cond", (r) => r.triggers.condition(always))]);
    expect(realm.triggers.conditionOf({ type: "always-test" })).toBeDefined();
    expect(startRealm([]).triggers.conditionOf({ type: "always-test" })).toBeUndefined();
    expect(
      refused(() =>
        startRealm([
          plugin("dup", (r) =>
            r.triggers.action({ type: "message", summary: "x", fields: {}, whileEmpty: false, run: () => {} }),
          ),
        ]),
      ),
    ).toMatchObject({ code: "duplicate", message: expect.stringMatching(/"message" is registered twice/) });
    expect(
      refused(() =>
        startRealm([
          plugin("half", (r) => r.triggers.action({ type: "half", summary: "x", fields: {}, run: () => {} } as never)),
        ]),
      ),
    ).toMatchObject({ code: "invalid", message: expect.stringMatching(/whileEmpty/) });
  });
});
