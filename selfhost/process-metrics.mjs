/**
 * What a self-hosted node's operator misses in the realm's own /metrics, which a Worker cannot see:
 * the workerd process's memory, open file descriptors against its limit, and CPU time, read from
 * /proc and served in the Prometheus text format (docs/operations.md). `npm run selfhost` serves
 * it when PROCESS_METRICS_LISTEN (host:port) is set.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";

/** Clock ticks per second of /proc/<pid>/stat's CPU times: 100 on Linux (USER_HZ). */
const USER_HZ = 100;

/**
 * @param {number} pid
 * @returns {{ residentBytes: number, openFds: number, maxFds: number, cpuSeconds: number }}
 * @throws Error when the process is gone (or /proc is not there: not Linux).
 */
export function readProcessMetrics(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rss = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  const limits = readFileSync(`/proc/${pid}/limits`, "utf8");
  const fdLimit = /^Max open files\s+(\d+|unlimited)\s+/m.exec(limits);
  // The command name in field 2 may hold spaces and parentheses: count fields after its last ")".
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return {
    residentBytes: rss ? Number(rss[1]) * 1024 : 0,
    openFds: readdirSync(`/proc/${pid}/fd`).length,
    maxFds: !fdLimit || fdLimit[1] === "unlimited" ? Number.POSITIVE_INFINITY : Number(fdLimit[1]),
    cpuSeconds: ticks / USER_HZ,
  };
}

const label = (/** @type {string} */ value) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

/**
 * @param {ReturnType<typeof readProcessMetrics> | undefined} metrics undefined when the process is gone
 * @param {{ node: string, process: string }} labels
 */
export function renderProcessMetrics(metrics, labels) {
  const l = `{node="${label(labels.node)}",process="${label(labels.process)}"}`;
  const lines = [
    "# HELP leviathan_process_up Whether the node's process is running (1) or gone (0).",
    "# TYPE leviathan_process_up gauge",
    `leviathan_process_up${l} ${metrics ? 1 : 0}`,
  ];
  if (metrics) {
    const max = Number.isFinite(metrics.maxFds) ? String(metrics.maxFds) : "+Inf";
    lines.push(
      "# HELP leviathan_process_resident_memory_bytes Resident memory of the node's process.",
      "# TYPE leviathan_process_resident_memory_bytes gauge",
      `leviathan_process_resident_memory_bytes${l} ${metrics.residentBytes}`,
      "# HELP leviathan_process_open_fds File descriptors the node's process has open.",
      "# TYPE leviathan_process_open_fds gauge",
      `leviathan_process_open_fds${l} ${metrics.openFds}`,
      "# HELP leviathan_process_max_fds The process's limit on open file descriptors.",
      "# TYPE leviathan_process_max_fds gauge",
      `leviathan_process_max_fds${l} ${max}`,
      "# HELP leviathan_process_cpu_seconds_total CPU time the node's process has used, user and system.",
      "# TYPE leviathan_process_cpu_seconds_total counter",
      `leviathan_process_cpu_seconds_total${l} ${metrics.cpuSeconds}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Serves GET /metrics for process `pid()` (read at each scrape, so a restarted process is followed).
 * @param {{ host: string, port: number, pid: () => number | undefined, node: string, process?: string }} options
 * @returns {Promise<import("node:http").Server & { port: number }>}
 */
export function serveProcessMetrics({ host, port, pid, node, process = "workerd" }) {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("only GET /metrics here\n");
      return;
    }
    const id = pid();
    let metrics;
    try {
      metrics = id === undefined ? undefined : readProcessMetrics(id);
    } catch {
      metrics = undefined;
    }
    res
      .writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" })
      .end(renderProcessMetrics(metrics, { node, process }));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(Object.assign(server, { port: typeof address === "object" && address ? address.port : port }));
    });
  });
}
