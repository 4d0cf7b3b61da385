/**
 * An object's files on the nodes' shared data root (docs/selfhost.md, "Where zone state lives"):
 * every node keeps its Durable Objects under `<root>/<node id>/leviathan-<Class>/<object id>.sqlite`
 * (workerd's localDisk layout), so the node that takes an object over copies it from the previous
 * owner's folder. The copy is SQLite's `VACUUM INTO`: one consistent database, what the WAL held
 * included, whether the previous owner stopped cleanly or died mid-write.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

/** The Durable Object class behind each placed binding (wrangler.toml). */
export const CLASS_OF = {
  ZONES: "ZoneDurableObject",
  DIRECTORY: "DirectoryDurableObject",
  LIMITER: "RateLimiterDurableObject",
};

/**
 * @param {string} root
 * @param {string} nodeId
 * @param {keyof typeof CLASS_OF} namespace
 */
export const classFolder = (root, nodeId, namespace) => join(root, nodeId, `leviathan-${CLASS_OF[namespace]}`);

/**
 * Copies an object's database from node `from` to node `to` under `root`, replacing whatever `to`
 * held of it. An object `from` never wrote leaves `to` without a file (it starts fresh there); a
 * `from` whose folder is missing altogether is an error.
 * @param {{ root: string, from: string, to: string, namespace: keyof typeof CLASS_OF, objectId: string }} o
 * @returns {{ copied: boolean, bytes: number }}
 */
export function copyObjectFiles({ root, from, to, namespace, objectId }) {
  if (!/^[0-9a-f]{64}$/.test(objectId)) throw new Error(`not a workerd object id: "${objectId}"`);
  // No folder at all for the old owner means this node cannot see the shared root, not that the
  // object never wrote anything: starting it fresh would lose its state, so refuse (it stays unavailable).
  if (!existsSync(join(root, from))) {
    throw new Error(
      `cannot see node ${from}'s folder ${join(root, from)}: is the shared data root mounted on this node?`,
    );
  }
  const source = join(classFolder(root, from, namespace), `${objectId}.sqlite`);
  const folder = classFolder(root, to, namespace);
  mkdirSync(folder, { recursive: true });
  const target = join(folder, `${objectId}.sqlite`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
  if (!existsSync(source)) return { copied: false, bytes: 0 };
  // Read-write: a node that died mid-write left a WAL that SQLite replays on open.
  const db = new DatabaseSync(source);
  try {
    db.exec(`VACUUM INTO '${target.replaceAll("'", "''")}'`);
  } finally {
    db.close();
  }
  return { copied: true, bytes: statSync(target).size };
}

/**
 * Removes workerd's pending alarms for objects this node does not own, before workerd starts: a
 * node that died with an armed alarm would otherwise wake its old copy of an object that now runs
 * elsewhere. Returns how many it removed.
 * @param {string} dataDir this node's folder
 * @param {Set<string>} owned object ids placed on this node
 */
export function pruneForeignAlarms(dataDir, owned) {
  if (!existsSync(dataDir)) return 0;
  let removed = 0;
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const metadata = join(dataDir, entry.name, "metadata.sqlite");
    if (!entry.isDirectory() || !entry.name.startsWith("leviathan-") || !existsSync(metadata)) continue;
    const db = new DatabaseSync(metadata);
    try {
      const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = '_cf_ALARM'").get();
      if (!hasTable) continue;
      for (const row of db.prepare("SELECT actor_id FROM _cf_ALARM").all()) {
        const id = String(row.actor_id);
        if (owned.has(id)) continue;
        db.prepare("DELETE FROM _cf_ALARM WHERE actor_id = ?").run(id);
        removed++;
      }
    } finally {
      db.close();
    }
  }
  return removed;
}
