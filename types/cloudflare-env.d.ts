// Tells `cloudflare:test` / `cloudflare:workers` the shape of this Worker's env and exports.
type LeviathanEnv = import("../workers/gateway/env").Env;

declare namespace Cloudflare {
  interface Env extends LeviathanEnv {}
  interface GlobalProps {
    mainModule: typeof import("../workers/gateway/index");
    durableNamespaces: "ZoneDurableObject" | "DirectoryDurableObject" | "RateLimiterDurableObject";
  }
}
