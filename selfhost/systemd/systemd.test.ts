/**
 * The shipped systemd units (docs/operations.md, "systemd") pass `systemd-analyze verify` without a
 * word (it exits 0 on unknown keys, so any output fails), and keep the limits the alerts assume.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const HERE = dirname(fileURLToPath(import.meta.url));
const UNITS = ["leviathan-node.service", "leviathan-proxy.service"];

describe("systemd units", () => {
  it("verify cleanly", () => {
    const run = spawnSync("systemd-analyze", ["verify", "--man=no", ...UNITS], { cwd: HERE, encoding: "utf8" });
    if (run.error) throw new Error(`systemd-analyze did not run (apt-get install systemd): ${run.error.message}`);
    expect(`${run.stdout}${run.stderr}`.trim()).toBe("");
    expect(run.status).toBe(0);
  });

  it("restart on failure, stop gracefully and raise the descriptor limit", () => {
    for (const unit of UNITS) {
      const text = readFileSync(join(HERE, unit), "utf8");
      expect(text, unit).toMatch(/^Restart=on-failure$/m);
      expect(text, unit).toMatch(/^TimeoutStopSec=\d+s$/m);
      expect(Number(/^LimitNOFILE=(\d+)$/m.exec(text)?.[1]), unit).toBeGreaterThanOrEqual(65536);
    }
  });
});
