/**
 * A small line-plot renderer for the load report's charts: standalone SVG 1.1 text, no dependencies,
 * so a report folder opens in any browser and diffs cleanly between runs. Pure: same options, same string.
 */

/** One point of a series; a null `y` (nothing measured then) breaks the line instead of dropping to 0. */
export interface PlotPoint {
  x: number;
  y: number | null;
}

export interface PlotSeries {
  name: string;
  points: PlotPoint[];
  /** Drawn dashed, e.g. a target the measured series is read against. */
  dashed?: boolean;
}

export interface LinePlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  width?: number;
  height?: number;
}

/** Fixed, so a series keeps its colour from one run's report to the next. */
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Escapes the five XML special characters, for text content and attribute values alike. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Coordinates to at most one decimal: finer than a pixel only bloats the file. */
const r = (v: number): string => String(Math.round(v * 10) / 10);

/**
 * Ticks for an axis covering [min, max]: 4–6 values at a 1, 2 or 5 × 10^n step, from a multiple of
 * the step at or below `min` to one at or above `max`. Steps are tried from small to large and the first
 * with at most 5 intervals wins; as each step is at most 2.5× the last, that one still has at least 3
 * intervals (4 ticks) when `min` is 0, as on the plots' axes. An empty span is widened to [min, min + 1]
 * so the axis still has a scale; non-finite bounds give [0, 1] rather than an endless search.
 */
export function niceTicks(min: number, max: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const hi = max > min ? max : min + 1;
  const span = hi - min;
  let exponent = Math.floor(Math.log10(span / 5));
  for (;;) {
    for (const mantissa of [1, 2, 5]) {
      const step = mantissa * 10 ** exponent;
      const first = Math.floor(min / step + 1e-9);
      const last = Math.ceil(hi / step - 1e-9);
      if (last - first <= 5) {
        // toFixed trims float noise such as 0.30000000000000004 from the tick values and labels.
        const digits = Math.max(0, -exponent);
        return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toFixed(digits)));
      }
    }
    exponent += 1;
  }
}

/** Renders a titled line plot with labelled axes, a legend for several series, and gaps where `y` is null. */
export function linePlot(options: LinePlotOptions): string {
  const { title, xLabel, yLabel, series } = options;
  const width = options.width ?? 640;
  const height = options.height ?? 320;
  const legend = series.length > 1;
  const left = 64;
  const right = width - (legend ? 150 : 20);
  const top = 36;
  const bottom = height - 46;

  // Only finite points count towards the scales, which both start at 0 (or below, for negative data);
  // NaN or Infinity would otherwise leak into every coordinate.
  const finite = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = finite.map((p) => p.x);
  const ys = finite.map((p) => p.y ?? 0);
  // reduce rather than Math.max(...xs): a long run's samples would overflow the call's argument limit.
  const xTicks = niceTicks(
    xs.reduce((a, b) => Math.min(a, b), 0),
    xs.reduce((a, b) => Math.max(a, b), 0),
  );
  const yTicks = niceTicks(
    ys.reduce((a, b) => Math.min(a, b), 0),
    ys.reduce((a, b) => Math.max(a, b), 0),
  );
  const [x0 = 0, x1 = 1] = [xTicks[0], xTicks[xTicks.length - 1]];
  const [y0 = 0, y1 = 1] = [yTicks[0], yTicks[yTicks.length - 1]];
  const px = (x: number) => left + ((x - x0) / (x1 - x0)) * (right - left);
  const py = (y: number) => bottom - ((y - y0) / (y1 - y0)) * (bottom - top);
  const label = (v: number) => String(v);

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${r(width / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<g class="grid" stroke="#e0e0e0">`,
    ...yTicks.map((t) => `<line x1="${left}" y1="${r(py(t))}" x2="${right}" y2="${r(py(t))}"/>`),
    `</g>`,
    `<g class="axes" stroke="#333333">`,
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}"/>`,
    ...xTicks.map((t) => `<line x1="${r(px(t))}" y1="${bottom}" x2="${r(px(t))}" y2="${bottom + 5}"/>`),
    ...yTicks.map((t) => `<line x1="${left - 5}" y1="${r(py(t))}" x2="${left}" y2="${r(py(t))}"/>`),
    `</g>`,
    `<g class="ticks" fill="#333333">`,
    ...xTicks.map((t) => `<text x="${r(px(t))}" y="${bottom + 18}" text-anchor="middle">${label(t)}</text>`),
    ...yTicks.map((t) => `<text x="${left - 8}" y="${r(py(t) + 4)}" text-anchor="end">${label(t)}</text>`),
    `</g>`,
    `<text x="${r((left + right) / 2)}" y="${height - 8}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="16" y="${r((top + bottom) / 2)}" text-anchor="middle" transform="rotate(-90 16 ${r((top + bottom) / 2)})">${escapeXml(yLabel)}</text>`,
  ];

  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    // Each run of measured points is its own path, so a null leaves a visible gap rather than a dip to 0.
    const segments: string[][] = [];
    let current: string[] | null = null;
    for (const p of s.points) {
      if (p.y === null || !Number.isFinite(p.x) || !Number.isFinite(p.y)) {
        current = null;
        continue;
      }
      if (!current) {
        current = [];
        segments.push(current);
      }
      current.push(`${current.length ? "L" : "M"}${r(px(p.x))} ${r(py(p.y))}`);
    }
    out.push(`<g class="series" fill="none" stroke="${colour}" stroke-width="2" stroke-linecap="round"${dash}>`);
    // A lone point gets a zero-length stroke, which the round cap draws as a dot.
    for (const seg of segments) out.push(`<path d="${seg.join(" ")}${seg.length === 1 ? " h0" : ""}"/>`);
    out.push(`</g>`);
    if (legend) {
      const ly = top + 8 + i * 18;
      out.push(
        `<g class="legend"><line x1="${right + 12}" y1="${ly}" x2="${right + 36}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`,
        `<text x="${right + 42}" y="${ly + 4}">${escapeXml(s.name)}</text></g>`,
      );
    }
  });

  if (!finite.length) {
    out.push(
      `<text x="${r((left + right) / 2)}" y="${r((top + bottom) / 2)}" text-anchor="middle" fill="#888888">no data</text>`,
    );
  }
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}
