/**
 * A cluster node's settings from the environment (docs/selfhost.md): NODE_ID, NODE_SECRET,
 * LEVIATHAN_DATA_ROOT, DATABASE_URL, and NODE_URL (default: the node's own socket). Undefined when
 * NODE_ID is unset (a single node).
 */
import { join, resolve } from "node:path";
// The same rules the runtime applies to these settings (durable/cluster/routed-env.ts).
import { MIN_NODE_SECRET_LENGTH, NODE_ID_PATTERN } from "../../shared/cluster/signature.ts";

/**
 * @param {Record<string, string | undefined>} env
 * @param {{ realm: string, ownUrl: string }} node the realm's name and the URL of the node's own socket
 */
export function clusterFromEnv(env, node) {
  const nodeId = env.NODE_ID?.trim();
  if (!nodeId) return undefined;
  if (!NODE_ID_PATTERN.test(nodeId))
    throw new Error(`NODE_ID must be 1-63 lowercase letters, digits or dashes, got "${nodeId}"`);
  if ((env.NODE_SECRET ?? "").length < MIN_NODE_SECRET_LENGTH)
    throw new Error(
      `NODE_SECRET (at least ${MIN_NODE_SECRET_LENGTH} characters, the same on every node) is required with NODE_ID`,
    );
  if (!env.DATABASE_URL)
    throw new Error("DATABASE_URL is required with NODE_ID: every node of a realm shares one Postgres");
  if (!env.LEVIATHAN_DATA_ROOT) {
    throw new Error(
      "LEVIATHAN_DATA_ROOT is required with NODE_ID: the folder every node keeps its data under, shared by all nodes",
    );
  }
  const root = resolve(env.LEVIATHAN_DATA_ROOT);
  const url = env.NODE_URL?.trim() || node.ownUrl;
  if (!URL.canParse(url)) throw new Error(`NODE_URL is not a URL: "${url}"`);
  return {
    nodeId,
    realm: node.realm,
    root,
    dataDir: join(root, nodeId),
    url,
    secret: /** @type {string} */ (env.NODE_SECRET),
  };
}
