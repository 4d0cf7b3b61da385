import { describe, expect, it } from "vitest";
import { languageOf } from "./languages";
import { capital, contentText, english, joined, listOf, renderParam, t, translate } from "./translate";

describe("translate", () => {
  it("fills named parameters in the player's language", () => {
    expect(translate("en", "room.arrive", { name: "Ada" })).toBe("Ada arrives.");
    expect(translate("es", "room.arrive", { name: "Ada" })).toBe("Ada llega.");
    expect(translate("en", "cast.noMana", { cost: 5, skill: "Fireball", mp: 2 })).toBe(
      "You need 5 mana for Fireball; you have 2.",
    );
  });

  it("falls back to English for a key the language lacks, and for a language without a catalogue", () => {
    // item.notUsing has no Spanish entry (es.ts is partial on purpose).
    expect(translate("es", "item.notUsing")).toBe("You aren't using that.");
    expect(translate("fr", "room.arrive", { name: "Ada" })).toBe("Ada arrives.");
  });

  it("shows an unknown key as itself and a missing parameter as its placeholder, rather than failing", () => {
    expect(translate("es", "no.such.key")).toBe("no.such.key");
    expect(translate("en", "room.arrive")).toBe("{name} arrives.");
  });

  it("renders nested messages, lists, capitals and content with each language's overlay", () => {
    const sword = contentText("items", "rusted-shortsword", "name", "a rusted shortsword");
    const mug = contentText("items", "cracked-mug", "name", "a cracked clay mug");
    const overlay = { items: { "rusted-shortsword": { name: "una espada corta oxidada" } } };
    const seen = t("room.items", { items: listOf([sword, mug, "a rat tail"]) });
    expect(english(seen)).toBe("You see: a rusted shortsword, a cracked clay mug and a rat tail.");
    expect(renderParam("es", seen, overlay)).toBe("Ves: una espada corta oxidada, a cracked clay mug y a rat tail.");
    expect(renderParam("es", capital(sword), overlay)).toBe("Una espada corta oxidada");
    expect(renderParam("en", joined([t("room.arrive", { name: "Bo" }), 7], "\n"))).toBe("Bo arrives.\n7");
    expect(english(listOf([]))).toBe("");
    expect(english(listOf(["one"]))).toBe("one");
  });
});

describe("languageOf", () => {
  it("takes the primary subtag of a supported language and English for anything else", () => {
    expect(languageOf("es")).toBe("es");
    expect(languageOf("ES-mx")).toBe("es");
    expect(languageOf("es_AR")).toBe("es");
    expect(languageOf("fr")).toBe("en");
    expect(languageOf("")).toBe("en");
    expect(languageOf(undefined)).toBe("en");
  });
});
