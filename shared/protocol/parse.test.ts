import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProtocolError } from "./errors";
import { ClientMessage } from "./messages";
import { parseClientFrame } from "./parse";
import { MAX_FRAME_BYTES } from "./version";

const bytesOf = (text: string): ArrayBuffer => {
  const view = new TextEncoder().encode(text);
  return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
};

/** Parses a frame that must be refused and returns the error. */
function refused(frame: string | ArrayBuffer): ProtocolError {
  const result = parseClientFrame(frame);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** Parses a frame that must be accepted and returns the message. */
function accepted(frame: string | ArrayBuffer): ClientMessage {
  const result = parseClientFrame(frame);
  if (!result.ok) throw new Error(`expected a message, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/**
 * A valid `who` frame padded with an ignored field to exactly `size` UTF-8 bytes; with `wide`,
 * the padding is mostly three-byte characters, so the string is far shorter than its byte size.
 */
function whoFrameOfBytes(size: number, wide = false): string {
  const room = size - '{"type":"who","pad":""}'.length;
  const pad = wide ? "€".repeat(Math.floor(room / 3)) + "x".repeat(room % 3) : "x".repeat(room);
  return `{"type":"who","pad":"${pad}"}`;
}

describe("parseClientFrame: frame size", () => {
  it("accepts a frame of exactly the limit and refuses one byte more with too_large", () => {
    expect(whoFrameOfBytes(MAX_FRAME_BYTES)).toHaveLength(MAX_FRAME_BYTES);
    expect(accepted(whoFrameOfBytes(MAX_FRAME_BYTES))).toEqual({ type: "who" });
    const error = refused(whoFrameOfBytes(MAX_FRAME_BYTES + 1));
    expect(error.code).toBe("too_large");
    expect(error.field).toBeUndefined();
    expect(error.message).toContain(`${MAX_FRAME_BYTES + 1} bytes`);
    expect(error.message).toContain(String(MAX_FRAME_BYTES));
  });

  it("refuses a >64 KiB string even when it is not JSON (size is checked first)", () => {
    expect(refused("x".repeat(MAX_FRAME_BYTES + 10)).code).toBe("too_large");
  });

  it("counts UTF-8 bytes, not UTF-16 units, for multi-byte text", () => {
    // 40,000 two-byte characters: 40,000 UTF-16 units (under the limit) but 80,000 UTF-8 bytes.
    const frame = `{"type":"say","text":"${"é".repeat(40_000)}"}`;
    expect(frame.length).toBeLessThan(MAX_FRAME_BYTES);
    const error = refused(frame);
    expect(error.code).toBe("too_large");
    expect(error.message).toContain(`${new TextEncoder().encode(frame).byteLength} bytes`);
  });

  it("counts astral characters (surrogate pairs) as four bytes", () => {
    // Each 🐉 is two UTF-16 units and four UTF-8 bytes: 17,000 of them are 68,000 bytes.
    const frame = `{"type":"who","pad":"${"🐉".repeat(17_000)}"}`;
    expect(frame.length).toBeLessThan(MAX_FRAME_BYTES);
    expect(refused(frame).code).toBe("too_large");
  });

  it("accepts multi-byte text right at the limit and refuses it one byte over", () => {
    const atLimit = whoFrameOfBytes(MAX_FRAME_BYTES, true);
    expect(new TextEncoder().encode(atLimit).byteLength).toBe(MAX_FRAME_BYTES);
    expect(atLimit.length).toBeLessThan(MAX_FRAME_BYTES / 2);
    expect(accepted(atLimit)).toEqual({ type: "who" });
    expect(refused(whoFrameOfBytes(MAX_FRAME_BYTES + 1, true)).code).toBe("too_large");
  });

  it("refuses an oversized binary frame with too_large", () => {
    expect(refused(new ArrayBuffer(MAX_FRAME_BYTES + 1)).code).toBe("too_large");
  });
});

describe("parseClientFrame: JSON", () => {
  it.each(["{", "", "not json", '{"type":"who",}', "{'type':'who'}"])("refuses %j with bad_json", (frame) => {
    const error = refused(frame);
    expect(error.code).toBe("bad_json");
    expect(error.field).toBeUndefined();
    expect(error.message).toMatch(/^frame is not valid JSON: /);
  });

  it("refuses a binary frame that is not valid UTF-8 with bad_json", () => {
    const error = refused(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]).buffer);
    expect(error).toEqual({ code: "bad_json", message: "binary frame is not valid UTF-8 JSON" });
  });

  it("refuses a truncated multi-byte sequence in a binary frame", () => {
    // "é" is C3 A9; a lone C3 is not UTF-8.
    const bytes = new Uint8Array([...new TextEncoder().encode('{"type":"say","text":"'), 0xc3, 0x22, 0x7d]);
    expect(refused(bytes.buffer).code).toBe("bad_json");
  });

  it("reads a binary frame holding valid UTF-8 JSON", () => {
    expect(accepted(bytesOf('{"type":"say","text":"héllo 🐉"}'))).toEqual({ type: "say", text: "héllo 🐉" });
  });

  it("refuses valid UTF-8 in a binary frame that is not JSON with bad_json", () => {
    expect(refused(bytesOf("héllo")).code).toBe("bad_json");
  });

  it.each(["[1,2]", "[]", "null", "42", '"hello"', "true"])("refuses non-object JSON %s as invalid `type`", (frame) => {
    expect(refused(frame)).toEqual({
      code: "invalid",
      field: "type",
      message: "frame must be a JSON object with a string `type`",
    });
  });
});

describe("parseClientFrame: type", () => {
  it.each(["{}", '{"type":5}', '{"type":null}', '{"type":["hello"]}', '{"type":{"hello":1}}', '{"protocol":1}'])(
    "refuses %s: missing or non-string type",
    (frame) => {
      expect(refused(frame)).toEqual({ code: "invalid", field: "type", message: "`type` must be a string" });
    },
  );

  it.each(["fly", "HELLO", "", "welcome", "said", "toString", "__proto__"])(
    "refuses type %j with unknown_command",
    (type) => {
      const error = refused(JSON.stringify({ type }));
      expect(error.code).toBe("unknown_command");
      expect(error.field).toBeUndefined();
      expect(error.message).toContain("expected one of hello, ping, say, who");
    },
  );

  it("quotes at most 40 characters of an unknown type back", () => {
    const error = refused(JSON.stringify({ type: "y".repeat(1000) }));
    expect(error.code).toBe("unknown_command");
    expect(error.message).toContain(`"${"y".repeat(40)}"`);
    expect(error.message).not.toContain("y".repeat(41));
  });
});

describe("parseClientFrame: field validation", () => {
  it.each([
    ['{"type":"hello"}', "protocol"],
    ['{"type":"hello","protocol":"1"}', "protocol"],
    ['{"type":"hello","protocol":1.5}', "protocol"],
    ['{"type":"hello","protocol":1,"name":5}', "name"],
    ['{"type":"hello","protocol":1,"name":""}', "name"],
    ['{"type":"hello","protocol":1,"name":"   "}', "name"],
    [`{"type":"hello","protocol":1,"name":"${"n".repeat(25)}"}`, "name"],
    ['{"type":"hello","protocol":1,"name":"Ann!"}', "name"],
    ['{"type":"hello","protocol":1,"name":"<script>"}', "name"],
    ['{"type":"ping","id":1.5}', "id"],
    ['{"type":"ping","id":9007199254740992}', "id"],
    ['{"type":"ping","id":{"nested":1}}', "id"],
    [`{"type":"ping","id":"${"i".repeat(65)}"}`, "id"],
    ['{"type":"say"}', "text"],
    ['{"type":"say","text":42}', "text"],
    ['{"type":"say","text":""}', "text"],
    ['{"type":"say","text":"  \\t "}', "text"],
    [`{"type":"say","text":"${"t".repeat(501)}"}`, "text"],
  ])("refuses %s naming field %s", (frame, field) => {
    const error = refused(frame);
    expect(error.code).toBe("invalid");
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it.each(["A\u0007b", "A\u0000b", "A\nb", "A\tb", "A\u007fb", "A\u001bb", "A\u200bb"])(
    "refuses a name with control or invisible characters (%j)",
    (name) => {
      expect(refused(JSON.stringify({ type: "hello", protocol: 1, name }))).toMatchObject({
        code: "invalid",
        field: "name",
      });
    },
  );

  it.each(["a\u0000b", "line one\nline two", "tab\there", "bell\u0007", "del\u007f!", "esc\u001b[31m"])(
    "refuses chat text with a control character inside (%j)",
    (text) => {
      expect(refused(JSON.stringify({ type: "say", text }))).toEqual({
        code: "invalid",
        field: "text",
        message: "text: no control characters",
      });
    },
  );
});

describe("parseClientFrame: valid messages", () => {
  it("parses hello with and without a name", () => {
    expect(accepted('{"type":"hello","protocol":1}')).toEqual({ type: "hello", protocol: 1 });
    expect(accepted('{"type":"hello","protocol":1,"name":"Ann-Marie_2"}')).toEqual({
      type: "hello",
      protocol: 1,
      name: "Ann-Marie_2",
    });
    expect(accepted('{"type":"hello","protocol":1,"name":"Ærwyn Öst"}')).toMatchObject({ name: "Ærwyn Öst" });
  });

  it("parses hello with another protocol number (the zone, not the parser, refuses a mismatch)", () => {
    expect(accepted('{"type":"hello","protocol":2}')).toEqual({ type: "hello", protocol: 2 });
  });

  it("parses ping with a numeric, a string or no id", () => {
    expect(accepted('{"type":"ping"}')).toEqual({ type: "ping" });
    expect(accepted('{"type":"ping","id":7}')).toEqual({ type: "ping", id: 7 });
    expect(accepted('{"type":"ping","id":-3}')).toEqual({ type: "ping", id: -3 });
    expect(accepted(`{"type":"ping","id":"${"i".repeat(64)}"}`)).toEqual({ type: "ping", id: "i".repeat(64) });
  });

  it("parses say and who", () => {
    expect(accepted('{"type":"say","text":"hello, world"}')).toEqual({ type: "say", text: "hello, world" });
    expect(accepted(JSON.stringify({ type: "say", text: "t".repeat(500) }))).toMatchObject({ text: "t".repeat(500) });
    expect(accepted('{"type":"who"}')).toEqual({ type: "who" });
  });

  it("trims names and chat text, and applies the length limits after trimming", () => {
    expect(accepted('{"type":"hello","protocol":1,"name":"  Ann  "}')).toEqual({
      type: "hello",
      protocol: 1,
      name: "Ann",
    });
    expect(accepted(JSON.stringify({ type: "hello", protocol: 1, name: `  ${"n".repeat(24)}  ` }))).toMatchObject({
      name: "n".repeat(24),
    });
    expect(accepted('{"type":"say","text":"  hi there \\n"}')).toEqual({ type: "say", text: "hi there" });
    expect(accepted(JSON.stringify({ type: "say", text: ` ${"t".repeat(500)} ` }))).toMatchObject({
      text: "t".repeat(500),
    });
  });

  it("drops fields a message does not define", () => {
    expect(accepted('{"type":"who","admin":true,"__proto__":{"x":1}}')).toEqual({ type: "who" });
    expect(accepted('{"type":"say","text":"hi","name":"Mallory"}')).toEqual({ type: "say", text: "hi" });
  });
});

describe("parseClientFrame: the hand-checked input path", () => {
  it("answers exactly as the schema does, for inputs well-formed or not", () => {
    const number = fc.oneof(
      fc.integer({ min: -3, max: 2 ** 53 + 2 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(2 ** 53 - 1, 2 ** 53, 0, -0, 1.5, 424242, -424242),
    );
    const anything = fc.oneof(
      number,
      fc.string({ maxLength: 3 }),
      fc.constant(null),
      fc.boolean(),
      fc.constant([1, 2]),
    );
    const point = fc.oneof(
      fc.record({ x: number, y: number }),
      fc.record({ x: number, y: number, z: anything }),
      fc.record({ x: anything }, { requiredKeys: [] }),
      fc.record({ x: anything, y: number }),
      fc.record({ x: number, y: anything }),
      anything,
      fc.constant([0, 0]),
    );
    const input = fc.record(
      { seq: fc.oneof(number, anything), move: point, aim: point, ack: fc.oneof(number, anything), extra: anything },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(input, (fields) => {
        // Numbers past a double's range, as a client may write them: JSON.parse reads them as ±Infinity.
        const text = JSON.stringify({ type: "input", ...fields }).replaceAll("424242", "1e400");
        const viaParse = parseClientFrame(text);
        const viaSchema = ClientMessage.safeParse(JSON.parse(text));
        expect(viaParse.ok).toBe(viaSchema.success);
        if (viaParse.ok && viaSchema.success) expect(viaParse.value).toStrictEqual(viaSchema.data);
      }),
      { seed: 5, numRuns: 3000 },
    );
  });

  it("refuses coordinates past a double's range (read as Infinity) with the schema's field", () => {
    const cases: [string, string][] = [
      ['{"type":"input","seq":1,"move":{"x":1e400,"y":0}}', "move.x"],
      ['{"type":"input","seq":1,"move":{"x":0,"y":-1e400}}', "move.y"],
      ['{"type":"input","seq":1,"move":{"x":0,"y":0},"aim":{"x":-1e400,"y":2}}', "aim.x"],
      ['{"type":"input","seq":1,"move":{"x":0,"y":0},"aim":{"x":1,"y":1e400}}', "aim.y"],
    ];
    for (const [text, field] of cases)
      expect(parseClientFrame(text)).toMatchObject({ ok: false, error: { code: "invalid", field } });
  });
});

describe("parseClientFrame: hello's language", () => {
  it("accepts a language tag and refuses a malformed one as invalid, field language", () => {
    const hello = (language: unknown) => JSON.stringify({ type: "hello", protocol: 2, language });
    expect(parseClientFrame(hello("es-MX"))).toMatchObject({ ok: true, value: { language: "es-MX" } });
    // A tag the realm has no catalogue for still parses: the zone plays it in English (docs/protocol.md).
    expect(parseClientFrame(hello("fr"))).toMatchObject({ ok: true, value: { language: "fr" } });
    for (const bad of ["", "e", "español", "es MX", 7, "x".repeat(40)]) {
      expect(refused(hello(bad))).toMatchObject({ code: "invalid", field: "language" });
    }
  });
});
