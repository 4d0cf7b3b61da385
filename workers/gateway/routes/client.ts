/**
 * The web client's files, for runtimes without an asset layer in front of the Worker (plain
 * workerd binds the built folder as ASSETS; on Cloudflare and under wrangler the asset layer
 * answers before the Worker and this route only sees what it did not have). `/` is the page.
 */
import type { Context } from "hono";
import PAGE_HEADERS from "../../../shared/net/page-headers.json";
import type { GatewayVariables } from "../context";
import type { Env } from "../env";

/** Content types by extension: a disk service answers files without one. */
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  map: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  json: "application/json",
};

/** A file of the client for a GET/HEAD, or undefined when there is none (the caller answers 404). */
export async function clientAsset(
  c: Context<{ Bindings: Env; Variables: GatewayVariables }>,
): Promise<Response | undefined> {
  const assets = c.env.ASSETS;
  if (!assets || (c.req.method !== "GET" && c.req.method !== "HEAD")) return undefined;
  const path = c.req.path === "/" ? "/index.html" : c.req.path;
  // Only plain file names with an extension (no folders, no listings, no dot-segments or encoded
  // slashes reach the disk service), and none of the build's own files (_headers).
  if (!/^\/[A-Za-z0-9-][A-Za-z0-9._-]*\.[a-z0-9]+$/.test(path) || path.includes("..")) return undefined;
  const url = new URL(c.req.url);
  url.pathname = path;
  url.search = "";
  const found = await assets.fetch(new Request(url, { method: c.req.method }));
  if (!found.ok) return undefined;
  const headers = new Headers(found.headers);
  const type = TYPES[path.slice(path.lastIndexOf(".") + 1)];
  if (type) headers.set("content-type", type);
  // The page's security headers, as _headers gives them on Cloudflare; no-cache because the
  // bundle's name carries no hash and the page is small.
  for (const [name, value] of Object.entries(PAGE_HEADERS)) headers.set(name, value);
  return new Response(found.body, { status: 200, headers });
}
