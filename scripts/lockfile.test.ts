/** Guards `npm ci` on a fresh machine: every optional platform dependency has a lockfile entry. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

it("lists every optional dependency in package-lock.json (run `npm run lock:complete` if this fails)", () => {
  const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8")) as {
    packages: Record<string, { optionalDependencies?: Record<string, string> }>;
  };
  const missing: string[] = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      const nested = `${location ? `${location}/` : ""}node_modules/${name}`;
      if (!lock.packages[nested] && !lock.packages[`node_modules/${name}`]) missing.push(nested);
    }
  }
  expect(missing).toEqual([]);
});
