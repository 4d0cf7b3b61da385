/**
 * The language a player reads the world in, as the SDK offers it: the realm's supported languages
 * with the name each one calls itself, a check of the tag `hello` will carry (docs/protocol.md,
 * `hello`'s `language`), and a pick from a browser's preferred languages.
 */
import { LANGUAGES, type Language, SOURCE_LANGUAGE } from "../../shared/i18n/languages";

export { LANGUAGES, type Language, SOURCE_LANGUAGE };

/**
 * A language tag for `hello`: one the realm speaks (`"en"`, `"es"`, offered by completion), or any
 * other well-formed tag such as `"es-MX"` or `"fr"` (the realm answers in the closest language it
 * has, English when it has none).
 */
export type LanguageTag = Language | (string & {});

/**
 * Each supported language under its own name, for a picker: a player looks for "Español", not
 * "Spanish". Keyed by every language, so adding one to the realm without a name here fails the
 * type check.
 */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: "English", es: "Español" };

/**
 * The tag shape the realm accepts (docs/protocol.md, `hello`): 2–3 letters, then `-` or `_`
 * subtags of 1–8 letters or digits, 35 characters at most. Checked here so a bad tag is refused
 * before any socket opens, instead of by the zone as an `invalid` error after connecting; the SDK's
 * tests hold it to the protocol's own schema.
 */
const TAG = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/;
const MAX_TAG_LENGTH = 35;

/** A language option that is not a language tag: thrown by the SDK before anything is sent. */
export class InvalidLanguageError extends TypeError {
  constructor(readonly value: unknown) {
    super(
      `not a language tag: ${JSON.stringify(value) ?? String(value)} (expected one such as "en", "es" or "es-MX"; the realm speaks ${LANGUAGES.join(", ")})`,
    );
    this.name = "InvalidLanguageError";
  }
}

/** `value` when it is a tag the realm accepts in `hello`; throws InvalidLanguageError otherwise. */
export function checkLanguageTag(value: unknown): LanguageTag {
  if (typeof value !== "string" || value.length > MAX_TAG_LENGTH || !TAG.test(value))
    throw new InvalidLanguageError(value);
  return value;
}

/** True for a language the realm has a catalogue for (exactly its code, as a picker stores it). */
export function isSupportedLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The first of a browser's preferred languages (`navigator.languages`, most wanted first) that the
 * realm speaks, `es-MX` counting as `es`; English when it speaks none of them.
 */
export function preferredLanguage(wanted: readonly string[]): Language {
  for (const tag of wanted) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
    if (isSupportedLanguage(primary)) return primary;
  }
  return SOURCE_LANGUAGE;
}
