/**
 * The container image's entrypoint, run as the image runs it but without a container (this machine
 * pulls no base images): build once (`--build-only`, the image's build step), then the entrypoint
 * serves the realm from that build with its health check green and its process metrics up, and
 * stops cleanly on SIGTERM. And the compose file and Containerfile name only files that exist.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../scripts/lib/postgres.mjs";
import { TEST_JWT_SECRET } from "../support/harness";

const CONTAINER = "selfhost/container";
const data = mkdtempSync(join(tmpdir(), "leviathan-container-"));
let node: ChildProcess | undefined;
afterAll(() => {
  node?.kill("SIGKILL");
  rmSync(data, { recursive: true, force: true });
});

const healthy = (listen: string) =>
  spawnSync(process.execPath, [`${CONTAINER}/healthcheck.mjs`], { env: { ...process.env, LISTEN: listen } }).status;

describe("the container's entrypoint, outside a container", () => {
  it("refuses to start without a database or a secret, saying which", () => {
    const run = spawnSync(`${CONTAINER}/entrypoint.sh`, [], { encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/set DATABASE_URL/);
    const noSecret = spawnSync(`${CONTAINER}/entrypoint.sh`, [], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, DATABASE_URL: "postgres://x@127.0.0.1:1/x" },
    });
    expect(noSecret.status).toBe(2);
    expect(noSecret.stderr).toMatch(/set JWT_SECRET/);
  });

  it("serves the image's build: healthy, process metrics up, and gone cleanly on SIGTERM", async () => {
    const build = spawnSync(process.execPath, ["selfhost/run.mjs", "--build-only"], {
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(build.status, build.stderr).toBe(0);
    const [port, metricsPort] = [await freePort(), await freePort()];
    const listen = `127.0.0.1:${port}`;
    expect(healthy(listen)).toBe(1);
    let output = "";
    node = spawn(`${CONTAINER}/entrypoint.sh`, [], {
      env: {
        ...process.env,
        DATABASE_URL: inject("databaseUrl"),
        JWT_SECRET: TEST_JWT_SECRET,
        LISTEN: listen,
        LEVIATHAN_DATA_DIR: data,
        PROCESS_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
        NODE_NAME: "container-test",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [node.stdout, node.stderr]) stream?.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((r) => node?.once("exit", (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while (healthy(listen) !== 0) {
      if (Date.now() > deadline) throw new Error(`not healthy within 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(output).not.toMatch(/Building the Worker/);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('leviathan_process_up{node="container-test",process="workerd"} 1');
    node.kill("SIGTERM");
    // The runner passes SIGTERM to workerd and exits as it did (128 + 15, or 0).
    expect([0, 143]).toContain(await exited);
    expect(healthy(listen)).toBe(1);
  }, 360_000);
});

describe("the compose file and the Containerfile", () => {
  const compose = readFileSync(`${CONTAINER}/compose.yaml`, "utf8");
  const containerfile = readFileSync(`${CONTAINER}/Containerfile`, "utf8");

  it("mount only files and folders that exist", () => {
    const mounts = [...compose.matchAll(/^\s+- (\.{1,2}\/[^:]+):/gm)].map((m) => m[1] as string);
    expect(mounts.length).toBeGreaterThan(4);
    for (const path of mounts) expect(existsSync(resolve(CONTAINER, path)), path).toBe(true);
    expect(existsSync(resolve(CONTAINER, "realm.env.example"))).toBe(true);
  });

  it("give the node its health check, descriptor limit and data volume", () => {
    expect(compose).toMatch(/test: \["CMD", "node", "selfhost\/container\/healthcheck\.mjs"\]/);
    expect(compose).toMatch(/nofile: \{ soft: 65536, hard: 65536 \}/);
    // Three nodes sharing one data root, each named (docs/selfhost.md).
    for (const n of [1, 2, 3]) {
      expect(compose).toMatch(new RegExp(`NODE_ID: node-${n}\\n`));
      expect(compose).toMatch(new RegExp(`NODE_URL: http://node-${n}:8787\\n`));
    }
    expect(compose.match(/- nodes-data:\/var\/lib\/leviathan-nodes$/gm)).toHaveLength(3);
    expect(compose).toMatch(/LEVIATHAN_UPSTREAMS: node-1:8787 node-2:8787 node-3:8787/);
    expect(containerfile).toMatch(/^ENTRYPOINT \["selfhost\/container\/entrypoint\.sh"\]$/m);
    expect(containerfile).toMatch(/^RUN node selfhost\/run\.mjs --build-only$/m);
    expect(containerfile).toMatch(/CMD \["node", "selfhost\/container\/healthcheck\.mjs"\]/);
    for (const file of ["entrypoint.sh", "healthcheck.mjs"]) expect(existsSync(join(CONTAINER, file))).toBe(true);
  });
});
