/**
 * The languages a player may choose (docs/content.md, "Translating a pack"). English is the
 * source language: every text exists in it, and it is what anything untranslated falls back to.
 */

/** Languages with a catalogue, English first. */
export const LANGUAGES = ["en", "es"] as const;

export type Language = (typeof LANGUAGES)[number];

/** The language everything is written in first, and the fallback for anything missing. */
export const SOURCE_LANGUAGE: Language = "en";

const isLanguage = (tag: string): tag is Language => (LANGUAGES as readonly string[]).includes(tag);

/**
 * The supported language a client's tag asks for: `es`, `es-MX` and `ES` all mean Spanish (the
 * primary subtag decides); a language without a catalogue, or no tag at all, means English. Never
 * refuses: a client asking for a language the realm does not speak yet still plays, in English.
 */
export function languageOf(tag: string | undefined): Language {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return isLanguage(primary) ? primary : SOURCE_LANGUAGE;
}
