import { describe, expect, it } from "vitest";
import { formatMs, formatPercent, renderJson, renderMarkdown, renderPlots } from "./report";
import type { LoadResult } from "./result";

const MB = 2 ** 20;

/** A short run by hand: a missing RTT second, an unread tick, no hand-offs, and a node without figures. */
function result(): LoadResult {
  return {
    scenario: "ramp",
    target: "http://localhost:8787",
    startedAt: "2025-01-02T03:04:05.000Z",
    durationSeconds: 4,
    peakTarget: 100,
    connects: { attempted: 100, succeeded: 98, failed: 2 },
    errors: { timeout: 1, close_1006: 3, http_503: 3 },
    rttMs: { count: 5000, p50: 4.26, p95: 18.4, p99: 42.6, max: 310 },
    handoffMs: { count: 0, p50: null, p95: null, p99: null, max: null },
    joinMs: { count: 98, p50: 120.4, p99: null, max: 900, p95: 480 },
    messages: { sent: 4000, received: 20000, sentPerSecond: 1000, receivedPerSecond: 5000.5 },
    behaviours: { walker: 60, chatter: 20, idler: 20 },
    nodes: [
      {
        name: "4242",
        source: "proc",
        cpuSeconds: 3.25,
        cpuPercent: 81.25,
        rssBytes: 120 * MB,
        peakRssBytes: 150.5 * MB,
      },
      {
        name: "http://node-b:9100/metrics",
        source: "metrics",
        cpuSeconds: null,
        cpuPercent: null,
        rssBytes: 64 * MB,
        peakRssBytes: null,
      },
    ],
    samples: [
      { t: 0, players: 0, target: 25, rttP99Ms: null, tickP99Ms: null, sentPerSecond: 0, receivedPerSecond: 0 },
      { t: 1, players: 24, target: 50, rttP99Ms: 12.5, tickP99Ms: 3.1, sentPerSecond: 500, receivedPerSecond: 2500 },
      { t: 2, players: 49, target: 75, rttP99Ms: null, tickP99Ms: 4.2, sentPerSecond: 1000, receivedPerSecond: 5000 },
      { t: 3, players: 73, target: 100, rttP99Ms: 40.1, tickP99Ms: null, sentPerSecond: 1500, receivedPerSecond: 7500 },
      { t: 4, players: 98, target: 100, rttP99Ms: 42.6, tickP99Ms: 5, sentPerSecond: 1000, receivedPerSecond: 5000 },
    ],
  };
}

describe("formatting", () => {
  it("gives milliseconds one decimal under 10 and none above", () => {
    expect(formatMs(4.26)).toBe("4.3");
    expect(formatMs(9.94)).toBe("9.9");
    expect(formatMs(10)).toBe("10");
    expect(formatMs(42.6)).toBe("43");
    expect(formatMs(null)).toBe("—");
  });

  it("gives percentages one decimal, and a dash for an empty whole", () => {
    expect(formatPercent(98, 100)).toBe("98.0%");
    expect(formatPercent(1, 3)).toBe("33.3%");
    expect(formatPercent(0, 0)).toBe("—");
  });
});

describe("renderMarkdown", () => {
  const md = renderMarkdown(result());
  const lines = md.split("\n");

  it("opens with the run's scenario, target, start, duration and peak", () => {
    expect(lines[0]).toBe(
      "# Load run `ramp` against http://localhost:8787, started 2025-01-02T03:04:05.000Z, 4 s, peak 100 players",
    );
  });

  it("tabulates the headline figures", () => {
    expect(lines).toContain("| Connect success | 98/100 (98.0%) |");
    expect(lines).toContain("| RTT p50 / p95 / p99 / max | 4.3 / 18 / 43 / 310 ms (n = 5000) |");
    expect(lines).toContain("| Join p50 / p99 | 120 / — ms (n = 98) |");
    expect(lines).toContain("| Hand-off p50 / p99 | — |");
    expect(lines).toContain("| Messages sent / received per second | 1000 / 5001 |");
    expect(lines).toContain("| Behaviours | walker 60 (60.0%), chatter 20 (20.0%), idler 20 (20.0%) |");
  });

  it("lists errors by count, then code", () => {
    const start = lines.indexOf("## Errors by code");
    expect(lines.slice(start + 2, start + 7)).toEqual([
      "| Code | Count |",
      "| --- | ---: |",
      "| close_1006 | 3 |",
      "| http_503 | 3 |",
      "| timeout | 1 |",
    ]);
  });

  it("tabulates the server processes with dashes for what was not read", () => {
    expect(lines).toContain("| 4242 | proc | 3.3 | 81.3 | 120.0 | 150.5 |");
    expect(lines).toContain("| http://node-b:9100/metrics | metrics | — | — | 64.0 | — |");
  });

  it("links the three plots relatively", () => {
    for (const file of ["players.svg", "rtt-p99.svg", "tick-p99.svg"]) expect(md).toContain(`](${file})`);
  });

  it("says none when there were no errors or nodes, and a dash for an empty connect count", () => {
    const empty = {
      ...result(),
      errors: {},
      nodes: [],
      behaviours: {},
      connects: { attempted: 0, succeeded: 0, failed: 0 },
    };
    const out = renderMarkdown(empty).split("\n");
    expect(out.slice(out.indexOf("## Errors by code"), out.indexOf("## Errors by code") + 3)).toEqual([
      "## Errors by code",
      "",
      "none",
    ]);
    expect(out.slice(out.indexOf("## Server processes"), out.indexOf("## Server processes") + 3)).toEqual([
      "## Server processes",
      "",
      "none",
    ]);
    expect(out).toContain("| Connect success | 0/0 (—) |");
    expect(out).toContain("| Behaviours | — |");
    expect(renderMarkdown(empty)).not.toMatch(/NaN|undefined|null/);
  });

  it("keeps a pipe in an error code from splitting its cell", () => {
    const out = renderMarkdown({ ...result(), errors: { "a|b": 1 } });
    expect(out).toContain("| a\\|b | 1 |");
  });
});

describe("renderPlots", () => {
  it("draws the three time series with their titles", () => {
    const plots = renderPlots(result());
    expect(Object.keys(plots).sort()).toEqual(["players.svg", "rtt-p99.svg", "tick-p99.svg"]);
    expect(plots["players.svg"]).toContain(">Players: ramp</text>");
    expect(plots["rtt-p99.svg"]).toContain(">RTT p99: ramp</text>");
    expect(plots["tick-p99.svg"]).toContain(">Tick p99 (slowest zone): ramp</text>");
    for (const svg of Object.values(plots)) {
      expect(svg.startsWith("<svg ")).toBe(true);
      expect(svg).not.toMatch(/NaN|undefined/);
    }
  });

  it("dashes the target, and leaves gaps where a second had no figure", () => {
    const plots = renderPlots(result());
    expect(plots["players.svg"]).toContain(">connected</text>");
    expect(plots["players.svg"]).toContain(">target</text>");
    expect(plots["players.svg"]).toContain('stroke-dasharray="6 4"');
    // RTT: null at t=0 and t=2 → [t=1] and [t=3, t=4]; tick: nulls at t=0 and t=3 → [t=1, t=2] and [t=4].
    expect(plots["rtt-p99.svg"].split("<path").length - 1).toBe(2);
    expect(plots["tick-p99.svg"].split("<path").length - 1).toBe(2);
  });

  it("renders a run without samples as empty plots", () => {
    const plots = renderPlots({ ...result(), samples: [] });
    for (const svg of Object.values(plots)) {
      expect(svg).toContain("no data");
      expect(svg).not.toContain("NaN");
    }
  });
});

describe("renderJson", () => {
  it("round-trips through JSON.parse and ends with a newline", () => {
    const json = renderJson(result());
    expect(JSON.parse(json)).toEqual(result());
    expect(json.endsWith("}\n")).toBe(true);
    expect(json).toContain('\n  "scenario": "ramp",');
  });
});
