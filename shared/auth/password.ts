/**
 * Password hashing: PBKDF2-SHA256 through WebCrypto (available in Workers, workerd and Node),
 * a 16-byte salt per user and a constant-time comparison. Stored as
 * `pbkdf2-sha256$<iterations>$<salt>$<hash>` so the cost can be raised later without a migration.
 */
import { constantTimeEqual, fromBase64Url, randomBytes, toBase64Url, utf8 } from "./encoding";

/** Workers cap PBKDF2 at 100,000 iterations, which is also our floor. */
export const PBKDF2_ITERATIONS = 100_000;
const HASH_BYTES = 32;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", utf8.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterationsText, saltText, hashText] = stored.split("$");
  const iterations = Number(iterationsText);
  const salt = fromBase64Url(saltText ?? "");
  const expected = fromBase64Url(hashText ?? "");
  if (scheme !== "pbkdf2-sha256" || !Number.isInteger(iterations) || iterations < 1 || !salt || !expected) {
    return false;
  }
  return constantTimeEqual(await derive(password, salt, iterations), expected);
}

/**
 * A hash to verify against when the user does not exist, so "unknown user" costs the same time
 * as "wrong password" and the two cannot be told apart.
 */
export const DUMMY_PASSWORD_HASH = `pbkdf2-sha256$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
