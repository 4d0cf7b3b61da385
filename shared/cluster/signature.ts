/**
 * Signatures on calls between the nodes of a self-hosted realm (docs/selfhost.md, "Calls between
 * nodes"): HMAC-SHA256 over the method, the path with its query, a timestamp, a nonce, the body's
 * hash and the forwarded character header, keyed by the realm's NODE_SECRET. A receiver accepts the
 * current secret or the previous one (rotation without downtime), refuses a timestamp more than
 * SIGNATURE_MAX_AGE_MS away from its own clock (so the nodes' clocks must agree within that), refuses
 * a nonce it has seen inside that window, and refuses a call signed for another node.
 *
 * Self-contained (no imports) so the Node scripts (the node runner, the admin CLI) import this very
 * file, and both ends of a call sign the same way.
 */

export const NODE_SIGNATURE_HEADER = "x-leviathan-node-signature";
/** How far a signed call's timestamp may be from the receiver's clock. */
export const SIGNATURE_MAX_AGE_MS = 30_000;
/** Shortest NODE_SECRET accepted: 32 characters, like JWT_SECRET. */
export const MIN_NODE_SECRET_LENGTH = 32;
/** A NODE_ID (what a signature is bound to, and a folder name under the data root). */
export const NODE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** What a signature covers. `bound` is the one header whose value the receiver trusts (may be ""). */
export interface SignedRequest {
  /** The receiving node's NODE_ID: a call signed for one node is refused by every other. */
  node: string;
  method: string;
  /** Path and query, as in `/_node/rpc?x=1`. */
  path: string;
  body: string;
  bound: string;
}

export type SignatureRefusal = "missing" | "malformed" | "expired" | "forged" | "replayed";

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

async function digest(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

async function mac(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return hex(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
}

async function canonical(request: SignedRequest, timestamp: number, nonce: string): Promise<string> {
  const [body, bound] = await Promise.all([digest(request.body), digest(request.bound)]);
  return ["v1", request.node, request.method.toUpperCase(), request.path, String(timestamp), nonce, body, bound].join(
    "\n",
  );
}

/** Comparison whose time does not depend on where two equal-length strings differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** The header value for `request`: `v1 t=<ms>,n=<nonce>,s=<hex>`. */
export async function signNodeRequest(
  secret: string,
  request: SignedRequest,
  nowMs: number,
  nonce: string = crypto.randomUUID(),
): Promise<string> {
  const signature = await mac(secret, await canonical(request, nowMs, nonce));
  return `v1 t=${nowMs},n=${nonce},s=${signature}`;
}

/** Nonces seen within the signature window; each is remembered until it could no longer be accepted. */
export class NonceWindow {
  private readonly seen = new Map<string, number>();

  /** False when `nonce` was already seen inside the window (a replay). */
  remember(nonce: string, nowMs: number): boolean {
    if (this.seen.size > 10_000) {
      for (const [old, at] of this.seen) if (nowMs - at > 2 * SIGNATURE_MAX_AGE_MS) this.seen.delete(old);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, nowMs);
    return true;
  }
}

const HEADER_PATTERN = /^v1 t=(\d{1,16}),n=([A-Za-z0-9-]{8,64}),s=([0-9a-f]{64})$/;

/**
 * Checks `header` against `request` with each of `secrets` (current first, then the previous one).
 * The nonce is remembered only once a signature matched, so forged calls cannot fill the window.
 */
export async function verifyNodeRequest(
  secrets: readonly string[],
  header: string | null | undefined,
  request: SignedRequest,
  nowMs: number,
  nonces: NonceWindow,
): Promise<{ ok: true } | { ok: false; error: SignatureRefusal }> {
  if (!header) return { ok: false, error: "missing" };
  const parts = HEADER_PATTERN.exec(header);
  if (!parts) return { ok: false, error: "malformed" };
  const timestamp = Number(parts[1]);
  const nonce = parts[2] as string;
  if (Math.abs(nowMs - timestamp) > SIGNATURE_MAX_AGE_MS) return { ok: false, error: "expired" };
  const text = await canonical(request, timestamp, nonce);
  for (const secret of secrets) {
    if (!secret) continue;
    if (sameText(await mac(secret, text), parts[3] as string)) {
      return nonces.remember(nonce, nowMs) ? { ok: true } : { ok: false, error: "replayed" };
    }
  }
  return { ok: false, error: "forged" };
}
