/**
 * Opens the realm database with the driver that fits the deployment (docs/decisions.md D22):
 * Neon's serverless driver (WebSocket) when the URL is Neon's or `DATABASE_DRIVER=neon`
 * (self-hosters may run selfhost/neon-proxy.mjs in front of plain Postgres), otherwise `pg`
 * over TCP, which workerd supports through nodejs_compat.
 *
 * Workers may not share a socket between requests, so a connection lives for one unit of work:
 * `withDatabase(settings, fn)` connects, runs `fn`, and always closes.
 */
import { Client as NeonClient } from "@neondatabase/serverless";
import { DrizzleQueryError } from "drizzle-orm";
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
    const parsed = new URL(url);
    // "localhost:5432/db" parses too (as scheme "localhost:"): insist on a postgres URL.
    if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(`not a postgres: URL: ${parsed.protocol}`);
    host = parsed.hostname.toLowerCase(); // postgres: URLs keep the host's case
  } catch (cause) {
    throw new Error("DATABASE_URL is not a valid URL (expected postgres://user@host:port/db)", { cause });
  }
  const requested = env.DATABASE_DRIVER?.trim();
  if (requested && requested !== "pg" && requested !== "neon") {
    throw new Error(`DATABASE_DRIVER must be "pg" or "neon", got "${requested}"`);
  }
  const driver: DriverName = (requested as DriverName | "") || (host.endsWith(".neon.tech") ? "neon" : "pg");
  return { url, driver, neonProxy: env.NEON_WS_PROXY?.trim() || undefined, connectTimeoutMs: 5000 };
}

interface Connection {
  db: Database;
  close(): Promise<void>;
}

async function connect(settings: DatabaseSettings): Promise<Connection> {
  if (settings.driver === "neon") {
    // connectionTimeoutMillis makes pg close the WebSocket of an attempt that timed out; withTimeout
    // below still bounds the wait if that close never completes.
    const client = new NeonClient({
      connectionString: settings.url,
      connectionTimeoutMillis: settings.connectTimeoutMs,
    });
    if (settings.neonProxy) {
      const proxy = settings.neonProxy;
      client.neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
      client.neonConfig.useSecureWebSocket = false;
      client.neonConfig.pipelineTLS = false;
      client.neonConfig.pipelineConnect = false;
    }
    client.on("error", ignoreIdleError);
    // The pg inside the Neon driver never resolves end() once the connection has already ended
    // (e.g. the server dropped it mid-work), so skip end() then, and never wait on it for long.
    let ended = false;
    client.once("end", () => {
      ended = true;
    });
    await withTimeout(client.connect(), settings.connectTimeoutMs);
    return {
      db: drizzleNeon({ client, schema }) as unknown as Database,
      close: async () => {
        if (!ended) await withTimeout(client.end(), settings.connectTimeoutMs);
      },
    };
  }
  const client = new pg.Client({ connectionString: settings.url, connectionTimeoutMillis: settings.connectTimeoutMs });
  client.on("error", ignoreIdleError);
  await client.connect();
  return { db: drizzlePg({ client, schema }) as unknown as Database, close: () => client.end() };
}

/**
 * A connection lost between queries (server restart, pg_terminate_backend) is emitted as an
 * "error" event, which without a listener throws out of the event loop. The next query on the
 * client fails anyway and withDatabase reports that as DatabaseUnavailableError.
 */
function ignoreIdleError(): void {}

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

type SessionListener = (ms: number, failed: boolean) => void;
const sessionListeners: SessionListener[] = [];

/**
 * Tells `listener` of every session `withDatabase` runs in this isolate: its time, connect to
 * release, and whether it failed (/metrics counts them).
 */
export function onDatabaseSession(listener: SessionListener): void {
  sessionListeners.push(listener);
}

/** Runs `work` on a fresh connection; a failure to connect becomes DatabaseUnavailableError. */
export async function withDatabase<T>(settings: DatabaseSettings, work: (db: Database) => Promise<T>): Promise<T> {
  if (sessionListeners.length === 0) return session(settings, work);
  const started = performance.now();
  let failed = true;
  try {
    const result = await session(settings, work);
    failed = false;
    return result;
  } finally {
    const ms = performance.now() - started;
    for (const listener of sessionListeners) listener(ms, failed);
  }
}

async function session<T>(settings: DatabaseSettings, work: (db: Database) => Promise<T>): Promise<T> {
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
  // drizzle wraps driver errors in DrizzleQueryError, whose message quotes the query's parameters:
  // judge the driver's error, or a username like "socket" would read as an outage.
  const inner = (error instanceof DrizzleQueryError ? error.cause : error) as
    | { code?: unknown; severity?: unknown; message?: unknown }
    | undefined;
  // The server answered (a Postgres error carries a severity): its SQLSTATE decides.
  if (typeof inner?.severity === "string") return /^(08|57P0)/.test(String(inner.code)); // connection exceptions, admin shutdown
  const text = `${inner?.code ?? ""} ${inner?.message ?? ""}`;
  return /ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|connection closed|not queryable|socket/i.test(text);
}
