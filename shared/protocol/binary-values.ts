/**
 * Protocol 2's compact encoding of a snapshot's events (docs/protocol.md, "Binary snapshots"):
 * JSON values with a type tag each, object keys and common words as indexes into fixed tables,
 * integers as varints, other numbers as float64 (exact: a binary client reads the same events a
 * JSON client parses). Numbers JSON cannot carry (NaN, ±Infinity) become null, as JSON.stringify
 * makes them; keys whose value is undefined are left out, as JSON does.
 */
import type { ByteReader, ByteWriter } from "./bytes";

/** Object keys by index (append only: the order is the wire format). */
export const EVENT_KEYS = [
  "type",
  "by",
  "target",
  "to",
  "skill",
  "source",
  "reason",
  "shape",
  "at",
  "x",
  "y",
  "r",
  "hitsAt",
  "amount",
  "completesAt",
  "readyInTicks",
  "xp",
  "from",
  "items",
  "level",
] as const;

/** String values by index (append only): event types, skills, sources, shapes, refusals. */
export const EVENT_WORDS = [
  "cast",
  "refused",
  "hit",
  "immune",
  "heal",
  "telegraph",
  "aggro",
  "leash",
  "death",
  "respawn",
  "xp",
  "loot",
  "level_up",
  "melee",
  "magic-missile",
  "arcane-nova",
  "cleave",
  "circle",
  "unknown_skill",
  "dead",
  "casting",
  "cooldown",
  "mana",
  "no_target",
  "out_of_range",
  "no_line_of_fire",
] as const;

/** The tag byte before each value. */
export const TAG = {
  null: 0,
  false: 1,
  true: 2,
  uint: 3,
  negative: 4,
  float: 5,
  str: 6,
  word: 7,
  array: 8,
  object: 9,
} as const;

const KEY_INDEX = new Map<string, number>(EVENT_KEYS.map((k, i) => [k, i]));
const WORD_INDEX = new Map<string, number>(EVENT_WORDS.map((w, i) => [w, i]));
const float = new DataView(new ArrayBuffer(8));

/** Writes one JSON value. */
export function writeValue(w: ByteWriter, value: unknown): void {
  if (value === null || value === undefined) {
    w.byte(TAG.null);
    return;
  }
  if (value === false) {
    w.byte(TAG.false);
    return;
  }
  if (value === true) {
    w.byte(TAG.true);
    return;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      w.byte(TAG.null);
      return;
    }
    if (Number.isSafeInteger(value)) {
      w.byte(value < 0 ? TAG.negative : TAG.uint);
      w.uint(Math.abs(value));
      return;
    }
    w.byte(TAG.float);
    float.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) w.byte(float.getUint8(i));
    return;
  }
  if (typeof value === "string") {
    const word = WORD_INDEX.get(value);
    if (word !== undefined) {
      w.byte(TAG.word);
      w.uint(word);
      return;
    }
    w.byte(TAG.str);
    w.str(value);
    return;
  }
  if (Array.isArray(value)) {
    w.byte(TAG.array);
    w.uint(value.length);
    for (const item of value) writeValue(w, item === undefined ? null : item);
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  w.byte(TAG.object);
  w.uint(entries.length);
  for (const [key, v] of entries) {
    const index = KEY_INDEX.get(key);
    if (index !== undefined) w.uint(index);
    else {
      w.uint(EVENT_KEYS.length);
      w.str(key);
    }
    writeValue(w, v);
  }
}

/** Reads one JSON value; RangeError on a malformed one (an unknown tag, a word or key out of range). */
export function readValue(r: ByteReader, depth = 0): unknown {
  if (depth > 32) throw new RangeError("event values nest too deep");
  const tag = r.byte();
  switch (tag) {
    case TAG.null:
      return null;
    case TAG.false:
      return false;
    case TAG.true:
      return true;
    case TAG.uint:
      return r.uint();
    case TAG.negative:
      return -r.uint();
    case TAG.float: {
      for (let i = 0; i < 8; i++) float.setUint8(i, r.byte());
      return float.getFloat64(0, true);
    }
    case TAG.str:
      return r.str();
    case TAG.word: {
      const word = EVENT_WORDS[r.uint()];
      if (word === undefined) throw new RangeError("unknown word in an event");
      return word;
    }
    case TAG.array: {
      const count = r.uint();
      const out: unknown[] = [];
      for (let i = 0; i < count; i++) out.push(readValue(r, depth + 1));
      return out;
    }
    case TAG.object: {
      const count = r.uint();
      const out: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) {
        const index = r.uint();
        const key = index === EVENT_KEYS.length ? r.str() : EVENT_KEYS[index];
        if (key === undefined) throw new RangeError("unknown key in an event");
        const value = readValue(r, depth + 1);
        // A key named like Object.prototype's accessor must stay a plain field.
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      throw new RangeError(`unknown value tag ${tag}`);
  }
}
