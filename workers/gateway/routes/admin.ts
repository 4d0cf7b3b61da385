/**
 * `/admin`: operator endpoints, admins only (docs/admin.md). The realm and its zones' load from
 * the directory; where a character lives; GM teleports and zone drains, which the zones carry out
 * through the same hand-off as an exit (docs/architecture.md, "Travel and hand-off").
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AccessClaims } from "../../../shared/auth/jwt";
import { directoryObjectName, zoneObjectName } from "../../../shared/config";
import { withDatabase } from "../../../shared/db/client";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { requireAuth, requireLiveLogin } from "../middleware/auth";
import { requireDatabase } from "../settings";
import { fail, jsonBody } from "../validate";
import { checkDestination, DestinationBody, ZoneIdSchema } from "./admin-destinations";

const DrainBody = z.strictObject({ to: DestinationBody });

const directoryOf = (env: Env) => env.DIRECTORY.getByName(directoryObjectName(realmConfig(env).realm));
/** The zone object of `zoneId` in this realm. */
export const zoneOf = (env: Env, zoneId: string) => env.ZONES.getByName(zoneObjectName(realmConfig(env).realm, zoneId));

/** The character id of the path: a UUID, as Postgres hands them out; anything else is no character (404). */
function characterIdParam(id: string): string {
  if (!z.uuid().safeParse(id).success) throw fail(404, "not_found", `no character ${id}: character ids are UUIDs`);
  return id;
}

/** The zone id of the path, or a 400 naming `zoneId`. */
export function zoneIdParam(zoneId: string): string {
  if (!ZoneIdSchema.safeParse(zoneId).success) {
    throw fail(400, "invalid", `zoneId: ${JSON.stringify(zoneId)} is not a zone id (e.g. start)`, "zoneId");
  }
  return zoneId;
}

/**
 * Routes that move players also refuse a signed-out or disabled admin's token (docs/accounts.md,
 * "Revocation"): the read-only ones check only its signature and role, like `GET /admin/realm`.
 */
async function requireLiveAdmin(c: { env: Env; get(key: "account"): AccessClaims }): Promise<void> {
  await withDatabase(requireDatabase(c.env), (db) => requireLiveLogin(db, c.get("account")));
}

/** Calls a zone object; a zone that throws (crashed, overloaded, reset) is a 503 the admin may retry. */
export async function callZone<T>(zoneId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw fail(503, "zone_unavailable", `zone ${zoneId} did not answer (${String(cause)}); try again`);
  }
}

export const adminRoutes = new Hono<{ Bindings: Env; Variables: GatewayVariables & { account: AccessClaims } }>()
  .use("*", requireAuth({ roles: ["admin"] }))
  .get("/realm", async (c) => {
    const { realm } = realmConfig(c.env);
    const metrics = await directoryOf(c.env).metrics();
    return c.json({
      realm,
      admin: c.get("account").username,
      connectionCap: metrics.connectionCap,
      players: metrics.zones.reduce((sum, zone) => sum + zone.players, 0),
      zones: metrics.zones.map((zone) => ({ zoneId: zone.zoneId, players: zone.players, tick: zone.tick })),
    });
  })
  .get("/zones", async (c) => {
    const zones = await directoryOf(c.env).zones();
    return c.json({ realm: realmConfig(c.env).realm, zones });
  })
  .get("/characters/:id/where", async (c) => {
    const characterId = characterIdParam(c.req.param("id"));
    const directory = directoryOf(c.env);
    const [zoneId, sessionZoneId] = await Promise.all([
      directory.whereIs(characterId),
      directory.liveZoneOf(characterId),
    ]);
    if (zoneId === null) {
      throw fail(404, "not_found", `the directory never heard of character ${characterId} (it never played)`);
    }
    return c.json({ characterId, zoneId, playing: sessionZoneId !== null, sessionZoneId });
  })
  .post("/characters/:id/move", async (c) => {
    const characterId = characterIdParam(c.req.param("id"));
    const to = checkDestination(await jsonBody(c, DestinationBody));
    await requireLiveAdmin(c);
    const directory = directoryOf(c.env);
    const [zoneId, from] = await Promise.all([directory.whereIs(characterId), directory.liveZoneOf(characterId)]);
    if (zoneId === null) {
      throw fail(404, "not_found", `the directory never heard of character ${characterId} (it never played)`);
    }
    if (from === null) {
      throw fail(
        409,
        "not_playing",
        `character ${characterId} is not playing (it lives in ${zoneId}); move it while it plays`,
      );
    }
    const result = await callZone(from, async (): Promise<{ ok: true } | { ok: false; reason: string }> => {
      const answer = await zoneOf(c.env, from).teleportCharacter(characterId, to);
      return answer.ok ? { ok: true } : { ok: false, reason: answer.reason };
    });
    if (!result.ok) throw fail(409, "move_refused", result.reason);
    return c.json({ characterId, from, to, moving: true }, 202);
  })
  .post("/zones/:zoneId/drain", async (c) => {
    const zoneId = zoneIdParam(c.req.param("zoneId"));
    const body = await jsonBody(c, DrainBody);
    const to = checkDestination(body.to, "to.");
    if (to.zoneId === zoneId) throw fail(400, "invalid", "to.zoneId: drain a zone into another zone", "to.zoneId");
    await requireLiveAdmin(c);
    const { moving } = await callZone(zoneId, () => zoneOf(c.env, zoneId).drain(to));
    return c.json({ zoneId, to, moving }, 202);
  })
  .post("/zones/:zoneId/close", async (c) => {
    const zoneId = zoneIdParam(c.req.param("zoneId"));
    await requireLiveAdmin(c);
    type Closed = { ok: true; moving: number; residents: number } | { ok: false; reason: string };
    const closed = await callZone(zoneId, async (): Promise<Closed> => {
      const answer = await zoneOf(c.env, zoneId).closeInstance();
      return answer.ok
        ? { ok: true, moving: answer.moving, residents: answer.residents }
        : { ok: false, reason: answer.reason };
    });
    if (!closed.ok) throw fail(409, "not_an_instance", closed.reason, "zoneId");
    return c.json({ zoneId, moving: closed.moving, residents: closed.residents }, 202);
  });
