import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { readProcessMetrics, renderProcessMetrics, serveProcessMetrics } from "./process-metrics.mjs";

describe("process metrics of a self-hosted node", () => {
  it("reads a live process's memory, descriptors against its limit and CPU time from /proc", () => {
    const before = readProcessMetrics(process.pid);
    // Burn a little CPU and hold a few more descriptors, so both must move.
    const end = Date.now() + 150;
    while (Date.now() < end) Math.sqrt(Math.random());
    const after = readProcessMetrics(process.pid);
    expect(after.residentBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(after.openFds).toBeGreaterThan(2);
    expect(after.maxFds).toBeGreaterThanOrEqual(after.openFds);
    expect(after.cpuSeconds).toBeGreaterThan(before.cpuSeconds);
  });

  it("renders them in the Prometheus format, and a gone process as down", () => {
    const text = renderProcessMetrics(
      { residentBytes: 1024, openFds: 7, maxFds: Number.POSITIVE_INFINITY, cpuSeconds: 1.5 },
      { node: 'a"b', process: "workerd" },
    );
    expect(text).toContain('leviathan_process_up{node="a\\"b",process="workerd"} 1\n');
    expect(text).toContain('leviathan_process_open_fds{node="a\\"b",process="workerd"} 7\n');
    expect(text).toContain('leviathan_process_max_fds{node="a\\"b",process="workerd"} +Inf\n');
    expect(text).toContain('leviathan_process_cpu_seconds_total{node="a\\"b",process="workerd"} 1.5\n');
    const down = renderProcessMetrics(undefined, { node: "n1", process: "workerd" });
    expect(down).toBe(
      '# HELP leviathan_process_up Whether the node\'s process is running (1) or gone (0).\n# TYPE leviathan_process_up gauge\nleviathan_process_up{node="n1",process="workerd"} 0\n',
    );
  });

  it("serves GET /metrics for a process it follows, and says when the process is gone", async () => {
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    let pid: number | undefined = child.pid;
    const server = await serveProcessMetrics({ host: "127.0.0.1", port: 0, pid: () => pid, node: "test" });
    try {
      const url = `http://127.0.0.1:${server.port}/metrics`;
      expect(await (await fetch(url)).text()).toMatch(
        /leviathan_process_open_fds\{node="test",process="workerd"\} \d+/,
      );
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      expect(await (await fetch(url)).text()).toContain('leviathan_process_up{node="test",process="workerd"} 0');
      pid = undefined;
      expect(await (await fetch(url)).text()).toContain('leviathan_process_up{node="test",process="workerd"} 0');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      child.kill("SIGKILL");
      server.close();
    }
  });
});
