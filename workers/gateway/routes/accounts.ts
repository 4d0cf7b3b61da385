/** `/auth`: register, login, refresh (rotating, with reuse detection) and logout. */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { issueDeviceToken, readDeviceToken, usernameKey } from "../../../shared/auth/device-token";
import { knownRoles, signAccessToken } from "../../../shared/auth/jwt";
import type { LoginKeys, LoginVerdict } from "../../../shared/auth/login-throttle";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "../../../shared/auth/password";
import { limiterObjectName } from "../../../shared/config";
import { audit, createAccount, findAccountById, findAccountByUsername } from "../../../shared/db/accounts";
import { withDatabase } from "../../../shared/db/client";
import { loggedInFrom } from "../../../shared/db/sessions";
import { issueRefreshToken, revokeFamilyOf, rotateRefreshToken } from "../../../shared/db/tokens";
import { rateKeyOf } from "../../../shared/net/client-address";
import { nameField } from "../../../shared/text/name-schema";
import { USERNAME_RULE } from "../../../shared/text/names";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { clientAddress } from "../middleware/client-address";
import { rateLimit } from "../middleware/rate-limit";
import { ACCESS_TTL_SECONDS, gatewaySettings, requireDatabase, requireJwt } from "../settings";
import { fail, jsonBody } from "../validate";

/** 3–24 ASCII letters, digits, `_` and `-` after NFKC; unique on the confusable skeleton (docs/accounts.md#names). */
const Username = nameField(USERNAME_RULE);
const Password = z.string().min(8, "at least 8 characters").max(256, "at most 256 characters");
const Credentials = z.object({ username: Username, password: Password });
/** Login does not re-check the registration rules: a wrong shape is just a wrong password. */
const LoginBody = z.object({
  username: z.string().max(64),
  password: z.string().max(256),
  /** From an earlier successful login on this device: exempts it from others' failures (docs/accounts.md). */
  deviceToken: z.string().max(512).optional(),
});
/** An address that logged into the account within this window counts as the owner's. */
const KNOWN_ADDRESS_MS = 90 * 24 * 3600 * 1000;
const RefreshBody = z.object({ refreshToken: z.string().min(1).max(256) });

export const accountRoutes = new Hono<{ Bindings: Env; Variables: GatewayVariables }>()
  // Only these routes need the client's address: a bad address setting fails here, not /healthz.
  .use("*", clientAddress(), rateLimit({ bucket: "auth", per: "address" }))
  .post("/register", async (c) => {
    const body = await jsonBody(c, Credentials);
    requireJwt(c.env, realmConfig(c.env).realm); // refuse early when accounts are not configured
    const passwordHash = await hashPassword(body.password);
    const result = await withDatabase(requireDatabase(c.env), async (db) => {
      const created = await createAccount(db, { username: body.username, passwordHash });
      if (created.ok) await audit(db, { event: "register", accountId: created.value.id, ip: c.get("clientAddress") });
      return created;
    });
    if (!result.ok) throw fail(409, "username_taken", "that username is taken", "username");
    return c.json({ id: result.value.id, username: result.value.username, roles: result.value.roles }, 201);
  })
  .post("/login", async (c) => {
    const body = await jsonBody(c, LoginBody);
    const jwt = requireJwt(c.env, realmConfig(c.env).realm);
    const now = new Date();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const address = c.get("clientAddress");
    const device = body.deviceToken
      ? await readDeviceToken(body.deviceToken, body.username, jwt.secret, nowSeconds)
      : undefined;
    const keys: LoginKeys = {
      username: usernameKey(body.username),
      client: device?.ok ? `device:${device.value.id}` : address ? `addr:${rateKeyOf(address)}` : undefined,
      trusted: device?.ok === true,
    };
    // Throttled before the password is checked, so a throttled guess learns nothing and costs no
    // hashing. An allowed attempt is charged at once (parallel guesses see each other) and settled
    // below: kept as a failure, cleared by a success, refunded if Postgres never gave a verdict.
    const limiter = c.env.LIMITER.getByName(limiterObjectName(realmConfig(c.env).realm));
    const scale = { baseDelayMs: gatewaySettings(c.env).loginThrottleBaseMs };
    let verdict: LoginVerdict = await limiter.beginLogin(keys, scale);
    // Only the username-wide count can be lifted (by an address the owner used), and only with an address.
    if (!verdict.allowed && (verdict.by === "client" || !address)) throw throttled(verdict);
    let charged = verdict.allowed;
    let settled = false;
    const outcome = await withDatabase(requireDatabase(c.env), async (db) => {
      const account = await findAccountByUsername(db, body.username);
      // Strangers guessing from many places slow down unknown clients; an address this account
      // signed in from before is the owner's, not a stranger's.
      if (!verdict.allowed && account && address) {
        if (await loggedInFrom(db, account.id, address, new Date(now.getTime() - KNOWN_ADDRESS_MS))) {
          keys.trusted = true;
          verdict = await limiter.beginLogin(keys, scale);
          charged = verdict.allowed;
        }
      }
      if (!verdict.allowed) return { throttled: verdict } as const;
      // Verify against a dummy hash for unknown users, so both failures take the same time.
      const valid = await verifyPassword(body.password, account?.passwordHash ?? DUMMY_PASSWORD_HASH);
      const succeeded = Boolean(account && valid && !account.disabled);
      await limiter.settleLogin(keys, succeeded ? "succeeded" : "failed");
      settled = true;
      if (!account || !succeeded) {
        await audit(db, {
          event: "login_failed",
          accountId: account?.id,
          ip: address,
          detail: { username: body.username.slice(0, 64), disabled: account?.disabled ?? false },
        });
        return undefined;
      }
      await audit(db, { event: "login", accountId: account.id, ip: address });
      const familyId = crypto.randomUUID();
      return { account, familyId, refreshToken: await issueRefreshToken(db, account.id, now, familyId) };
    }).catch(async (error: unknown) => {
      if (charged && !settled) await limiter.settleLogin(keys, "aborted").catch(() => {});
      throw error;
    });
    if (outcome && "throttled" in outcome && outcome.throttled) throw throttled(outcome.throttled);
    if (!outcome) throw fail(401, "invalid_credentials", "wrong username or password");
    const accessToken = await signAccessToken(
      {
        sub: outcome.account.id,
        username: outcome.account.username,
        roles: knownRoles(outcome.account.roles),
        fam: outcome.familyId,
      },
      jwt,
      nowSeconds,
    );
    return c.json({
      accessToken,
      refreshToken: outcome.refreshToken,
      expiresIn: ACCESS_TTL_SECONDS,
      deviceToken: await issueDeviceToken(outcome.account.username, jwt.secret, nowSeconds),
    });
  })
  .post("/refresh", async (c) => {
    const body = await jsonBody(c, RefreshBody);
    const jwt = requireJwt(c.env, realmConfig(c.env).realm);
    const now = new Date();
    const outcome = await withDatabase(requireDatabase(c.env), async (db) => {
      const rotated = await rotateRefreshToken(db, body.refreshToken, now);
      if (!rotated.ok) {
        if (rotated.error === "reused") await audit(db, { event: "refresh_reuse", ip: c.get("clientAddress") });
        return rotated;
      }
      const account = await findAccountById(db, rotated.value.accountId);
      await audit(db, { event: "refresh", accountId: rotated.value.accountId, ip: c.get("clientAddress") });
      return { ...rotated, account };
    });
    if (!outcome.ok) {
      const message =
        outcome.error === "reused"
          ? "this refresh token was already used; every session from that login is now signed out"
          : outcome.error === "expired"
            ? "the refresh token expired; log in again"
            : "the refresh token is not valid; log in again";
      throw fail(401, outcome.error === "reused" ? "token_reused" : "invalid_token", message);
    }
    const account = "account" in outcome ? outcome.account : undefined;
    if (!account || account.disabled) throw fail(401, "invalid_token", "the account is not active; log in again");
    const accessToken = await signAccessToken(
      { sub: account.id, username: account.username, roles: knownRoles(account.roles), fam: outcome.value.familyId },
      jwt,
      Math.floor(now.getTime() / 1000),
    );
    return c.json({ accessToken, refreshToken: outcome.value.token, expiresIn: ACCESS_TTL_SECONDS });
  })
  .post("/logout", async (c) => {
    const body = await jsonBody(c, RefreshBody);
    await withDatabase(requireDatabase(c.env), async (db) => {
      const accountId = await revokeFamilyOf(db, body.refreshToken, new Date());
      if (accountId) await audit(db, { event: "logout", accountId, ip: c.get("clientAddress") });
    });
    return c.body(null, 204);
  });

/** 429 login_throttled, saying whose failures caused it and what the owner can do. */
function throttled(verdict: LoginVerdict) {
  const wait = `retry in ${verdict.retryAfterSeconds} s`;
  const message =
    verdict.by === "username"
      ? `too many failed logins for this username from unknown devices; ${wait}, or sign in from a device that signed in before (send its deviceToken)`
      : `too many failed logins for this username from here; ${wait}`;
  return new HTTPException(429, {
    message,
    cause: "login_throttled",
    res: new Response(null, { headers: { "Retry-After": String(verdict.retryAfterSeconds) } }),
  });
}
