/**
 * The realm's HTTP routes as a client calls them: accounts (register, login, refresh, logout),
 * characters, and play tickets. Runs wherever `fetch` does (browsers, Node 22, workers). Tokens
 * are kept in a `TokenStore` so a web page can keep a login across reloads; an expired access
 * token is refreshed once, transparently, before a call is retried (docs/accounts.md).
 */

/** A refusal from the realm, with the typed code its JSON body names (`invalid_credentials`, …). */
export class RealmApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Seconds the realm asked us to wait (Retry-After), when it did. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "RealmApiError";
  }
}

/** What a login leaves behind. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** From the last successful login on this device: exempts it from strangers' failed logins. */
  deviceToken?: string;
  username?: string;
}

/** Where tokens live between calls: memory by default, `localStorage` in the web client. */
export interface TokenStore {
  load(): Tokens | undefined;
  save(tokens: Tokens | undefined): void;
}

export class MemoryTokenStore implements TokenStore {
  private tokens: Tokens | undefined;
  load() {
    return this.tokens;
  }
  save(tokens: Tokens | undefined) {
    this.tokens = tokens;
  }
}

/** A character as `GET /characters` lists it. */
export interface CharacterSummary {
  id: string;
  name: string;
  class: string;
  level: number;
  zoneId: string;
  [field: string]: unknown;
}

export interface ApiOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:8787` (a page uses its own `location.origin`). */
  baseUrl: string;
  tokens?: TokenStore;
  /** Extra headers on every call (a test standing behind a trusted proxy sets X-Forwarded-For). */
  headers?: Record<string, string>;
  /** Per-call timeout; default 15 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class RealmApi {
  readonly baseUrl: string;
  readonly tokens: TokenStore;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly fetcher: typeof fetch;
  private refreshing: Promise<void> | undefined;

  constructor(options: ApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.tokens = options.tokens ?? new MemoryTokenStore();
    this.headers = options.headers ?? {};
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The WebSocket origin of the same gateway (`ws:` for `http:`, `wss:` for `https:`). */
  get wsBase(): string {
    return this.baseUrl.replace(/^http/, "ws");
  }

  get signedIn(): boolean {
    return Boolean(this.tokens.load()?.accessToken);
  }

  /** Creates an account (201) without signing in. */
  async register(username: string, password: string): Promise<void> {
    await this.call("POST", "/auth/register", { username, password }, false);
  }

  /** Signs in and keeps the tokens (and this device's token for the next login). */
  async login(username: string, password: string): Promise<Tokens> {
    const deviceToken = this.tokens.load()?.deviceToken;
    const body = await this.call<Tokens>("POST", "/auth/login", { username, password, deviceToken }, false);
    const tokens = { ...body, username };
    this.tokens.save(tokens);
    return tokens;
  }

  /**
   * Trades the refresh token for a fresh pair; a refused refresh signs out. `stale`: the access
   * token a call was refused with; if the store already holds another (a concurrent call, or another
   * tab sharing the store, refreshed meanwhile) there is nothing to do. A refresh token is
   * single-use and spending one twice revokes the whole login, so refreshes are serialized: within
   * this client by one shared promise, across tabs by a Web Lock where the platform has them.
   */
  refresh(stale?: string): Promise<void> {
    this.refreshing ??= withLock("leviathan-refresh", async () => {
      const held = this.tokens.load();
      if (!held?.refreshToken) throw new RealmApiError(401, "not_signed_in", "sign in first");
      if (stale !== undefined && held.accessToken && held.accessToken !== stale) return;
      try {
        const fresh = await this.call<Tokens>("POST", "/auth/refresh", { refreshToken: held.refreshToken }, false);
        this.tokens.save({ ...held, accessToken: fresh.accessToken, refreshToken: fresh.refreshToken });
      } catch (error) {
        if (error instanceof RealmApiError && error.status === 401) this.tokens.save(this.keepDevice(held));
        throw error;
      }
    }).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Ends the login on the server too (its refresh family is revoked); keeps the device token. */
  async logout(): Promise<void> {
    // A refresh in flight would write a fresh pair back after we cleared it.
    await this.refreshing?.catch(() => undefined);
    const held = this.tokens.load();
    if (held?.refreshToken) {
      await this.call("POST", "/auth/logout", { refreshToken: held.refreshToken }, false).catch(() => undefined);
    }
    this.tokens.save(this.keepDevice(held));
  }

  async characters(): Promise<CharacterSummary[]> {
    return (await this.call<{ characters: CharacterSummary[] }>("GET", "/characters")).characters;
  }

  createCharacter(name: string, characterClass: string): Promise<CharacterSummary> {
    return this.call<CharacterSummary>("POST", "/characters", { name, class: characterClass });
  }

  async deleteCharacter(id: string): Promise<void> {
    await this.call("DELETE", `/characters/${encodeURIComponent(id)}`);
  }

  /** A single-use ticket (60 s) and the socket URL that redeems it, on this client's own origin. */
  async ticket(characterId: string): Promise<{ ticket: string; url: string }> {
    const { ticket } = await this.call<{ ticket: string }>("POST", "/play/ticket", { characterId });
    return { ticket, url: this.playUrl(ticket) };
  }

  playUrl(ticket: string): string {
    return `${this.wsBase}/play?ticket=${encodeURIComponent(ticket)}`;
  }

  guestUrl(zone: string): string {
    return `${this.wsBase}/ws?zone=${encodeURIComponent(zone)}`;
  }

  /**
   * One JSON call. With `auth`, sends the access token and, on a 401 other than a revoked login,
   * refreshes once and retries. Throws RealmApiError for every refusal.
   */
  async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    let sentWith: string | undefined;
    const attempt = async (): Promise<Response> => {
      const headers: Record<string, string> = { ...this.headers };
      if (body !== undefined) headers["content-type"] = "application/json";
      const access = auth ? this.tokens.load()?.accessToken : undefined;
      sentWith = access;
      if (auth && !access) throw new RealmApiError(401, "not_signed_in", "sign in first");
      if (access) headers.authorization = `Bearer ${access}`;
      return this.fetcher(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    };
    let response = await attempt();
    if (auth && response.status === 401) {
      const first = await readError(response);
      // A revoked login or disabled account cannot be refreshed back to life.
      if (first.code === "session_revoked") {
        this.tokens.save(this.keepDevice(this.tokens.load()));
        throw first;
      }
      await this.refresh(sentWith);
      response = await attempt();
    }
    if (!response.ok) throw await readError(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private keepDevice(held: Tokens | undefined): Tokens | undefined {
    // Signed out, but the device token stays: it is what lets its owner back in during a guessing attack.
    return held?.deviceToken ? { accessToken: "", refreshToken: "", deviceToken: held.deviceToken } : undefined;
  }
}

async function readError(response: Response): Promise<RealmApiError> {
  const text = await response.text().catch(() => "");
  let parsed: { error?: unknown; message?: unknown; field?: unknown } = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { message: text.slice(0, 200) };
  }
  const retry = Number(response.headers.get("retry-after"));
  return new RealmApiError(
    response.status,
    typeof parsed.error === "string" ? parsed.error : `http_${response.status}`,
    typeof parsed.message === "string" ? parsed.message : `HTTP ${response.status}`,
    typeof parsed.field === "string" ? parsed.field : undefined,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

/** Runs `work` under a Web Lock of this name where the platform has them (browsers), else directly. */
function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = (
    globalThis.navigator as { locks?: { request(name: string, run: () => Promise<T>): Promise<T> } } | undefined
  )?.locks;
  return locks ? locks.request(name, work) : work();
}
