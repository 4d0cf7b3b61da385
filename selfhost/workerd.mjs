/**
 * The self-host steps as functions (build, write the config, start workerd), shared by
 * `npm run selfhost` (selfhost/run.mjs) and the selfhost tests so both run the realm the same way.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join, resolve } from "node:path";
import { checkListen, generateWorkerdConfig, readWranglerSettings, resolveVars, WRANGLER_TOML } from "./config.mjs";

export const ROOT = dirname(WRANGLER_TOML);
export const DEFAULT_DIST_DIR = join(ROOT, "dist/selfhost");
export const DEFAULT_DATA_DIR = join(ROOT, "selfhost/data");
export const DEFAULT_CONFIG_PATH = join(ROOT, "selfhost/config.capnp");
/** The web client's build, served by the gateway through the ASSETS binding. */
export const DEFAULT_ASSETS_DIR = join(ROOT, "client/web/dist");

/**
 * The workerd binary of the pinned `workerd` devDependency. Spawned directly (not through npx)
 * so the child's pid is workerd's own: signals, and the tests' kill -9, reach the runtime itself.
 */
export const WORKERD_BIN = /** @type {string} */ (createRequire(import.meta.url)("workerd").default);

/**
 * PATH with node_modules/.bin first, as `npm run` sets it: wrangler's `#!/usr/bin/env node` then
 * finds the pinned Node 22 even when this script was started with an older system node.
 */
const binPath = () => [join(ROOT, "node_modules/.bin"), process.env.PATH].filter(Boolean).join(delimiter);

/**
 * Bundles the Worker with wrangler into `outDir` (index.js plus hashed .sql modules).
 * Synchronous: it takes about two seconds and nothing else can happen before it is done.
 * @param {string} [outDir]
 * @returns {string} the absolute outDir
 */
export function build(outDir = DEFAULT_DIST_DIR) {
  const out = resolve(outDir);
  // The web client first: wrangler.toml's [assets] names its folder, and the config serves it.
  const web = spawnSync(process.execPath, [join(ROOT, "client/web/build.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (web.error || web.status !== 0) {
    throw new Error(`web client build failed (exit ${web.status}):\n${web.stdout}\n${web.stderr}`);
  }
  const result = spawnSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PATH: binPath(), WRANGLER_SEND_METRICS: "false" },
  });
  if (result.error) throw new Error(`could not run wrangler (npm install first?): ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`wrangler build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return out;
}

/**
 * Generates the workerd config for a build and writes it, creating the data directory.
 * Vars come from wrangler.toml, each overridable from `env` (REALM, TICK_RATE_HZ, ...).
 * @param {{ distDir?: string, dataDir?: string, configPath?: string, listen?: string,
 *   env?: Record<string, string | undefined> }} [options]
 * @returns {string} the absolute config path
 */
export function writeConfig(options = {}) {
  const configPath = resolve(options.configPath ?? DEFAULT_CONFIG_PATH);
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const settings = readWranglerSettings(readFileSync(WRANGLER_TOML, "utf8"));
  const text = generateWorkerdConfig({
    distDir: options.distDir ?? DEFAULT_DIST_DIR,
    dataDir,
    configDir: dirname(configPath),
    assetsDir: existsSync(join(DEFAULT_ASSETS_DIR, "index.html")) ? DEFAULT_ASSETS_DIR : undefined,
    listen: options.listen,
    vars: resolveVars(settings.vars, options.env ?? process.env),
    compatibilityDate: settings.compatibilityDate,
    compatibilityFlags: settings.compatibilityFlags,
  });
  mkdirSync(dirname(configPath), { recursive: true });
  // The config carries secrets (JWT_SECRET, DATABASE_URL): readable by its owner only.
  writeFileSync(configPath, text, { mode: 0o600 });
  return configPath;
}

/**
 * Starts `workerd serve <configPath>`. With stdio "pipe" the caller reads the child's
 * stdout (the realm's JSON log lines) and stderr (workerd's own messages).
 * @param {string} configPath
 * @param {{ stdio?: "inherit" | "pipe", verbose?: boolean, dieWithParent?: boolean, inspectorAddr?: string }} [options]
 */
export function startWorkerd(configPath, options = {}) {
  const args = ["serve", resolve(configPath)];
  if (options.verbose) args.push("--verbose");
  // The V8 inspector, for a CPU profile of a benchmark run (bench/README.md); never on a served node.
  if (options.inspectorAddr) args.push(`--inspector-addr=${options.inspectorAddr}`);
  const spawnOptions = {
    cwd: ROOT,
    stdio: /** @type {const} */ (["ignore", options.stdio ?? "inherit", options.stdio ?? "inherit"]),
  };
  // setpriv (util-linux) sets the parent-death signal and execs workerd: same pid, and the kernel
  // kills workerd when this process dies, however it dies.
  if (options.dieWithParent && existsSync(SETPRIV)) {
    return spawn(SETPRIV, ["--pdeathsig", "SIGKILL", "--", WORKERD_BIN, ...args], spawnOptions);
  }
  return spawn(WORKERD_BIN, args, spawnOptions);
}

const SETPRIV = "/usr/bin/setpriv";

/**
 * The listen address for `npm run selfhost`: LISTEN, else 127.0.0.1:PORT, else 127.0.0.1:8787.
 * @param {Record<string, string | undefined>} env
 * @returns {string}
 */
export function listenFromEnv(env) {
  if (env.LISTEN) {
    try {
      return checkListen(env.LISTEN);
    } catch {
      throw new Error(`LISTEN must be host:port with a port of 1-65535 (e.g. 127.0.0.1:8787), got "${env.LISTEN}"`);
    }
  }
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT must be a TCP port number (1-65535), got "${env.PORT}"`);
  }
  return `127.0.0.1:${port}`;
}

/**
 * The base URL a local client uses for a listen address: a wildcard host is reached via loopback.
 * @param {string} listen
 */
export function baseUrlFor(listen) {
  const at = listen.lastIndexOf(":");
  const host = listen.slice(0, at);
  const local = host === "0.0.0.0" ? "127.0.0.1" : host === "[::]" ? "[::1]" : host;
  return `http://${local}:${listen.slice(at + 1)}`;
}

// Re-exported so TypeScript callers (the selfhost tests) get it with the types in workerd.d.mts.
export { waitForHealthy } from "../scripts/lib/wait.mjs";
