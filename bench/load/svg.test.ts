import { describe, expect, it } from "vitest";
import { escapeXml, linePlot, niceTicks, type PlotSeries } from "./svg";

/**
 * A tiny well-formedness check, enough for the renderer's own output without an XML parser dependency:
 * every tag closes in order, attribute values are quoted, and every `&` starts an entity.
 * Returns the problem found, or null.
 */
function wellFormed(svg: string): string | null {
  if (!svg.startsWith("<svg ")) return "does not start with <svg";
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let end = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const text = svg.slice(end, m.index);
    if (text.includes("<") || text.includes(">")) return `stray markup before ${m[0]}`;
    end = m.index + m[0].length;
    const [, closing, name = "", , selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) return `</${name}> closes the wrong element`;
    if (!stack.length && svg.slice(end).trim()) return "content after the root element";
  }
  if (stack.length) return `unclosed <${stack.join(">, <")}>`;
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(svg)) return "unescaped &";
  return null;
}

const count = (svg: string, needle: string): number => svg.split(needle).length - 1;

const series = (name: string, ys: (number | null)[], dashed?: boolean): PlotSeries => ({
  name,
  points: ys.map((y, x) => ({ x, y })),
  dashed,
});

const basic = {
  title: "Players",
  xLabel: "time (s)",
  yLabel: "players",
  series: [series("connected", [0, 3, 5, 7]), series("target", [0, 4, 6, 7], true)],
};

describe("niceTicks", () => {
  it("picks 1, 2 or 5 × 10^n steps from 0 past the maximum, 4 to 6 of them", () => {
    expect(niceTicks(0, 7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0, 1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0, 0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it("gives an empty range a unit scale", () => {
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("stays within 4 to 6 ticks over many ranges from 0", () => {
    for (let max = 0.01; max < 1e7; max *= 1.37) {
      const ticks = niceTicks(0, max);
      expect(ticks.length, `max ${max}`).toBeGreaterThanOrEqual(4);
      expect(ticks.length, `max ${max}`).toBeLessThanOrEqual(6);
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
    }
  });
});

describe("linePlot", () => {
  it("renders a well-formed standalone SVG with title, axis labels, tick labels and a legend", () => {
    const svg = linePlot(basic);
    expect(wellFormed(svg)).toBeNull();
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('version="1.1"');
    expect(svg).toContain(">Players</text>");
    expect(svg).toContain(">time (s)</text>");
    expect(svg).toContain(">players</text>");
    // y ticks of 0–7, and the legend's two names.
    for (const label of ["0", "2", "4", "6", "8"]) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain(">connected</text>");
    expect(svg).toContain(">target</text>");
    expect(svg).toContain('stroke-dasharray="6 4"');
  });

  it("shows no legend for a single series", () => {
    const svg = linePlot({ ...basic, series: [series("only", [1, 2, 3])] });
    expect(wellFormed(svg)).toBeNull();
    expect(svg).not.toContain('class="legend"');
    expect(svg).not.toContain(">only</text>");
  });

  it("labels the ticks of large and fractional ranges", () => {
    const big = linePlot({ ...basic, series: [series("a", [0, 1234])] });
    for (const label of ["500", "1000", "1500"]) expect(big).toContain(`>${label}</text>`);
    const small = linePlot({ ...basic, series: [series("a", [0.05, 0.3])] });
    for (const label of ["0.1", "0.2", "0.3"]) expect(small).toContain(`>${label}</text>`);
  });

  it("breaks the line at null values instead of drawing them as 0", () => {
    const svg = linePlot({ ...basic, series: [series("rtt", [5, 6, null, 7, 8, null, null, 9])] });
    expect(wellFormed(svg)).toBeNull();
    const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(paths).toHaveLength(3);
    expect(paths.map((d) => count(d, "M"))).toEqual([1, 1, 1]);
    expect(paths.map((d) => count(d, "L"))).toEqual([1, 1, 0]);
    // The lone last point is still visible, as a round-capped dot.
    expect(paths[2]).toMatch(/ h0$/);
    // No point sits on the x axis (y = 0 maps to the bottom of the plot area).
    const bottom = svg.match(/<line x1="64" y1="([\d.]+)" x2="\d+" y2="\1"\/>/)?.[1];
    expect(bottom).toBeDefined();
    for (const d of paths) expect(d).not.toMatch(new RegExp(` ${bottom}( |$)`));
  });

  it("escapes XML special characters in every text", () => {
    const svg = linePlot({
      title: `p99 < 50 & "fast" > 'slow'`,
      xLabel: "t <s>",
      yLabel: "a&b",
      series: [series("<one>", [1]), series("two & three", [2])],
    });
    expect(wellFormed(svg)).toBeNull();
    expect(svg).toContain("p99 &lt; 50 &amp; &quot;fast&quot; &gt; &apos;slow&apos;");
    expect(svg).toContain(">t &lt;s&gt;</text>");
    expect(svg).toContain(">a&amp;b</text>");
    expect(svg).toContain(">&lt;one&gt;</text>");
    expect(svg).toContain(">two &amp; three</text>");
    expect(escapeXml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&apos;");
  });

  it("draws axes and a 'no data' note, never NaN, for empty or all-null series", () => {
    for (const input of [[], [series("a", [])], [series("a", [null, null]), series("b", [null])]]) {
      const svg = linePlot({ ...basic, series: input });
      expect(wellFormed(svg)).toBeNull();
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
      expect(svg).toContain(">no data</text>");
      expect(svg).toContain('class="axes"');
      expect(svg).not.toContain("<path");
    }
    expect(linePlot(basic)).not.toContain("no data");
  });

  it("ignores non-finite values rather than writing them into coordinates", () => {
    const svg = linePlot({ ...basic, series: [series("a", [1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3])] });
    expect(wellFormed(svg)).toBeNull();
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(count(svg, "<path")).toBe(3);
  });

  it("rounds coordinates to at most one decimal", () => {
    const svg = linePlot({ ...basic, width: 777, height: 333, series: [series("a", [1 / 3, 2 / 3, 1.23456])] });
    const numbers = [...svg.matchAll(/(?:[xy][12]?|d)="([^"]*)"/g)].flatMap(
      (m) => (m[1] ?? "").match(/\d+\.\d+/g) ?? [],
    );
    expect(numbers.length).toBeGreaterThan(0);
    for (const n of numbers) expect(n).toMatch(/^\d+\.\d$/);
  });

  it("is deterministic", () => {
    const make = () => ({ ...basic, series: [series("a", [1, null, 3.3333]), series("b", [2, 2, 2], true)] });
    expect(linePlot(make())).toBe(linePlot(make()));
  });
});
