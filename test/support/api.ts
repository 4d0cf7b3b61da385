/** A small HTTP client for the realm's JSON routes, as a game client would use them. */
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

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {
      "x-forwarded-for": this.ip,
      "x-leviathan-proxy-secret": TEST_PROXY_SECRET,
    };
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

  /** Registers and logs in a fresh account; returns its tokens. */
  async newPlayer(
    prefix = "p",
  ): Promise<{ username: string; password: string; accessToken: string; refreshToken: string }> {
    const username = `${prefix}${Math.random().toString(36).slice(2, 10)}`;
    const password = "correct horse battery";
    // Each new player comes from its own address, as real players do, so tests don't share a per-IP limit.
    const self = new Api(this.baseUrl);
    const registered = await self.call("POST", "/auth/register", { username, password });
    if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
    const login = await self.call<{ accessToken: string; refreshToken: string }>("POST", "/auth/login", {
      username,
      password,
    });
    if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
    return { username, password, ...login.body };
  }
}
