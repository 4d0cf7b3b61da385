/**
 * `/admin/zones/:zoneId/recordings`: a zone's input recordings, admins only (docs/admin.md,
 * docs/replay.md). `POST` asks the zone to record its next seconds; `GET …/latest` hands over the
 * recording once it ended, for `npm run replay`. The zone records and keeps it (durable/zone/recordings.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AccessClaims } from "../../../shared/auth/jwt";
import { audit } from "../../../shared/db/accounts";
import { withDatabase } from "../../../shared/db/client";
import type { GatewayVariables } from "../context";
import type { Env } from "../env";
import { requireAuth, requireLiveLogin } from "../middleware/auth";
import { clientAddress } from "../middleware/client-address";
import { requireDatabase } from "../settings";
import { fail, jsonBody } from "../validate";
import { callZone, zoneIdParam, zoneOf } from "./admin";

type RecordingContext = { env: Env; get(key: "account"): AccessClaims; get(key: "clientAddress"): string | undefined };

/**
 * A recording holds every line players typed (tells included): only a live admin login may start or
 * fetch one (docs/accounts.md, "Revocation"), and each start and download is written to the audit log.
 */
async function liveAdminAudited(
  c: RecordingContext,
  event: "recording_requested" | "recording_downloaded",
  detail: Record<string, unknown>,
) {
  const account = c.get("account");
  await withDatabase(requireDatabase(c.env), async (db) => {
    await requireLiveLogin(db, account);
    await audit(db, { event, accountId: account.sub, ip: c.get("clientAddress") ?? null, detail });
  });
}

/** The longest span a zone records (durable/zone/recordings.ts `MAX_RECORDING_SECONDS`). */
const MAX_SECONDS = 300;
const RecordBody = z.strictObject({ seconds: z.number().int().min(1).max(MAX_SECONDS).optional() });

export const adminRecordingRoutes = new Hono<{
  Bindings: Env;
  Variables: GatewayVariables & { account: AccessClaims };
}>()
  .use("/zones/:zoneId/recordings/*", clientAddress())
  .use("/zones/:zoneId/recordings", clientAddress())
  .post("/zones/:zoneId/recordings", requireAuth({ roles: ["admin"] }), async (c) => {
    const zoneId = zoneIdParam(c.req.param("zoneId"));
    const { seconds } = await jsonBody(c, RecordBody);
    await liveAdminAudited(c, "recording_requested", { zoneId, seconds: seconds ?? null });
    const started = await callZone(zoneId, async () => {
      const answer = await zoneOf(c.env, zoneId).startRecording(seconds);
      return answer.ok
        ? { ok: true as const, seconds: answer.seconds, startedAt: answer.startedAt, endsAt: answer.endsAt }
        : { ok: false as const, code: answer.code, reason: answer.reason };
    });
    if (!started.ok) {
      if (started.code === "invalid") throw fail(400, "invalid", started.reason, "seconds");
      throw fail(409, "recording", started.reason);
    }
    const { startedAt, endsAt } = started;
    const latest = `/admin/zones/${zoneId}/recordings/latest`;
    return c.json({ zoneId, seconds: started.seconds, startedAt, endsAt, latest }, 202);
  })
  .get("/zones/:zoneId/recordings/latest", requireAuth({ roles: ["admin"] }), async (c) => {
    const zoneId = zoneIdParam(c.req.param("zoneId"));
    const latest = await callZone(zoneId, async () => {
      const answer = await zoneOf(c.env, zoneId).latestRecording();
      return { ...answer };
    });
    switch (latest.status) {
      case "none":
        throw fail(404, "not_found", `zone ${zoneId} has no recording; POST /admin/zones/${zoneId}/recordings first`);
      case "lost":
        throw fail(404, "recording_lost", `zone ${zoneId} lost its last recording: ${latest.reason}`);
      case "running": {
        const ends = new Date(latest.endsAt).toISOString();
        throw fail(
          409,
          "recording",
          `zone ${zoneId} is still recording (${latest.inputs} inputs so far) until ${ends}`,
        );
      }
      case "finished":
        await liveAdminAudited(c, "recording_downloaded", { zoneId });
        return c.body(latest.json, 200, { "content-type": "application/json; charset=utf-8" });
    }
  });
