/**
 * Loading installed plugins (docs/plugins.md): each installed plugin brings its manifest
 * (`plugin.json`), checked against the plugin it describes; the realm's `PLUGINS` setting picks
 * which run. Enabled plugins start in the installed list's order, never the setting's, so two
 * realms enabling the same plugins build the same registries.
 */
import { z } from "zod";
import { PLUGIN_NAME_PATTERN, PLUGIN_VERSION_PATTERN, type Plugin, PluginError, REGISTRIES } from "./api";
import { type Realm, startRealm } from "./realm";

/** A plugin's `plugin.json`. */
export const PluginManifestSchema = z.strictObject({
  name: z.string().regex(PLUGIN_NAME_PATTERN, 'lower-case letters, digits and "-", e.g. "lantern-festival"'),
  version: z.string().regex(PLUGIN_VERSION_PATTERN, 'a version "major.minor.patch", e.g. "1.0.0"'),
  description: z.string().min(1).max(300),
  /** Every registry its setup touches; touching one not listed refuses the plugin. */
  registries: z.array(z.enum(REGISTRIES)).min(1, "list the registries the plugin registers on"),
});
export type PluginManifest = z.infer<typeof PluginManifestSchema>;

/** One entry of the installed list: the plugin and its manifest as the bundle holds it. */
export interface InstalledPlugin {
  plugin: Plugin;
  manifest: unknown;
}

/** A manifest that reads and agrees with its plugin's name and version; else a `PluginError` (`manifest`). */
export function readManifest(entry: InstalledPlugin): PluginManifest {
  const { plugin } = entry;
  const read = PluginManifestSchema.safeParse(entry.manifest);
  if (!read.success) {
    const issue = read.error.issues[0];
    const field = issue?.path.join(".") || "plugin.json";
    throw new PluginError(plugin.name, "manifest", `plugin.json ${field}: ${issue?.message}`, { cause: read.error });
  }
  const manifest = read.data;
  for (const field of ["name", "version"] as const) {
    if (manifest[field] !== plugin[field]) {
      throw new PluginError(
        plugin.name,
        "manifest",
        `plugin.json says ${field} "${manifest[field]}" but the plugin says "${plugin[field]}": make them agree`,
      );
    }
  }
  return manifest;
}

/**
 * Starts a realm with the installed plugins `enabled` names: every manifest is checked, a name not
 * installed is refused, and a plugin that registers on a registry its manifest does not list is
 * refused.
 */
export function loadPlugins(installed: readonly InstalledPlugin[], enabled: readonly string[]): Realm {
  const manifests = new Map(installed.map((entry) => [entry.plugin.name, readManifest(entry)]));
  for (const name of enabled) {
    if (!manifests.has(name)) {
      const known = [...manifests.keys()].join(", ") || "none";
      throw new PluginError(name, "not_installed", `PLUGINS names it, but it is not installed (installed: ${known})`);
    }
  }
  const wanted = new Set(enabled);
  const realm = startRealm(installed.filter((entry) => wanted.has(entry.plugin.name)).map((entry) => entry.plugin));
  for (const [name, used] of realm.touched) {
    const declared = manifests.get(name)?.registries ?? [];
    const undeclared = [...used].filter((registry) => !declared.includes(registry));
    if (undeclared.length) {
      throw new PluginError(
        name,
        "manifest",
        `registers on ${undeclared.join(", ")}, which plugin.json does not list in "registries": add them`,
      );
    }
  }
  return realm;
}
