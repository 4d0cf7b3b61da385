/**
 * A throwaway (or, for `npm start`, a persistent local) PostgreSQL server started from the
 * machine's own binaries, for when no DATABASE_URL is given. Listens on 127.0.0.1 only, with
 * `trust` auth for loopback (SCRAM in the Neon driver's JS costs 300–500 ms per connection).
 * initdb refuses to run as root, so as root every server command runs as the `postgres` user.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  rmdirSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import pg from "pg";

/** The bin directory of the newest PostgreSQL on this machine, or undefined. */
export function findPostgresBin() {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, "postgres"))) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "postgres")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], "bin");
  }
  try {
    const bin = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    if (existsSync(join(bin, "postgres"))) return bin;
  } catch {
    // No pg_config on PATH.
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Process options that run a PostgreSQL binary as the `postgres` user when we are root. Spawning
 * with uid/gid (rather than through runuser) keeps signals going straight to the server.
 */
function serverUser() {
  if (!isRoot()) return {};
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
  return { uid, gid };
}

/**
 * As root, the server runs as `postgres`, which must be able to walk down to its data directory.
 * A checkout under a private directory (a 0700 home or mktemp folder) blocks it; then the data
 * goes to a stable folder under /var/tmp named after the requested path. A realm's state must not
 * hide there: the requested path becomes a symlink to it (so backups of the data directory that
 * follow links keep it), and the move is announced in a warning that names both places.
 */
export function reachableDataDir(dataDir, log = () => {}) {
  if (!isRoot()) return dataDir;
  let dir = dirname(dataDir);
  while (dir !== dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const fallback = join(
        "/var/tmp",
        `leviathan-pg-${createHash("sha256").update(dataDir).digest("hex").slice(0, 12)}`,
      );
      const linked = pointAt(dataDir, fallback);
      log(
        [
          "WARNING: PostgreSQL's data is NOT under the data directory.",
          `  As root, PostgreSQL runs as user postgres, which cannot enter ${dir}.`,
          `  Its data lives in ${fallback}${linked ? ` (linked from ${dataDir})` : ""}: back up that folder too.`,
          "  To keep everything in one place, put the data directory where user postgres can reach it",
          "  (e.g. LEVIATHAN_DATA_DIR=/var/lib/leviathan), run as a normal user, or set DATABASE_URL.",
        ].join("\n"),
      );
      return fallback;
    }
    dir = dirname(dir);
  }
  return dataDir;
}

/** Makes `path` a symlink to `target` when it is free (absent, or an empty folder); true if it is one. */
function pointAt(path, target) {
  try {
    if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) return readlinkSync(path) === target;
    if (existsSync(path)) {
      if (readdirSync(path).length > 0) return false;
      rmdirSync(path);
    }
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path);
    return true;
  } catch {
    return false;
  }
}

function prepareDir(dir, user) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid);
}

/**
 * Starts PostgreSQL with its data in `dataDir` (initialised on first use) and creates `database`.
 * @param {{ dataDir: string, port?: number, database?: string, durable?: boolean, log?: (line: string) => void }} options
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void>, process: import("node:child_process").ChildProcess }>}
 */
export async function startPostgres({
  dataDir: givenDir,
  port,
  database = "leviathan",
  durable = false,
  log = () => {},
}) {
  // The server changes directory into it, so relative paths would break.
  const dataDir = reachableDataDir(resolve(givenDir), log);

  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      "PostgreSQL binaries not found (looked in PG_BIN, /usr/lib/postgresql/*/bin and pg_config). " +
        "Install them (`apt-get install -y postgresql`) or set DATABASE_URL to an existing database.",
    );
  }
  const user = serverUser();
  prepareDir(dataDir, user);
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    log(`initdb ${dataDir}`);
    const args = ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"];
    try {
      execFileSync(join(bin, "initdb"), args, { stdio: "pipe", encoding: "utf8", cwd: "/", ...user });
    } catch (error) {
      throw new Error(
        `initdb failed: ${error.stderr || error.message}` +
          (isRoot() ? "(as root, every parent of the data directory must be traversable by the postgres user)" : ""),
      );
    }
  }
  const listenPort = port ?? (await freePort());
  const settings = [
    "-D",
    dataDir,
    "-p",
    String(listenPort),
    "-k",
    dataDir,
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "max_connections=200",
    // Tests and throwaway servers trade durability for speed; `npm start` keeps fsync on.
    ...(durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
  ];
  const server = spawn(join(bin, "postgres"), settings, { stdio: ["ignore", "pipe", "pipe"], cwd: "/", ...user });
  let output = "";
  const collect = (chunk) => {
    output = (output + chunk).slice(-4000);
  };
  server.stdout.on("data", collect);
  server.stderr.on("data", collect);
  const exited = new Promise((resolve) => server.once("exit", resolve));

  const admin = `postgres://postgres@127.0.0.1:${listenPort}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}:\n${output}`);
    try {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
      await client.end();
      break;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections in 30 s: ${error.message}\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  log(`postgres ready on 127.0.0.1:${listenPort}`);
  return {
    url: `postgres://postgres@127.0.0.1:${listenPort}/${database}`,
    port: listenPort,
    dataDir,
    process: server,
    async stop() {
      if (server.exitCode !== null) return;
      server.kill("SIGINT"); // fast shutdown: roll back open transactions, then exit
      const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
