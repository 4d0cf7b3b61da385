/** Types and per-isolate counters shared by the gateway's middleware and routes. */
import { type RealmConfig, readRealmConfig } from "../../shared/config";
import { onDatabaseSession } from "../../shared/db/client";
import { countDatabase, createGatewayCounters } from "../../shared/metrics/gateway";
import type { GatewayCounters } from "../../shared/metrics/prometheus";
import type { Env } from "./env";

export type GatewayVariables = {
  requestId: string;
  /** The client's address from a trusted source, or undefined (see middleware/client-address.ts). */
  clientAddress: string | undefined;
  /** The error code the request was answered with, once the error handler answered it. */
  errorCode?: string;
};

/** HTTP errors answered by this isolate, by code; rendered at /metrics next to zone errors. */
export const gatewayCounters: GatewayCounters = createGatewayCounters();
onDatabaseSession((ms, failed) => countDatabase(gatewayCounters, ms, failed));

export function countHttpError(code: string): void {
  gatewayCounters.httpErrorsByCode[code] = (gatewayCounters.httpErrorsByCode[code] ?? 0) + 1;
}

let cached: { env: Env; config: RealmConfig } | undefined;

/** Realm settings, parsed once per isolate (vars do not change while it lives). */
export function realmConfig(env: Env): RealmConfig {
  if (cached?.env !== env) cached = { env, config: readRealmConfig(env) };
  return cached.config;
}
