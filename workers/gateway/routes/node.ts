/**
 * `/_node/…`: the endpoints other nodes of a clustered self-hosted realm call (docs/selfhost.md,
 * "Calls between nodes"). Every request must carry a valid NODE_SECRET signature (or one made with
 * NODE_SECRET_PREVIOUS while a rotation runs); anything else is refused with 401 and never reaches
 * an object. Each endpoint serves objects this node owns only: a call for an object placed
 * elsewhere gets 421 (the caller reads the placement again), one that is moving gets 503.
 *  - `POST /_node/rpc {ns, name, epoch, method, args}`: a method call on the object, `{value}` or `{error}`;
 *  - `GET /_node/fetch?ns&name&epoch&url`: a request (the WebSocket upgrade) for the object;
 *  - `POST /_node/prepare-move {ns, name}`: the object stops, hands its players back and is let go here;
 *  - `POST /_node/wake {ns, name}`: the object resumes here after its files were copied in;
 *  - `GET /_node/object-id?ns&name`: workerd's id of an object (its file name).
 * Outside a cluster (no NODE_ID) these routes do not exist.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { isPlacedNamespace, type ObjectKey, type PlacedNamespace } from "../../../durable/cluster/placements";
import { clusterRouter, localEnv } from "../../../durable/cluster/routed-env";
import { type ClusterRouter, decodeCall, encodeCall } from "../../../durable/cluster/router";
import { NODE_SIGNATURE_HEADER, NonceWindow, verifyNodeRequest } from "../../../shared/cluster/signature";
import { CHARACTER_HEADER } from "../../../shared/protocol/character";
import type { GatewayVariables } from "../context";
import type { Env } from "../env";
import { fail } from "../validate";

/** Largest body of a call between nodes (hand-offs carry a character and what it holds). */
export const MAX_NODE_BODY_BYTES = 1024 * 1024;
/** Methods no other node may call: the platform's own entry points. */
const NOT_CALLABLE = new Set([
  "fetch",
  "alarm",
  "webSocketMessage",
  "webSocketClose",
  "webSocketError",
  "constructor",
  // The relocation steps: only the endpoints below run them, in their order.
  "prepareToMove",
  "abandon",
  "wake",
]);
const METHOD_PATTERN = /^[a-z][A-Za-z]{1,40}$/;

type NodeContext = Context<{ Bindings: Env; Variables: GatewayVariables & { router: ClusterRouter; body: string } }>;
const nonces = new NonceWindow();

function keyOf(c: NodeContext, ns: unknown, name: unknown): ObjectKey {
  if (!isPlacedNamespace(ns)) throw fail(400, "invalid", "ns must be ZONES, DIRECTORY or LIMITER", "ns");
  if (typeof name !== "string" || !name || name.length > 200) throw fail(400, "invalid", "name is required", "name");
  return { realm: c.get("router").settings.realm, namespace: ns, name };
}

const localNamespace = (c: NodeContext, ns: PlacedNamespace) => localEnv(c.env)[ns];
const objectIdOf = (c: NodeContext, key: ObjectKey) => () =>
  localNamespace(c, key.namespace).idFromName(key.name).toString();

/** Null when `key` is this node's to serve, else the answer for the caller. */
async function refuseUnlessHere(c: NodeContext, key: ObjectKey): Promise<Response | null> {
  const router = c.get("router");
  let route = await router.route(key, objectIdOf(c, key));
  if (route.kind !== "local") route = await router.route(key, objectIdOf(c, key), true);
  if (route.kind === "local") return null;
  if (route.kind === "unavailable") {
    return c.json({ error: "zone_unavailable", message: `${key.name} is ${route.reason}` }, 503, {
      "Retry-After": "2",
    });
  }
  return c.json({ error: "not_owner", message: `${key.name} lives on another node`, owner: route.url }, 421);
}

function parseJson(c: NodeContext): Record<string, unknown> {
  try {
    const value = decodeCall(c.get("body"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw fail(400, "bad_json", "the body must be a JSON object");
}

// biome-ignore lint/suspicious/noExplicitAny: stubs are called by method name here
type AnyStub = Record<string, (...args: any[]) => Promise<unknown>>;
const stubOf = (c: NodeContext, key: ObjectKey) =>
  localNamespace(c, key.namespace).getByName(key.name) as unknown as AnyStub;

export const nodeRoutes = new Hono<{
  Bindings: Env;
  Variables: GatewayVariables & { router: ClusterRouter; body: string };
}>()
  .use("*", async (c, next) => {
    if (!clusterRouter(c.env)) throw fail(404, "not_found", `no route for ${c.req.method} ${c.req.path}`);
    await next();
  })
  // Counted while it streams in, so an unsigned sender cannot make the node hold more than this.
  .use(
    "*",
    bodyLimit({
      maxSize: MAX_NODE_BODY_BYTES,
      onError: () => {
        throw fail(413, "payload_too_large", "calls between nodes are limited to 1 MiB");
      },
    }),
  )
  .use("*", async (c, next) => {
    const router = clusterRouter(c.env) as ClusterRouter;
    const body = c.req.method === "GET" ? "" : await c.req.text();
    const url = new URL(c.req.url);
    const verdict = await verifyNodeRequest(
      router.settings.secrets,
      c.req.header(NODE_SIGNATURE_HEADER),
      {
        node: router.settings.nodeId,
        method: c.req.method,
        path: `${url.pathname}${url.search}`,
        body,
        bound: c.req.header(CHARACTER_HEADER) ?? "",
      },
      Date.now(),
      nonces,
    );
    if (!verdict.ok) {
      throw fail(
        401,
        "node_signature",
        `calls to /_node/ must be signed with NODE_SECRET for this node, within 30 s of its clock (${verdict.error})`,
      );
    }
    c.set("router", router);
    c.set("body", body);
    await next();
  })
  .post("/rpc", async (c) => {
    const call = parseJson(c);
    const key = keyOf(c, call.ns, call.name);
    const method = call.method;
    if (typeof method !== "string" || !METHOD_PATTERN.test(method) || NOT_CALLABLE.has(method)) {
      throw fail(400, "invalid", "method must name an RPC method of the object", "method");
    }
    if (!Array.isArray(call.args)) throw fail(400, "invalid", "args must be an array", "args");
    const refused = await refuseUnlessHere(c, key);
    if (refused) return refused;
    try {
      const value = await stubOf(c, key)[method]?.(...call.args);
      return c.body(encodeCall({ value }), 200, { "content-type": "application/json" });
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      return c.body(encodeCall({ error: { name, message } }), 200, { "content-type": "application/json" });
    }
  })
  .get("/fetch", async (c) => {
    const key = keyOf(c, c.req.query("ns"), c.req.query("name"));
    const original = c.req.query("url");
    if (!original || !URL.canParse(original)) throw fail(400, "invalid", "url must be the request's URL", "url");
    const refused = await refuseUnlessHere(c, key);
    if (refused) return refused;
    const headers = new Headers(c.req.raw.headers);
    headers.delete(NODE_SIGNATURE_HEADER);
    const response = await localNamespace(c, key.namespace)
      .getByName(key.name)
      .fetch(new Request(original, { method: c.req.method, headers }));
    return response;
  })
  .post("/prepare-move", async (c) => {
    const body = parseJson(c);
    const key = keyOf(c, body.ns, body.name);
    const router = c.get("router");
    const route = await router.route(key, objectIdOf(c, key), true);
    // A planned move marks the placement `moving` first, so the object is "unavailable" here.
    const placement = route.kind === "local" ? route : undefined;
    if (route.kind === "remote") return c.json({ error: "not_owner", message: `${key.name} is not on this node` }, 421);
    router.markLeaving(key, placement?.epoch ?? Number(body.epoch ?? 0));
    let released: unknown;
    try {
      released = await stubOf(c, key).prepareToMove?.();
    } catch (error) {
      // Not handed over after all: it stays here, served as before (the admin CLI says why).
      router.unmarkLeaving(key);
      throw error;
    }
    // The instance is let go after its last write, so a later move back opens its files afresh.
    await stubOf(c, key)
      .abandon?.()
      .catch(() => undefined);
    return c.json({ ok: true, released });
  })
  .post("/wake", async (c) => {
    const body = parseJson(c);
    const key = keyOf(c, body.ns, body.name);
    c.get("router").invalidate(key);
    const refused = await refuseUnlessHere(c, key);
    if (refused) return refused;
    return c.json({ ok: true, woke: await stubOf(c, key).wake?.() });
  })
  .get("/object-id", (c) => {
    const key = keyOf(c, c.req.query("ns"), c.req.query("name"));
    return c.json({ objectId: objectIdOf(c, key)() });
  });
