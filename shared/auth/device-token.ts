/**
 * Device tokens: a successful login hands the client a signed token naming the username it logged
 * into. Presented with a later login, it shows the attempt comes from a device that once knew the
 * password, so failures elsewhere (a stranger guessing) never slow it down. It is not a credential:
 * the password is still checked. Policy in docs/accounts.md ("Login throttling").
 */
import { err, ok, type Result } from "../result";
import { nameSkeleton } from "../text/names";
import { randomBytes, toBase64Url } from "./encoding";
import { readSignedJson, signJson } from "./signed";

/** A device token is honoured for a year after the login that issued it. */
export const DEVICE_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

export interface DeviceClaims {
  /** The username (as `usernameKey` spells it) this device logged into. */
  u: string;
  /** Random id: failures through this device are counted under it. */
  id: string;
  exp: number;
}

/**
 * One key per username however it is spelled: the login lookup normalizes (NFKC) and ignores case,
 * so `ａｄｍｉｎ` reaches `admin`; the confusable skeleton is coarser still, so no spelling that
 * reaches an account escapes that account's throttle or device tokens.
 */
export const usernameKey = (username: string) => nameSkeleton(username.slice(0, 64)).toLowerCase();

export async function issueDeviceToken(username: string, secret: string, nowSeconds: number): Promise<string> {
  const claims: DeviceClaims = {
    u: usernameKey(username),
    id: toBase64Url(randomBytes(12)),
    exp: nowSeconds + DEVICE_TOKEN_TTL_SECONDS,
  };
  return signJson(claims, `device:${secret}`);
}

/** The token's claims when it is ours, unexpired and made for `username`. */
export async function readDeviceToken(
  token: string,
  username: string,
  secret: string,
  nowSeconds: number,
): Promise<Result<DeviceClaims, "malformed" | "forged" | "expired" | "other_user">> {
  const read = await readSignedJson(token, `device:${secret}`, 512);
  if (!read.ok) return read;
  const claims = read.value as Partial<DeviceClaims> | null;
  if (
    typeof claims !== "object" ||
    claims === null ||
    typeof claims.u !== "string" ||
    typeof claims.id !== "string" ||
    typeof claims.exp !== "number" ||
    !Number.isFinite(claims.exp)
  ) {
    return err("malformed");
  }
  if (claims.exp <= nowSeconds) return err("expired");
  if (claims.u !== usernameKey(username)) return err("other_user");
  return ok(claims as DeviceClaims);
}
