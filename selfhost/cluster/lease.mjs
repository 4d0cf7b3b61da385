/**
 * A node's lease in `realm_nodes` (docs/selfhost.md, "Membership"), held by the node runner from
 * before workerd starts until it stops. Its own connection and timer, with query timeouts below the
 * beat, so nothing else the runner does (sweeps, file copies) can delay a renewal; and a watchdog
 * that fences on elapsed time alone: a node that has not renewed for LEASE - 2 beats, or finds its
 * lease already run out (another node may own its objects by then), calls `onFenced` and stops.
 * Times are Postgres' (`now()`), so the nodes' clocks need not agree for leases.
 */
import { lazyClient } from "./pg-client.mjs";

export const BEAT_MS = 2000;
export const LEASE_SECONDS = 10;

/**
 * Joins the realm (a fresh lease, whatever the row held) and keeps renewing.
 * @param {{ realm: string, nodeId: string, url: string, databaseUrl: string,
 *   log: (line: string) => void, onFenced: (why: string) => void,
 *   leaseSeconds?: number, beatMs?: number }} options
 */
export async function holdLease(options) {
  const leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;
  const beatMs = options.beatMs ?? BEAT_MS;
  const client = lazyClient({
    connectionString: options.databaseUrl,
    connectionTimeoutMillis: beatMs,
    query_timeout: beatMs,
    statement_timeout: beatMs,
  });
  const connection = () => client.get();
  const drop = () => client.drop();

  const db = await connection();
  await db.query(
    `INSERT INTO realm_nodes (realm, node_id, url, lease_until, started_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4), now())
     ON CONFLICT (realm, node_id) DO UPDATE
       SET url = excluded.url, heartbeat_at = now(), started_at = now(), lease_until = excluded.lease_until`,
    [options.realm, options.nodeId, options.url, leaseSeconds],
  );
  let renewedAt = Date.now();
  let renewing = false;
  let fenced = false;

  const fence = (why) => {
    if (fenced) return;
    fenced = true;
    clearInterval(renewTimer);
    clearInterval(watchdog);
    drop();
    options.onFenced(why);
  };

  const renewTimer = setInterval(async () => {
    if (renewing || fenced) return;
    renewing = true;
    try {
      // Only a lease still running is extended: one that ran out may already have been taken over.
      const renewed = await (await connection()).query(
        `UPDATE realm_nodes SET heartbeat_at = now(), lease_until = now() + make_interval(secs => $3)
          WHERE realm = $1 AND node_id = $2 AND lease_until > now()`,
        [options.realm, options.nodeId, leaseSeconds],
      );
      if (renewed.rowCount) renewedAt = Date.now();
      else fence("its lease had run out before it could be renewed");
    } catch (error) {
      drop();
      options.log(`lease: ${/** @type {Error} */ (error).message} (renewed ${Date.now() - renewedAt} ms ago)`);
    } finally {
      renewing = false;
    }
  }, beatMs);

  const watchdog = setInterval(() => {
    const silentMs = Date.now() - renewedAt;
    if (silentMs > leaseSeconds * 1000 - 2 * beatMs) fence(`it could not renew its lease for ${silentMs} ms`);
  }, 250);

  return {
    /** Stops renewing (the lease then runs out by itself). */
    stop() {
      fenced = true;
      clearInterval(renewTimer);
      clearInterval(watchdog);
      drop();
    },
  };
}
