/**
 * The tests' HTTP client for the realm's JSON routes. `call` is the raw request, for tests that
 * read the status and headers of a refusal; accounts are made and played through the client
 * SDK's RealmApi (client/sdk/api.ts), the same client the web page and the bots use.
 */
import { MemoryTokenStore, RealmApi, type Tokens } from "../../client/sdk/api";
import { TEST_PROXY_SECRET } from "./harness";

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export class Api {
  constructor(
    readonly baseUrl: string,
    /**
     * Sent as X-Forwarded-For, with the proxy secret the harness trusts, so each simulated player
     * has its own address (rate limits, login throttling) as behind a real reverse proxy.
     */
    readonly ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  ) {}

  /** The headers that make a request come from this player's own address behind the trusted proxy. */
  get proxyHeaders(): Record<string, string> {
    return { "x-forwarded-for": this.ip, "x-leviathan-proxy-secret": TEST_PROXY_SECRET };
  }

  /** The SDK's client for the same realm from the same address, holding `tokens` when given. */
  realm(tokens?: Tokens): RealmApi {
    const store = new MemoryTokenStore();
    if (tokens) store.save(tokens);
    return new RealmApi({ baseUrl: this.baseUrl, headers: this.proxyHeaders, tokens: store });
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...this.proxyHeaders };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T, headers: response.headers };
  }

  /**
   * A fresh account with the `admin` role, granted in the database as docs/accounts.md says, and
   * logged in again so its tokens carry the role. `sql` is any client of the realm's Postgres.
   */
  async newAdmin(
    sql: { query(text: string, values: unknown[]): Promise<unknown> },
    prefix = "admin",
  ): Promise<{ username: string; password: string; accessToken: string; refreshToken: string }> {
    const { username, password } = await this.newPlayer(prefix);
    await sql.query("UPDATE accounts SET roles = ARRAY['player','admin'] WHERE username = $1", [username]);
    const login = await this.call<{ accessToken: string; refreshToken: string }>("POST", "/auth/login", {
      username,
      password,
    });
    if (login.status !== 200) throw new Error(`the admin ${username} could not log in again: ${login.status}`);
    return { username, password, ...login.body };
  }

  /** Registers and logs in a fresh account (through RealmApi); returns its tokens. */
  async newPlayer(
    prefix = "p",
  ): Promise<{ username: string; password: string; accessToken: string; refreshToken: string }> {
    const { username, password, tokens } = await this.newAccount(prefix);
    return { username, password, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  }

  /** Registers and logs in a fresh account; returns the SDK client signed in to it, and its login. */
  async newAccount(prefix = "p"): Promise<{ username: string; password: string; tokens: Tokens; realm: RealmApi }> {
    const username = `${prefix}${Math.random().toString(36).slice(2, 10)}`;
    const password = "correct horse battery";
    // Each new player comes from its own address, as real players do, so tests don't share a per-IP limit.
    const realm = new Api(this.baseUrl).realm();
    await realm.register(username, password);
    const tokens = await realm.login(username, password);
    return { username, password, tokens, realm };
  }
}
