import { describe, expect, it } from "vitest";
import type { Env } from "./env";
import { gatewaySettings } from "./settings";

// Each call gets a fresh object: settings are cached per env object.
const settingsOf = (vars: Partial<Env>) => gatewaySettings({ ...vars } as Env);

describe("gatewaySettings: client addresses", () => {
  it("defaults to Cloudflare's header, with no trusted proxies", () => {
    const s = settingsOf({});
    expect(s.clientAddress).toEqual({ mode: "cloudflare", trustedProxies: [], proxySecret: undefined });
    expect(s.loginThrottleBaseMs).toBe(1_000);
    expect(s.ticketRatePerAccount).toBe(30);
  });

  it("refuses proxy mode with nothing to recognise the proxy by", () => {
    expect(() => settingsOf({ CLIENT_ADDRESS: "proxy" })).toThrow(/TRUSTED_PROXIES.*PROXY_SECRET/);
    expect(
      settingsOf({ CLIENT_ADDRESS: "proxy", TRUSTED_PROXIES: "10.0.0.0/8" }).clientAddress.trustedProxies,
    ).toHaveLength(1);
    expect(settingsOf({ CLIENT_ADDRESS: "proxy", PROXY_SECRET: "0123456789abcdef" }).clientAddress.proxySecret).toBe(
      "0123456789abcdef",
    );
  });

  it("names the bad entry of TRUSTED_PROXIES and an unknown mode", () => {
    expect(() => settingsOf({ CLIENT_ADDRESS: "proxy", TRUSTED_PROXIES: "10.0.0.0/8, proxy.lan" })).toThrow(
      /proxy\.lan/,
    );
    expect(() => settingsOf({ CLIENT_ADDRESS: "x-forwarded-for" })).toThrow(/CLIENT_ADDRESS/);
  });

  it("refuses retired settings with their replacement instead of ignoring them", () => {
    expect(() => settingsOf({ TRUST_FORWARDED_FOR: "true" } as Partial<Env>)).toThrow(/retired.*CLIENT_ADDRESS=proxy/);
    expect(() => settingsOf({ AUTH_RATE_PER_USERNAME: "10" } as Partial<Env>)).toThrow(/retired/);
  });
});
