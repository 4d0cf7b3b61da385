import { describe, expect, it } from "vitest";
import { definePlugin, PluginError } from "./api";
import { INSTALLED, realmWith } from "./installed";
import { type InstalledPlugin, loadPlugins, readManifest } from "./loading";

const noop = (name: string, registers = false): InstalledPlugin => ({
  plugin: definePlugin({
    name,
    version: "1.0.0",
    setup: (r) => {
      if (registers) r.commands.register({ name: `${name}-cmd`, usage: name, help: "x", run: () => {} });
    },
  }),
  manifest: { name, version: "1.0.0", description: `The ${name} plugin.`, registries: ["commands"] },
});

function refusal(act: () => unknown): PluginError {
  try {
    act();
  } catch (error) {
    if (error instanceof PluginError) return error;
    throw error;
  }
  throw new Error("expected a PluginError");
}

describe("plugin manifests", () => {
  it("every installed plugin's plugin.json reads and agrees with its plugin", () => {
    expect(INSTALLED.length).toBeGreaterThan(0);
    for (const entry of INSTALLED) expect(readManifest(entry).name).toBe(entry.plugin.name);
  });

  it("refuses a manifest that is incomplete or disagrees with its plugin", () => {
    const entry = noop("tidy");
    const missing = refusal(() => readManifest({ ...entry, manifest: { name: "tidy", version: "1.0.0" } }));
    expect(missing).toMatchObject({ plugin: "tidy", code: "manifest" });
    expect(missing.message).toMatch(/plugin\.json description/);
    const wrong = refusal(() =>
      readManifest({ ...entry, manifest: { ...(entry.manifest as object), version: "2.0.0" } }),
    );
    expect(wrong.message).toMatch(/plugin\.json says version "2\.0\.0" but the plugin says "1\.0\.0"/);
    const unknown = refusal(() =>
      readManifest({ ...entry, manifest: { ...(entry.manifest as object), registries: ["sounds"] } }),
    );
    expect(unknown.message).toMatch(/registries\.0/);
  });

  it("refuses a plugin that registers on a registry its manifest does not list", () => {
    const sneaky: InstalledPlugin = {
      plugin: definePlugin({
        name: "sneaky",
        version: "1.0.0",
        setup: (r) => r.npcBehaviours.register({ name: "lurk", act: () => false }),
      }),
      manifest: {
        name: "sneaky",
        version: "1.0.0",
        description: "Says commands, adds behaviours.",
        registries: ["commands"],
      },
    };
    const error = refusal(() => loadPlugins([sneaky], ["sneaky"]));
    expect(error).toMatchObject({ plugin: "sneaky", code: "manifest" });
    expect(error.message).toMatch(/registers on npcBehaviours, which plugin\.json does not list/);
  });
});

describe("enabling plugins", () => {
  it("starts only the enabled ones, in the installed list's order whatever the setting's order", () => {
    const installed = [noop("alpha", true), noop("beta", true), noop("gamma", true)];
    const realm = loadPlugins(installed, ["gamma", "alpha"]);
    expect(realm.plugins).toEqual(["alpha", "gamma"]);
    expect(
      realm
        .commands()
        .list()
        .slice(-2)
        .map((c) => c.name),
    ).toEqual(["alpha-cmd", "gamma-cmd"]);
    expect(
      loadPlugins(installed, ["alpha", "gamma"])
        .commands()
        .list()
        .map((c) => c.name),
    ).toEqual(
      realm
        .commands()
        .list()
        .map((c) => c.name),
    );
  });

  it("refuses a setting that names a plugin not installed, listing those that are", () => {
    const error = refusal(() => realmWith(["lantern-festivl"]));
    expect(error).toMatchObject({ plugin: "lantern-festivl", code: "not_installed" });
    expect(error.message).toMatch(/PLUGINS names it, but it is not installed \(installed: lantern-festival\)/);
  });

  it("starts a realm once per set of names, whatever their order", () => {
    expect(realmWith(["lantern-festival"])).toBe(realmWith(["lantern-festival", "lantern-festival"]));
    expect(realmWith([])).not.toBe(realmWith(["lantern-festival"]));
  });

  it("every installed plugin starts, together, and names no behaviour the Arcane Realms content misuses", async () => {
    const { loadArcaneRealms } = await import("../content/arcane-realms");
    const all = realmWith(INSTALLED.map((e) => e.plugin.name));
    expect(all.plugins).toEqual(INSTALLED.map((e) => e.plugin.name));
    expect(all.checkBehaviours(loadArcaneRealms().npcs)).toEqual([]);
  });
});
