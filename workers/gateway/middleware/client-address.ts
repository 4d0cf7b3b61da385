import type { MiddlewareHandler } from "hono";
import { createLogger } from "../../../shared/log";
import { fromTrustedProxy, PROXY_SECRET_HEADER, resolveClientAddress } from "../../../shared/net/client-address";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { gatewaySettings } from "../settings";

/**
 * The scheme the player used: `https` when the request arrived over TLS, or came through the
 * deployment's trusted reverse proxy saying so in X-Forwarded-Proto (the proxy terminated TLS).
 * Links the gateway hands out (play tickets) use it, so a player on https gets wss.
 */
export function publicScheme(env: Env, request: Request): "https" | "http" {
  if (new URL(request.url).protocol === "https:") return "https";
  const trusted = fromTrustedProxy(gatewaySettings(env).clientAddress, {
    socketPeer: socketPeerOf(request),
    proxySecret: request.headers.get(PROXY_SECRET_HEADER) ?? undefined,
  });
  const proto = request.headers.get("x-forwarded-proto")?.split(",").at(-1)?.trim().toLowerCase();
  return trusted && proto === "https" ? "https" : "http";
}

/** The TCP peer plain workerd reports for a request (`request.cf.clientIp`); none on Cloudflare. */
function socketPeerOf(request: Request): string | undefined {
  const cf = (request as { cf?: { clientIp?: unknown } }).cf;
  return typeof cf?.clientIp === "string" ? cf.clientIp : undefined;
}

/** Each distinct message is logged once per isolate: the first request says which source is in use. */
const announced = new Set<string>();

/**
 * Resolves the client's address from the one source the deployment trusts (CLIENT_ADDRESS; see
 * docs/accounts.md) into `c.var.clientAddress`, or leaves it undefined: per-address limits then
 * skip the request rather than lump every such client into one shared bucket.
 */
export function clientAddress(): MiddlewareHandler<{ Bindings: Env; Variables: GatewayVariables }> {
  return async function clientAddressMiddleware(c, next) {
    const policy = gatewaySettings(c.env).clientAddress;
    const resolved = resolveClientAddress(policy, {
      socketPeer: socketPeerOf(c.req.raw),
      cfConnectingIp: c.req.header("cf-connecting-ip"),
      forwardedFor: c.req.header("x-forwarded-for"),
      proxySecret: c.req.header(PROXY_SECRET_HEADER),
    });
    c.set("clientAddress", resolved.address);
    const note = resolved.warning ?? `client addresses from ${resolved.source} (CLIENT_ADDRESS=${policy.mode})`;
    if (!announced.has(note) && announced.size < 16) {
      announced.add(note);
      createLogger(realmConfig(c.env).logLevel, { component: "gateway" }).log(
        resolved.warning ? "warn" : "info",
        "gateway.client_address",
        { mode: policy.mode, source: resolved.source, note },
      );
    }
    await next();
  };
}
