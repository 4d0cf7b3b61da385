/**
 * The load run's final report (bench/load/README.md): markdown for people, JSON for tools and for
 * comparing runs, and SVG plots of the time series. Pure functions of a LoadResult, so the same run
 * always renders the same files and the report can be tested without running a load.
 */
import type { LoadResult, NodeFigures, Percentiles } from "./result";
import { linePlot } from "./svg";

/** The plot files the report links to, relative to the markdown beside them. */
export const PLOT_FILES = ["players.svg", "rtt-p99.svg", "tick-p99.svg"] as const;

export type PlotFile = (typeof PLOT_FILES)[number];

/** What is shown where a figure was not measured. */
const NONE = "—";

/** Milliseconds and rates: a decimal only where it is a visible share of the value (under 10). */
export function formatMs(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NONE;
  return Math.abs(value) < 10 ? value.toFixed(1) : String(Math.round(value));
}

/** A share as a percentage with one decimal; "—" when the whole is 0 rather than a NaN. */
export function formatPercent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : NONE;
}

const fixed1 = (value: number | null): string => (value === null || !Number.isFinite(value) ? NONE : value.toFixed(1));

/** Bytes as MB of 2^20 bytes, the unit `ps` and `/proc` readers usually mean. */
const megabytes = (bytes: number | null): string => (bytes === null ? NONE : fixed1(bytes / 2 ** 20));

/** Keeps a `|` in a name or code from splitting a markdown table cell. */
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

const row = (cells: string[]): string => `| ${cells.join(" | ")} |`;

/** Percentiles as "a / b / c ms", or "—" for all of them when nothing was measured. */
function percentiles(p: Percentiles, keys: ("p50" | "p95" | "p99" | "max")[]): string {
  if (p.count === 0) return NONE;
  return `${keys.map((k) => formatMs(p[k])).join(" / ")} ms (n = ${p.count})`;
}

/** Count descending, then name, so equal counts still render in a stable order. */
function byCount(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
}

function behaviourMix(behaviours: Record<string, number>): string {
  const entries = byCount(behaviours);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (!entries.length) return NONE;
  return entries.map(([name, n]) => `${cell(name)} ${n} (${formatPercent(n, total)})`).join(", ");
}

function nodeRow(node: NodeFigures): string {
  return row([
    cell(node.name),
    node.source,
    fixed1(node.cpuSeconds),
    fixed1(node.cpuPercent),
    megabytes(node.rssBytes),
    megabytes(node.peakRssBytes),
  ]);
}

/** The soak verdict's section, when the scenario asked for one. */
function soakLines(result: LoadResult): string[] {
  const soak = result.soak;
  if (!soak) return [];
  const growth = (value: number | null, unit: string) => (value === null ? "—" : `${value} ${unit}/h`);
  return [
    "",
    `## Soak: ${soak.passed ? "passed" : "FAILED"}`,
    "",
    `Fitted over seconds ${soak.fromSecond}–${soak.toSecond}: memory ${growth(soak.rssMbPerHour, "MB")}, ` +
      `descriptors ${growth(soak.fdsPerHour, "")}, queued work ${growth(soak.queuedPerHour, "")}.`,
    ...soak.failures.map((failure) => `- ${failure}`),
  ];
}

/** The run as a short markdown report: headline figures, errors, server processes, and links to the plots. */
export function renderMarkdown(result: LoadResult): string {
  const { connects, messages } = result;
  const errors = byCount(result.errors);
  const lines = [
    `# Load run \`${result.scenario}\` against ${result.target}, started ${result.startedAt}, ` +
      `${result.durationSeconds} s, peak ${result.peakTarget} players`,
    "",
    row(["Figure", "Value"]),
    row(["---", "---"]),
    row([
      "Connect success",
      `${connects.succeeded}/${connects.attempted} (${formatPercent(connects.succeeded, connects.attempted)})`,
    ]),
    row(["RTT p50 / p95 / p99 / max", percentiles(result.rttMs, ["p50", "p95", "p99", "max"])]),
    row([
      "Ping p50 / p99 (the floor: no game logic)",
      result.pingMs ? percentiles(result.pingMs, ["p50", "p99"]) : "—",
    ]),
    row(["Join p50 / p99", percentiles(result.joinMs, ["p50", "p99"])]),
    row(["Hand-off p50 / p99", percentiles(result.handoffMs, ["p50", "p99"])]),
    row([
      "Messages sent / received per second",
      `${formatMs(messages.sentPerSecond)} / ${formatMs(messages.receivedPerSecond)}`,
    ]),
    row(["Behaviours", behaviourMix(result.behaviours)]),
    row([
      "Generator lag p99, worst second",
      result.generatorLagP99Ms === undefined
        ? "—"
        : `${formatMs(result.generatorLagP99Ms)} ms${result.generatorLagP99Ms > 50 ? " (the generator was a limit: its RTTs include its own delay)" : ""}`,
    ]),
    "",
    "## Errors by code",
    "",
    ...(errors.length
      ? [row(["Code", "Count"]), row(["---", "---:"]), ...errors.map(([code, n]) => row([cell(code), String(n)]))]
      : ["none"]),
    "",
    "## Server processes",
    "",
    ...(result.nodes.length
      ? [
          row(["Name", "Source", "CPU s", "CPU % of a core", "RSS MB", "Peak RSS MB"]),
          row(["---", "---", "---:", "---:", "---:", "---:"]),
          ...result.nodes.map(nodeRow),
        ]
      : ["none"]),
    ...soakLines(result),
    "",
    "## Plots",
    "",
    `- [Players connected and targeted](${PLOT_FILES[0]})`,
    `- [RTT p99](${PLOT_FILES[1]})`,
    `- [Tick p99 of the slowest zone](${PLOT_FILES[2]})`,
  ];
  return `${lines.join("\n")}\n`;
}

/** The three plots of the run's per-second samples, keyed by the file names the markdown links to. */
export function renderPlots(result: LoadResult): Record<PlotFile, string> {
  const { samples } = result;
  const xLabel = "time (s)";
  return {
    "players.svg": linePlot({
      title: `Players: ${result.scenario}`,
      xLabel,
      yLabel: "players",
      series: [
        { name: "connected", points: samples.map((s) => ({ x: s.t, y: s.players })) },
        // Dashed: it is what the stages asked for, the line the measured one is read against.
        { name: "target", points: samples.map((s) => ({ x: s.t, y: s.target })), dashed: true },
      ],
    }),
    "rtt-p99.svg": linePlot({
      title: `RTT p99: ${result.scenario}`,
      xLabel,
      yLabel: "ms",
      series: [{ name: "RTT p99", points: samples.map((s) => ({ x: s.t, y: s.rttP99Ms })) }],
    }),
    "tick-p99.svg": linePlot({
      title: `Tick p99 (slowest zone): ${result.scenario}`,
      xLabel,
      yLabel: "ms",
      series: [{ name: "tick p99", points: samples.map((s) => ({ x: s.t, y: s.tickP99Ms })) }],
    }),
  };
}

/** The run as indented JSON, newline-terminated, for tools and for comparing runs. */
export function renderJson(result: LoadResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
