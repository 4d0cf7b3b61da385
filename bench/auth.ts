/**
 * `npm run bench:auth` (bench/README.md): registrations and logins per second, and per second of
 * the node's CPU, against a realm under plain workerd with its own Postgres. The peer in the same
 * run is the hash itself: how many PBKDF2 hashes (the realm's own `hashPassword`) one core computes
 * per second, the ceiling for an account operation that must hash once. Nakama's published figure
 * (about 500 logins a second per CPU) is printed beside it for reference, not measured here.
 */
import { parseArgs } from "node:util";
import { timeHash } from "./lib/hash";
import { processCpuSeconds } from "./lib/process";
import { startRealmNode } from "./lib/realm-node";
import { machine } from "./lib/report";
import { percentiles } from "./load/meter";

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "8" },
    seconds: { type: "string", default: "15" },
  },
});
const clients = Number(values.clients);
const seconds = Number(values.seconds);
if (!Number.isInteger(clients) || clients < 1 || !(seconds > 0)) {
  console.error("usage: npm run bench:auth -- [--clients 8] [--seconds 15]");
  process.exit(2);
}
const PASSWORD = "bench-password-123";

/** `clients` loops calling `op(i)` for `seconds`; its rate, latencies and the node's CPU over it. */
async function phase(name: string, pid: number | undefined, op: (i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const cpu0 = processCpuSeconds(pid) ?? 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const at = performance.now();
        if (await op(next++)) latencies.push(performance.now() - at);
        else failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = (processCpuSeconds(pid) ?? 0) - cpu0;
  const ok = latencies.length;
  process.stderr.write(`bench:auth: ${name}: ${ok} in ${elapsed.toFixed(1)} s, ${failures} failed\n`);
  return {
    name,
    ok,
    failures,
    perSecond: Math.round((ok / elapsed) * 10) / 10,
    cpuSeconds: Math.round(cpu * 100) / 100,
    perCpuSecond: cpu > 0 ? Math.round((ok / cpu) * 10) / 10 : null,
    latencyMs: percentiles(latencies),
  };
}

async function main() {
  process.stderr.write("bench:auth: the hash alone on one core…\n");
  const ceiling = 1000 / (await timeHash());
  const node = await startRealmNode({}, (line) => process.stderr.write(`bench:auth: ${line}\n`));
  const base = node.baseUrl;
  const run = Math.random().toString(36).slice(2, 8);
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).catch(() => undefined);
    await response?.arrayBuffer();
    return response?.ok ?? false;
  };
  const register = await phase("register", node.pid, (i) =>
    post("/auth/register", { username: `b${run}${i}`, password: PASSWORD }),
  );
  const accounts = register.ok + register.failures;
  const login = await phase("login", node.pid, (i) =>
    post("/auth/login", { username: `b${run}${i % Math.max(1, accounts)}`, password: PASSWORD }),
  );
  const rows = [register, login].map(
    (p) =>
      `| ${p.name} | ${p.perSecond} | ${p.perCpuSecond ?? "—"} | ${p.latencyMs.p50 ?? "—"} / ${p.latencyMs.p99 ?? "—"} | ${p.failures} |`,
  );
  console.log(
    [
      `bench:auth — ${clients} clients, ${seconds} s per phase, one workerd node, Postgres on the same machine`,
      "",
      "| operation | per second | per CPU-second of workerd | latency p50 / p99 ms | failed |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...rows,
      `| PBKDF2-SHA256 × 100,000 (the hash alone, Node, one core) | ${ceiling.toFixed(1)} | ${ceiling.toFixed(1)} | | |`,
      "| Nakama, published (logins per CPU, not measured here) | | ~500 | | |",
    ].join("\n"),
  );
  console.log(
    JSON.stringify({
      bench: "auth",
      clients,
      seconds,
      machine: machine(),
      hashPerCoreSecond: ceiling,
      register,
      login,
    }),
  );
  await node.stop();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench:auth: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
