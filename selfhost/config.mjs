/**
 * Generates the workerd (Cap'n Proto text) config that runs the realm without wrangler.
 *
 * Why generated and not hand-written: wrangler's bundle imports its `.sql` migrations under names
 * that carry a content hash (`b144…-0000_zone_init.sql`), so the module list changes with every
 * migration edit. Everything else (vars, compatibility settings) comes from wrangler.toml so the
 * two ways of running the realm cannot drift apart.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The repo's wrangler.toml: the single source of compatibility settings and vars. */
export const WRANGLER_TOML = fileURLToPath(new URL("../wrangler.toml", import.meta.url));

/** Durable Object classes exported by the bundle, with the binding name each gets in `env`. */
const DURABLE_OBJECTS = [
  { binding: "ZONES", className: "ZoneDurableObject" },
  { binding: "DIRECTORY", className: "DirectoryDurableObject" },
  { binding: "LIMITER", className: "RateLimiterDurableObject" },
];

/** Module type of each file the bundle may import, by extension (wrangler's rules: Text for .sql). */
const MODULE_TYPES = { ".sql": "text", ".txt": "text", ".html": "text", ".wasm": "wasm", ".bin": "data" };

/**
 * The three wrangler.toml settings the config needs, parsed line by line (the file is ours and
 * simple; a TOML library would be one more dependency for three keys).
 * @param {string} text contents of wrangler.toml
 * @returns {{ compatibilityDate: string, compatibilityFlags: string[], vars: Record<string, string> }}
 */
export function readWranglerSettings(text) {
  const date = text.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1];
  if (!date) throw new Error('wrangler.toml has no compatibility_date = "YYYY-MM-DD" line');
  const flagsList = text.match(/^compatibility_flags\s*=\s*\[([^\]]*)\]/m)?.[1] ?? "";
  const compatibilityFlags = [...flagsList.matchAll(/"([^"]+)"/g)].map((m) => /** @type {string} */ (m[1]));
  /** @type {Record<string, string>} */
  const vars = {};
  let section = "";
  for (const line of text.split("\n")) {
    const header = line.match(/^\s*\[+([^\]]+)\]+/);
    if (header) section = /** @type {string} */ (header[1]).trim();
    const entry = section === "vars" && line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"/);
    if (entry) vars[/** @type {string} */ (entry[1])] = /** @type {string} */ (entry[2]);
  }
  return { compatibilityDate: date, compatibilityFlags, vars };
}

/**
 * The vars from wrangler.toml, each overridable by an environment variable of the same name
 * (as `REALM=eu npm run selfhost`). Only names wrangler.toml declares are taken from `env`.
 * @param {Record<string, string>} tomlVars
 * @param {Record<string, string | undefined>} env
 * @returns {Record<string, string>}
 */
export function resolveVars(tomlVars, env) {
  const defaults = { ...tomlVars, ...SELFHOST_DEFAULTS };
  const vars = Object.fromEntries(Object.entries(defaults).map(([name, value]) => [name, env[name] ?? value]));
  // Secrets are never in wrangler.toml (on Cloudflare they are `wrangler secret put`); here they
  // come from the environment when set.
  for (const name of SECRET_NAMES) if (env[name]) vars[name] = String(env[name]);
  return vars;
}

/**
 * Settings taken from the environment only: credentials, where the database is, and a cluster
 * node's name and call-signing keys (docs/selfhost.md).
 */
export const SECRET_NAMES = [
  "DATABASE_URL",
  "DATABASE_DRIVER",
  "NEON_WS_PROXY",
  "JWT_SECRET",
  "PROXY_SECRET",
  "NODE_ID",
  "NODE_SECRET",
  "NODE_SECRET_PREVIOUS",
];

/**
 * Where plain workerd differs from Cloudflare: no edge sets CF-Connecting-IP, but workerd knows each
 * connection's peer, so client addresses come from the socket (behind a reverse proxy, set
 * CLIENT_ADDRESS=proxy with TRUSTED_PROXIES or PROXY_SECRET; docs/accounts.md).
 */
export const SELFHOST_DEFAULTS = { CLIENT_ADDRESS: "socket" };

/**
 * One line saying where the realm will take client addresses from, and what that means.
 * @param {Record<string, string>} vars
 */
export function describeClientAddress(vars) {
  const mode = vars.CLIENT_ADDRESS ?? "cloudflare";
  if (mode === "socket") {
    return "client addresses: each connection's TCP peer (CLIENT_ADDRESS=socket). Behind a reverse proxy every player would share the proxy's address: then set CLIENT_ADDRESS=proxy with TRUSTED_PROXIES or PROXY_SECRET.";
  }
  if (mode === "proxy") {
    const trusted = [vars.TRUSTED_PROXIES && `from ${vars.TRUSTED_PROXIES}`, vars.PROXY_SECRET && "with PROXY_SECRET"]
      .filter(Boolean)
      .join(" or ");
    return trusted
      ? `client addresses: X-Forwarded-For as appended by your proxy (${trusted}); requests that bypass it count under their own peer address.`
      : "client addresses: CLIENT_ADDRESS=proxy needs TRUSTED_PROXIES or PROXY_SECRET; without them every player would share the proxy's address, so the gateway refuses /auth requests until one is set.";
  }
  return "client addresses: CF-Connecting-IP (CLIENT_ADDRESS=cloudflare), which only Cloudflare's edge sets; under plain workerd the gateway uses each connection's TCP peer instead and warns.";
}

/**
 * Checks a `host:port` listen address (IPv6 as `[::1]:8787`) and returns it unchanged.
 * @param {string} listen
 * @returns {string}
 */
export function checkListen(listen) {
  const match = String(listen).match(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    throw new Error(`listen address must be host:port with a port of 1-65535 (e.g. 127.0.0.1:8787), got "${listen}"`);
  }
  return listen;
}

/**
 * A Cap'n Proto text literal. Cap'n Proto knows C-style escapes (not JSON's \u), so quotes,
 * backslashes and control characters are escaped by hand; other UTF-8 passes through as is.
 * @param {string} value
 */
const capnpString = (value) => {
  let out = "";
  for (const c of value) {
    const code = c.charCodeAt(0);
    if (c === "\\" || c === '"') out += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += c;
  }
  return `"${out}"`;
};

/**
 * The relative module specifiers (`./x.sql`) the bundle imports, without the `./`.
 * @param {string} source index.js
 */
function bundleImports(source) {
  const names = new Set();
  for (const m of source.matchAll(/^\s*import\s+(?:[\w${}*,\s]+\s+from\s+)?["']\.\/([^"']+)["']/gm)) names.add(m[1]);
  return names;
}

/**
 * @typedef {object} WorkerdConfigOptions
 * @property {string} distDir output of `wrangler deploy --dry-run --outdir <distDir>`
 * @property {string} dataDir where Durable Objects keep their SQLite files (must exist)
 * @property {string} [listen] `host:port` of the HTTP socket; 127.0.0.1:8787 by default
 * @property {Record<string, string>} [vars] text bindings; wrangler.toml [vars] by default
 * @property {string} [configDir] directory the config file will be written to (see below); distDir by default
 * @property {string} [assetsDir] the web client's build, served read-only as the ASSETS binding; none when unset
 * @property {string} [compatibilityDate] wrangler.toml's by default
 * @property {string[]} [compatibilityFlags] wrangler.toml's by default
 */

/**
 * Returns the text of a workerd config for the built bundle in `distDir`.
 *
 * Module files are `embed`ded by paths relative to `configDir`: workerd resolves an absolute
 * embed path against its import path (-I), not the filesystem root, so relative paths are what
 * make the file work with a plain `workerd serve <config>`. The data directory is absolute.
 * @param {WorkerdConfigOptions} options
 * @returns {string}
 */
export function generateWorkerdConfig(options) {
  const distDir = resolve(options.distDir);
  const dataDir = resolve(options.dataDir);
  const configDir = resolve(options.configDir ?? distDir);
  const listen = checkListen(options.listen ?? "127.0.0.1:8787");
  const needsToml = !options.vars || !options.compatibilityDate || !options.compatibilityFlags;
  const toml = needsToml ? readWranglerSettings(readFileSync(WRANGLER_TOML, "utf8")) : undefined;
  const vars = options.vars ?? toml?.vars ?? {};
  const compatibilityDate = options.compatibilityDate ?? toml?.compatibilityDate;
  const compatibilityFlags = options.compatibilityFlags ?? toml?.compatibilityFlags ?? [];

  /** @param {string} file */
  const embedPath = (file) => {
    const path = relative(configDir, join(distDir, file)).split(sep).join("/");
    return path.startsWith(".") ? path : `./${path}`;
  };

  let source;
  try {
    source = readFileSync(join(distDir, "index.js"), "utf8");
  } catch {
    throw new Error(`no index.js in ${distDir}: run \`wrangler deploy --dry-run --outdir ${distDir}\` first`);
  }
  // Every .sql file (wrangler's Text rule), plus anything else the bundle imports by relative path.
  const files = new Set(readdirSync(distDir).filter((f) => f.endsWith(".sql")));
  for (const name of bundleImports(source)) files.add(name);
  const present = new Set(readdirSync(distDir));
  const modules = [`(name = "index.js", esModule = embed ${capnpString(embedPath("index.js"))})`];
  for (const name of [...files].sort()) {
    if (!present.has(name)) throw new Error(`index.js imports ./${name}, which is missing from ${distDir}`);
    const type = MODULE_TYPES[/** @type {keyof typeof MODULE_TYPES} */ (name.slice(name.lastIndexOf(".")))];
    if (!type) throw new Error(`index.js imports ./${name}, a module type this config generator does not know`);
    modules.push(`(name = ${capnpString(name)}, ${type} = embed ${capnpString(embedPath(name))})`);
  }

  const bindings = Object.entries(vars).map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`var name "${name}" is not an identifier`);
    return `(name = ${capnpString(name)}, text = ${capnpString(String(value))})`;
  });
  const assets = options.assetsDir
    ? `\n    # The web client's files (client/web/dist), read-only; the gateway serves them as ASSETS.\n    (name = "leviathan-assets", disk = (path = ${capnpString(resolve(options.assetsDir))}, writable = false)),`
    : "";
  if (assets) bindings.push('(name = "ASSETS", service = "leviathan-assets")');
  for (const { binding, className } of DURABLE_OBJECTS) {
    bindings.push(`(name = "${binding}", durableObjectNamespace = (className = "${className}"))`);
  }
  // uniqueKey names each class's folder under dataDir and seeds its object ids: never change it,
  // or every zone starts over empty.
  const namespaces = DURABLE_OBJECTS.map(
    ({ className }) => `(className = "${className}", uniqueKey = "leviathan-${className}", enableSql = true)`,
  );
  const list = (/** @type {string[]} */ items) => `[\n    ${items.join(",\n    ")},\n  ]`;

  return `# Generated by selfhost/config.mjs from ${distDir}; do not edit (rerun \`npm run selfhost\`).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "leviathan", worker = .leviathan),
    # Durable Object storage: one SQLite file per object under this directory.
    (name = "leviathan-data", disk = (path = ${capnpString(dataDir)}, writable = true)),
    # Outbound fetch/connect. "private" and "local" let the realm reach a Postgres on this host or LAN.
    (name = "internet", network = (allow = ["public", "private", "local"])),${assets}
  ],
  sockets = [
    (name = "http", address = ${capnpString(listen)}, http = (), service = "leviathan"),
  ],
);

const leviathan :Workerd.Worker = (
  modules = ${list(modules)},
  compatibilityDate = ${capnpString(String(compatibilityDate))},
  compatibilityFlags = [${compatibilityFlags.map(capnpString).join(", ")}],
  bindings = ${list(bindings)},
  durableObjectNamespaces = ${list(namespaces)},
  durableObjectStorage = (localDisk = "leviathan-data"),
  globalOutbound = "internet",
);
`;
}
