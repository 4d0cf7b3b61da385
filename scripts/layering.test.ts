/**
 * The layering rules of biome.json (docs/architecture.md): imports flow workers/ → durable/ →
 * shared/, shared/ stays free of the Workers runtime, and no runtime import cycles. Proved on a
 * scratch tree with the repository's own config, so a config edit that silently disables a rule
 * fails here even while the real tree happens to be clean.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIOME = join(process.cwd(), "node_modules", ".bin", "biome");
let root: string;
let findings: { path: string; category: string }[];

const files: Record<string, string> = {
  "shared/imports-durable.ts": 'import { Z } from "../durable/zone/zone";\nexport const a = Z;\n',
  "shared/imports-workers.ts": 'import { G } from "../workers/gateway/app";\nexport const b = G;\n',
  "shared/imports-runtime.ts": 'import { DurableObject } from "cloudflare:workers";\nexport const c = DurableObject;\n',
  "shared/imports-shared.ts": 'import { s } from "./plain";\nexport const d = s;\n',
  "shared/plain.ts": "export const s = 1;\n",
  "shared/cycle-a.ts": 'import { b } from "./cycle-b";\nexport const a = () => b();\n',
  "shared/cycle-b.ts": 'import { a } from "./cycle-a";\nexport const b = () => a;\n',
  "durable/zone/zone.ts": 'import { s } from "../../shared/plain";\nexport const Z = s;\n',
  "durable/imports-workers.ts": 'import { G } from "../workers/gateway/app";\nexport const e = G;\n',
  "workers/gateway/app.ts": 'import { Z } from "../../durable/zone/zone";\nexport const G = Z;\n',
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "leviathan-layering-"));
  const config = JSON.parse(readFileSync("biome.json", "utf8"));
  delete config.$schema; // points into this checkout's node_modules
  writeFileSync(join(root, "biome.json"), JSON.stringify(config));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  let output: string;
  try {
    output = execFileSync(BIOME, ["lint", "--reporter=json", "."], { cwd: root, encoding: "utf8", stdio: "pipe" });
  } catch (error) {
    output = (error as { stdout: string }).stdout; // exit code 1 when it finds errors
  }
  const report = JSON.parse(output) as { diagnostics: { category: string; location: { path: string } }[] };
  findings = report.diagnostics
    .filter((d) => d.category.startsWith("lint/"))
    .map((d) => ({ path: d.location.path, category: d.category }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const at = (path: string) => findings.filter((f) => f.path === path).map((f) => f.category);

describe("biome.json layering rules", () => {
  it("refuses shared/ importing durable/, workers/ or the Workers runtime", () => {
    for (const path of ["shared/imports-durable.ts", "shared/imports-workers.ts", "shared/imports-runtime.ts"]) {
      expect(at(path), path).toContain("lint/style/noRestrictedImports");
    }
  });

  it("refuses durable/ importing workers/", () => {
    expect(at("durable/imports-workers.ts")).toContain("lint/style/noRestrictedImports");
  });

  it("refuses an import cycle", () => {
    expect(at("shared/cycle-a.ts")).toContain("lint/suspicious/noImportCycles");
  });

  it("accepts imports that flow down", () => {
    for (const path of ["shared/imports-shared.ts", "durable/zone/zone.ts", "workers/gateway/app.ts"]) {
      expect(at(path), path).toEqual([]);
    }
  });
});
