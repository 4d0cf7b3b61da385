/**
 * The node runner's work for a clustered realm (docs/selfhost.md, "Nodes and placement"), beside
 * the workerd it supervises; the node's lease itself is held by lease.mjs, on its own connection:
 *  - **failover**: objects placed on a node whose lease ran out are given to the live nodes with the
 *    fewest objects, one transaction at a time (`FOR UPDATE SKIP LOCKED`: several nodes sweep at once
 *    without taking the same object twice), each with a new epoch and `restore_from` naming the old owner;
 *  - **restore**: objects given to this node with `restore_from` set are copied from that node's
 *    folder on the shared data root, then `restore_from` is cleared and the object woken.
 */
import { setImmediate as yieldToTimers } from "node:timers/promises";
import pg from "pg";
import { copyObjectFiles } from "./files.mjs";
import { BEAT_MS } from "./lease.mjs";
import { callNode } from "./node-call.mjs";
import { lazyClient } from "./pg-client.mjs";

/** Objects copied in per pass: the rest wait for the next pass, so a pass stays short. */
const RESTORES_PER_PASS = 20;

/**
 * @typedef {{ realm: string, nodeId: string, root: string, databaseUrl: string, secret: string,
 *   workerdUrl: string, log: (line: string) => void, beatMs?: number }} AgentOptions
 */

/** @param {AgentOptions} options */
export function startAgent(options) {
  const beatMs = options.beatMs ?? BEAT_MS;
  const client = lazyClient({ connectionString: options.databaseUrl, connectionTimeoutMillis: 3000 });
  let running = false;
  let stopped = false;
  /** Objects restored here whose wake-up has not been answered yet: `ns\0name`. */
  const toWake = new Set();

  /** Gives the objects of dead nodes to live ones; returns how many moved. */
  async function failOver(db) {
    await db.query("BEGIN");
    try {
      const orphans = await db.query(
        `SELECT p.namespace, p.name, p.node_id, p.epoch FROM object_placements p
           LEFT JOIN realm_nodes n ON n.realm = p.realm AND n.node_id = p.node_id
          WHERE p.realm = $1 AND (n.node_id IS NULL OR n.lease_until < now())
          ORDER BY p.namespace, p.name
          FOR UPDATE OF p SKIP LOCKED LIMIT 200`,
        [options.realm],
      );
      if (!orphans.rowCount) {
        await db.query("COMMIT");
        return 0;
      }
      const live = await db.query(
        `SELECT n.node_id, count(p.name)::int AS objects FROM realm_nodes n
           LEFT JOIN object_placements p ON p.realm = n.realm AND p.node_id = n.node_id
          WHERE n.realm = $1 AND n.lease_until > now() AND NOT n.draining
          GROUP BY n.node_id`,
        [options.realm],
      );
      const load = new Map(live.rows.map((row) => [row.node_id, row.objects]));
      let moved = 0;
      for (const orphan of orphans.rows) {
        const target = [...load.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0]?.[0];
        if (!target) break;
        // The old owner's folder holds the files, unless it had not copied them in itself yet.
        await db.query(
          `UPDATE object_placements
              SET node_id = $5, epoch = epoch + 1, restore_from = coalesce(restore_from, node_id),
                  moving = false, placed_at = now()
            WHERE realm = $1 AND namespace = $2 AND name = $3 AND epoch = $4`,
          [options.realm, orphan.namespace, orphan.name, orphan.epoch, target],
        );
        load.set(target, (load.get(target) ?? 0) + 1);
        options.log(`failover: ${orphan.name} from ${orphan.node_id} (its lease ran out) to ${target}`);
        moved++;
      }
      await db.query("COMMIT");
      return moved;
    } catch (error) {
      await db.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }

  /** Copies in the objects given to this node, clears `restore_from`, wakes them. */
  async function restore(db) {
    const pending = await db.query(
      `SELECT namespace, name, object_id, epoch, restore_from FROM object_placements
        WHERE realm = $1 AND node_id = $2 AND restore_from IS NOT NULL
        ORDER BY namespace, name LIMIT ${RESTORES_PER_PASS}`,
      [options.realm, options.nodeId],
    );
    for (const row of pending.rows) {
      const started = Date.now();
      try {
        // Back to the node that wrote the files last (a move whose target died before copying):
        // they are here already, and copying a folder onto itself would erase them.
        const copy =
          row.restore_from === options.nodeId
            ? { copied: true, bytes: 0, inPlace: true }
            : copyObjectFiles({
                root: options.root,
                from: row.restore_from,
                to: options.nodeId,
                namespace: row.namespace,
                objectId: row.object_id,
              });
        const done = await db.query(
          `UPDATE object_placements SET restore_from = NULL
            WHERE realm = $1 AND namespace = $2 AND name = $3 AND node_id = $4 AND epoch = $5`,
          [options.realm, row.namespace, row.name, options.nodeId, row.epoch],
        );
        if (!done.rowCount) continue; // moved on meanwhile: the next owner copies it
        const what = copy.inPlace
          ? "its files were here already"
          : copy.copied
            ? `${copy.bytes} bytes`
            : "no files: it starts fresh";
        options.log(`restored ${row.name} from ${row.restore_from} (${what}, ${Date.now() - started} ms)`);
        toWake.add(`${row.namespace}\u0000${row.name}`);
      } catch (error) {
        // This object waits (unavailable; LeviathanObjectsUnsettled fires); the others go on.
        options.log(`restore of ${row.name} from ${row.restore_from} failed: ${/** @type {Error} */ (error).message}`);
      }
      await yieldToTimers();
    }
    for (const entry of [...toWake]) {
      const [ns, name] = entry.split("\u0000");
      const answer = await callNode(options.workerdUrl, options.nodeId, options.secret, "POST", "/_node/wake", {
        ns,
        name,
      }).catch((error) => ({ status: 0, json: { message: String(error) } }));
      // 421: it moved on to another node, which wakes it there.
      if (answer.status === 200 || answer.status === 421) toWake.delete(entry);
      else options.log(`wake of ${name} failed (${answer.status} ${answer.json?.message ?? ""}); retrying`);
    }
  }

  async function pass() {
    if (running || stopped) return;
    running = true;
    try {
      const db = await client.get();
      await failOver(db);
      await restore(db);
    } catch (error) {
      client.drop();
      options.log(`cluster: ${/** @type {Error} */ (error).message}`);
    } finally {
      running = false;
    }
  }

  const timer = setInterval(() => void pass(), beatMs);
  void pass();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      client.drop();
    },
  };
}

/**
 * This node's object ids before workerd starts (for pruneForeignAlarms), read once its lease is
 * held (lease.mjs), so no sweep can take one of them away while workerd starts.
 * @param {string} databaseUrl
 * @param {string} realm
 * @param {string} nodeId
 * @returns {Promise<Set<string>>}
 */
export async function ownedObjectIds(databaseUrl, realm, nodeId) {
  const db = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await db.connect();
  try {
    const rows = await db.query(
      "SELECT object_id FROM object_placements WHERE realm = $1 AND node_id = $2 AND restore_from IS NULL",
      [realm, nodeId],
    );
    return new Set(rows.rows.map((row) => row.object_id));
  } finally {
    await db.end();
  }
}
