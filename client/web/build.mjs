#!/usr/bin/env node
/**
 * Builds the web client into client/web/dist: one ES module bundle (esbuild) plus the page and
 * its stylesheet. The gateway serves this folder as static assets, on Cloudflare (wrangler.toml
 * [assets]) and under plain workerd (selfhost/config.mjs binds it as ASSETS), so both serve the
 * same build. `--watch` rebuilds on change. Why esbuild and not Vite: docs/decisions.md D30.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist");

/** @type {import("esbuild").BuildOptions} */
const options = {
  entryPoints: { app: join(here, "src/main.ts"), style: join(here, "src/style.css") },
  outdir: out,
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: true,
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
};

export async function buildWeb() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await esbuild.build(options);
  cpSync(join(here, "index.html"), join(out, "index.html"));
  // Cloudflare's asset layer reads _headers; under workerd the gateway sets the same headers itself.
  const headers = JSON.parse(readFileSync(join(here, "../../shared/net/page-headers.json"), "utf8"));
  const lines = Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`);
  writeFileSync(join(out, "_headers"), `/*\n${lines.join("\n")}\n`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  if (process.argv.includes("--watch")) {
    await buildWeb();
    const context = await esbuild.context(options);
    await context.watch();
    console.log(`web client: watching client/web/src, writing ${out}`);
  } else {
    await buildWeb();
    console.log(`web client built into client/web/dist in ${Math.round(performance.now() - started)} ms`);
  }
}
