/**
 * Where a request's client address comes from. Rate limits and login throttling key on it, so it
 * must come only from a source the deployment trusts: a header any client can send is never
 * enough on its own. See docs/accounts.md ("Client addresses") for the modes and when to use them.
 *
 * Pure: the gateway passes in what the runtime and the request say.
 */
import { constantTimeEqual, utf8 } from "../auth/encoding";

/**
 * - `cloudflare`: `CF-Connecting-IP`, which Cloudflare's edge sets and overwrites.
 * - `socket`: the TCP peer plain workerd reports (`request.cf.clientIp`), for a self-hosted realm
 *   that clients reach directly.
 * - `proxy`: the address a trusted reverse proxy appended to `X-Forwarded-For`. The proxy is
 *   trusted when it sends the shared `PROXY_SECRET` or connects from a `TRUSTED_PROXIES` address.
 */
export type ClientAddressMode = "cloudflare" | "socket" | "proxy";
export const CLIENT_ADDRESS_MODES: readonly ClientAddressMode[] = ["cloudflare", "socket", "proxy"];

/** Header a trusted proxy sets to prove itself when its own address cannot be checked. */
export const PROXY_SECRET_HEADER = "x-leviathan-proxy-secret";

export interface ClientAddressPolicy {
  mode: ClientAddressMode;
  /** Proxies whose X-Forwarded-For is believed, as addresses or CIDR ranges (`proxy` mode). */
  trustedProxies: readonly CidrRange[];
  /** Shared secret a trusted proxy sends in PROXY_SECRET_HEADER (`proxy` mode). */
  proxySecret: string | undefined;
}

/** What a request says about where it came from. */
export interface RequestOrigin {
  /** `request.cf.clientIp` as plain workerd sets it ("ip:port" or "[ipv6]:port"); absent elsewhere. */
  socketPeer: string | undefined;
  cfConnectingIp: string | undefined;
  forwardedFor: string | undefined;
  proxySecret: string | undefined;
}

export interface ResolvedAddress {
  /** The client's address, or undefined when no trusted source gave one. */
  address: string | undefined;
  /** Which source answered (for logs and the startup line). */
  source: "cloudflare" | "socket" | "proxy" | "none";
  /** Set when the configuration does not fit what the request shows; log it once. */
  warning?: string;
}

/** Resolves the client address of one request under `policy`. */
/**
 * Whether a request came through the deployment's own reverse proxy (`proxy` mode: its peer is in
 * TRUSTED_PROXIES, or it carries PROXY_SECRET): only then may its forwarding headers be believed.
 */
export function fromTrustedProxy(
  policy: ClientAddressPolicy,
  origin: Pick<RequestOrigin, "socketPeer" | "proxySecret">,
): boolean {
  if (policy.mode !== "proxy") return false;
  const peer = origin.socketPeer === undefined ? undefined : stripPort(origin.socketPeer);
  const secretOk =
    policy.proxySecret !== undefined &&
    origin.proxySecret !== undefined &&
    constantTimeEqual(utf8.encode(policy.proxySecret), utf8.encode(origin.proxySecret));
  return secretOk || (peer !== undefined && inRanges(peer, policy.trustedProxies));
}

export function resolveClientAddress(policy: ClientAddressPolicy, origin: RequestOrigin): ResolvedAddress {
  const peer = origin.socketPeer === undefined ? undefined : stripPort(origin.socketPeer);
  switch (policy.mode) {
    case "cloudflare": {
      // Plain workerd reports its TCP peer; Cloudflare never does. Then CF-Connecting-IP came from
      // the client itself, and the peer is the only address worth believing.
      if (peer !== undefined) {
        return {
          address: peer,
          source: "socket",
          warning:
            "CLIENT_ADDRESS=cloudflare but this is plain workerd: CF-Connecting-IP is not trusted here; using the TCP peer (set CLIENT_ADDRESS=socket, or proxy behind a reverse proxy)",
        };
      }
      const address = normalizeIp(origin.cfConnectingIp);
      return address ? { address, source: "cloudflare" } : { address: undefined, source: "none" };
    }
    case "socket":
      return peer !== undefined
        ? { address: peer, source: "socket" }
        : {
            address: undefined,
            source: "none",
            warning: "CLIENT_ADDRESS=socket but the runtime reports no TCP peer (only plain workerd does)",
          };
    case "proxy": {
      if (!fromTrustedProxy(policy, origin)) {
        // Not from our proxy: its X-Forwarded-For is whatever the client wrote.
        return peer !== undefined
          ? {
              address: peer,
              source: "socket",
              warning: "a request reached the gateway without passing through a trusted proxy",
            }
          : {
              address: undefined,
              source: "none",
              warning: "a request without the proxy secret was refused a client address",
            };
      }
      const address = lastUntrustedHop(origin.forwardedFor, policy.trustedProxies);
      return address ? { address, source: "proxy" } : { address: undefined, source: "none" };
    }
    default: {
      const unreachable: never = policy.mode;
      throw new Error(`unknown client address mode ${String(unreachable)}`);
    }
  }
}

/** Hops read from the right of X-Forwarded-For: enough for any chain of our own proxies. */
const MAX_HOPS = 16;

/**
 * The rightmost X-Forwarded-For entry that is not one of our own proxies: entries to its left
 * were written by the client (or by proxies we do not know) and may be forged. Read from the
 * right, so whatever a client stuffs into the left of the header (however long) changes nothing.
 */
export function lastUntrustedHop(header: string | undefined, trusted: readonly CidrRange[]): string | undefined {
  if (!header) return undefined;
  let end = header.length;
  for (let hop = 0; hop < MAX_HOPS && end > 0; hop++) {
    const start = header.lastIndexOf(",", end - 1);
    const ip = normalizeIp(header.slice(start + 1, end));
    if (!ip) return undefined; // A malformed hop from our own proxy's view: trust nothing further left.
    if (!inRanges(ip, trusted)) return ip;
    end = start < 0 ? 0 : start;
  }
  return undefined;
}

/**
 * The key per-address limits count under: an IPv4 address as it is, an IPv6 address by its /64
 * (one subscriber's allocation), or anyone holding a /64 would get 2^64 fresh buckets.
 */
export function rateKeyOf(address: string): string {
  if (!address.includes(":")) return address;
  return `${address.split(":").slice(0, 4).join(":")}::/64`;
}

/** "1.2.3.4:5678" → "1.2.3.4"; "[::1]:5678" → "::1"; a bare address is returned normalized. */
export function stripPort(hostPort: string): string | undefined {
  const v6 = hostPort.match(/^\[([^\]]+)\](?::\d+)?$/);
  if (v6) return normalizeIp(v6[1]);
  const v4 = hostPort.match(/^([^:]+):\d+$/);
  return normalizeIp(v4 ? v4[1] : hostPort);
}

/** A canonical text form of an IPv4 or IPv6 address, or undefined when it is not one. */
export function normalizeIp(text: string | undefined): string | undefined {
  if (!text || text.length > 64) return undefined;
  const bytes = parseIp(text.trim());
  if (!bytes) return undefined;
  if (bytes.length === 4) return bytes.join(".");
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 client it wraps.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return bytes.slice(12).join(".");
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return groups.join(":");
}

/** Parses dotted IPv4 or IPv6 (with `::` and an embedded IPv4 tail) into bytes. */
export function parseIp(text: string): number[] | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split(".").map(Number);
    return parts.every((p) => p <= 255) ? parts : undefined;
  }
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(":")) return undefined;
  const [head, tail, extra] = text.split("::");
  if (extra !== undefined) return undefined;
  const parseGroups = (part: string | undefined): number[] | undefined => {
    if (!part) return [];
    const out: number[] = [];
    const groups = part.split(":");
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (i === groups.length - 1 && g.includes(".")) {
        const v4 = parseIp(g);
        if (v4?.length !== 4) return undefined;
        out.push(...v4);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        const n = Number.parseInt(g, 16);
        out.push(n >> 8, n & 0xff);
      }
    }
    return out;
  };
  const left = parseGroups(head);
  const right = parseGroups(tail);
  if (!left || !right) return undefined;
  if (tail === undefined) return left.length === 16 ? left : undefined;
  if (left.length + right.length > 14) return undefined;
  return [...left, ...new Array(16 - left.length - right.length).fill(0), ...right];
}

export interface CidrRange {
  bytes: number[];
  prefix: number;
}

/**
 * Parses "10.0.0.0/8, 127.0.0.1, ::1" into ranges. Throws with the offending entry, so a typo in
 * the setting fails at startup rather than trusting nobody (or everybody) in silence.
 */
export function parseCidrList(text: string | undefined): CidrRange[] {
  if (!text?.trim()) return [];
  return text.split(",").map((entry) => {
    const [ip, bits, extra] = entry.trim().split("/");
    const bytes = ip === undefined ? undefined : parseIp(ip);
    const max = bytes ? bytes.length * 8 : 0;
    const prefix = bits === undefined ? max : Number(bits);
    if (!bytes || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new Error(`"${entry.trim()}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, ::1)`);
    }
    return { bytes, prefix };
  });
}

export function inRanges(ip: string, ranges: readonly CidrRange[]): boolean {
  const bytes = parseIp(ip);
  if (!bytes) return false;
  return ranges.some((range) => {
    if (range.bytes.length !== bytes.length) return false;
    for (let bit = 0; bit < range.prefix; bit++) {
      const byte = bit >> 3;
      const mask = 0x80 >> (bit & 7);
      if (((range.bytes[byte] as number) & mask) !== ((bytes[byte] as number) & mask)) return false;
    }
    return true;
  });
}
