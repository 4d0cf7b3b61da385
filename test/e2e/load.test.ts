/**
 * The load generator (bench/load/README.md) run as its README says, `npm run load -- <scenario>`,
 * against a realm: real accounts, characters and sockets through the client SDK, the players'
 * behaviours, a report in markdown and JSON, and its plots.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LoadResult } from "../../bench/load/result";
import { useRealm } from "../support/realm";

const realm = useRealm({ AUTH_RATE_PER_IP: "100000", TICKET_RATE_PER_ACCOUNT: "100000" });
const scratch = mkdtempSync(join(tmpdir(), "leviathan-load-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Runs the CLI as a child. Never spawnSync: the realm under test runs in this very process and must
 * go on answering while the child loads it.
 */
function load(scenario: unknown, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(scratch, `scenario-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  const child = spawn("node_modules/.bin/tsx", ["bench/load/main.ts", file, ...args], { stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe("npm run load", () => {
  it("plays a scenario's players through their stages and reports what it measured", async () => {
    const out = join(scratch, "report");
    const run = await load(
      {
        name: "e2e-small",
        stages: [
          { kind: "ramp", players: 8, seconds: 2 },
          { kind: "hold", seconds: 6 },
          { kind: "ramp-down", seconds: 1 },
        ],
        behaviours: { idle: 1, wander: 2, chat: 1, travel: 2, reconnect: 1 },
        reconnectEverySeconds: 3,
      },
      "--target",
      realm.baseUrl,
      "--out",
      out,
    );
    expect(run.stderr, run.stderr).toContain("load: e2e-small against");
    expect(run.code).toBe(0);
    const result = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as LoadResult;
    expect(result.connects).toEqual({ attempted: 8, succeeded: 8, failed: 0 });
    expect(result.rttMs.count).toBeGreaterThan(0);
    expect(result.handoffMs.count).toBeGreaterThan(0);
    expect(result.joinMs.count).toBe(8);
    expect(result.samples).toHaveLength(9);
    expect(Math.max(...result.samples.map((s) => s.players))).toBeGreaterThanOrEqual(6);
    expect(result.samples.at(-1)?.target).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("8/8 (100.0%)");
    for (const plot of ["players.svg", "rtt-p99.svg", "tick-p99.svg"]) {
      const svg = readFileSync(join(out, plot), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).not.toContain("NaN");
    }
    // stdout: the markdown, then one JSON line with the same figures.
    expect(JSON.parse(run.stdout.trim().split("\n").at(-1) as string)).toMatchObject({ scenario: "e2e-small" });
  }, 150_000);

  it("refuses a scenario that does not hold together, naming the field", async () => {
    const run = await load({ name: "broken", stages: [], behaviours: { wander: 1 } }, "--target", realm.baseUrl);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/stages: /);
    const none = await load({ name: "broken", stages: [{ kind: "hold", seconds: 1 }], behaviours: { wander: 0 } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/behaviours: give at least one behaviour a weight above 0/);
  });
});
