/**
 * The placement table as the nodes' router reads it (docs/selfhost.md, "Nodes and placement"): who
 * owns an object, whether that owner's lease is still running, and a first placement on the live
 * node holding the fewest objects. Reassigning objects of dead nodes and copying their files is the
 * node runner's work (selfhost/cluster), not the runtime's.
 */
import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../../shared/db/client";
import { objectPlacements, realmNodes } from "../../shared/db/schema";

/** The binding names whose objects a clustered realm places on nodes. */
export const PLACED_NAMESPACES = ["ZONES", "DIRECTORY", "LIMITER"] as const;
export type PlacedNamespace = (typeof PLACED_NAMESPACES)[number];

export const isPlacedNamespace = (value: unknown): value is PlacedNamespace =>
  typeof value === "string" && (PLACED_NAMESPACES as readonly string[]).includes(value);

export interface Placement {
  nodeId: string;
  /** Base URL of the owner's `/_node/` endpoints. */
  url: string;
  epoch: number;
  /** Whether the owner's lease is still running. */
  live: boolean;
  /** Set until the owner has copied the object's files from this node's data directory. */
  restoreFrom: string | null;
  /** Set while a planned move drains the old owner. */
  moving: boolean;
}

export interface ObjectKey {
  realm: string;
  namespace: PlacedNamespace;
  name: string;
}

export async function readPlacement(db: Database, key: ObjectKey): Promise<Placement | undefined> {
  const [row] = await db
    .select({
      nodeId: objectPlacements.nodeId,
      url: realmNodes.url,
      epoch: objectPlacements.epoch,
      live: sql<boolean>`${realmNodes.leaseUntil} > now()`,
      restoreFrom: objectPlacements.restoreFrom,
      moving: objectPlacements.moving,
    })
    .from(objectPlacements)
    .innerJoin(
      realmNodes,
      and(eq(realmNodes.realm, objectPlacements.realm), eq(realmNodes.nodeId, objectPlacements.nodeId)),
    )
    .where(
      and(
        eq(objectPlacements.realm, key.realm),
        eq(objectPlacements.namespace, key.namespace),
        eq(objectPlacements.name, key.name),
      ),
    );
  return row;
}

/**
 * Places an object nobody owns yet on the live, undrained node that owns the fewest objects (ties
 * by node id). Two nodes placing the same object at once both insert; the unique key keeps the
 * first and the other insert does nothing, so both then read the same owner. False when no node
 * is live.
 */
export async function placeObject(db: Database, key: ObjectKey, objectId: string): Promise<boolean> {
  const owned = db
    .select({ nodeId: objectPlacements.nodeId, objects: count().as("objects") })
    .from(objectPlacements)
    .where(eq(objectPlacements.realm, key.realm))
    .groupBy(objectPlacements.nodeId)
    .as("owned");
  const [target] = await db
    .select({ nodeId: realmNodes.nodeId })
    .from(realmNodes)
    .leftJoin(owned, eq(owned.nodeId, realmNodes.nodeId))
    .where(and(eq(realmNodes.realm, key.realm), gt(realmNodes.leaseUntil, sql`now()`), eq(realmNodes.draining, false)))
    .orderBy(sql`coalesce(${owned.objects}, 0)`, asc(realmNodes.nodeId))
    .limit(1);
  if (!target) return false;
  await db
    .insert(objectPlacements)
    .values({ ...key, objectId, nodeId: target.nodeId })
    .onConflictDoNothing();
  return true;
}

/** Every node of the realm with the objects it owns, and how many objects are between owners. */
export async function clusterOverview(db: Database, realm: string) {
  const nodes = await db
    .select({
      node: realmNodes.nodeId,
      up: sql<boolean>`${realmNodes.leaseUntil} > now()`,
      draining: realmNodes.draining,
    })
    .from(realmNodes)
    .where(eq(realmNodes.realm, realm));
  const owned = await db
    .select({
      node: objectPlacements.nodeId,
      namespace: objectPlacements.namespace,
      objects: count(),
      unsettled: sql<number>`count(*) filter (where ${objectPlacements.moving} or ${objectPlacements.restoreFrom} is not null)`,
    })
    .from(objectPlacements)
    .where(eq(objectPlacements.realm, realm))
    .groupBy(objectPlacements.nodeId, objectPlacements.namespace);
  const figures = nodes.map((n) => ({
    ...n,
    objects: Object.fromEntries(owned.filter((o) => o.node === n.node).map((o) => [o.namespace, Number(o.objects)])),
  }));
  return { nodes: figures, unsettled: owned.reduce((sum, o) => sum + Number(o.unsettled), 0) };
}

/** Names of the objects placed on `nodeId`, by binding. */
export async function objectsOf(db: Database, realm: string, nodeId: string): Promise<Map<string, Set<string>>> {
  const rows = await db
    .select({ namespace: objectPlacements.namespace, name: objectPlacements.name })
    .from(objectPlacements)
    .where(and(eq(objectPlacements.realm, realm), eq(objectPlacements.nodeId, nodeId)));
  const byNamespace = new Map<string, Set<string>>();
  for (const row of rows) {
    const names = byNamespace.get(row.namespace) ?? new Set<string>();
    names.add(row.name);
    byNamespace.set(row.namespace, names);
  }
  return byNamespace;
}
