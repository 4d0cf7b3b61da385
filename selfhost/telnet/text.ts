/**
 * Text both ways, pure: the player's bytes cut into lines (capped, control characters dropped),
 * and what the realm says turned into styled lines, wrapped to the client's width, coloured with
 * ANSI when the player wants colour, and ended with CR LF as telnet's NVT expects.
 */

/** The longest line a player may type, in bytes; longer ones are dropped whole and the player told. */
export const MAX_LINE_BYTES = 2048;

export type Style = "plain" | "title" | "exits" | "chat" | "damage" | "error" | "system" | "good";

export interface StyledLine {
  text: string;
  style: Style;
}

/** SGR codes per style: bold cyan titles, green exits, yellow chat, red damage and errors. */
const SGR: Record<Style, string> = {
  plain: "",
  title: "1;36",
  exits: "32",
  chat: "33",
  damage: "31",
  error: "1;31",
  system: "35",
  good: "1;32",
};

export const colour = (text: string, style: Style, on: boolean): string =>
  on && SGR[style] && text ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text;

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI sequences start with ESC.
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
export const stripAnsi = (text: string) => text.replace(ANSI, "");

/**
 * Word-wraps one line of plain text to `width` columns (code points; wide characters are rare in
 * this realm's text). A word longer than the width is cut. Width 0 means no wrapping.
 */
export function wrap(text: string, width: number): string[] {
  if (width <= 0 || [...text].length <= width) return [text];
  const rows: string[] = [];
  let row = "";
  for (const word of text.split(/ +/)) {
    let rest = [...word];
    while (rest.length > 0) {
      const rowLength = [...row].length;
      const gap = rowLength ? 1 : 0;
      if (rowLength + gap + rest.length <= width) {
        row += (gap ? " " : "") + rest.join("");
        rest = [];
      } else if (rowLength === 0) {
        rows.push(rest.slice(0, width).join(""));
        rest = rest.slice(width);
      } else {
        rows.push(row);
        row = "";
      }
    }
  }
  if (row) rows.push(row);
  return rows.length ? rows : [""];
}

/** Styled lines as the bytes to write: wrapped, coloured or not, each ended with CR LF. */
export function render(lines: readonly StyledLine[], width: number, colourOn: boolean): string {
  let out = "";
  for (const line of lines) {
    // Text from the realm may hold newlines; each becomes its own wrapped line.
    for (const part of line.text.split(/\r?\n/)) {
      for (const row of wrap(stripControls(part), width)) out += `${colour(row, line.style, colourOn)}\r\n`;
    }
  }
  return out;
}

/** Control characters (and ESC sequences) out of text, so nobody paints another player's terminal. */
export function stripControls(text: string): string {
  return stripAnsi(text).replace(CONTROLS, "").replace(/\t/g, " ");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export type LineEvent = { kind: "line"; text: string } | { kind: "overflow" };

/**
 * Cuts the data stream into lines. CR LF, CR NUL, a lone CR or a lone LF each end a line (telnet
 * clients differ); backspace and DEL edit the line for clients in character mode. A line over
 * MAX_LINE_BYTES is dropped up to its end and reported once as `overflow`.
 */
export class LineSplitter {
  private bytes: number[] = [];
  private afterCr = false;
  private overflowing = false;

  constructor(private readonly maxBytes = MAX_LINE_BYTES) {}

  feed(chunk: Uint8Array): LineEvent[] {
    const events: LineEvent[] = [];
    for (const byte of chunk) {
      if (this.afterCr) {
        this.afterCr = false;
        if (byte === 10 || byte === 0) continue;
      }
      if (byte === 13 || byte === 10) {
        this.afterCr = byte === 13;
        if (this.overflowing) events.push({ kind: "overflow" });
        else events.push({ kind: "line", text: decodeLine(this.bytes) });
        this.bytes = [];
        this.overflowing = false;
        continue;
      }
      if (this.overflowing) continue;
      if (byte === 8 || byte === 127) {
        this.bytes.pop();
        continue;
      }
      if (this.bytes.length >= this.maxBytes) {
        this.overflowing = true;
        this.bytes = [];
        continue;
      }
      this.bytes.push(byte);
    }
    return events;
  }
}

function decodeLine(bytes: number[]): string {
  // Invalid UTF-8 becomes U+FFFD; controls (arrow keys' ESC sequences, NUL) go.
  return stripControls(Buffer.from(bytes).toString("utf8")).trim();
}
