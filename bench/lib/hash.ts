/**
 * The realm's own password hash (shared/auth/password.ts) timed on this machine: the ceiling of an
 * account operation that hashes once, and the unit the KPI ratios are measured in.
 */
import { hashPassword } from "../../shared/auth/password";

/** Hashes for about `ms` on one core; returns the mean time of one hash, ms. */
export async function timeHash(ms = 3000): Promise<number> {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < ms) {
    await hashPassword("bench-password-123");
    n++;
  }
  return (performance.now() - started) / n;
}
