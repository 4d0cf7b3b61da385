/** `/auth`: register, login, refresh (rotating, with reuse detection) and logout. */
import { Hono } from "hono";
import { z } from "zod";
import { ROLES, type Role, signAccessToken } from "../../../shared/auth/jwt";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "../../../shared/auth/password";
import { audit, createAccount, findAccountById, findAccountByUsername } from "../../../shared/db/accounts";
import { withDatabase } from "../../../shared/db/client";
import { issueRefreshToken, revokeFamilyOf, rotateRefreshToken } from "../../../shared/db/tokens";
import { type GatewayVariables, realmConfig } from "../context";
import type { Env } from "../env";
import { clientIp, rateLimit } from "../middleware/rate-limit";
import { ACCESS_TTL_SECONDS, requireDatabase, requireJwt } from "../settings";
import { fail, jsonBody } from "../validate";

const Username = z
  .string()
  .trim()
  .min(3, "at least 3 characters")
  .max(24, "at most 24 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only");
const Password = z.string().min(8, "at least 8 characters").max(256, "at most 256 characters");
const Credentials = z.object({ username: Username, password: Password });
/** Login does not re-check the registration rules: a wrong shape is just a wrong password. */
const LoginBody = z.object({ username: z.string().max(64), password: z.string().max(256) });
const RefreshBody = z.object({ refreshToken: z.string().min(1).max(256) });

const rolesOf = (roles: string[]): Role[] => roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));

export const accountRoutes = new Hono<{ Bindings: Env; Variables: GatewayVariables }>()
  .use("*", rateLimit({ bucket: "auth" }))
  .post("/register", async (c) => {
    const body = await jsonBody(c, Credentials);
    requireJwt(c.env, realmConfig(c.env).realm); // refuse early when accounts are not configured
    const passwordHash = await hashPassword(body.password);
    const result = await withDatabase(requireDatabase(c.env), async (db) => {
      const created = await createAccount(db, { username: body.username, passwordHash });
      if (created.ok) await audit(db, { event: "register", accountId: created.value.id, ip: clientIp(c) });
      return created;
    });
    if (!result.ok) throw fail(409, "username_taken", "that username is taken", "username");
    return c.json({ id: result.value.id, username: result.value.username, roles: result.value.roles }, 201);
  })
  .post("/login", async (c) => {
    const body = await jsonBody(c, LoginBody);
    const jwt = requireJwt(c.env, realmConfig(c.env).realm);
    const now = new Date();
    const outcome = await withDatabase(requireDatabase(c.env), async (db) => {
      const account = await findAccountByUsername(db, body.username);
      // Verify against a dummy hash for unknown users, so both failures take the same time.
      const valid = await verifyPassword(body.password, account?.passwordHash ?? DUMMY_PASSWORD_HASH);
      if (!account || !valid || account.disabled) {
        await audit(db, {
          event: "login_failed",
          accountId: account?.id,
          ip: clientIp(c),
          detail: { username: body.username.slice(0, 64), disabled: account?.disabled ?? false },
        });
        return undefined;
      }
      await audit(db, { event: "login", accountId: account.id, ip: clientIp(c) });
      return { account, refreshToken: await issueRefreshToken(db, account.id, now) };
    });
    if (!outcome) throw fail(401, "invalid_credentials", "wrong username or password");
    const accessToken = await signAccessToken(
      { sub: outcome.account.id, username: outcome.account.username, roles: rolesOf(outcome.account.roles) },
      jwt,
      Math.floor(now.getTime() / 1000),
    );
    return c.json({ accessToken, refreshToken: outcome.refreshToken, expiresIn: ACCESS_TTL_SECONDS });
  })
  .post("/refresh", async (c) => {
    const body = await jsonBody(c, RefreshBody);
    const jwt = requireJwt(c.env, realmConfig(c.env).realm);
    const now = new Date();
    const outcome = await withDatabase(requireDatabase(c.env), async (db) => {
      const rotated = await rotateRefreshToken(db, body.refreshToken, now);
      if (!rotated.ok) {
        if (rotated.error === "reused") await audit(db, { event: "refresh_reuse", ip: clientIp(c) });
        return rotated;
      }
      const account = await findAccountById(db, rotated.value.accountId);
      await audit(db, { event: "refresh", accountId: rotated.value.accountId, ip: clientIp(c) });
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
      { sub: account.id, username: account.username, roles: rolesOf(account.roles) },
      jwt,
      Math.floor(now.getTime() / 1000),
    );
    return c.json({ accessToken, refreshToken: outcome.value.token, expiresIn: ACCESS_TTL_SECONDS });
  })
  .post("/logout", async (c) => {
    const body = await jsonBody(c, RefreshBody);
    await withDatabase(requireDatabase(c.env), async (db) => {
      const accountId = await revokeFamilyOf(db, body.refreshToken, new Date());
      if (accountId) await audit(db, { event: "logout", accountId, ip: clientIp(c) });
    });
    return c.body(null, 204);
  });
