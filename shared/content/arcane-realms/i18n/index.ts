/**
 * The Arcane Realms pack's translations of its own content (docs/content.md, "Translating a
 * pack"): one overlay per language beside this file, validated against the pack when first read.
 */
import type { Language } from "../../../i18n/languages";
import { type ContentOverlay, validateOverlay } from "../../../i18n/overlay";
import { loadArcaneRealms } from "../index";
import es from "./es.json";

/** Each overlay file with its repository path, for the validation's messages. */
export const ARCANE_REALMS_OVERLAY_FILES: Partial<Record<Language, { path: string; data: unknown }>> = {
  es: { path: "shared/content/arcane-realms/i18n/es.json", data: es },
};

let loaded: Partial<Record<Language, ContentOverlay>> | undefined;

/**
 * The pack's overlays by language, read and checked once per isolate. Throws naming the file and
 * every problem when one does not fit the pack; the unit tests make sure none ships broken.
 */
export function loadArcaneRealmsOverlays(): Partial<Record<Language, ContentOverlay>> {
  if (loaded) return loaded;
  const pack = loadArcaneRealms();
  const overlays: Partial<Record<Language, ContentOverlay>> = {};
  for (const [language, file] of Object.entries(ARCANE_REALMS_OVERLAY_FILES)) {
    if (!file) continue;
    const read = validateOverlay(file.data, pack);
    if (!read.ok) throw new Error(`${file.path}: ${read.error.join("; ")}`);
    overlays[language as Language] = read.value;
  }
  loaded = overlays;
  return loaded;
}
