/**
 * Opens the realm database with the driver that fits the deployment (ARCHITECTURE D2):
 * Neon's serverless driver (WebSocket) when the URL is Neon's or `DATABASE_DRIVER=neon`
 * (self-hosters may run selfhost/neon-proxy.mjs in front of plain Postgres), otherwise `pg`
 * over TCP, which workerd supports through nodejs_compat.
 *
 * Workers may not share a socket between requests, so a connection lives for one unit of work:
 * `withDatabase(settings, fn)` connects, runs `fn`, and always closes.
 */
import { Client as NeonClient } from "@neondatabase/serverless";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DriverName = "pg" | "neon";

export interface DatabaseSettings {
  url: string;
  driver: DriverName;
  /** For the Neon driver against a non-Neon host: `host:port/path` of the WebSocket→TCP proxy. */
  neonProxy?: string;
  /** Give up connecting after this long, so an outage answers 503 quickly instead of hanging. */
  connectTimeoutMs: number;
}

/** Thrown when the database cannot be reached; routes turn it into 503. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

export function readDatabaseSettings(env: {
  DATABASE_URL?: string;
  DATABASE_DRIVER?: string;
  NEON_WS_PROXY?: string;
}): DatabaseSettings | undefined {
  const url = env.DATABASE_URL?.trim();
  if (!url) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch (cause) {
    throw new Error("DATABASE_URL is not a valid URL (expected postgres://user@host:port/db)", { cause });
  }
  const requested = env.DATABASE_DRIVER?.trim();
  if (requested && requested !== "pg" && requested !== "neon") {
    throw new Error(`DATABASE_DRIVER must be "pg" or "neon", got "${requested}"`);
  }
  const driver: DriverName = (requested as DriverName | undefined) ?? (host.endsWith(".neon.tech") ? "neon" : "pg");
  return { url, driver, neonProxy: env.NEON_WS_PROXY?.trim() || undefined, connectTimeoutMs: 5000 };
}

interface Connection {
  db: Database;
  close(): Promise<void>;
}

async function connect(settings: DatabaseSettings): Promise<Connection> {
  if (settings.driver === "neon") {
    const client = new NeonClient(settings.url);
    if (settings.neonProxy) {
      const proxy = settings.neonProxy;
      client.neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
      client.neonConfig.useSecureWebSocket = false;
      client.neonConfig.pipelineTLS = false;
      client.neonConfig.pipelineConnect = false;
    }
    await withTimeout(client.connect(), settings.connectTimeoutMs);
    return { db: drizzleNeon({ client, schema }) as unknown as Database, close: () => client.end() };
  }
  const client = new pg.Client({ connectionString: settings.url, connectionTimeoutMillis: settings.connectTimeoutMs });
  await client.connect();
  return { db: drizzlePg({ client, schema }) as unknown as Database, close: () => client.end() };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connection within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Runs `work` on a fresh connection; a failure to connect becomes DatabaseUnavailableError. */
export async function withDatabase<T>(settings: DatabaseSettings, work: (db: Database) => Promise<T>): Promise<T> {
  let connection: Connection;
  try {
    connection = await connect(settings);
  } catch (cause) {
    throw new DatabaseUnavailableError(`the database is unreachable: ${(cause as Error).message}`, { cause });
  }
  try {
    return await work(connection.db);
  } catch (cause) {
    if (isConnectionFailure(cause)) {
      throw new DatabaseUnavailableError(`the database connection failed: ${(cause as Error).message}`, { cause });
    }
    throw cause;
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Errors that mean "the server went away", as opposed to a query the server refused. */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (code && /^(08|57P0)/.test(code)) return true; // connection exceptions, admin shutdown
  const message = String((error as Error)?.message ?? "");
  return /ECONNREFUSED|ECONNRESET|Connection terminated|connection closed|socket/i.test(message);
}
