import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ARCANE_REALMS_FILES } from "../../shared/content/arcane-realms";
import { relativeFiles, stableJson } from "../../shared/content/edit";
import { validateContentPack } from "../../shared/content/schema";
import { parseOptions, readPackDir, stableJson as scriptJson, writePackDir } from "./content-files.mjs";

const bundled = relativeFiles(ARCANE_REALMS_FILES, "shared/content/arcane-realms");
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "leviathan-content-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("content pack folders", () => {
  it("write JSON exactly as the API's stableJson does", () => {
    for (const { data } of bundled) expect(scriptJson(data)).toBe(stableJson(data));
  });

  it("round-trip: a pack written to a folder reads back as the same files, which still validate", () => {
    const dir = tempDir();
    expect(writePackDir(dir, bundled).sort()).toEqual(bundled.map((f) => f.path).sort());
    const read = readPackDir(dir);
    const byPath = (files: { path: string }[]) => [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(byPath(read)).toEqual(byPath(bundled));
    // Key order too, which toEqual does not see: a room's exits are listed to players in it.
    expect(JSON.stringify(byPath(read))).toBe(JSON.stringify(byPath(bundled)));
    expect(validateContentPack(read).ok).toBe(true);
    // A second export of the same pack is byte for byte the same.
    const again = tempDir();
    writePackDir(again, read);
    for (const { path } of bundled) {
      expect(readFileSync(join(again, path), "utf8")).toBe(readFileSync(join(dir, path), "utf8"));
    }
  });

  it("reads the bundled pack's own folder without its translations", () => {
    const read = readPackDir("shared/content/arcane-realms");
    expect(read.map((f) => f.path).sort()).toEqual(bundled.map((f) => f.path).sort());
  });

  it("refuses a path outside the folder, a file that is no JSON, and unknown options", () => {
    const dir = tempDir();
    expect(() => writePackDir(dir, [{ path: "../escape.json", data: {} }])).toThrow(/outside/);
    writeFileSync(join(dir, "items.json"), "{ not json");
    expect(() => readPackDir(dir)).toThrow(/items\.json is not valid JSON/);
    expect(parseOptions(["--out", "x"], ["out"])).toEqual({ out: "x" });
    expect(() => parseOptions(["--bogus", "x"], ["out"])).toThrow(/--out/);
    expect(() => parseOptions(["--out"], ["out"])).toThrow();
  });
});
