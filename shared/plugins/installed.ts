/**
 * The realm's installed plugins, bundled with the worker (docs/plugins.md). Installing one is a line
 * here: its folder's default export and its `plugin.json`. Order matters and is fixed: enabled
 * plugins start in this order, which decides the order of their commands and kinds.
 */
import lanternFestival from "./lantern-festival";
import lanternFestivalManifest from "./lantern-festival/plugin.json";
import { type InstalledPlugin, loadPlugins } from "./loading";
import type { Realm } from "./realm";

export const INSTALLED: readonly InstalledPlugin[] = [{ plugin: lanternFestival, manifest: lanternFestivalManifest }];

const started = new Map<string, Realm>();

/**
 * The realm with the installed plugins `enabled` names (the `PLUGINS` setting, read by
 * shared/config.ts), started once per isolate for each set; throws a `PluginError` for a name not
 * installed or a plugin that is refused.
 */
export function realmWith(enabled: readonly string[]): Realm {
  const key = [...new Set(enabled)].sort().join(",");
  let realm = started.get(key);
  if (!realm) {
    realm = loadPlugins(INSTALLED, enabled);
    started.set(key, realm);
  }
  return realm;
}
