/**
 * Turns zod issues into ContentErrors whose messages say how to fix the data. Schemas in
 * schema.ts carry specific messages where a field has its own rule; `describeIssue` writes the
 * generic ones (missing field, wrong type, out of range, unknown field) for everything else.
 */
import type { core } from "zod";
import type { ContentError } from "./content-error";

const quote = (value: unknown) => (typeof value === "string" ? `"${value}"` : String(value));

const kindOf = (value: unknown) => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value === "object" ? "an object" : `${typeof value} ${quote(value)}`;
};

const EXPECTED: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text in quotes",
  boolean: "true or false",
  array: "a list [ … ]",
  object: "an object { … }",
  record: "an object { … }",
};

/**
 * Per-parse zod error map: messages for issues the schema did not word itself. Returning
 * undefined falls back to zod's own text.
 */
export function describeIssue(issue: core.$ZodRawIssue): string | undefined {
  const field = issue.path?.at(-1);
  const name = field === undefined ? "this file" : `"${String(field)}"`;
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `${name} is missing: add it (${expected})`;
      if (typeof issue.input === "number" && issue.expected === "int" && Number.isFinite(issue.input)) {
        return `is ${issue.input}, not a whole number: drop the fraction`;
      }
      return `is ${kindOf(issue.input)}, not ${expected}: write ${expected}`;
    }
    case "too_small": {
      if (issue.origin === "array") return `needs at least ${issue.minimum} entries: add more`;
      if (issue.origin === "string") return `is empty: write some text`;
      const bound = issue.inclusive ? `at least ${issue.minimum}` : `more than ${issue.minimum}`;
      return `is ${String(issue.input)}, too small: use ${bound}`;
    }
    case "too_big": {
      if (issue.origin === "array") return `has more than ${issue.maximum} entries: remove some`;
      if (issue.origin === "string") return `is longer than ${issue.maximum} characters: shorten it`;
      const bound = issue.inclusive ? `at most ${issue.maximum}` : `less than ${issue.maximum}`;
      return `is ${String(issue.input)}, too large: use ${bound}`;
    }
    case "invalid_value":
      return `is ${quote(issue.input)}, not one of ${issue.values.map(quote).join(", ")}: pick one of them`;
    case "invalid_key": {
      const inner = issue.issues[0]?.message;
      return `${quote(issue.input)} is not a valid name${inner ? `: ${inner}` : ""}`;
    }
    case "unrecognized_keys": {
      // toContentErrors words one error per key and appends this list of the fields that are allowed.
      const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
      return shape ? `(fields here: ${Object.keys(shape).join(", ")})` : "(docs/content.md lists every field)";
    }
    default:
      return undefined;
  }
}

/** Maps zod issues to ContentErrors; an unknown field becomes one error at that field's own path. */
export function toContentErrors(file: string, issues: readonly core.$ZodIssue[]): ContentError[] {
  return issues.flatMap((issue): ContentError[] => {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        file,
        path: [...path, key].join("."),
        message: `unknown field "${key}": remove it or fix its spelling ${issue.message}`,
      }));
    }
    return [{ file, path: path.join("."), message: issue.message }];
  });
}
