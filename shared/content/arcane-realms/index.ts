/**
 * Arcane Realms, the starter content pack. MUD zones: the village of Lanternmere (zone `start`,
 * where new characters arrive), the Proving Grounds beside its south gate (`tutorial`, a lesson a
 * room), the Whispering Woods south of it, the Hollow Hills beyond the woods' standing stones
 * (`hollow-hills`, generated from a recorded seed by shared/content/generate/), and two dungeons
 * entered as a private instance per party: the Drowned Cellars under the village well
 * (`well-depths`) and the Barrow of the Sleeping Thane at the far end of the hills
 * (`sleeper-barrow`). Field zones: the Test Area, through the portal by the Lantern Tower, and the
 * Gorse Downs below the hills. Two factions, the Lantern Watch and the Briar Band, and a quest for
 * each MUD zone, the tutorial's "first steps" among them. The content is JSON data beside this
 * file; JSON imports work the same under vitest and when wrangler/esbuild bundles the worker.
 */
import type { ContentPack } from "../pack";
import { loadContentPack } from "../schema";
import factions from "./factions.json";
import downsEnemies from "./field-enemies/gorse-downs.json";
import fieldEnemies from "./field-enemies.json";
import gorseDowns from "./fields/gorse-downs.json";
import testArea from "./fields/test-area.json";
import items from "./items.json";
import loot from "./loot.json";
import npcs from "./npcs.json";
import pack from "./pack.json";
import quests from "./quests.json";
import hollowHills from "./zones/hollow-hills.json";
import sleeperBarrow from "./zones/sleeper-barrow.json";
import start from "./zones/start.json";
import tutorial from "./zones/tutorial.json";
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
  { path: `${DIR}/zones/tutorial.json`, data: tutorial },
  { path: `${DIR}/zones/hollow-hills.json`, data: hollowHills },
  { path: `${DIR}/zones/sleeper-barrow.json`, data: sleeperBarrow },
  { path: `${DIR}/factions.json`, data: factions },
  { path: `${DIR}/quests.json`, data: quests },
  { path: `${DIR}/field-enemies/gorse-downs.json`, data: downsEnemies },
  { path: `${DIR}/fields/gorse-downs.json`, data: gorseDowns },
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
