/**
 * Keeps docs/protocol.md in step with the protocol module: every documented schema has its
 * section under the right direction, every field is in its section's table (and no stale ones),
 * every JSON example parses with its schema, and every error code is listed.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { echoCloseCode, FLOOD_CLOSE_CODE } from "../net/flood";
import { ERROR_CODES } from "./errors";
import { ClientMessage, DOCUMENTED_SCHEMAS } from "./messages";
import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from "./version";

/**
 * This project type-checks shared/ against the Workers types only, so Node's `fs` is reached
 * through an untyped import (the unit project runs on Node) instead of adding Node's types to
 * every file of the program.
 */
type ReadFile = (path: URL, encoding: "utf8") => string;
const NODE_FS: string = "node:fs";
const { readFileSync } = (await import(/* @vite-ignore */ NODE_FS)) as { readFileSync: ReadFile };
const DOC_URL = new URL("../../docs/protocol.md", (import.meta as unknown as { url: string }).url);

interface Section {
  level: number;
  title: string;
  /** Lines after the heading up to the next heading of the same or a higher level. */
  body: string;
}

/** Splits markdown into sections by heading, ignoring `#` lines inside fenced code. */
function sections(markdown: string): Section[] {
  const lines = markdown.split("\n");
  const headings: { line: number; level: number; title: string }[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const match = !fenced && line.match(/^(#{1,6})\s+(.+?)\s*$/);
    if (match) headings.push({ line: i, level: (match[1] as string).length, title: match[2] as string });
  });
  return headings.map((heading, index) => {
    const end = headings.slice(index + 1).find((next) => next.level <= heading.level)?.line ?? lines.length;
    return { level: heading.level, title: heading.title, body: lines.slice(heading.line + 1, end).join("\n") };
  });
}

type Direction = "client" | "server";
const ARROW: Record<Direction, string> = { client: "client → server", server: "server → client" };
const MESSAGE_HEADING = /^`([^`]+)` \(([a-z]+ → [a-z]+)\)$/;

/** Rows of the markdown tables in `body` whose first cell is a backticked name: name → the other cells. */
function tableRows(body: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of body.split("\n")) {
    const match = line.match(/^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/);
    if (match)
      rows.set(
        match[1] as string,
        (match[2] as string).split("|").map((cell) => cell.trim()),
      );
  }
  return rows;
}

function jsonBlocks(body: string): string[] {
  return [...body.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => match[1] as string);
}

const unwrap = (schema: z.ZodType): z.ZodType =>
  schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema;

/** Schemas documented by a section of their own, which a nested field may refer to instead of listing fields. */
const documentedSchemas = new Set<z.ZodType>(
  Object.values(DOCUMENTED_SCHEMAS).flatMap((group) => Object.values(group) as z.ZodType[]),
);

/**
 * Every field a section must document, as the table names it: `players`, then `players[].name`.
 * Arrays of a schema that has its own section are documented by naming that section.
 */
function fieldPaths(shape: Record<string, z.ZodType>, prefix = ""): { path: string; schema: z.ZodType }[] {
  return Object.entries(shape).flatMap(([key, field]) => {
    const path = `${prefix}${key}`;
    const inner = unwrap(field);
    const own = [{ path, schema: field }];
    if (inner instanceof z.ZodArray) {
      const element = unwrap(inner.element as z.ZodType);
      if (element instanceof z.ZodObject && !documentedSchemas.has(element)) {
        return [...own, ...fieldPaths(element.shape as Record<string, z.ZodType>, `${path}[].`)];
      }
    }
    if (inner instanceof z.ZodObject && !documentedSchemas.has(inner)) {
      return [...own, ...fieldPaths(inner.shape as Record<string, z.ZodType>, `${path}.`)];
    }
    return own;
  });
}

const doc = readFileSync(DOC_URL, "utf8");
const allSections = sections(doc);

const messageSections = allSections.flatMap((section) => {
  const match = section.level === 3 && section.title.match(MESSAGE_HEADING);
  return match
    ? [{ name: match[1] as string, arrow: match[2] as string, body: section.body, title: section.title }]
    : [];
});

const documented = (Object.keys(DOCUMENTED_SCHEMAS) as Direction[]).flatMap((direction) =>
  Object.entries(DOCUMENTED_SCHEMAS[direction]).map(([name, schema]) => ({
    direction,
    name,
    schema: schema as z.ZodObject,
    heading: `\`${name}\` (${ARROW[direction]})`,
  })),
);

describe("docs/protocol.md", () => {
  it("has one section per message and none for messages that do not exist", () => {
    const expected = documented.map((m) => m.heading).sort();
    const actual = messageSections.map((s) => s.title).sort();
    expect(actual).toEqual(expected);
  });

  describe.each(documented)("$heading", ({ name, direction, schema, heading }) => {
    const section = messageSections.find((s) => s.title === heading);
    const body = section?.body ?? "";
    const rows = tableRows(body);
    const fields = fieldPaths(schema.shape as Record<string, z.ZodType>);

    it(`has a heading naming the direction ${ARROW[direction]}`, () => {
      expect(section, `missing heading "### ${heading}"`).toBeDefined();
    });

    it("documents every field in its table, and only real fields", () => {
      expect([...rows.keys()].sort()).toEqual(fields.map((f) => f.path).sort());
    });

    it("marks exactly the optional fields as optional", () => {
      for (const { path, schema: field } of fields) {
        const typeCell = rows.get(path)?.[0] ?? "";
        const optional = field.safeParse(undefined).success;
        expect(typeCell.includes("optional"), `${name}.${path}: "${typeCell}"`).toBe(optional);
      }
    });

    it("gives the literal type and every allowed value of enum fields", () => {
      const typeSchema = (schema.shape as Record<string, z.ZodType>).type;
      if (typeSchema instanceof z.ZodEnum) {
        // One schema for a family of messages (`event`): its row lists every type it may carry.
        const row = rows.get("type")?.join(" | ") ?? "";
        for (const option of typeSchema.options) expect(row, `${name}.type`).toContain(`\`${String(option)}\``);
      } else expect(rows.get("type")?.[0]).toBe(`\`"${name}"\``);
      for (const { path, schema: field } of fields) {
        if (path === "type") continue;
        const inner = unwrap(field);
        const row = rows.get(path)?.join(" | ") ?? "";
        // The error code enum is documented by its own section instead.
        if (!(inner instanceof z.ZodEnum) || row.includes("(#errors)")) continue;
        for (const option of inner.options) expect(row, `${name}.${path}`).toContain(`"${option}"`);
      }
    });

    it("has JSON examples that parse with the schema, unchanged", () => {
      const blocks = jsonBlocks(body);
      expect(blocks.length, `no \`\`\`json example in "${heading}"`).toBeGreaterThan(0);
      for (const block of blocks) {
        const example: unknown = JSON.parse(block);
        const parsed = schema.safeParse(example);
        expect(parsed.error?.issues ?? [], block).toEqual([]);
        // Equal after parsing: an example with a misspelt field would otherwise pass, stripped.
        expect(parsed.data, block).toEqual(example);
      }
    });
  });

  it("lists every error code, and only real ones, in the Errors section", () => {
    const errors = allSections.find((s) => s.level === 2 && s.title === "Errors");
    expect(errors, 'missing "## Errors" section').toBeDefined();
    expect([...tableRows(errors?.body ?? "").keys()].sort()).toEqual([...ERROR_CODES].sort());
  });

  it("states the protocol version and the frame limit the code uses", () => {
    const hello = messageSections.find((s) => s.name === "hello" && s.arrow === ARROW.client);
    for (const block of jsonBlocks(hello?.body ?? "")) {
      expect((JSON.parse(block) as { protocol: number }).protocol).toBe(PROTOCOL_VERSION);
    }
    expect(doc).toContain(`"protocol": ${PROTOCOL_VERSION}`);
    expect(doc).toContain(`${MAX_FRAME_BYTES} bytes of UTF-8`);
  });

  it("states the close codes the zone answers a client's close with, as the code picks them", () => {
    const stated = doc.match(/own code if it is 1000 or from\s+(\d+)–(\d+), and with 1000 otherwise/);
    expect(stated, "the sentence on the close codes the zone answers with").not.toBeNull();
    const [low, high] = [Number(stated?.[1]), Number(stated?.[2])];
    for (const code of [1000, low, high]) expect(echoCloseCode(code)).toBe(code);
    // Outside the stated range, and the codes that may never be sent (docs: "never sends 1005, 1006 or 1015").
    for (const code of [low - 1, high + 1, 1001, 1005, 1006, 1015]) expect(echoCloseCode(code)).toBe(1000);
    expect(doc).toContain("never sends 1005, 1006 or 1015");
    expect(doc).toContain(`closed with code **${FLOOD_CLOSE_CODE}**`);
  });
});

describe("text lengths", () => {
  const accepts = (message: Record<string, unknown>) => ClientMessage.safeParse(message).success;

  it("are counted in code points, as docs/protocol.md (Frames) says", () => {
    expect(doc).toContain("Lengths of text fields are counted in Unicode code points");
  });

  // 🐉 is one code point and two UTF-16 code units: at the limit in one count, over it in the other.
  it.each([
    ["a ping id", (text: string) => ({ type: "ping", id: text }), 64],
    ["a say", (text: string) => ({ type: "say", text }), 500],
    ["a command line", (text: string) => ({ type: "command", line: text }), 500],
    ["a cast skill", (text: string) => ({ type: "cast", skill: text }), 32],
    ["a cast target", (text: string) => ({ type: "cast", skill: "heal", target: text }), 64],
  ])("%s takes up to its limit in code points, whatever each one's size in UTF-16", (_, message, limit) => {
    for (const unit of ["x", "é", "🐉", "\ud800"]) {
      expect(accepts(message(unit.repeat(limit))), `${limit} × ${JSON.stringify(unit)}`).toBe(true);
      expect(accepts(message(unit.repeat(limit + 1))), `${limit + 1} × ${JSON.stringify(unit)}`).toBe(false);
    }
  });
});

describe("sections()", () => {
  it("ends a section at the next heading of the same or higher level and skips fenced #", () => {
    const parsed = sections("## A\none\n```text\n# not a heading\n```\n### B\ntwo\n## C\nthree\n");
    expect(parsed.map((s) => [s.level, s.title])).toEqual([
      [2, "A"],
      [3, "B"],
      [2, "C"],
    ]);
    expect(parsed[0]?.body).toContain("two");
    expect(parsed[0]?.body).not.toContain("three");
    expect(parsed[1]?.body).toBe("two");
  });
});
