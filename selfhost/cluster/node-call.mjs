/**
 * A signed call to a node's `/_node/` endpoints from the node runner or the admin CLI, signed the
 * way the nodes sign their own calls (shared/cluster/signature.ts; docs/selfhost.md).
 */
import { NODE_SIGNATURE_HEADER, signNodeRequest } from "../../shared/cluster/signature.ts";

/**
 * @param {string} baseUrl the node's URL (http://host:port)
 * @param {string} node the node's NODE_ID (a signature is good for that node only)
 * @param {string} secret NODE_SECRET
 * @param {"GET" | "POST"} method
 * @param {string} path with its query
 * @param {unknown} [body] sent as JSON
 * @returns {Promise<{ status: number, json: any }>}
 */
export async function callNode(baseUrl, node, secret, method, path, body) {
  const text = body === undefined ? "" : JSON.stringify(body);
  const signature = await signNodeRequest(secret, { node, method, path, body: text, bound: "" }, Date.now());
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { [NODE_SIGNATURE_HEADER]: signature, ...(text ? { "content-type": "application/json" } : {}) },
    body: text || undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const answer = await response.text();
  let json;
  try {
    json = JSON.parse(answer);
  } catch {
    json = { error: "not_json", message: answer.slice(0, 200) };
  }
  return { status: response.status, json };
}
