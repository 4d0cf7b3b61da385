/** Worker entry: the Hono gateway plus the Durable Object classes the runtime must find here. */
import { routedEnv } from "../../durable/cluster/routed-env";
import { createApp } from "./app";

export { DirectoryDurableObject } from "../../durable/directory/directory";
export { RateLimiterDurableObject } from "../../durable/limiter/limiter";
export { ZoneDurableObject } from "../../durable/zone/zone";

const app = createApp();

export default {
  // On a node of a clustered realm every stub the gateway takes routes to the object's owner
  // (docs/selfhost.md); everywhere else the environment is passed through as it is.
  fetch(request: Request, env: Cloudflare.Env, ctx: ExecutionContext) {
    let routed: Cloudflare.Env;
    try {
      routed = routedEnv(env);
    } catch (error) {
      // A node with a bad cluster setting serves nothing, and says why (health checks see it too).
      const message = error instanceof Error ? error.message : String(error);
      console.error(JSON.stringify({ level: "error", event: "cluster.misconfigured", message }));
      return Response.json({ error: "misconfigured", message }, { status: 500 });
    }
    return app.fetch(request, routed, ctx);
  },
} satisfies ExportedHandler<Cloudflare.Env>;
