/** Request-body validation for the JSON routes: a 400 naming the field, never a 500. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";

/** What `app.onError` reads from an HTTPException's `cause` to build the JSON error body. */
export interface ErrorCause {
  code: string;
  field?: string;
}

export function fail(
  status: 400 | 401 | 403 | 404 | 409 | 413 | 426 | 429 | 503,
  code: string,
  message: string,
  field?: string,
) {
  return new HTTPException(status, { message, cause: { code, field } satisfies ErrorCause });
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  if (!c.req.header("content-type")?.includes("application/json")) {
    throw fail(400, "invalid", "send a JSON body with Content-Type: application/json");
  }
  const raw = await c.req.json().catch(() => {
    throw fail(400, "bad_json", "the request body is not valid JSON");
  });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") || undefined;
    throw fail(400, "invalid", `${field ?? "body"}: ${issue?.message ?? "invalid value"}`, field);
  }
  return parsed.data;
}
