/** The name rules of ./names.ts as a zod field: it validates and outputs the normalized name. */
import { z } from "zod";
import { checkName, type NameRule } from "./names";

/**
 * A string field that must pass {@link checkName} with `rule`; parsing yields the normalized name
 * (what to store and show). A refusal is one issue whose message names the offending character.
 */
export function nameField(rule: NameRule) {
  return z.string().transform((raw, ctx) => {
    const checked = checkName(raw, rule);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: "custom", message: checked.error.message });
    return z.NEVER;
  });
}
