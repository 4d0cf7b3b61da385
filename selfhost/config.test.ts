/**
 * The generated workerd config, checked against a fake wrangler build in a temp dir: exact module
 * names (the content-hashed .sql the bundle imports), SQL-backed namespaces, disk storage, socket.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkListen,
  describeClientAddress,
  generateWorkerdConfig,
  readWranglerSettings,
  resolveVars,
} from "./config.mjs";

const SQL = "b144cfdd5336cb78545dd064f2cdfcf27801bab0-0000_zone_init.sql";
let root: string;
let distDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "leviathan-config-"));
  distDir = join(root, "dist");
  mkdirSync(distDir);
  writeFileSync(
    join(distDir, "index.js"),
    `import { DurableObject } from "cloudflare:workers";\nimport m0000 from "./${SQL}";\nexport default {};\n`,
  );
  writeFileSync(join(distDir, SQL), "CREATE TABLE t (id integer);");
  writeFileSync(join(distDir, "README.md"), "not a module");
  writeFileSync(join(distDir, "index.js.map"), "{}");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const generate = (extra: Partial<Parameters<typeof generateWorkerdConfig>[0]> = {}) =>
  generateWorkerdConfig({
    distDir,
    dataDir: join(root, "data"),
    configDir: root,
    vars: { REALM: "local", TICK_RATE_HZ: "10", MAX_CONNECTIONS: "5000", LOG_LEVEL: "info" },
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    ...extra,
  });

describe("generateWorkerdConfig", () => {
  it("lists index.js and each .sql module under the exact name the bundle imports", () => {
    const config = generate();
    expect(config).toContain('(name = "index.js", esModule = embed "./dist/index.js")');
    expect(config).toContain(`(name = "${SQL}", text = embed "./dist/${SQL}")`);
    expect(config).not.toContain("README.md");
    expect(config).not.toContain("index.js.map");
  });

  it("makes both Durable Object namespaces SQLite-backed and binds them", () => {
    const config = generate();
    for (const className of ["ZoneDurableObject", "DirectoryDurableObject"]) {
      expect(config).toContain(`(className = "${className}", uniqueKey = "leviathan-${className}", enableSql = true)`);
    }
    expect(config).toContain('(name = "ZONES", durableObjectNamespace = (className = "ZoneDurableObject"))');
    expect(config).toContain('(name = "DIRECTORY", durableObjectNamespace = (className = "DirectoryDurableObject"))');
  });

  it("stores objects on a writable disk at the absolute data dir", () => {
    const config = generate();
    expect(config).toContain('durableObjectStorage = (localDisk = "leviathan-data")');
    expect(config).toContain(`(name = "leviathan-data", disk = (path = "${join(root, "data")}", writable = true))`);
  });

  it("listens where asked (127.0.0.1:8787 by default) and allows private outbound", () => {
    expect(generate({ listen: "127.0.0.1:9123" })).toContain('address = "127.0.0.1:9123", http = ()');
    const config = generate();
    expect(config).toContain('address = "127.0.0.1:8787"');
    expect(config).toContain('network = (allow = ["public", "private", "local"])');
    expect(config).toContain('globalOutbound = "internet"');
  });

  it("carries vars and compatibility settings, escaping Cap'n Proto strings", () => {
    const config = generate({ vars: { REALM: "eu", LOG_LEVEL: 'wa"rn\\' } });
    expect(config).toContain('(name = "REALM", text = "eu")');
    expect(config).toContain('(name = "LOG_LEVEL", text = "wa\\"rn\\\\")');
    expect(config).toContain('compatibilityDate = "2026-11-01"');
    expect(config).toContain('compatibilityFlags = ["nodejs_compat"]');
  });

  it("fails clearly on a missing build, a missing imported module, or a bad listen address", () => {
    expect(() => generate({ distDir: join(root, "nope") })).toThrow(/no index.js in .*wrangler deploy --dry-run/);
    const broken = join(root, "broken");
    mkdirSync(broken);
    writeFileSync(join(broken, "index.js"), 'import m from "./abc-0001_more.sql";\n');
    expect(() => generate({ distDir: broken })).toThrow(/imports \.\/abc-0001_more\.sql, which is missing/);
    expect(() => generate({ listen: "localhost" })).toThrow(/host:port/);
  });
});

describe("wrangler.toml settings", () => {
  const toml = `name = "x"\ncompatibility_date = "2026-11-01"\ncompatibility_flags = ["nodejs_compat", "other"]\n\n[vars]\n# comment\nREALM = "local"\nTICK_RATE_HZ = "10"\n\n[[durable_objects.bindings]]\nname = "ZONES"\n`;

  it("reads the date, the flags and only the [vars] section", () => {
    expect(readWranglerSettings(toml)).toEqual({
      compatibilityDate: "2026-11-01",
      compatibilityFlags: ["nodejs_compat", "other"],
      vars: { REALM: "local", TICK_RATE_HZ: "10" },
    });
  });

  it("lets the environment override declared vars only", () => {
    expect(resolveVars({ REALM: "local", LOG_LEVEL: "info" }, { REALM: "eu", PATH: "/bin" })).toEqual({
      REALM: "eu",
      LOG_LEVEL: "info",
      CLIENT_ADDRESS: "socket",
    });
  });

  it("takes client addresses from the socket under plain workerd unless told otherwise, and says so", () => {
    const toml = { CLIENT_ADDRESS: "cloudflare", TRUSTED_PROXIES: "" };
    expect(resolveVars(toml, {}).CLIENT_ADDRESS).toBe("socket");
    const proxied = resolveVars(toml, { CLIENT_ADDRESS: "proxy", TRUSTED_PROXIES: "127.0.0.1" });
    expect(proxied).toMatchObject({ CLIENT_ADDRESS: "proxy", TRUSTED_PROXIES: "127.0.0.1" });
    expect(describeClientAddress(resolveVars(toml, {}))).toMatch(/TCP peer/);
    expect(describeClientAddress(proxied)).toMatch(/X-Forwarded-For.*127\.0\.0\.1/);
    expect(describeClientAddress({ CLIENT_ADDRESS: "proxy" })).toMatch(/needs TRUSTED_PROXIES or PROXY_SECRET/);
    // The proxy's secret is a secret: from the environment only, never from wrangler.toml.
    expect(resolveVars(toml, { PROXY_SECRET: "0123456789abcdef" }).PROXY_SECRET).toBe("0123456789abcdef");
  });

  it("accepts host:port and [v6]:port, rejects the rest", () => {
    expect(checkListen("0.0.0.0:80")).toBe("0.0.0.0:80");
    expect(checkListen("[::1]:8787")).toBe("[::1]:8787");
    for (const bad of ["8787", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:", "a b:1"]) {
      expect(() => checkListen(bad)).toThrow(/host:port/);
    }
  });
});
