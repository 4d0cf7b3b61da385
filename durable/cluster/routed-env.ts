/**
 * The environment the gateway and the objects of a node see (docs/selfhost.md, "Nodes and
 * placement"): unchanged on Cloudflare, under wrangler and on a single self-hosted node; on a node
 * of a cluster (NODE_ID set), ZONES, DIRECTORY and LIMITER route every stub to the object's owner.
 * One router per isolate, so the gateway and the objects of a node share what it read.
 */

import { MIN_NODE_SECRET_LENGTH, NODE_ID_PATTERN } from "../../shared/cluster/signature";
import { readRealmConfig } from "../../shared/config";
import { readDatabaseSettings } from "../../shared/db/client";
import type { PlacedNamespace } from "./placements";
import { ClusterRouter, routedNamespace } from "./router";

let shared: { env: Cloudflare.Env; routed: Cloudflare.Env; router: ClusterRouter } | undefined;

/** Reads and checks the cluster settings; throws a message that says what to fix. */
export function clusterSettings(env: Cloudflare.Env) {
  const nodeId = env.NODE_ID?.trim() ?? "";
  if (!NODE_ID_PATTERN.test(nodeId)) {
    throw new Error(`NODE_ID must be 1-63 lowercase letters, digits or dashes, got "${nodeId}"`);
  }
  const secret = env.NODE_SECRET ?? "";
  if (secret.length < MIN_NODE_SECRET_LENGTH) {
    throw new Error(`NODE_SECRET must be at least ${MIN_NODE_SECRET_LENGTH} characters on a node of a cluster`);
  }
  const database = readDatabaseSettings(env);
  if (!database) throw new Error("DATABASE_URL is required on a node of a cluster: placements live in Postgres");
  const previous = env.NODE_SECRET_PREVIOUS ?? "";
  return {
    nodeId,
    realm: readRealmConfig(env).realm,
    secrets: previous ? [secret, previous] : [secret],
    database,
  };
}

/** Whether this process is one node of a clustered realm. */
export const isClustered = (env: Cloudflare.Env) => Boolean(env.NODE_ID?.trim());

/** The router of this isolate, created on first use; undefined outside a cluster. */
export function clusterRouter(env: Cloudflare.Env): ClusterRouter | undefined {
  if (!isClustered(env)) return undefined;
  return routedState(env).router;
}

/** `env` with its object namespaces routed across the cluster, or `env` itself outside a cluster. */
export function routedEnv(env: Cloudflare.Env): Cloudflare.Env {
  if (!isClustered(env)) return env;
  return routedState(env).routed;
}

/** The node's own namespaces under a routed `env` (the `/_node/` endpoints serve local objects only). */
export function localEnv(env: Cloudflare.Env): Cloudflare.Env {
  return shared && env === shared.routed ? shared.env : env;
}

function routedState(env: Cloudflare.Env) {
  // The gateway and each object receive their own env object with the same bindings: one router.
  if (shared && shared.env.NODE_ID === env.NODE_ID) return shared;
  const router = new ClusterRouter(clusterSettings(env));
  const routed = Object.create(env, {
    ZONES: { value: routedNamespace(router, "ZONES", env.ZONES) },
    DIRECTORY: { value: routedNamespace(router, "DIRECTORY", env.DIRECTORY) },
    LIMITER: { value: routedNamespace(router, "LIMITER", env.LIMITER) },
  }) as Cloudflare.Env;
  shared = { env, routed, router };
  return shared;
}

/**
 * Whether this node may run `name` now: always outside a cluster; on a node, unless the placement
 * says another node owns it or it is on its way elsewhere. A placement that cannot be read (Postgres
 * down) counts as "yes": the runner stops the node before its lease could be taken over.
 */
export async function mayRunHere(
  env: Cloudflare.Env,
  namespace: PlacedNamespace,
  name: string,
  objectId: () => string,
): Promise<boolean> {
  const router = clusterRouter(env);
  if (!router) return true;
  try {
    const route = await router.route({ realm: router.settings.realm, namespace, name }, objectId);
    return route.kind === "local";
  } catch {
    return true;
  }
}
