import { describe, expect, it } from "vitest";
import { parseClientFrame } from "../../shared/protocol/parse";
import { helloFrame } from "./frames";
import {
  checkLanguageTag,
  InvalidLanguageError,
  LANGUAGE_NAMES,
  LANGUAGES,
  preferredLanguage,
  SOURCE_LANGUAGE,
} from "./language";

/** Well-formed tags, tags the realm has no catalogue for, and malformed ones of every kind. */
const SAMPLES: unknown[] = [
  "en",
  "es",
  "ES",
  "es-MX",
  "es_419",
  "zh-Hant-TW",
  "fr",
  "ast",
  "",
  "e",
  "español",
  "es MX",
  "es-",
  "-es",
  "es-toolongsubtag",
  "abcd",
  `es${"-ab".repeat(12)}`,
  "x".repeat(40),
  7,
  null,
  {},
];

describe("checkLanguageTag", () => {
  it("accepts exactly the tags the realm's own hello parser accepts", () => {
    for (const sample of SAMPLES) {
      const realm = parseClientFrame(JSON.stringify({ type: "hello", protocol: 2, language: sample }));
      let sdk: boolean;
      try {
        checkLanguageTag(sample);
        sdk = true;
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidLanguageError);
        sdk = false;
      }
      expect({ sample, accepted: sdk }).toEqual({ sample, accepted: realm.ok });
    }
  });

  it("returns a good tag unchanged and names the bad value and the realm's languages in its error", () => {
    expect(checkLanguageTag("es-MX")).toBe("es-MX");
    expect(() => checkLanguageTag("Español")).toThrow(/not a language tag: "Español".*en, es/);
    expect(() => checkLanguageTag(undefined)).toThrow(InvalidLanguageError);
  });
});

describe("LANGUAGE_NAMES", () => {
  it("names every supported language by its own name, English first", () => {
    expect(Object.keys(LANGUAGE_NAMES)).toEqual([...LANGUAGES]);
    expect(LANGUAGE_NAMES.en).toBe("English");
    expect(LANGUAGE_NAMES.es).toBe("Español");
  });
});

describe("preferredLanguage", () => {
  it("takes the first browser language the realm speaks, by its primary subtag", () => {
    expect(preferredLanguage(["es-MX", "en-US"])).toBe("es");
    expect(preferredLanguage(["fr-FR", "ES", "en"])).toBe("es");
    expect(preferredLanguage(["en-GB", "es"])).toBe("en");
  });

  it("falls back to English when the realm speaks none of them", () => {
    expect(preferredLanguage(["fr", "de-CH"])).toBe(SOURCE_LANGUAGE);
    expect(preferredLanguage([])).toBe("en");
  });
});

describe("helloFrame", () => {
  it("carries the language when given, and the realm parses it", () => {
    const hello = parseClientFrame(helloFrame({ language: "es" }));
    expect(hello).toMatchObject({ ok: true, value: { type: "hello", language: "es" } });
  });

  it("sends only the fields asked for", () => {
    expect(JSON.parse(helloFrame({}))).toEqual({ type: "hello", protocol: expect.any(Number) });
    expect(JSON.parse(helloFrame({ name: "Ada", snapshots: "binary" }))).not.toHaveProperty("snapshots");
    expect(JSON.parse(helloFrame({ name: "Ada", snapshots: "json", language: "es-MX" }))).toMatchObject({
      name: "Ada",
      snapshots: "json",
      language: "es-MX",
    });
  });
});
