/**
 * What `npm run admin` does to a clustered realm (docs/selfhost.md, "Admin CLI"), as functions over
 * a Postgres client and the nodes' signed `/_node/` endpoints: list nodes and placements, launch,
 * move and drain objects, and inspect a zone or a character. Each step reports through `progress`.
 */
import { callNode } from "../../selfhost/cluster/node-call.mjs";

/** The placed object an argument names: a zone id, or `directory` / `limiter`. */
export function objectFor(realm, what) {
  if (what === "directory") return { ns: "DIRECTORY", name: `${realm}:directory` };
  if (what === "limiter") return { ns: "LIMITER", name: `${realm}:limiter` };
  if (!/^[a-z0-9][a-z0-9_~-]{0,63}$/i.test(what))
    throw new Error(`"${what}" is not a zone id, "directory" or "limiter"`);
  return { ns: "ZONES", name: `${realm}:zone:${what}` };
}

const short = (realm, name) => name.replace(`${realm}:zone:`, "").replace(`${realm}:`, "");

export async function listNodes(db, realm) {
  const { rows } = await db.query(
    `SELECT n.node_id, n.url, n.lease_until > now() AS live, n.draining,
            round(extract(epoch FROM (n.lease_until - now())))::int AS lease_seconds,
            round(extract(epoch FROM (now() - n.heartbeat_at)))::int AS heartbeat_age,
            (SELECT count(*)::int FROM object_placements p WHERE p.realm = n.realm AND p.node_id = n.node_id) AS objects
       FROM realm_nodes n WHERE n.realm = $1 ORDER BY n.node_id`,
    [realm],
  );
  return rows.map((row) => ({
    node: row.node_id,
    url: row.url,
    state: row.live ? (row.draining ? "draining" : "live") : "dead",
    leaseSeconds: row.lease_seconds,
    heartbeatAgeSeconds: row.heartbeat_age,
    objects: row.objects,
  }));
}

export async function listPlacements(db, realm, node) {
  const { rows } = await db.query(
    `SELECT namespace, name, node_id, epoch, restore_from, moving, placed_at FROM object_placements
      WHERE realm = $1 AND ($2::text IS NULL OR node_id = $2) ORDER BY namespace, name`,
    [realm, node ?? null],
  );
  return rows.map((row) => ({
    object: short(realm, row.name),
    namespace: row.namespace,
    node: row.node_id,
    epoch: row.epoch,
    state: row.moving ? "moving" : row.restore_from ? `restoring from ${row.restore_from}` : "active",
  }));
}

async function placementOf(db, realm, object) {
  const { rows } = await db.query(
    `SELECT p.node_id, p.epoch, p.restore_from, p.moving, n.url, n.lease_until > now() AS live
       FROM object_placements p JOIN realm_nodes n ON n.realm = p.realm AND n.node_id = p.node_id
      WHERE p.realm = $1 AND p.namespace = $2 AND p.name = $3`,
    [realm, object.ns, object.name],
  );
  return rows[0];
}

async function liveNode(db, realm, node) {
  const { rows } = await db.query(
    "SELECT url, draining FROM realm_nodes WHERE realm = $1 AND node_id = $2 AND lease_until > now()",
    [realm, node],
  );
  if (!rows[0]) throw new Error(`node "${node}" is not live in realm ${realm} (see \`npm run admin -- nodes\`)`);
  return rows[0];
}

async function leastLoaded(db, realm, except) {
  const nodes = (await listNodes(db, realm)).filter((n) => n.state === "live" && n.node !== except);
  nodes.sort((a, b) => a.objects - b.objects || a.node.localeCompare(b.node));
  if (!nodes[0]) throw new Error(`no other live, undrained node in realm ${realm} to move to`);
  return nodes[0].node;
}

async function expectOk(answer, what) {
  if (answer.status !== 200) throw new Error(`${what}: ${answer.status} ${answer.json?.message ?? answer.json?.error}`);
  return answer.json;
}

/** Places a zone that no node owns yet (on `node`, else the least loaded) and starts it there. */
export async function launch(db, { realm, secret, what, node, progress }) {
  const object = objectFor(realm, what);
  const placed = await placementOf(db, realm, object);
  if (placed)
    throw new Error(`${what} already runs on ${placed.node_id}; move it with \`migrate ${what} --to <node>\``);
  const target = node ?? (await leastLoaded(db, realm));
  const { url } = await liveNode(db, realm, target);
  const query = new URLSearchParams({ ns: object.ns, name: object.name });
  const { objectId } = await expectOk(
    await callNode(url, target, secret, "GET", `/_node/object-id?${query}`),
    "object id",
  );
  await db.query(
    `INSERT INTO object_placements (realm, namespace, name, object_id, node_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [realm, object.ns, object.name, objectId, target],
  );
  progress(`placed ${what} on ${target}; starting it…`);
  await expectOk(await callNode(url, target, secret, "POST", "/_node/wake", object), `start of ${what}`);
  return { object: what, node: target };
}

/**
 * A planned move: marks the placement moving (routers answer 503 for it), has the old owner hand
 * its players back and commit (`prepare-move`), gives it to `to` with a new epoch and
 * `restore_from`, then waits until `to` has copied its files and woken it.
 */
export async function migrate(db, { realm, secret, what, to, progress, timeoutMs = 60_000 }) {
  const started = Date.now();
  const object = objectFor(realm, what);
  const placed = await placementOf(db, realm, object);
  if (!placed) throw new Error(`${what} is not placed on any node yet (start it with \`launch ${what}\`)`);
  if (placed.restore_from)
    throw new Error(`${what} is being copied to ${placed.node_id}; try again when it has landed`);
  if (!placed.live) throw new Error(`${what}'s node ${placed.node_id} is down: failover moves it by itself`);
  if (placed.node_id === to) throw new Error(`${what} already runs on ${to}`);
  await liveNode(db, realm, to);
  if (placed.moving) {
    // A move that stopped half-way (the CLI was interrupted): draining again is harmless, so finish it.
    progress(`${what}: finishing an interrupted move from ${placed.node_id}…`);
  } else {
    const marked = await db.query(
      "UPDATE object_placements SET moving = true WHERE realm = $1 AND namespace = $2 AND name = $3 AND epoch = $4",
      [realm, object.ns, object.name, placed.epoch],
    );
    if (!marked.rowCount) throw new Error(`${what} changed owner meanwhile; look again with \`placements\``);
  }
  progress(`${what}: draining on ${placed.node_id}…`);
  let released;
  try {
    const answer = await callNode(placed.url, placed.node_id, secret, "POST", "/_node/prepare-move", {
      ...object,
      epoch: placed.epoch,
    });
    released = (await expectOk(answer, `drain of ${what} on ${placed.node_id}`)).released;
  } catch (error) {
    await db.query(
      "UPDATE object_placements SET moving = false WHERE realm = $1 AND namespace = $2 AND name = $3 AND epoch = $4",
      [realm, object.ns, object.name, placed.epoch],
    );
    throw error;
  }
  const handed = await db.query(
    `UPDATE object_placements SET node_id = $5, epoch = epoch + 1, restore_from = $6, moving = false, placed_at = now()
      WHERE realm = $1 AND namespace = $2 AND name = $3 AND epoch = $4`,
    [realm, object.ns, object.name, placed.epoch, to, placed.node_id],
  );
  if (!handed.rowCount) {
    throw new Error(`${what} changed owner while it drained (its node died?); look again with \`placements\``);
  }
  progress(`${what}: copying to ${to}…`);
  while (Date.now() - started < timeoutMs) {
    const now = await placementOf(db, realm, object);
    if (now && now.node_id === to && !now.restore_from) {
      return { object: what, from: placed.node_id, to, players: released?.players ?? 0, ms: Date.now() - started };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${to} did not restore ${what} within ${timeoutMs / 1000} s: is its runner up? (its log says why)`);
}

/** Moves every object off `node` (which takes no new ones from now on), one at a time. */
export async function drain(db, { realm, secret, node, progress }) {
  await liveNode(db, realm, node);
  await db.query("UPDATE realm_nodes SET draining = true WHERE realm = $1 AND node_id = $2", [realm, node]);
  const objects = await listPlacements(db, realm, node);
  const moved = [];
  for (const [i, placement] of objects.entries()) {
    const what = placement.namespace === "ZONES" ? placement.object : placement.object.split(":").pop();
    const to = await leastLoaded(db, realm, node);
    progress(`[${i + 1}/${objects.length}] ${what} → ${to}`);
    moved.push(await migrate(db, { realm, secret, what, to, progress: () => {} }));
  }
  return moved;
}

export async function undrain(db, { realm, node }) {
  const done = await db.query("UPDATE realm_nodes SET draining = false WHERE realm = $1 AND node_id = $2", [
    realm,
    node,
  ]);
  if (!done.rowCount) throw new Error(`no node "${node}" in realm ${realm}`);
}

async function callObject(db, realm, secret, object, method, args = []) {
  const placed = await placementOf(db, realm, object);
  if (!placed?.live) throw new Error(`${object.name} is not running on a live node`);
  const answer = await callNode(placed.url, placed.node_id, secret, "POST", "/_node/rpc", {
    ...object,
    epoch: placed.epoch,
    method,
    args,
  });
  const json = await expectOk(answer, `${object.name}.${method}`);
  if (json.error) throw new Error(`${object.name}.${method}: ${json.error.message}`);
  return json.value;
}

/** A zone's placement and its last load report to the directory. */
export async function inspectZone(db, { realm, secret, zone }) {
  const object = objectFor(realm, zone);
  const placed = await placementOf(db, realm, object);
  if (!placed) throw new Error(`${zone} has never run in realm ${realm}`);
  const loads = await callObject(db, realm, secret, objectFor(realm, "directory"), "zones");
  return {
    zone,
    node: placed.node_id,
    url: placed.url,
    epoch: placed.epoch,
    state: placed.moving ? "moving" : placed.restore_from ? "restoring" : placed.live ? "active" : "node down",
    load: loads.find((load) => load.zoneId === zone) ?? null,
  };
}

/** Where a character is: its saved place in Postgres, the zone playing it now, and that zone's node. */
export async function whereIs(db, { realm, secret, name }) {
  const { rows } = await db.query(
    "SELECT id, name, zone_id, room_id, updated_at FROM characters WHERE lower(name) = lower($1)",
    [name],
  );
  const row = rows[0];
  if (!row) throw new Error(`no character named "${name}"`);
  const playing = await callObject(db, realm, secret, objectFor(realm, "directory"), "whereIs", [row.id]);
  const zone = playing ?? row.zone_id;
  const placed = await placementOf(db, realm, objectFor(realm, zone));
  return {
    character: row.name,
    id: row.id,
    saved: { zone: row.zone_id, room: row.room_id, at: row.updated_at },
    playingIn: playing,
    node: placed?.node_id ?? null,
  };
}

/** Removes a node that is gone for good from the membership (only a dead node that owns nothing). */
export async function forget(db, { realm, node }) {
  const { rows } = await db.query(
    `SELECT n.lease_until > now() AS live,
            (SELECT count(*)::int FROM object_placements p WHERE p.realm = n.realm AND p.node_id = n.node_id) AS objects
       FROM realm_nodes n WHERE n.realm = $1 AND n.node_id = $2`,
    [realm, node],
  );
  const row = rows[0];
  if (!row) throw new Error(`no node "${node}" in realm ${realm}`);
  if (row.live) throw new Error(`node "${node}" is live: stop it first (drain it to move its zones away)`);
  if (row.objects)
    throw new Error(`node "${node}" still owns ${row.objects} objects: they move once a live node sweeps them`);
  await db.query("DELETE FROM realm_nodes WHERE realm = $1 AND node_id = $2", [realm, node]);
  return { node, forgotten: true };
}
