/**
 * Versioned JSON rows. Every JSON payload a zone persists carries its schema version as `v`
 * (a row written before versions existed has none: it is version 0). Reading a row upgrades it,
 * one version at a time, through pure migration functions, then validates it with zod: a row is
 * either returned whole, at the current version, or refused with the reason (never half-loaded).
 * docs/architecture.md, "Versioned state".
 */
import type { z } from "zod";
import { err, ok, type Result } from "../result";

/** How one kind of row is read: its current version, its upgrades and the schema of the current version. */
export interface VersionedSpec<T> {
  /** The row's name in log lines and errors (`mud_world`, `field_world`…). */
  name: string;
  /** The version written today. */
  current: number;
  /** `upgrades[n]` turns a row of version n into one of version n + 1 (its `v` set by the caller). */
  upgrades: readonly ((row: unknown) => unknown)[];
  /** The current version's payload (without `v`). */
  schema: z.ZodType<T>;
}

/** The version a stored payload says it has: `v` when it is a whole number, else 0 (before versions). */
export function versionOf(raw: unknown): number | "invalid" {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return 0;
  const v = (raw as { v?: unknown }).v;
  if (v === undefined) return 0;
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : "invalid";
}

/**
 * Upgrades and validates a stored payload. The error names the row and says what is wrong
 * (an unknown version, or the first field that does not validate).
 */
export function readVersioned<T>(spec: VersionedSpec<T>, raw: unknown): Result<T, string> {
  let version = versionOf(raw);
  if (version === "invalid") return err(`${spec.name}: "v" is not a schema version`);
  if (version > spec.current) {
    return err(`${spec.name}: version ${version} is newer than this code reads (${spec.current})`);
  }
  let row: unknown = raw;
  while (version < spec.current) {
    const upgrade = spec.upgrades[version];
    if (!upgrade) return err(`${spec.name}: no upgrade from version ${version}`);
    try {
      row = upgrade(row);
    } catch (cause) {
      return err(`${spec.name}: upgrade from version ${version} failed: ${String(cause)}`);
    }
    version++;
  }
  const body =
    typeof row === "object" && row !== null && !Array.isArray(row)
      ? withoutVersion(row as Record<string, unknown>)
      : row;
  const parsed = spec.schema.safeParse(body);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "(row)";
  return err(`${spec.name}: ${where}: ${issue?.message ?? "invalid"}`);
}

/** The payload as it is written: the current version first, then the fields. */
export function writeVersioned<T extends object>(spec: Pick<VersionedSpec<T>, "current">, value: T): { v: number } & T {
  return { v: spec.current, ...value };
}

function withoutVersion({ v: _v, ...rest }: Record<string, unknown>): Record<string, unknown> {
  return rest;
}
