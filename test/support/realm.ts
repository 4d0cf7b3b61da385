/**
 * One realm per test file, the way most e2e files want it: the worker started by the harness
 * before the file's tests, an `Api` for it, optionally a Postgres connection to look behind the
 * gateway, all closed after. Read the fields inside tests or hooks (they exist once the file's
 * `beforeAll` ran).
 */
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { Api } from "./api";
import { type HarnessRealm, startHarness } from "./harness";

export interface RealmFixture {
  readonly baseUrl: string;
  /** The realm's WebSocket origin (`ws://127.0.0.1:PORT`). */
  readonly wsBase: string;
  readonly harness: HarnessRealm["harness"];
  readonly api: Api;
  /** The test Postgres (only with `{ sql: true }`). */
  readonly sql: pg.Client;
}

/** Starts a realm with these settings for the calling file; `sql` also opens a Postgres connection. */
export function useRealm(vars: Record<string, string> = {}, options: { sql?: boolean } = {}): RealmFixture {
  let realm: HarnessRealm | undefined;
  let api: Api | undefined;
  let sql: pg.Client | undefined;
  beforeAll(async () => {
    realm = await startHarness(vars);
    api = new Api(realm.baseUrl);
    if (options.sql) {
      sql = new pg.Client({ connectionString: inject("databaseUrl") });
      await sql.connect();
    }
  });
  afterAll(async () => {
    await sql?.end();
    await realm?.harness.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not there: read it inside a test or hook of the file`);
    return value;
  };
  return {
    get baseUrl() {
      return started(realm, "the realm").baseUrl;
    },
    get wsBase() {
      return started(realm, "the realm").baseUrl.replace(/^http/, "ws");
    },
    get harness() {
      return started(realm, "the realm").harness;
    },
    get api() {
      return started(api, "the realm's Api");
    },
    get sql() {
      return started(sql, "the Postgres connection (useRealm(…, { sql: true }))");
    },
  };
}
