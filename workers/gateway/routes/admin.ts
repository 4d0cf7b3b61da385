/** `/admin`: operator endpoints, admins only (later issues fill the group). */
import { Hono } from "hono";
import type { AccessClaims } from "../../../shared/auth/jwt";
import { directoryObjectName } from "../../../shared/config";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { requireAuth } from "../middleware/auth";

export const adminRoutes = new Hono<{ Bindings: Env; Variables: GatewayVariables & { account: AccessClaims } }>()
  .use("*", requireAuth({ roles: ["admin"] }))
  .get("/realm", async (c) => {
    const { realm } = realmConfig(c.env);
    const metrics = await c.env.DIRECTORY.getByName(directoryObjectName(realm)).metrics();
    return c.json({
      realm,
      admin: c.get("account").username,
      connectionCap: metrics.connectionCap,
      players: metrics.zones.reduce((sum, zone) => sum + zone.players, 0),
      zones: metrics.zones.map((zone) => ({ zoneId: zone.zoneId, players: zone.players, tick: zone.tick })),
    });
  });
