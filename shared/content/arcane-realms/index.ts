/**
 * Arcane Realms, the starter content pack: the village of Lanternmere (zone `start`, where new
 * characters arrive), the Whispering Woods south of it, the Drowned Cellars under its well (zone
 * `well-depths`, entered as a private instance per party), and the Test Area, a field zone. The
 * content is JSON data beside this file; JSON imports work the same under vitest and when
 * wrangler/esbuild bundles the worker.
 */
import type { ContentPack } from "../pack";
import { loadContentPack } from "../schema";
import fieldEnemies from "./field-enemies.json";
import testArea from "./fields/test-area.json";
import items from "./items.json";
import loot from "./loot.json";
import npcs from "./npcs.json";
import pack from "./pack.json";
import start from "./zones/start.json";
import wellDepths from "./zones/well-depths.json";
import whisperingWoods from "./zones/whispering-woods.json";

const DIR = "shared/content/arcane-realms";

/** Every file of the pack with its repository path, as `validateContentPack` reads them. */
export const ARCANE_REALMS_FILES: { path: string; data: unknown }[] = [
  { path: `${DIR}/pack.json`, data: pack },
  { path: `${DIR}/items.json`, data: items },
  { path: `${DIR}/npcs.json`, data: npcs },
  { path: `${DIR}/loot.json`, data: loot },
  { path: `${DIR}/zones/start.json`, data: start },
  { path: `${DIR}/zones/whispering-woods.json`, data: whisperingWoods },
  { path: `${DIR}/zones/well-depths.json`, data: wellDepths },
  { path: `${DIR}/field-enemies.json`, data: fieldEnemies },
  { path: `${DIR}/fields/test-area.json`, data: testArea },
];

let loaded: ContentPack | undefined;

/**
 * The validated pack, parsed once per isolate. Throws ContentPackError listing every problem
 * (file, field path, fix) if the data is broken; the unit tests make sure it never ships broken.
 */
export function loadArcaneRealms(): ContentPack {
  loaded ??= loadContentPack(ARCANE_REALMS_FILES);
  return loaded;
}
