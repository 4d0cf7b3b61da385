/**
 * Rendering texts in a player's language: a `Message` is a catalogue key with named parameters
 * (catalogue.ts explains how code adds one), rendered per recipient, so one event reads in English
 * to one player and in Spanish to another. Parameters may themselves be translatable: another
 * message, a list ("a, b and c"), a piece of content text (a room's or item's name, which a pack's
 * overlay translates, overlay.ts) or lines joined. Pure: no I/O, no global state.
 */
import { EN, type MessageKey } from "./catalogue";
import { CATALOGUES } from "./catalogues";
import { type Language, SOURCE_LANGUAGE } from "./languages";
import type { ContentOverlay } from "./overlay";

/** A catalogue text to render in each recipient's language. */
export interface Message {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, Param>>;
}

/** A name or description from the content pack: its own text, unless the language's overlay translates it. */
export interface ContentText {
  readonly content: "rooms" | "items" | "npcs";
  readonly id: string;
  readonly field: "name" | "description";
  /** The pack's own text, used in English and wherever the overlay has none. */
  readonly text: string;
}

/** Items listed as a language lists them ("a, b and c"). */
export interface ListText {
  readonly list: readonly Param[];
}

/** Parts rendered one by one and joined with a fixed separator (a room's lines, a comma list). */
export interface JoinedText {
  readonly join: readonly Param[];
  readonly with: string;
}

/** A part rendered with its first letter capitalized ("A rat tail lies here" from "a rat tail"). */
export interface CapitalText {
  readonly capital: Param;
}

/** What fills a `{name}` in a template. Numbers render as written (no locale grouping). */
export type Param = string | number | Message | ContentText | ListText | JoinedText | CapitalText;

/** Any text the Outbox accepts in place of a literal string. */
export type Text = Message | JoinedText | CapitalText;

type Names<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Names<Rest> : never;

/** The parameters a key's English template names, each required. */
export type ParamsOf<K extends MessageKey> = { readonly [P in Names<(typeof EN)[K]>]: Param };

/**
 * A message for `key` with its parameters, checked at compile time: the key must exist in the
 * English catalogue, and `params` must name exactly the parameters its English template uses.
 */
export function t<K extends MessageKey>(
  key: K,
  ...params: Names<(typeof EN)[K]> extends never ? [] : [ParamsOf<K>]
): Message {
  return params[0] ? { key, params: params[0] as Record<string, Param> } : { key };
}

/** The pack's text of a content name or description, translatable by an overlay. */
export const contentText = (
  content: ContentText["content"],
  id: string,
  field: ContentText["field"],
  text: string,
): ContentText => ({ content, id, field, text });

export const listOf = (list: readonly Param[]): ListText => ({ list });
export const joined = (parts: readonly Param[], separator: string): JoinedText => ({ join: parts, with: separator });
export const capital = (part: Param): CapitalText => ({ capital: part });

/** Whether `value` is a structured text rather than a literal string. */
export const isText = (value: unknown): value is Text =>
  typeof value === "object" && value !== null && ("key" in value || "join" in value || "capital" in value);

const TEMPLATE_PARAM = /\{(\w+)\}/g;

/** The parameter names a template uses, each once, in order of first use. */
export function paramNames(template: string): string[] {
  return [...new Set([...template.matchAll(TEMPLATE_PARAM)].map((m) => m[1] as string))];
}

/**
 * `key`'s template in `language` with `params` filled in. A key the language lacks, or a language
 * without a catalogue, falls back to English; a key English lacks too (a stored key that a later
 * version removed) renders as the key itself rather than failing. A parameter the call did not
 * give is left as `{name}` so the gap shows instead of vanishing.
 */
export function translate(
  language: string,
  key: string,
  params: Readonly<Record<string, Param>> = {},
  overlay?: ContentOverlay,
): string {
  const catalogue = CATALOGUES[language as Language] as Readonly<Record<string, string>> | undefined;
  const template = catalogue?.[key] ?? (EN as Readonly<Record<string, string>>)[key] ?? key;
  return template.replace(TEMPLATE_PARAM, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : renderParam(language, value, overlay);
  });
}

/** Any text or parameter rendered in `language`, content translated by `overlay` where it has an entry. */
export function renderParam(language: string, value: Param, overlay?: ContentOverlay): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if ("key" in value) return translate(language, value.key, value.params, overlay);
  if ("content" in value) return overlay?.[value.content]?.[value.id]?.[value.field] ?? value.text;
  if ("capital" in value) {
    const text = renderParam(language, value.capital, overlay);
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  if ("join" in value) return value.join.map((part) => renderParam(language, part, overlay)).join(value.with);
  // Anything else is no parameter the catalogue knows: shown as text rather than failing a whole tick.
  if (!("list" in value) || !Array.isArray(value.list)) return String(value);
  const parts = value.list.map((part) => renderParam(language, part, overlay));
  if (parts.length <= 1) return parts.join("");
  return translate(language, "list.and", {
    first: parts.slice(0, -1).join(translate(language, "list.separator")),
    last: parts.at(-1) as string,
  });
}

/** The English rendering: what events carry as `text` until each recipient's is made. */
export const english = (value: Param): string => renderParam(SOURCE_LANGUAGE, value);
