/**
 * `npm run load -- <scenario.json> [--target URL] [--out DIR]` (bench/load/README.md): runs a load
 * scenario against a realm, shows a progress bar on stderr, and writes report.md, report.json and
 * three SVG plots into the output folder; stdout gets the markdown and one JSON line.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { renderJson, renderMarkdown, renderPlots } from "./report";
import { type Progress, runLoad } from "./run";
import { loadScenario } from "./scenario";

const USAGE = `npm run load -- <scenario.json> [--target http://127.0.0.1:8787] [--out DIR]

  <scenario.json>  stages, behaviours and settings (bench/load/scenarios/*.json; bench/load/README.md)
  --target URL     the realm's gateway (default: the scenario's "target")
  --out DIR        where report.md, report.json and the plots go
                   (default bench/load/reports/<scenario>-<time>)`;

function bar(p: Progress): string {
  const width = 24;
  const filled = Math.round((Math.min(p.t, p.total) / p.total) * width);
  const rtt = p.rttP99Ms === null ? "—" : `${p.rttP99Ms} ms`;
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${p.t}/${p.total} s  players ${p.online}/${p.target} (+${p.joining} joining)  rtt p99 ${rtt}  errors ${p.errors}`;
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { target: { type: "string" }, out: { type: "string" }, help: { type: "boolean" } },
    });
  } catch (error) {
    console.error(`load: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!file || extra.length) {
    console.error(`load: give exactly one scenario file\n${USAGE}`);
    return 2;
  }
  let scenario: ReturnType<typeof loadScenario>;
  try {
    scenario = loadScenario(file);
  } catch (error) {
    console.error(`load: ${(error as Error).message}`);
    return 2;
  }
  const target = String(parsed.values.target ?? scenario.target).replace(/\/+$/, "");
  const health = await fetch(`${target}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  if (!health?.ok) {
    console.error(`load: ${target}/healthz does not answer: start the realm first (npm start, npm run selfhost)`);
    return 1;
  }
  const out = resolve(
    String(
      parsed.values.out ??
        join("bench/load/reports", `${scenario.name}-${new Date().toISOString().replace(/[:.]/g, "-")}`),
    ),
  );
  const tty = process.stderr.isTTY;
  console.error(`load: ${scenario.name} against ${target}, report in ${out}`);
  const result = await runLoad(scenario, {
    target,
    // A live bar on a terminal; a line every 5 s in a log.
    progress: (p) => {
      if (tty) process.stderr.write(`\r${bar(p)}`);
      else if (p.t % 5 === 0 || p.t === p.total) console.error(bar(p));
    },
  });
  if (tty) process.stderr.write("\n");
  mkdirSync(out, { recursive: true });
  const markdown = renderMarkdown(result);
  writeFileSync(join(out, "report.md"), markdown);
  writeFileSync(join(out, "report.json"), renderJson(result));
  for (const [name, svg] of Object.entries(renderPlots(result))) writeFileSync(join(out, name), svg);
  console.log(markdown);
  console.log(JSON.stringify(result));
  // A run that never got one player in is broken; a soak that found growth fails; the rest is a result.
  if (result.connects.succeeded === 0) return 1;
  if (result.soak && !result.soak.passed) {
    console.error(`load: the soak failed: ${result.soak.failures.join("; ")}`);
    return 3;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`load: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
