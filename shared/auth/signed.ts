/**
 * Small signed JSON capabilities (`<payload>.<hmac>`, both base64url): play tickets and device
 * tokens. The HMAC key is derived from the realm secret with a purpose prefix, so a token made for
 * one purpose never verifies as another.
 */
import { err, ok, type Result } from "../result";
import { fromBase64Url, fromUtf8, hmacKey, toBase64Url, utf8 } from "./encoding";

export type SignedError = "malformed" | "forged";

/** Signs `value` (JSON) under `key`. */
export async function signJson(value: unknown, key: string): Promise<string> {
  const payload = toBase64Url(utf8.encode(JSON.stringify(value)));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(key), utf8.encode(payload));
  return `${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

/** Verifies a token made by `signJson` under `key` and returns its parsed JSON (shape unchecked). */
export async function readSignedJson(
  token: string,
  key: string,
  maxLength = 1024,
): Promise<Result<unknown, SignedError>> {
  const parts = token.split(".");
  if (parts.length !== 2 || token.length > maxLength) return err("malformed");
  const [payload, macText] = parts as [string, string];
  const mac = fromBase64Url(macText);
  const payloadBytes = fromBase64Url(payload);
  if (!mac || !payloadBytes) return err("malformed");
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(key), mac, utf8.encode(payload));
  if (!valid) return err("forged");
  try {
    return ok(JSON.parse(fromUtf8.decode(payloadBytes)));
  } catch {
    return err("malformed");
  }
}
