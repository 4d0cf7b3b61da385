/** Recognises Postgres errors by SQLSTATE, whichever driver raised them. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === "23505";
}

export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof e?.code === "string" ? e.code : typeof e?.cause?.code === "string" ? e.cause.code : undefined;
  return code;
}
