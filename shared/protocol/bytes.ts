/**
 * The byte-level pieces of protocol 2's binary frames (docs/protocol.md, "Binary snapshots"):
 * LEB128 varints, zigzag for signed integers, length-prefixed UTF-8 strings.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A growable byte buffer with the few writes the format needs. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private room(n: number) {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number) {
    this.room(1);
    this.buf[this.length++] = b;
  }

  /** An unsigned integer up to 2^53 as LEB128: 7 bits a byte, low first, high bit = more. */
  uint(value: number) {
    this.room(8);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** A signed integer, zigzagged (0, -1, 1, -2… → 0, 1, 2, 3…) then as `uint`. */
  int(value: number) {
    this.uint(value < 0 ? -value * 2 - 1 : value * 2);
  }

  str(value: string) {
    // Short ASCII (ids, states, names, most of a snapshot's strings) is copied byte by byte:
    // TextEncoder's per-call cost measured as a twentieth of a zone's publishing.
    if (value.length <= 32) {
      let ascii = true;
      for (let i = 0; i < value.length; i++) {
        if (value.charCodeAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.uint(value.length);
        this.room(value.length);
        for (let i = 0; i < value.length; i++) this.buf[this.length++] = value.charCodeAt(i);
        return;
      }
    }
    const bytes = encoder.encode(value);
    this.uint(bytes.length);
    this.bytes(bytes);
  }

  bytes(bytes: Uint8Array) {
    this.room(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A copy of what was written. */
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** Starts over, keeping the buffer: one scratch writer serves many frames without garbage. */
  reset(): this {
    this.length = 0;
    return this;
  }
}

/** Reads what ByteWriter wrote; every read past the end or malformed throws a RangeError. */
export class ByteReader {
  private at = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.at >= this.buf.length;
  }

  byte(): number {
    if (this.at >= this.buf.length) throw new RangeError("binary frame ends early");
    return this.buf[this.at++] as number;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
    throw new RangeError("varint longer than 8 bytes");
  }

  int(): number {
    const z = this.uint();
    return z % 2 === 1 ? -(z + 1) / 2 : z / 2;
  }

  str(): string {
    const n = this.uint();
    if (this.at + n > this.buf.length) throw new RangeError("string runs past the frame");
    const end = this.at + n;
    // Most strings in a snapshot are short ASCII (ids, states, names): building them directly
    // skips TextDecoder's per-call cost, which measured as a quarter of a client's decoding.
    if (n <= 32) {
      let text = "";
      let i = this.at;
      for (; i < end; i++) {
        const b = this.buf[i] as number;
        if (b >= 0x80) break;
        text += String.fromCharCode(b);
      }
      if (i === end) {
        this.at = end;
        return text;
      }
    }
    const text = decoder.decode(this.buf.subarray(this.at, end));
    this.at = end;
    return text;
  }
}
