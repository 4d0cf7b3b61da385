/**
 * Keeps the catalogues honest: every key the code emits exists in English, and every Spanish
 * template uses exactly the parameters of its English one (a translation that drops `{name}` would
 * silently lose the name; one that adds a parameter would show a placeholder).
 */
import { describe, expect, it } from "vitest";
import { EN } from "./catalogue";
import { CATALOGUES } from "./catalogues";
import { paramNames } from "./translate";

// shared/ type-checks against the Workers types only: Node's fs comes through an untyped import
// (the unit project runs on Node), as in shared/protocol/docs.test.ts.
type Fs = {
  readFileSync(path: URL, encoding: "utf8"): string;
  readdirSync(path: URL, options: { recursive: true }): string[];
};
const NODE_FS: string = "node:fs";
const fs = (await import(/* @vite-ignore */ NODE_FS)) as Fs;

const ROOTS = ["../", "../../durable/"].map((dir) => new URL(dir, import.meta.url));

/** Every `t("key"` in the runtime code of shared/ and durable/ (tests excluded). */
function keysUsedInCode(): { key: string; file: string }[] {
  const used: { key: string; file: string }[] = [];
  for (const root of ROOTS) {
    for (const file of fs.readdirSync(root, { recursive: true })) {
      if (!file.endsWith(".ts") || file.endsWith(".test.ts") || file.includes("node_modules")) continue;
      const source = fs.readFileSync(new URL(file, root), "utf8");
      for (const match of source.matchAll(/\bt\(\s*"([^"]+)"/g)) used.push({ key: match[1] as string, file });
    }
  }
  return used;
}

const sorted = (names: string[]) => [...names].sort();

describe("message catalogues", () => {
  it("has an English text for every key the code uses", () => {
    const used = keysUsedInCode();
    // The scan must see the conversions, or this test would pass on nothing.
    expect(used.map((u) => u.key)).toContain("item.get.self");
    expect(used.filter(({ key }) => !(key in EN))).toEqual([]);
  });

  it("gives every translation exactly the parameters of its English template", () => {
    for (const [language, catalogue] of Object.entries(CATALOGUES)) {
      for (const [key, template] of Object.entries(catalogue)) {
        expect(key in EN, `${language}: ${key} is not an English key`).toBe(true);
        const english = EN[key as keyof typeof EN];
        expect(sorted(paramNames(template as string)), `${language}: ${key}`).toEqual(sorted(paramNames(english)));
      }
    }
  });

  it("keeps Spanish partial but real", () => {
    const es = Object.keys(CATALOGUES.es);
    expect(es.length).toBeGreaterThan(10);
    expect(es.length).toBeLessThan(Object.keys(EN).length);
  });
});
