/**
 * Schema parts every content file kind shares: ids, display text, whole numbers in a range. In a
 * file of their own (importing nothing of the pack) so that each kind's schema can use them
 * without importing schema.ts back.
 */
import { z } from "zod";

/** Ids of zones, rooms, items, NPCs and loot tables: lower-case words joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_HINT = 'lower-case letters and digits in words joined by single hyphens, e.g. "old-oak"';

/** An id: a slug of 1–64 characters. `what` names it in the error ("item id"). */
export const slug = (what: string) =>
  z
    .string()
    .min(1, { error: `${what} is empty: give it an id (${SLUG_HINT})`, abort: true })
    .max(64, `${what} is longer than 64 characters: shorten it`)
    .regex(SLUG_PATTERN, `${what} must be ${SLUG_HINT}`);

/** Text players read, trimmed, 1–`max` characters. */
export const text = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} is empty: write one`)
    .max(max, `${what} is longer than ${max} characters: shorten it`);

/** A whole number from `min` to `max`. */
export const intIn = (min: number, max: number) => z.number().int().min(min).max(max);
