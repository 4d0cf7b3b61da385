import { describe, expect, it } from "vitest";
import { SKELETON_ENTRIES } from "./confusables";
import { nameField } from "./name-schema";
import {
  CHARACTER_NAME_RULE,
  checkName,
  looksAlike,
  MAX_RAW_NAME_LENGTH,
  nameSkeleton,
  normalizeName,
  USERNAME_RULE,
} from "./names";

const character = (raw: string) => checkName(raw, CHARACTER_NAME_RULE);
const problem = (raw: string) => {
  const checked = character(raw);
  return checked.ok ? "accepted" : checked.error.problem;
};

describe("the JavaScript engine", () => {
  it("knows the Unicode properties the rules are written in", () => {
    const ignorable = /^\p{Default_Ignorable_Code_Point}$/u;
    for (const c of ["\u3164", "\u115F", "\u1160", "\uFFA0", "\u200B", "\u2060", "\uFEFF", "\u00AD", "\uFE0F"]) {
      expect(ignorable.test(c), c.codePointAt(0)?.toString(16)).toBe(true);
    }
    expect(/^\p{Cf}$/u.test("\u202E")).toBe(true);
    expect(/^\p{Script_Extensions=Latin}$/u.test("e")).toBe(true);
    expect(/^\p{Script_Extensions=Latin}$/u.test("\u0435")).toBe(false);
  });
});

describe("normalizeName", () => {
  it("turns fullwidth letters into plain ones (NFKC)", () => {
    expect(normalizeName("Ｍｅｒｌｉｎ")).toBe("Merlin");
    expect(character("Ｍｅｒｌｉｎ")).toEqual({ ok: true, value: "Merlin" });
  });

  it("collapses runs of spaces, including no-break and ideographic ones, and trims the ends", () => {
    expect(normalizeName("  Sir   Lancelot  ")).toBe("Sir Lancelot");
    expect(normalizeName("Sir\u00A0\u3000Lancelot")).toBe("Sir Lancelot");
    expect(character("Sir  Lancelot")).toEqual({ ok: true, value: "Sir Lancelot" });
  });

  it("composes a letter and its combining accent into one character", () => {
    expect(normalizeName("Zoe\u0308")).toBe("Zoë");
  });
});

describe("checkName for characters and guests", () => {
  it("accepts Latin names with accents, digits, spaces, _ and -", () => {
    for (const name of ["Merlin", "Zoë", "Nguyễn Văn", "Łucja_2", "Anne-Marie", "Ø"]) {
      expect(character(name), name).toEqual({ ok: true, value: name });
    }
  });

  it("refuses a name of Hangul fillers, which renders as nothing", () => {
    expect(character("\u3164\u3164\u3164")).toEqual({
      ok: false,
      error: { problem: "invisible", message: "no invisible or layout characters: U+3164" },
    });
    for (const filler of ["\u115F", "\u1160", "\uFFA0"]) expect(problem(`A${filler}`)).toBe("invisible");
  });

  it("refuses zero-width characters, joiners, word joiners, the BOM and the soft hyphen", () => {
    for (const c of [
      "\u200B",
      "\u200C",
      "\u200D",
      "\u200E",
      "\u200F",
      "\u2060",
      "\u2061",
      "\u2064",
      "\uFEFF",
      "\u00AD",
    ]) {
      expect(problem(`Mer${c}lin`), c.codePointAt(0)?.toString(16)).toBe("invisible");
    }
  });

  it("refuses bidirectional overrides and isolates (U+202E would show the name reversed)", () => {
    for (const c of ["\u202E", "\u202D", "\u2066", "\u2069", "\u061C"]) expect(problem(`${c}Merlin`)).toBe("invisible");
  });

  it("refuses variation selectors, tag characters and private use", () => {
    for (const c of ["\uFE0F", "\u{E0100}", "\u{E0041}", "\u{E007F}", "\uE000"])
      expect(problem(`Merlin${c}`)).toBe("invisible");
  });

  it("refuses control characters, line separators and lone surrogates", () => {
    for (const c of ["\t", "\n", "\u0000", "\u007F", "\u0085", "\u2028", "\uD800"]) {
      expect(["control", "invisible"]).toContain(problem(`Mer${c}lin`));
    }
  });

  it("refuses a name that mixes scripts, such as a Cyrillic е in Merlin", () => {
    expect(character("M\u0435rlin")).toEqual({
      ok: false,
      error: { problem: "mixed_script", message: 'mixes Latin with Cyrillic: "е" (U+0435)' },
    });
    expect(problem("M\u03BFrgana")).toBe("mixed_script"); // Greek omicron
  });

  it("refuses letters of other scripts, even alone (the skeleton table covers Latin only)", () => {
    expect(problem("Сора")).toBe("script");
    expect(problem("Ἄλφα")).toBe("script");
    expect(problem("魔法使い")).toBe("script");
  });

  it("refuses combining marks without a letter, and piles of them", () => {
    expect(problem("\u0301\u0301\u0301")).toBe("marks");
    expect(problem("- \u0301")).toBe("marks");
    expect(problem("a\u0301\u0302\u0303\u0304")).toBe("marks");
    expect(problem("Ngu\u0065\u0323\u0302n")).toBe("accepted"); // ệ: two marks are fine
  });

  it("refuses symbols, punctuation and digits other than 0-9", () => {
    for (const name of ["Mer.lin", "Merlin!", "★Merlin", "Merlin٣", "Me\u2010rlin"])
      expect(problem(name)).toBe("character");
  });

  it("counts length in code points, both as sent (ends trimmed) and normalized", () => {
    expect(problem("")).toBe("length");
    expect(problem("    ")).toBe("length");
    expect(problem("a".repeat(24))).toBe("accepted");
    expect(problem("a".repeat(25))).toBe("length");
    expect(problem("\u{1D400}".repeat(24))).toBe("accepted"); // mathematical bold A, NFKC to A
    expect(problem(" ".repeat(MAX_RAW_NAME_LENGTH + 1))).toBe("length");
    // Too long as sent is too long, even where normalization would shorten it.
    expect(problem("e\u0301".repeat(12))).toBe("accepted");
    expect(problem("e\u0301".repeat(13))).toBe("length");
    expect(problem(`${"a".repeat(12)}${" ".repeat(14)}b`)).toBe("length");
  });
});

describe("checkName for usernames", () => {
  it("keeps usernames to 3–24 ASCII letters, digits, _ and -, after NFKC", () => {
    expect(checkName("ada_lovelace-1", USERNAME_RULE)).toEqual({ ok: true, value: "ada_lovelace-1" });
    expect(checkName("ａｄａ", USERNAME_RULE)).toEqual({ ok: true, value: "ada" });
    for (const bad of ["ab", "zoë", "two words", "ad\u200Bmin", "\u0430dmin"]) {
      expect(checkName(bad, USERNAME_RULE).ok, bad).toBe(false);
    }
  });
});

describe("nameSkeleton", () => {
  it("gives Merlin, its Cyrillic-е twin, MERLIN, MerIin, Merl1n and the fullwidth form one skeleton", () => {
    const merlin = nameSkeleton("Merlin");
    for (const twin of ["M\u0435rlin", "MERLIN", "merlin", "MerIin", "Merl1n", "Ｍｅｒｌｉｎ", "Merlln"]) {
      expect(nameSkeleton(twin), twin).toBe(merlin);
    }
  });

  it("folds rn into m, 0 into O, 1 and I into l, whatever the case (usernames admin and adrnin)", () => {
    expect(looksAlike("admin", "adrnin")).toBe(true);
    expect(looksAlike("ADMIN", "adrnin")).toBe(true);
    expect(looksAlike("Oscar", "0scar")).toBe(true);
    expect(looksAlike("Iris", "lris")).toBe(true);
  });

  it("catches whole-script look-alikes and Greek letters (what validation refuses, the database still folds)", () => {
    expect(looksAlike("Сора", "Copa")).toBe(true); // all Cyrillic
    expect(looksAlike("\u0391\u0392\u0395", "ABE")).toBe(true); // Greek capitals
  });

  it("keeps names that differ visibly apart", () => {
    const pairs: [string, string][] = [
      ["Merlin", "Marlin"],
      ["Zoe", "Zoë"],
      ["Sir Lancelot", "SirLancelot"],
      ["Ann_Marie", "Ann-Marie"],
      ["Nina", "Vina"],
    ];
    for (const [a, b] of pairs) {
      expect(looksAlike(a, b), `${a} / ${b}`).toBe(false);
    }
  });

  it("normalizes first, so spacing and width do not make a different name", () => {
    expect(nameSkeleton("  Sir   Lancelot ")).toBe(nameSkeleton("Sir Lancelot"));
  });

  it("is stable: the skeleton of a skeleton is itself, for every table entry", () => {
    for (const entry of SKELETON_ENTRIES.split(" ")) {
      const [source = ""] = entry.split(">");
      const skeleton = nameSkeleton(String.fromCodePoint(Number.parseInt(source, 16)));
      expect(nameSkeleton(skeleton), entry).toBe(skeleton);
    }
  });
});

describe("nameField", () => {
  it("outputs the normalized name and reports a refusal as one issue with the reason", () => {
    const field = nameField(CHARACTER_NAME_RULE);
    expect(field.parse(" Ｍｅｒｌｉｎ ")).toBe("Merlin");
    const refused = field.safeParse("\u3164\u3164\u3164");
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.message)).toEqual(["no invisible or layout characters: U+3164"]);
  });
});
