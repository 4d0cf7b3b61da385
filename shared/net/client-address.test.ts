import { describe, expect, it } from "vitest";
import {
  type ClientAddressPolicy,
  fromTrustedProxy,
  inRanges,
  lastUntrustedHop,
  normalizeIp,
  parseCidrList,
  type RequestOrigin,
  rateKeyOf,
  resolveClientAddress,
  stripPort,
} from "./client-address";

const origin = (o: Partial<RequestOrigin>): RequestOrigin => ({
  socketPeer: undefined,
  cfConnectingIp: undefined,
  forwardedFor: undefined,
  proxySecret: undefined,
  ...o,
});
const policy = (p: Partial<ClientAddressPolicy>): ClientAddressPolicy => ({
  mode: "cloudflare",
  trustedProxies: [],
  proxySecret: undefined,
  ...p,
});

describe("normalizeIp / stripPort", () => {
  it("accepts IPv4 and IPv6 in their usual forms and refuses anything else", () => {
    expect(normalizeIp("203.0.113.7")).toBe("203.0.113.7");
    expect(normalizeIp("2001:DB8::1")).toBe("2001:db8:0:0:0:0:0:1");
    expect(normalizeIp("::1")).toBe("0:0:0:0:0:0:0:1");
    expect(normalizeIp("::ffff:198.51.100.2")).toBe("198.51.100.2");
    for (const bad of [
      "",
      "unknown",
      "256.1.1.1",
      "1.2.3",
      "1.2.3.4.5",
      "::1::2",
      "example.com",
      "1.2.3.4 ",
      "x".repeat(70),
    ])
      expect(normalizeIp(bad), bad).toBe(bad === "1.2.3.4 " ? "1.2.3.4" : undefined);
  });

  it("strips the port workerd appends to its TCP peer", () => {
    expect(stripPort("127.0.0.1:38446")).toBe("127.0.0.1");
    expect(stripPort("[::1]:5000")).toBe("0:0:0:0:0:0:0:1");
    expect(stripPort("10.1.2.3")).toBe("10.1.2.3");
    expect(stripPort("garbage:12")).toBeUndefined();
  });
});

describe("parseCidrList / inRanges", () => {
  it("matches addresses inside the ranges and nothing outside", () => {
    const ranges = parseCidrList("10.0.0.0/8, 192.168.1.1, fd00::/8");
    expect(inRanges("10.200.3.4", ranges)).toBe(true);
    expect(inRanges("11.0.0.1", ranges)).toBe(false);
    expect(inRanges("192.168.1.1", ranges)).toBe(true);
    expect(inRanges("192.168.1.2", ranges)).toBe(false);
    expect(inRanges("fd12::1", ranges)).toBe(true);
    expect(inRanges("fe80::1", ranges)).toBe(false);
    expect(parseCidrList("")).toEqual([]);
  });

  it("throws on a typo instead of trusting nobody in silence", () => {
    expect(() => parseCidrList("10.0.0.0/33")).toThrow(/10.0.0.0\/33/);
    expect(() => parseCidrList("localhost")).toThrow(/localhost/);
  });
});

describe("lastUntrustedHop", () => {
  const trusted = parseCidrList("10.0.0.0/8");
  it("takes the entry our proxy appended, never the client's own", () => {
    expect(lastUntrustedHop("6.6.6.6, 203.0.113.9", [])).toBe("203.0.113.9");
    expect(lastUntrustedHop("6.6.6.6, 203.0.113.9, 10.0.0.2", trusted)).toBe("203.0.113.9");
    expect(lastUntrustedHop("203.0.113.9", trusted)).toBe("203.0.113.9");
  });
  it("reads from the right, however much the client stuffed in on the left", () => {
    const stuffed = `${"6.6.6.6, ".repeat(2000)}203.0.113.9`;
    expect(stuffed.length).toBeGreaterThan(16_000);
    expect(lastUntrustedHop(stuffed, [])).toBe("203.0.113.9");
    expect(lastUntrustedHop(`${stuffed}, 10.0.0.2`, trusted)).toBe("203.0.113.9");
  });

  it("gives nothing for an empty, malformed or all-trusted header", () => {
    expect(lastUntrustedHop(undefined, trusted)).toBeUndefined();
    expect(lastUntrustedHop("1.2.3.4, nonsense", trusted)).toBeUndefined();
    expect(lastUntrustedHop("10.0.0.1, 10.0.0.2", trusted)).toBeUndefined();
  });
});

describe("rateKeyOf", () => {
  it("counts IPv4 by address and IPv6 by its /64", () => {
    expect(rateKeyOf("198.51.100.7")).toBe("198.51.100.7");
    const a = normalizeIp("2001:db8:1:2::1") as string;
    const b = normalizeIp("2001:db8:1:2:ffff::9") as string;
    const c = normalizeIp("2001:db8:1:3::1") as string;
    expect(rateKeyOf(a)).toBe(rateKeyOf(b));
    expect(rateKeyOf(a)).not.toBe(rateKeyOf(c));
    expect(rateKeyOf(a)).toBe("2001:db8:1:2::/64");
  });
});

describe("resolveClientAddress", () => {
  it("cloudflare: believes CF-Connecting-IP where only Cloudflare can set it", () => {
    expect(resolveClientAddress(policy({}), origin({ cfConnectingIp: "198.51.100.1" }))).toEqual({
      address: "198.51.100.1",
      source: "cloudflare",
    });
    expect(resolveClientAddress(policy({}), origin({})).address).toBeUndefined();
  });

  it("cloudflare under plain workerd: a client-sent CF-Connecting-IP is ignored for the TCP peer", () => {
    const resolved = resolveClientAddress(
      policy({}),
      origin({ socketPeer: "127.0.0.1:4000", cfConnectingIp: "6.6.6.6" }),
    );
    expect(resolved.address).toBe("127.0.0.1");
    expect(resolved.warning).toMatch(/CLIENT_ADDRESS=socket/);
  });

  it("socket: the TCP peer, whatever the headers claim", () => {
    const resolved = resolveClientAddress(
      policy({ mode: "socket" }),
      origin({ socketPeer: "192.0.2.5:1234", cfConnectingIp: "6.6.6.6", forwardedFor: "7.7.7.7" }),
    );
    expect(resolved).toEqual({ address: "192.0.2.5", source: "socket" });
  });

  it("proxy with a secret: X-Forwarded-For's last hop, only when the secret matches", () => {
    const p = policy({ mode: "proxy", proxySecret: "s3cret-s3cret" });
    const good = origin({ forwardedFor: "6.6.6.6, 203.0.113.4", proxySecret: "s3cret-s3cret" });
    expect(resolveClientAddress(p, good)).toEqual({ address: "203.0.113.4", source: "proxy" });
    const forged = resolveClientAddress(p, origin({ forwardedFor: "203.0.113.4", proxySecret: "guess" }));
    expect(forged.address).toBeUndefined();
    expect(forged.source).toBe("none");
  });

  it("proxy by address: a direct client's forged X-Forwarded-For is ignored for its TCP peer", () => {
    const p = policy({ mode: "proxy", trustedProxies: parseCidrList("127.0.0.1") });
    expect(resolveClientAddress(p, origin({ socketPeer: "127.0.0.1:9", forwardedFor: "203.0.113.4" })).address).toBe(
      "203.0.113.4",
    );
    const direct = resolveClientAddress(p, origin({ socketPeer: "192.0.2.77:9", forwardedFor: "203.0.113.4" }));
    expect(direct.address).toBe("192.0.2.77");
    expect(direct.source).toBe("socket");
  });
});

describe("fromTrustedProxy", () => {
  const proxy = policy({ mode: "proxy", trustedProxies: parseCidrList("10.0.0.0/8"), proxySecret: "s3cret" });
  it("believes the deployment's proxy by its address or its secret, and nobody else", () => {
    expect(fromTrustedProxy(proxy, origin({ socketPeer: "10.1.2.3:5555" }))).toBe(true);
    expect(fromTrustedProxy(proxy, origin({ socketPeer: "192.0.2.9:5555", proxySecret: "s3cret" }))).toBe(true);
    expect(fromTrustedProxy(proxy, origin({ socketPeer: "192.0.2.9:5555", proxySecret: "guess" }))).toBe(false);
    expect(fromTrustedProxy(proxy, origin({ socketPeer: "192.0.2.9:5555" }))).toBe(false);
    expect(fromTrustedProxy(proxy, origin({}))).toBe(false);
  });
  it("never outside proxy mode, whoever asks", () => {
    for (const mode of ["socket", "cloudflare"] as const) {
      const other = policy({ mode, trustedProxies: parseCidrList("10.0.0.0/8"), proxySecret: "s3cret" });
      expect(fromTrustedProxy(other, origin({ socketPeer: "10.1.2.3:5555", proxySecret: "s3cret" }))).toBe(false);
    }
  });
});
