/**
 * Deep copies of plain data (objects, arrays, primitives, null): what the simulations hold and
 * serialize. Much cheaper than `structuredClone`, which goes through the runtime's serializer; a
 * zone copies its world on every tick (docs/performance.md, "Where an occupied zone's time goes").
 */

/** A deep copy of `value`; primitives are returned as they are, so flat fields cost nothing. */
export function copyPlain<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key in source) setOwnField(out, key, copyPlain(source[key]));
  return out as T;
}

/** `obj[key] = value`, except that a "__proto__" key (say, from the wire) becomes a plain field, not a prototype. */
export function setOwnField(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
