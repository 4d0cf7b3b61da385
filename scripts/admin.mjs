#!/usr/bin/env node
/**
 * `npm run admin -- <command>`: the operator's tool for a clustered self-hosted realm
 * (docs/selfhost.md, "Admin CLI"). Reads DATABASE_URL, NODE_SECRET and REALM (default: wrangler.toml's)
 * from the environment; `--json` prints machine-readable output.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { readWranglerSettings, resolveVars, WRANGLER_TOML } from "../selfhost/config.mjs";
import {
  drain,
  forget,
  inspectZone,
  launch,
  listNodes,
  listPlacements,
  migrate,
  undrain,
  whereIs,
} from "./lib/cluster-admin.mjs";

const USAGE = `usage: npm run admin -- <command> [--json]
  nodes                              the realm's nodes, their leases and how many objects each owns
  placements [--node ID]             which node owns each zone (and the directory and limiter)
  launch <zone> [--node ID]          start a zone no node runs yet (on ID, else the least loaded node)
  migrate <zone|directory|limiter> --to ID
                                     move it: players are sent to reconnect, its state follows
  drain <node>                       move everything off a node (it takes nothing new until undrain)
  undrain <node>                     let a drained node receive objects again
  forget <node>                      remove a dead node that owns nothing from the membership
  zone <zone>                        where a zone runs and its last load report
  whereis <character name>           where a character is saved and where it plays now
environment: DATABASE_URL (the realm's Postgres), NODE_SECRET (signs calls to nodes), REALM`;

function parse(argv) {
  const positional = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") options.json = true;
    else if (arg === "--node" || arg === "--to") {
      const value = argv[++i];
      if (!value || value.startsWith("--")) usage(`${arg} needs a node id`);
      options[arg.slice(2)] = value;
    } else if (arg.startsWith("--")) usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  return { command: positional[0], arg: positional[1], extra: positional.slice(2), options };
}

function usage(problem) {
  console.error(`admin: ${problem}\n${USAGE}`);
  process.exit(2);
}

function fatal(problem) {
  console.error(`admin: ${problem}`);
  process.exit(2);
}

function table(rows) {
  if (!rows.length) return "(none)";
  const keys = Object.keys(rows[0]);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k] ?? "").length)));
  const line = (values) =>
    values
      .map((v, i) => String(v ?? "").padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(keys), ...rows.map((r) => line(keys.map((k) => r[k])))].join("\n");
}

const { command, arg, extra, options } = parse(process.argv.slice(2));
if (!command) usage("no command");
if (extra.length) usage(`unexpected argument "${extra[0]}"`);
const needsArg = ["launch", "migrate", "drain", "undrain", "forget", "zone", "whereis"];
if (needsArg.includes(command) && !arg) usage(`${command} needs an argument`);
if (command === "migrate" && !options.to) usage("migrate needs --to <node>");

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fatal("DATABASE_URL is not set: point it at the realm's Postgres");
const secret = process.env.NODE_SECRET ?? "";
const realm = resolveVars(readWranglerSettings(readFileSync(WRANGLER_TOML, "utf8")).vars, process.env).REALM;
const needsSecret = ["launch", "migrate", "drain", "zone", "whereis"];
if (needsSecret.includes(command) && secret.length < 32)
  fatal("NODE_SECRET is not set: the same secret the nodes sign their calls with");

const progress = options.json ? () => {} : (line) => console.log(line);
const db = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
try {
  await db.connect();
  const context = { realm, secret, progress };
  let result;
  switch (command) {
    case "nodes":
      result = await listNodes(db, realm);
      break;
    case "placements":
      result = await listPlacements(db, realm, options.node);
      break;
    case "launch":
      result = await launch(db, { ...context, what: arg, node: options.node });
      break;
    case "migrate":
      result = await migrate(db, { ...context, what: arg, to: options.to });
      break;
    case "drain":
      result = await drain(db, { ...context, node: arg });
      break;
    case "undrain":
      await undrain(db, { realm, node: arg });
      result = { node: arg, draining: false };
      break;
    case "forget":
      result = await forget(db, { realm, node: arg });
      break;
    case "zone":
      result = await inspectZone(db, { ...context, zone: arg });
      break;
    case "whereis":
      result = await whereIs(db, { ...context, name: arg });
      break;
    default:
      usage(`unknown command "${command}"`);
  }
  if (options.json) console.log(JSON.stringify(result));
  else if (Array.isArray(result)) console.log(table(result));
  else console.log(JSON.stringify(result, null, 2));
} catch (error) {
  const message = /** @type {Error} */ (error).message;
  const missing = /relation "(realm_nodes|object_placements)" does not exist/.test(message);
  console.error(
    `admin: ${missing ? "this database has no cluster tables: start a node of the realm first (it migrates)" : message}`,
  );
  process.exitCode = 1;
} finally {
  await db.end().catch(() => {});
}
