/** The zone profiles `npm run content:generate -- --zone <id>` knows, by zone id. */
import { HOLLOW_HILLS } from "./hollow-hills";
import type { ZoneProfile } from "./zone";

export const PROFILES: Readonly<Record<string, ZoneProfile>> = { [HOLLOW_HILLS.id]: HOLLOW_HILLS };
