/**
 * Stats, experience and levels moved into the character rulebook (shared/rules/stats.ts,
 * docs/decisions.md D23), shared by every zone kind; re-exported so existing imports keep working.
 */
export * from "../rules/stats";
