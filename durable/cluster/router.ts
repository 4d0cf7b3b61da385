/**
 * Routing between the nodes of a self-hosted realm (docs/selfhost.md, "Nodes and placement";
 * docs/decisions.md D38). workerd keeps each Durable Object inside one process, so a realm of
 * several nodes places every object on one node (the `object_placements` table in Postgres) and
 * every node's gateway and objects reach it through this router: a local stub when the object is
 * here, a signed HTTP call to the owner's `/_node/` endpoints otherwise. An object that is moving,
 * or whose owner stopped renewing its lease, is unavailable for a few seconds (typed errors, 503).
 */

import { NODE_SIGNATURE_HEADER, signNodeRequest } from "../../shared/cluster/signature";
import { type DatabaseSettings, DatabaseUnavailableError, withDatabase } from "../../shared/db/client";
import { CHARACTER_HEADER } from "../../shared/protocol/character";
import { type ObjectKey, type PlacedNamespace, type Placement, placeObject, readPlacement } from "./placements";

/** How long a node trusts a placement it read before reading it again. */
export const PLACEMENT_TTL_MS = 2000;
/** How long a call to another node may take before it counts as unreachable. */
const CALL_TIMEOUT_MS = 10_000;
/** What an unavailable object's callers are told to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 2;

export interface ClusterSettings {
  nodeId: string;
  realm: string;
  /** NODE_SECRET first, then NODE_SECRET_PREVIOUS when set (accepted, never used to sign). */
  secrets: string[];
  database: DatabaseSettings;
}

/** Where a call to an object goes right now. */
export type Route =
  | { kind: "local"; epoch: number }
  | { kind: "remote"; url: string; epoch: number; node: string }
  | { kind: "unavailable"; reason: "moving" | "owner_down" | "no_nodes" };

/** Thrown to callers of an object that cannot be reached right now; the gateway answers 503. */
export class ObjectUnavailableError extends Error {
  override name = "ObjectUnavailableError";
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  constructor(
    readonly key: ObjectKey,
    readonly reason: string,
  ) {
    super(`${key.name} is unavailable (${reason}); try again in ${RETRY_AFTER_SECONDS} s`);
  }
}

/** The owner's answer to a call it no longer owns: the caller reads the placement again and retries once. */
class MisroutedError extends Error {}

const keyText = (key: ObjectKey) => `${key.namespace}\u0000${key.name}`;

/** JSON that keeps `undefined` in argument lists (RPC arguments are plain data in this realm). */
const UNDEFINED = { $undefined: true };
export const encodeCall = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (v === undefined ? UNDEFINED : v));
export const decodeCall = (text: string): unknown =>
  JSON.parse(text, (_key, v: unknown) =>
    v && typeof v === "object" && (v as { $undefined?: unknown }).$undefined === true ? undefined : v,
  );

export class ClusterRouter {
  private readonly cache = new Map<string, { placement: Placement; readAt: number }>();
  /** Objects this node is handing over, with the epoch it held them at: never served here again at that epoch. */
  private readonly leaving = new Map<string, number>();

  constructor(readonly settings: ClusterSettings) {}

  /** Where `key` lives now, placing it first if nobody owns it. `objectId` is workerd's id for it. */
  async route(key: ObjectKey, objectId: () => string, fresh = false): Promise<Route> {
    const placement = await this.placement(key, objectId, fresh);
    if (!placement) return { kind: "unavailable", reason: "no_nodes" };
    if (placement.moving || placement.restoreFrom !== null) return { kind: "unavailable", reason: "moving" };
    if (!placement.live) return { kind: "unavailable", reason: "owner_down" };
    const left = this.leaving.get(keyText(key));
    if (placement.nodeId !== this.settings.nodeId) {
      // Handed over and owned elsewhere now: the cache serves it again.
      if (left !== undefined && placement.epoch > left) this.leaving.delete(keyText(key));
      return { kind: "remote", url: placement.url, epoch: placement.epoch, node: placement.nodeId };
    }
    if (left !== undefined) {
      if (placement.epoch <= left) return { kind: "unavailable", reason: "moving" };
      this.leaving.delete(keyText(key)); // it came back to this node under a newer epoch
    }
    return { kind: "local", epoch: placement.epoch };
  }

  /** Forgets what this node read about `key`, so the next call reads the table. */
  invalidate(key: ObjectKey): void {
    this.cache.delete(keyText(key));
  }

  /** This node is handing `key` over (held at `epoch`): calls to it here are refused from now on. */
  markLeaving(key: ObjectKey, epoch: number): void {
    this.leaving.set(keyText(key), epoch);
    this.invalidate(key);
  }

  /** The hand-over did not happen (the object could not be prepared): serve it here again. */
  unmarkLeaving(key: ObjectKey): void {
    this.leaving.delete(keyText(key));
    this.invalidate(key);
  }

  private async placement(key: ObjectKey, objectId: () => string, fresh: boolean): Promise<Placement | undefined> {
    const cached = this.cache.get(keyText(key));
    const now = Date.now();
    if (!fresh && cached && now - cached.readAt < PLACEMENT_TTL_MS && !this.leaving.has(keyText(key))) {
      return cached.placement;
    }
    const placement = await withDatabase(this.settings.database, async (db) => {
      const found = await readPlacement(db, key);
      if (found) return found;
      if (!(await placeObject(db, key, objectId()))) return undefined;
      return readPlacement(db, key);
    });
    if (placement) this.cache.set(keyText(key), { placement, readAt: now });
    else this.cache.delete(keyText(key));
    return placement;
  }

  /**
   * Runs `local` here or calls `method` on the owner. Only a call the owner refused as misrouted
   * (421: it never ran) is retried, after reading the placement again; a call whose answer was lost
   * may have run, so it fails as unavailable instead of running twice.
   */
  async call<T>(
    key: ObjectKey,
    objectId: () => string,
    method: string,
    args: unknown[],
    local: () => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const route = await this.route(key, objectId, attempt > 0);
      if (route.kind === "unavailable") throw new ObjectUnavailableError(key, route.reason);
      if (route.kind === "local") return local();
      try {
        return (await this.callRemote(route, key, method, args)) as T;
      } catch (error) {
        if (attempt > 0 || !(error instanceof MisroutedError)) throw error;
        this.invalidate(key);
      }
    }
  }

  /** Sends a WebSocket upgrade (or any request) to the object, wherever it lives. */
  async fetch(key: ObjectKey, objectId: () => string, request: Request, local: () => Promise<Response>) {
    for (let attempt = 0; ; attempt++) {
      const route = await this.route(key, objectId, attempt > 0);
      if (route.kind === "unavailable") return unavailableResponse(new ObjectUnavailableError(key, route.reason));
      if (route.kind === "local") return local();
      const target = new URL("/_node/fetch", route.url);
      target.search = new URLSearchParams({
        ns: key.namespace,
        name: key.name,
        epoch: String(route.epoch),
        url: request.url,
      }).toString();
      const headers = new Headers(request.headers);
      const path = `${target.pathname}${target.search}`;
      headers.set(
        NODE_SIGNATURE_HEADER,
        await this.sign(route.node, "GET", path, "", headers.get(CHARACTER_HEADER) ?? ""),
      );
      const response = await fetch(target, {
        method: "GET",
        headers,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      }).catch(() => undefined);
      if (!response) {
        this.invalidate(key);
        return unavailableResponse(new ObjectUnavailableError(key, "owner_unreachable"));
      }
      // A refused signature is the nodes' fault (secrets or clocks apart), never the player's.
      if (response.status === 401) return unavailableResponse(new ObjectUnavailableError(key, "owner_refused_call"));
      if (response.status !== 421) return response;
      if (attempt > 0) return unavailableResponse(new ObjectUnavailableError(key, "owner_unreachable"));
      this.invalidate(key);
    }
  }

  sign(node: string, method: string, path: string, body: string, bound: string): Promise<string> {
    return signNodeRequest(this.settings.secrets[0] as string, { node, method, path, body, bound }, Date.now());
  }

  private async callRemote(
    route: { url: string; epoch: number; node: string },
    key: ObjectKey,
    method: string,
    args: unknown[],
  ) {
    const path = "/_node/rpc";
    const body = encodeCall({ ns: key.namespace, name: key.name, epoch: route.epoch, method, args });
    const signature = await this.sign(route.node, "POST", path, body, "");
    const response = await fetch(new URL(path, route.url), {
      method: "POST",
      headers: { "content-type": "application/json", [NODE_SIGNATURE_HEADER]: signature },
      body,
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    }).catch(() => undefined);
    if (!response) {
      // It may have died: the next call reads the placement again.
      this.invalidate(key);
      throw new ObjectUnavailableError(key, "owner_unreachable");
    }
    if (response.status === 421) throw new MisroutedError();
    if (response.status === 503) throw new ObjectUnavailableError(key, "moving");
    const text = await response.text();
    if (!response.ok) throw new Error(`node ${route.node} refused ${key.name}.${method}: ${response.status} ${text}`);
    const answer = decodeCall(text) as { value?: unknown; error?: { name: string; message: string } };
    if (answer.error) throw remoteError(key, answer.error);
    return answer.value;
  }
}

/** The owner's error, as the class the gateway answers with 503 where it had one, else a plain Error. */
function remoteError(key: ObjectKey, error: { name: string; message: string }): Error {
  if (error.name === "ObjectUnavailableError") return new ObjectUnavailableError(key, "moving");
  if (error.name === "DatabaseUnavailableError") return new DatabaseUnavailableError(error.message);
  return Object.assign(new Error(error.message), { name: error.name });
}

/** The 503 a WebSocket upgrade gets while its zone moves; clients retry after Retry-After. */
export function unavailableResponse(error: ObjectUnavailableError): Response {
  return new Response(
    JSON.stringify({
      error: "zone_unavailable",
      message: `the zone is moving to another server (${error.reason}); try again in a few seconds`,
    }),
    {
      status: 503,
      headers: { "content-type": "application/json", "retry-after": String(error.retryAfterSeconds) },
    },
  );
}

/** A namespace whose stubs go through `router`; only `getByName` is routed (the realm uses nothing else). */
export function routedNamespace<T extends Rpc.DurableObjectBranded | undefined>(
  router: ClusterRouter,
  namespace: PlacedNamespace,
  local: DurableObjectNamespace<T>,
): DurableObjectNamespace<T> {
  const getByName = (name: string) => {
    const key: ObjectKey = { realm: router.settings.realm, namespace, name };
    const objectId = () => local.idFromName(name).toString();
    let stub: DurableObjectStub<T> | undefined;
    const here = () => {
      stub ??= local.getByName(name);
      return stub as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    };
    return new Proxy(
      {},
      {
        get(_target, property) {
          // Never a thenable: `await stub` must not call anything.
          if (typeof property !== "string" || property === "then") return undefined;
          if (property === "fetch") {
            return (request: Request) =>
              router.fetch(key, objectId, request, () => (here().fetch as (r: Request) => Promise<Response>)(request));
          }
          return (...args: unknown[]) =>
            router.call(key, objectId, property, args, () =>
              (here()[property] as (...a: unknown[]) => Promise<unknown>)(...args),
            );
        },
      },
    ) as DurableObjectStub<T>;
  };
  return new Proxy(local, {
    get(target, property) {
      if (property === "getByName") return getByName;
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
