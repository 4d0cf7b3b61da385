/**
 * A seeded generator of hostile WebSocket frames for a zone, each with the answers
 * docs/protocol.md allows for it. The same seed yields the same frames in the same order
 * (shared/sim/rng.ts), so a failure is reproduced by running again with the seed it reports.
 *
 * Every frame carries the outcomes it may have, before and after the socket's `hello` was
 * accepted: "ok" (no `error` frame) or an error code, optionally with the `field` it must name
 * ("invalid:text"). Expectations come from the documented rules (the Frames, version rule and
 * Errors sections of docs/protocol.md), never from running the server's own parser.
 */
import { CLIENT_MESSAGE_TYPES } from "../../shared/protocol/messages";
import { MAX_FRAME_BYTES } from "../../shared/protocol/version";
import { createRng, type Rng, seedFromString } from "../../shared/sim/rng";

export type ZoneKind = "chat" | "mud" | "field";

/** "ok", an error code, or "code:field" when the error must name that field. */
export type Outcome = string;

/** What must come back, before the answer to the next frame, when a frame's outcome is "ok". */
export type Reply =
  | { type: "pong"; id: unknown }
  | { type: "welcome" }
  | { type: "who" }
  | { type: "info" }
  | { type: "said"; text: string };

export interface FuzzFrame {
  /** The generator that made it, for the summary and for failure reports. */
  kind: string;
  /** The bytes on the wire: a string is sent as UTF-8, and so are bytes unless `binary`. */
  data: string | Uint8Array;
  /** Sent as a binary frame rather than a text frame. */
  binary: boolean;
  /** Outcomes allowed while the socket has no accepted hello. */
  before: Outcome[];
  /** Outcomes allowed once it has one. */
  after: Outcome[];
  /** Required with an "ok" outcome. */
  reply?: Reply;
}

/** How one socket of the fuzz run behaves. */
export interface SocketPlan {
  /** Frames sent in order, each followed by the runner's own numbered ping. */
  frames: FuzzFrame[];
  /** Instead of frames: hello, then this many pings at once, beyond the flood-control burst. */
  flood?: number;
  /** How the client leaves: a close with this code, or dropping the TCP connection. */
  end: { close: number; reason: string } | "terminate";
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Flood control (docs/protocol.md, Flood control): burst sizes of ordinary and field zones. */
export const BURST = { chat: 40, mud: 40, field: 80 } as const;

const utf8 = new TextEncoder();
export const frameBytes = (frame: FuzzFrame) =>
  typeof frame.data === "string" ? utf8.encode(frame.data).byteLength : frame.data.byteLength;

// ---- building blocks ----------------------------------------------------------------------

class Pick {
  constructor(readonly rng: Rng) {}
  int(min: number, max: number): number {
    return this.rng.int(min, max);
  }
  /** A whole number between min and max, log-uniform: mostly small, now and then near max. */
  logInt(min: number, max: number): number {
    return Math.min(max, Math.floor(Math.exp(Math.log(min) + this.rng.next() * (Math.log(max + 1) - Math.log(min)))));
  }
  chance(p: number): boolean {
    return this.rng.next() < p;
  }
  one<T>(items: readonly T[]): T {
    return items[this.rng.int(0, items.length - 1)] as T;
  }
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((sum, [w]) => sum + w, 0);
    let roll = this.rng.next() * total;
    for (const [w, item] of items) {
      roll -= w;
      if (roll < 0) return item;
    }
    return (items[items.length - 1] as readonly [number, T])[1];
  }
}

/** Pieces of text that have broken parsers, terminals, databases and templating somewhere. */
const ODD_TEXT = [
  "\u202e",
  "\u202d",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\u00a0",
  "\u2028",
  "\u2029",
  "\u0301",
  "e\u0301",
  "Z\u0335\u0321\u0322a\u0336l\u0338g\u0334o",
  "🐉",
  "👩‍👩‍👧",
  "🏳️‍🌈",
  "李小龙",
  "Ω",
  "Æ",
  "\ud800",
  "\udfff",
  "\ud83d",
  "\u0000",
  "\u0007",
  "\n",
  "\t",
  "\r\n",
  "\u001b[31m",
  "\u007f",
  "\u0085",
  "\u009b",
  "\uffff",
  "\ufffe",
  "\ufffd",
  "%s%n%x",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is the hostile text here.
  "${process.exit()}",
  "{{7*7}}",
  "'; DROP TABLE said_log; --",
  "<script>alert(1)</script>",
  "../../../etc/passwd",
  "\\",
  '"',
  "null",
  "NaN",
  "-0",
  "1e309",
  "__proto__",
  "constructor",
  "hasOwnProperty",
] as const;
const WORDS = ["hello", "realm", "mug", "sword", "rat", "east", "lantern", "all", "2.", "Bob", "Ada", "x"] as const;

function oddText(p: Pick, length: number): string {
  let text = "";
  while (text.length < length) text += p.chance(0.5) ? p.one(ODD_TEXT) : `${p.one(WORDS)} `;
  return text;
}

/** Unicode whitespace String.prototype.trim removes (zod trims the same way). */
const SPACES = [" ", "\t", "\n", "\u00a0", "\u2028", "\ufeff", "\u3000"] as const;

/** Text near the 500-character limit, short odd text, or padded with whitespace. */
function chatLine(p: Pick): string {
  const shape = p.int(0, 9);
  if (shape <= 4) return oddText(p, p.int(1, 40));
  if (shape <= 6) {
    // Characters of one, two and four UTF-8 bytes; 🐉 is also two UTF-16 code units but one code point.
    const core = p.one(["a", "a", "é", "🐉"]).repeat(p.int(495, 505));
    return p.chance(0.5) ? core : `${p.one(SPACES)}${core}${p.one(SPACES)}`;
  }
  if (shape === 7) return `${p.one(SPACES)}${p.one(SPACES)}${oddText(p, p.int(1, 10))}${p.one(SPACES)}`;
  if (shape === 8) return p.one(["", " ", "\n", "\u00a0\u3000", "\ufeff"]);
  return oddText(p, p.int(100, 600));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the rule refuses.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The documented rule for `say` text and `command` lines: 1–500 characters after trimming, no
 * control characters, lengths in code points (docs/protocol.md, Frames).
 */
export function chatTextAccepted(text: string): boolean {
  const trimmed = text.trim();
  const length = [...trimmed].length;
  return length >= 1 && length <= 500 && !CONTROL.test(trimmed);
}

/** Names the documented rule refuses however it is tightened or normalized: empty, too long, control characters. */
function nameSurelyRefused(name: string): boolean {
  const trimmed = name.trim();
  return trimmed.length === 0 || [...trimmed].length > 24 || CONTROL.test(trimmed);
}

/** A JSON number literal a field of type number accepts (finite), or one it must refuse. */
const FINITE_NUMBERS = [
  "0",
  "-0",
  "1",
  "-1",
  "0.7071",
  "-0.7071",
  "1e308",
  "-1e308",
  "1.7976931348623157e308",
  "5e-324",
  "-5e-324",
  "1e-300",
  "123456789012345678901234567890",
  "9007199254740993",
  "640",
  "212.5",
] as const;
const NOT_NUMBERS = ["1e400", "-1e400", '"1"', "null", "true", "[]", "{}", '"NaN"', '"Infinity"'] as const;
/** Values of an integer field: accepted within [min, MAX_SAFE], refused otherwise. */
function intLiteral(p: Pick, min: 0 | 1, valid: boolean): string {
  if (valid) return p.one([String(min), "1", "2", String(p.int(1, 1_000_000)), "2147483648", String(MAX_SAFE)]);
  const below = min === 1 ? ["0", "-0", "-1"] : ["-1", "-9007199254740991"];
  return p.one([...below, "1.5", "9007199254740993", "1e400", '"1"', "null", "true", "[1]"]);
}

const point = (x: string, y: string) => `{"x":${x},"y":${y}}`;

// ---- frames -------------------------------------------------------------------------------

const always = (outcomes: Outcome[]) => ({ before: outcomes, after: outcomes });
/** A valid frame that needs hello: refused with hello_required before it. */
const gated = (outcomes: Outcome[]) => ({ before: ["hello_required"], after: outcomes });

function text(kind: string, data: string, outcomes: { before: Outcome[]; after: Outcome[] }, reply?: Reply) {
  return finish({ kind, data, binary: false, ...outcomes, reply });
}

/** A frame over the byte limit is refused unread whatever it holds (docs/protocol.md, Frames). */
function finish(frame: FuzzFrame): FuzzFrame {
  if (frameBytes(frame) <= MAX_FRAME_BYTES) return frame;
  return { ...frame, ...always(["too_large"]), reply: undefined };
}

/** What a field-zone frame gets where it is valid: queued (maybe over a per-tick limit) or refused. */
function fieldFrameOutcomes(zone: ZoneKind) {
  return gated(zone === "field" ? ["ok", "rate_limited"] : ["unsupported:type"]);
}

function malformed(p: Pick, valid: () => FuzzFrame): FuzzFrame {
  const shapes: (() => string)[] = [
    () => {
      // A valid object cut short is never valid JSON: its closing brace is gone.
      const whole = valid().data;
      const source = typeof whole === "string" ? whole : '{"type":"ping","id":7}';
      return source.slice(0, p.int(0, Math.max(0, source.length - 1)));
    },
    () => `{${oddText(p, p.int(1, 30)).replace(/^["}\s]+/, "x")}`,
    () =>
      p.one([
        "",
        "{",
        "}",
        "{{}}",
        "{'type':'ping'}",
        '{type:"ping"}',
        '{"type":"ping",}',
        '{"type":"ping"}}',
        '{"type":"ping"} {"type":"ping"}',
        '{"type":NaN}',
        '{"type":"ping","id":Infinity}',
        '{"type":"ping","id":-}',
        '{"type":"ping","id":0x10}',
        '{"type":"ping","id":01}',
        '{"type":"ping","id":.5}',
        '{"type":"ping","id":1.}',
        '{"type":"ping","id":1e}',
        '{"type":"ping","id":undefined}',
        '{"type":"pi\u0001ng"}',
        '{"type":"ping","id":"\\x41"}',
        '{"type":"ping","id":"\\u12"}',
        '{"type":"say","text":"unterminated}',
        '{"type":"ping"/*comment*/}',
        '\ufeff{"type":"ping"}',
        "[".repeat(p.int(1, 5000)),
        '{"a":'.repeat(p.int(1, 5000)),
      ]),
  ];
  return text("malformed", p.one(shapes)(), always(["bad_json"]));
}

function notAnObject(p: Pick): FuzzFrame {
  const data = p.one(["[]", "[1,2,3]", '[{"type":"ping"}]', "null", "42", "-0", "1e400", '"hello"', "true", '""']);
  return text("not-object", data, always(["invalid:type"]));
}

function badType(p: Pick): FuzzFrame {
  const data = p.one([
    "{}",
    '{"type":null}',
    '{"type":1}',
    '{"type":["hello"]}',
    '{"type":{"type":"hello"}}',
    '{"type":true}',
    '{"kind":"hello","protocol":1}',
    '{"__proto__":{"type":"ping"}}',
    '{"constructor":{"prototype":{"type":"ping"}}}',
  ]);
  return text("bad-type", data, always(["invalid:type"]));
}

function unknownType(p: Pick): FuzzFrame {
  let type: string = p.one([
    "Hello",
    "PING",
    " ping",
    "ping ",
    "ping\u0000",
    "__proto__",
    "constructor",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "welcome",
    "error",
    "said",
    "snapshot",
    "",
    "teleport",
    "admin",
  ]);
  if (p.chance(0.4)) type = oddText(p, p.logInt(1, 20_000));
  if ((CLIENT_MESSAGE_TYPES as readonly string[]).includes(type)) type = `${type}!`;
  return text("unknown-type", JSON.stringify({ type, protocol: 1, text: "x" }), always(["unknown_command"]));
}

function deepNesting(p: Pick): FuzzFrame {
  const depth = p.logInt(100, 10_000);
  const shape = p.int(0, 4);
  if (shape === 0)
    return text("deep-nesting", `${"[".repeat(depth * 3)}${"]".repeat(depth * 3)}`, always(["invalid:type"]));
  if (shape === 1) return text("deep-nesting", `${"[".repeat(depth)}${"]".repeat(depth - 1)}`, always(["bad_json"]));
  const deep = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  if (shape === 2) {
    // Fields a message does not define are ignored, however deep.
    const data = `{"type":"ping","id":"deep","x":${deep}}`;
    return text("deep-nesting", data, always(["ok"]), { type: "pong", id: "deep" });
  }
  if (shape === 3) return text("deep-nesting", `{"type":"say","text":${deep}}`, always(["invalid:text"]));
  return text("deep-nesting", `{"type":${deep}}`, always(["invalid:type"]));
}

/** Fills `build(pad)` with `unit` characters (and ASCII for the rest) up to `target` bytes of UTF-8. */
function padTo(target: number, unit: string, build: (pad: string) => string): string {
  const base = utf8.encode(build("")).byteLength;
  const room = Math.max(0, target - base);
  const unitBytes = utf8.encode(unit).byteLength;
  const units = Math.floor(room / unitBytes);
  return build(unit.repeat(units) + "x".repeat(room - units * unitBytes));
}

function oversized(p: Pick): FuzzFrame {
  const target = p.weighted([
    [3, MAX_FRAME_BYTES + p.int(-100, 100)],
    [2, MAX_FRAME_BYTES + p.int(0, 1)],
    [1, p.logInt(MAX_FRAME_BYTES + 2, 4 * MAX_FRAME_BYTES)],
  ]);
  const unit = p.one(["x", "é", "€", "🐉"]);
  const shape = p.int(0, 2);
  if (shape === 0) {
    const data = padTo(target, unit, (pad) => JSON.stringify({ type: "ping", id: 64, pad }));
    return text("oversized", data, always(["ok"]), { type: "pong", id: 64 });
  }
  if (shape === 1) {
    return text(
      "oversized",
      padTo(target, unit, (pad) => JSON.stringify({ type: "say", text: pad })),
      always(["invalid:text"]),
    );
  }
  const data = utf8.encode(padTo(target, unit, (pad) => JSON.stringify({ type: "ping", id: "bin", pad })));
  return finish({ kind: "oversized", data, binary: true, ...always(["ok"]), reply: { type: "pong", id: "bin" } });
}

function hello(p: Pick): FuzzFrame {
  const shape = p.int(0, 9);
  if (shape <= 2) {
    // A plain, valid hello: welcome the first time, refused (field type) once accepted.
    return text(
      "hello",
      JSON.stringify({ type: "hello", protocol: 1 }),
      { before: ["ok"], after: ["invalid:type"] },
      { type: "welcome" },
    );
  }
  if (shape === 3) {
    const protocol = p.one(["0", "3", "-1", "-0", "2147483647", String(MAX_SAFE), "100"]);
    return text("hello", `{"type":"hello","protocol":${protocol}}`, always(["protocol_mismatch:protocol"]));
  }
  if (shape === 4) {
    const protocol = p.one(['"1"', "1.5", "null", "true", "[1]", "{}", "1e400", "9007199254740993"]);
    const data = p.chance(0.2) ? '{"type":"hello"}' : `{"type":"hello","protocol":${protocol}}`;
    return text("hello", data, always(["invalid:protocol"]));
  }
  if (shape === 5) {
    const name = p.one(["42", "null", "true", "[]", '{"first":"Ada"}']);
    return text("hello", `{"type":"hello","protocol":1,"name":${name}}`, always(["invalid:name"]));
  }
  const name = p.weighted<string>([
    [3, oddText(p, p.int(1, 30))],
    [2, p.one(["Ada", "李小龙", "Ægir", "Ω_-9", "a".repeat(24), " Ada ", "admin", "Ada Lovelace", "٣٣", "e\u0301"])],
    [1, p.one(["", "   ", "a".repeat(25), "Ada\u0000", "Ada\u007f", "x".repeat(p.logInt(25, 30_000))])],
  ]);
  // Name rules are more than the documented character classes (normalization, scripts, reserved
  // names) and may be tightened: only the refusals no rule can lift are pinned down.
  const outcomes = nameSurelyRefused(name)
    ? always(["invalid:name"])
    : { before: ["ok", "invalid:name"], after: ["invalid:type", "invalid:name"] };
  return text("hello", JSON.stringify({ type: "hello", protocol: 1, name }), outcomes, { type: "welcome" });
}

function ping(p: Pick): FuzzFrame {
  if (p.chance(0.7)) {
    const literal = p.weighted<string>([
      [3, String(p.int(-1_000_000, 1_000_000))],
      [1, p.one(["-0", "0", String(MAX_SAFE), String(-MAX_SAFE)])],
      [3, JSON.stringify(oddText(p, p.int(0, 20)).slice(0, 64))],
      // Up to 64 code points, up to 128 UTF-16 code units.
      [1, JSON.stringify("🐉".repeat(p.int(32, 64)))],
      [1, JSON.stringify("x".repeat(64))],
    ]);
    const omit = p.chance(0.1);
    const data = omit ? '{"type":"ping"}' : `{"type":"ping","id":${literal}}`;
    return text("ping", data, always(["ok"]), { type: "pong", id: omit ? undefined : JSON.parse(literal) });
  }
  const literal = p.one([
    JSON.stringify("x".repeat(65)),
    JSON.stringify("🐉".repeat(65)),
    "1.5",
    "9007199254740993",
    "1e400",
    "-1e400",
    "null",
    "true",
    "{}",
    "[]",
  ]);
  return text("ping", `{"type":"ping","id":${literal}}`, always(["invalid:id"]));
}

function say(p: Pick): FuzzFrame {
  if (p.chance(0.1)) {
    const data = p.one([
      '{"type":"say"}',
      '{"type":"say","text":null}',
      '{"type":"say","text":42}',
      '{"type":"say","text":["hi"]}',
    ]);
    return text("say", data, always(["invalid:text"]));
  }
  const line = chatLine(p);
  const data = JSON.stringify({ type: "say", text: line });
  if (!chatTextAccepted(line)) return text("say", data, always(["invalid:text"]));
  return text("say", data, gated(["ok"]), { type: "said", text: line.trim() });
}

const MUD_VERBS = [
  "look",
  "l",
  "north",
  "south",
  "east",
  "west",
  "up",
  "down",
  "n",
  "s",
  "e",
  "w",
  "u",
  "d",
  "go",
  "trail",
  "say",
  "emote",
  "me",
  "who",
  "help",
  "?",
  "stats",
  "sheet",
  "effects",
  "status",
  "inventory",
  "i",
  "get",
  "take",
  "drop",
  "give",
  "equip",
  "wield",
  "wear",
  "remove",
  "drink",
  "quaff",
  "attack",
  "kill",
  "flee",
  "cast",
  "rest",
  "LOOK",
  "Get",
  "ge",
  "dr",
  "",
] as const;
const MUD_ARGS = [
  "all",
  "all.",
  "all.mug",
  "2.mug",
  "0.mug",
  "-1.mug",
  "99999999999999999999.mug",
  "1e309.sword",
  ".",
  "..",
  "mug mug mug",
  "mug Bob",
  "all Ada",
  "missile",
  "missile rat",
  "nova",
  "heal",
  "fireball",
  "lamplighter",
  "rat",
  "2.rat",
  "key",
  "north",
  "trail",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
] as const;
const GM_LINES = [
  "help",
  "?",
  "stats",
  "stats reset",
  "clear",
  "reset",
  "scatter",
  "spawn",
  "spawn 3",
  "spawn 20 wisp",
  "spawn 100 golem",
  "spawn 1e9",
  "spawn -1",
  "spawn 0",
  "spawn NaN golem",
  "spawn 2 dragon",
  "spawn 1 golem 1e308 -1e308",
  "spawn 1 wisp 600 400",
  "spawn 1 golem NaN 5",
  "set",
  "set width=NaN",
  "set tick=0",
  "set tick=61",
  "set tick=1e308",
  "set tick=20.5",
  "set view=1",
  "set view=5000",
  "set speed=-5",
  "set speed=1000",
  "set width=200 height=200",
  "set width=1200 height=800",
  "set tick=20 snapshot=20",
  "set snapshot=60",
  "set foo=bar",
  "set =",
  "set width=",
  "set width=1e400",
  "set __proto__=1",
  "SPAWN 1",
] as const;

function command(p: Pick, zone: ZoneKind): FuzzFrame {
  let line: string;
  if (p.chance(0.25)) line = chatLine(p);
  else if (zone === "field" && p.chance(0.7)) line = p.one(GM_LINES);
  else {
    const verb = p.one(MUD_VERBS);
    const arg = p.chance(0.6) ? p.one(MUD_ARGS) : oddText(p, p.int(0, 40));
    line = `${verb} ${arg}`;
  }
  const data = JSON.stringify({ type: "command", line });
  if (!chatTextAccepted(line)) return text("command", data, always(["invalid:line"]));
  if (zone === "chat") return text("command", data, gated(["ok"]), { type: "info" });
  // World zones queue commands for the next tick (at most 5 waiting); answers arrive as events.
  if (zone === "mud") return text("command", data, gated(["ok", "rate_limited"]));
  // The GM console answers at once; it may refuse the line, or be closed to guests.
  return text("command", data, gated(["ok", "invalid:line", "forbidden:line", "unsupported:line"]), { type: "info" });
}

function input(p: Pick, zone: ZoneKind): FuzzFrame {
  const bad = p.weighted<string | null>([
    [6, null],
    [1, "seq"],
    [1, "move"],
    [1, "move.x"],
    [1, "move.y"],
    [1, "aim"],
    [1, "aim.x"],
    [1, "ack"],
  ]);
  const coord = (field: string) => (bad === field ? p.one(NOT_NUMBERS) : p.one(FINITE_NUMBERS));
  const seq = intLiteral(p, 1, bad !== "seq");
  let move = point(coord("move.x"), coord("move.y"));
  if (bad === "move") move = p.one(["null", "[]", '"north"', "1"]);
  let fields = `"seq":${seq}`;
  if (bad !== "move" || p.chance(0.7)) fields += `,"move":${move}`;
  if (bad === "aim") fields += `,"aim":${p.one(["null", "[]", '"here"', '{"x":1}'])}`;
  else if (bad === "aim.x" || p.chance(0.5)) fields += `,"aim":${point(coord("aim.x"), p.one(FINITE_NUMBERS))}`;
  if (bad === "ack" || p.chance(0.3)) fields += `,"ack":${intLiteral(p, 0, bad !== "ack")}`;
  const data = `{"type":"input",${fields}}`;
  if (bad === null) return text("input", data, fieldFrameOutcomes(zone));
  // `{"x":1}` as aim is missing its y.
  const field = bad === "aim" && data.includes('"aim":{"x":1}') ? "aim.y" : bad;
  return text("input", data, always([`invalid:${field}`]));
}

function cast(p: Pick, zone: ZoneKind): FuzzFrame {
  const bad = p.weighted<string | null>([
    [6, null],
    [1, "skill"],
    [1, "target"],
    [1, "aim.x"],
  ]);
  const skill =
    bad === "skill"
      ? p.one(['""', JSON.stringify("x".repeat(33)), JSON.stringify("🐉".repeat(33)), "42", "null"])
      : JSON.stringify(
          p.weighted<string>([
            [3, p.one(["missile", "nova", "heal"])],
            [
              2,
              p.one([
                "fireball",
                " ",
                "MISSILE",
                "missile ",
                "__proto__",
                "constructor",
                "x".repeat(32),
                "🐉".repeat(16),
                "🐉".repeat(32),
              ]),
            ],
            [2, oddText(p, p.int(1, 12)).slice(0, 32) || "x"],
          ]),
        );
  let fields = `"skill":${skill}`;
  if (bad === "target")
    fields += `,"target":${p.one(['""', JSON.stringify("e".repeat(65)), JSON.stringify("🐉".repeat(65)), "1", "null"])}`;
  else if (p.chance(0.5))
    fields += `,"target":${JSON.stringify(p.one(["e1", "e2", "e3", "p1", "m1", "e99999999", "__proto__", "constructor", "e".repeat(64), "🐉", "🐉".repeat(64)]))}`;
  if (bad === "aim.x") fields += `,"aim":${point(p.one(NOT_NUMBERS), "1")}`;
  else if (p.chance(0.5)) fields += `,"aim":${point(p.one(FINITE_NUMBERS), p.one(FINITE_NUMBERS))}`;
  const data = `{"type":"cast",${fields}}`;
  if (bad === null) return text("cast", data, fieldFrameOutcomes(zone));
  return text("cast", data, always([`invalid:${bad}`]));
}

function ack(p: Pick, zone: ZoneKind): FuzzFrame {
  const valid = p.chance(0.6);
  const data = p.chance(0.05) ? '{"type":"ack"}' : `{"type":"ack","n":${intLiteral(p, 0, valid)}}`;
  if (!valid || data === '{"type":"ack"}') return text("ack", data, always(["invalid:n"]));
  return text("ack", data, fieldFrameOutcomes(zone));
}

function duplicateKeys(p: Pick): FuzzFrame {
  // JSON.parse keeps the last of duplicate keys, as every client library in this repo does.
  if (p.chance(0.5)) {
    return text("duplicate-keys", '{"type":"teleport","type":"ping","id":"dup","id":"last"}', always(["ok"]), {
      type: "pong",
      id: "last",
    });
  }
  return text("duplicate-keys", '{"type":"ping","type":"nope"}', always(["unknown_command"]));
}

function protoKeys(p: Pick): FuzzFrame {
  const data = p.one([
    '{"type":"ping","__proto__":{"id":"polluted"}}',
    '{"type":"ping","constructor":{"prototype":{"id":"polluted"}}}',
    '{"type":"ping","__proto__":null}',
  ]);
  return text("proto-keys", data, always(["ok"]), { type: "pong", id: undefined });
}

function binaryInvalidUtf8(p: Pick): FuzzFrame {
  const bytes = Array.from({ length: p.int(0, 40) }, () => p.int(0x20, 0x7e));
  // Each of these is malformed UTF-8 wherever it sits: a byte never used, a lone continuation,
  // an overlong encoding, an encoded surrogate, a sequence cut short at the end.
  const poison = p.one([
    [0xff],
    [0xfe],
    [0x80],
    [0xc0, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xe2, 0x82],
  ]);
  const at = p.int(0, bytes.length);
  const data = Uint8Array.from([
    ...bytes.slice(0, at),
    ...poison,
    ...(poison.length === 2 && poison[0] === 0xe2 ? [] : bytes.slice(at)),
  ]);
  return finish({ kind: "binary-invalid-utf8", data, binary: true, ...always(["bad_json"]) });
}

function textInvalidUtf8(p: Pick): FuzzFrame {
  // Malformed UTF-8 in a text frame, outside any JSON string: whatever the runtime makes of the
  // bytes (replacement characters), it is not JSON.
  const data = Uint8Array.from([0x7b, ...p.one([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80]]), 0x7d]);
  return finish({ kind: "text-invalid-utf8", data, binary: false, ...always(["bad_json"]) });
}

/** Any text frame, sent as a binary frame: read as UTF-8 JSON too, a leading BOM dropped. */
function asBinary(p: Pick, frame: FuzzFrame): FuzzFrame {
  if (typeof frame.data !== "string" || frame.data.startsWith("\ufeff")) return frame;
  const bytes = utf8.encode(frame.data);
  const data = p.chance(0.2) ? Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]) : bytes;
  return finish({ ...frame, kind: `binary-${frame.kind}`, data, binary: true });
}

/** A seeded frame generator for one zone kind. */
export function createFuzzer(seed: number, zone: ZoneKind) {
  const p = new Pick(createRng(seedFromString(`fuzz:${seed}:${zone}`)));
  const fieldWeight = zone === "field" ? 8 : 2;
  const base: (readonly [number, () => FuzzFrame])[] = [
    [6, () => malformed(p, valid)],
    [2, () => notAnObject(p)],
    [2, () => badType(p)],
    [4, () => unknownType(p)],
    [2, () => deepNesting(p)],
    [1, () => oversized(p)],
    [6, () => hello(p)],
    [4, () => ping(p)],
    [6, () => say(p)],
    [1, () => text("who", '{"type":"who"}', gated(["ok"]), { type: "who" })],
    [6, () => command(p, zone)],
    [fieldWeight, () => input(p, zone)],
    [fieldWeight / 2, () => cast(p, zone)],
    [fieldWeight / 2, () => ack(p, zone)],
    [1, () => text("resync", '{"type":"resync"}', fieldFrameOutcomes(zone))],
    [1, () => duplicateKeys(p)],
    [1, () => protoKeys(p)],
    [2, () => binaryInvalidUtf8(p)],
    [1, () => textInvalidUtf8(p)],
  ];
  const generators = [...base, [4, () => asBinary(p, p.weighted(base)())] as const];
  /** A message of a known type, for truncating into malformed JSON. */
  function valid(): FuzzFrame {
    return p.one([() => hello(p), () => ping(p), () => say(p), () => command(p, zone), () => input(p, zone)])();
  }
  const frame = (): FuzzFrame => p.weighted(generators)();

  /**
   * Sockets for `total` frames, made one at a time as they are taken (a long run does not hold
   * them all). Each stays within its flood-control burst (every frame and the runner's ping after
   * it take a token), so no frame is refused for flooding; a few sockets flood on purpose instead.
   */
  function* plan(total: number): Generator<SocketPlan> {
    const perSocket = Math.floor((BURST[zone] - 2) / 2);
    let planned = 0;
    while (planned < total) {
      const end = p.weighted<SocketPlan["end"]>([
        [8, { close: 1000, reason: "bye" }],
        [1, { close: p.int(3000, 4999), reason: oddText(p, p.int(0, 30)).slice(0, 30) }],
        [1, "terminate"],
      ]);
      if (p.chance(0.003)) {
        // Enough past the burst that a zone reading them at full speed refuses over 100 and closes
        // the socket (docs/protocol.md, Flood control); a slower read may just refuse fewer.
        const flood = Math.min(BURST[zone] + 120, total - planned);
        yield { frames: [], flood, end };
        planned += flood;
        continue;
      }
      const count = Math.min(p.int(1, perSocket), total - planned);
      const frames: FuzzFrame[] = [];
      if (p.chance(0.7)) {
        frames.push(
          text(
            "hello",
            JSON.stringify({ type: "hello", protocol: 1 }),
            { before: ["ok"], after: ["invalid:type"] },
            { type: "welcome" },
          ),
        );
      }
      while (frames.length < count) frames.push(frame());
      yield { frames, end };
      planned += frames.length;
    }
  }

  return { frame, plan };
}
