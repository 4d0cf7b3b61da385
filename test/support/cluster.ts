/**
 * Nodes of a clustered self-hosted realm for the tests (docs/selfhost.md): each one is
 * `node selfhost/run.mjs --prebuilt` with its NODE_ID, exactly as an operator starts it, in a process
 * group of its own so a test can kill the runner and its workerd together with SIGKILL.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { freePort } from "../../scripts/lib/postgres.mjs";
import { ROOT } from "../../selfhost/workerd.mjs";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ClusterNode {
  output = "";
  private child: ChildProcess | undefined;
  private gone: Promise<void> = Promise.resolve();

  private constructor(
    readonly nodeId: string,
    readonly baseUrl: string,
    private readonly env: Record<string, string>,
  ) {}

  get wsUrl(): string {
    return this.baseUrl.replace(/^http/, "ws");
  }

  /** Starts a node and resolves once it has joined the realm (healthy, lease renewed). */
  static async start(nodeId: string, env: Record<string, string>): Promise<ClusterNode> {
    const port = await freePort();
    const node = new ClusterNode(nodeId, `http://127.0.0.1:${port}`, {
      ...env,
      NODE_ID: nodeId,
      LISTEN: `127.0.0.1:${port}`,
    });
    await node.run();
    return node;
  }

  /** Starts the node again on its port and data (after kill). */
  restart(): Promise<void> {
    return this.run();
  }

  private async run(): Promise<void> {
    const from = this.output.length;
    const child = spawn(process.execPath, ["selfhost/run.mjs", "--prebuilt"], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...this.env },
    });
    this.child = child;
    this.output += `--- node ${this.nodeId} started (pid ${child.pid}) ---\n`;
    child.stdout?.on("data", (chunk: Buffer) => {
      this.output += chunk;
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      this.output += `[stderr] ${chunk}`;
    });
    this.gone = new Promise((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + 60_000;
    while (!this.output.slice(from).includes(`Cluster node ${this.nodeId} joined realm`)) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`node ${this.nodeId} exited:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`node ${this.nodeId} did not join within 60 s:\n${this.output}`);
      await sleep(100);
    }
  }

  /** Resolves once the node's runner has exited by itself (fails after `withinMs`). */
  async exited(withinMs: number): Promise<void> {
    const timeout = sleep(withinMs).then(() => {
      throw new Error(`node ${this.nodeId} still runs after ${withinMs} ms:\n${this.output.slice(-4000)}`);
    });
    await Promise.race([this.gone, timeout]);
  }

  /** kill -9 of the node: its runner and its workerd at once, as a machine losing power. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid, "SIGKILL");
    await Promise.race([this.gone, sleep(10_000)]);
  }
}

/** `npm run admin -- …` as an operator types it, with `--json`; throws with its output when it fails. */
export function admin(env: Record<string, string>, ...args: string[]): unknown {
  const run = spawnSync(process.execPath, ["scripts/admin.mjs", ...args, "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 90_000,
    env: { ...process.env, ...env },
  });
  if (run.status !== 0) throw new Error(`admin ${args.join(" ")} failed (${run.status}):\n${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout);
}
