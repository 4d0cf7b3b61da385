import { Hono } from "hono";
import { PROTOCOL_VERSION } from "../../../shared/protocol/version";
import { realmConfig } from "../context";
import type { Env } from "../env";

/** Liveness for load balancers and the self-host supervisor. */
export const healthRoutes = new Hono<{ Bindings: Env }>().get("/healthz", (c) =>
  c.json({ ok: true, realm: realmConfig(c.env).realm, protocol: PROTOCOL_VERSION }),
);
