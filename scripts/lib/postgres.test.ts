import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { reachableDataDir } from "./postgres.mjs";

const asRoot = process.getuid?.() === 0;
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("reachableDataDir", () => {
  it.skipIf(!asRoot)(
    "as root under a private folder: links the data directory to where the data went, and warns",
    () => {
      const home = mkdtempSync(join(tmpdir(), "lev-private-")); // mkdtemp makes it 0700: user postgres cannot enter
      made.push(home);
      const wanted = join(home, "data", "pg", "postgres");
      const lines: string[] = [];
      const actual = reachableDataDir(wanted, (line: string) => lines.push(line));
      made.push(actual);
      expect(actual).toMatch(/^\/var\/tmp\/leviathan-pg-[0-9a-f]{12}$/);
      expect(lstatSync(wanted).isSymbolicLink()).toBe(true);
      expect(readlinkSync(wanted)).toBe(actual);
      expect(lines.join("\n")).toMatch(/WARNING.*NOT under the data directory/);
      expect(lines.join("\n")).toContain(actual);
      // Asking again (a restart) finds the link in place and says the same.
      expect(reachableDataDir(wanted, () => {})).toBe(actual);
      expect(readlinkSync(wanted)).toBe(actual);
    },
  );

  it.skipIf(!asRoot)("never replaces a data directory that already holds files", () => {
    const home = mkdtempSync(join(tmpdir(), "lev-private-"));
    made.push(home);
    const wanted = join(home, "pg");
    mkdirSync(wanted);
    writeFileSync(join(wanted, "PG_VERSION"), "15\n");
    const actual = reachableDataDir(wanted, () => {});
    made.push(actual);
    expect(lstatSync(wanted).isDirectory()).toBe(true);
    expect(existsSync(join(wanted, "PG_VERSION"))).toBe(true);
  });

  it("keeps a reachable data directory where it was asked for", () => {
    const open = mkdtempSync(join(tmpdir(), "lev-open-"));
    made.push(open);
    // A world-traversable parent: the server (as postgres, or as ourselves) can reach it.
    chmodSync(open, 0o755);
    expect(reachableDataDir(join(open, "pg"), () => {})).toBe(join(open, "pg"));
  });
});
