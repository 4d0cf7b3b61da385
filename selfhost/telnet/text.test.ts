import { describe, expect, it } from "vitest";
import { colour, LineSplitter, MAX_LINE_BYTES, render, stripAnsi, stripControls, wrap } from "./text";

describe("wrap", () => {
  it("breaks at spaces within the width", () => {
    const rows = wrap("The old well's stones are slick with moss and lantern light.", 20);
    expect(rows).toEqual(["The old well's", "stones are slick", "with moss and", "lantern light."]);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(20);
  });

  it("cuts a word longer than the width, and leaves short lines and width 0 alone", () => {
    expect(wrap("abcdefghij kl", 4)).toEqual(["abcd", "efgh", "ij", "kl"]);
    expect(wrap("short", 80)).toEqual(["short"]);
    expect(wrap("x ".repeat(100), 0)).toEqual(["x ".repeat(100)]);
  });

  it("counts code points, not UTF-16 units", () => {
    expect(wrap("ééé ééé", 3)).toEqual(["ééé", "ééé"]);
  });
});

describe("render and ANSI", () => {
  it("colours each wrapped row and ends lines with CR LF", () => {
    const out = render([{ text: "Lanternmere Square", style: "title" }], 12, true);
    expect(out).toBe("\x1b[1;36mLanternmere\x1b[0m\r\n\x1b[1;36mSquare\x1b[0m\r\n");
    expect(stripAnsi(out)).toBe("Lanternmere\r\nSquare\r\n");
  });

  it("prints no escape codes with colour off, and none for plain lines", () => {
    expect(render([{ text: "Exits: north.", style: "exits" }], 80, false)).toBe("Exits: north.\r\n");
    expect(colour("hi", "plain", true)).toBe("hi");
    expect(colour("hi", "chat", true)).toBe("\x1b[33mhi\x1b[0m");
  });

  it("splits the realm's multi-line text and drops control characters from it", () => {
    expect(render([{ text: "a\nb\x1b[31mc\x07", style: "plain" }], 80, false)).toBe("a\r\nbc\r\n");
    expect(stripControls("tab\there")).toBe("tab here");
  });
});

describe("LineSplitter", () => {
  const lines = (splitter: LineSplitter, input: string | Buffer) =>
    splitter.feed(typeof input === "string" ? Buffer.from(input, "utf8") : input);

  it("ends lines at CR LF, CR NUL, lone CR and lone LF", () => {
    const s = new LineSplitter();
    expect(lines(s, "look\r\nsay hi\r\0north\rsouth\n")).toEqual([
      { kind: "line", text: "look" },
      { kind: "line", text: "say hi" },
      { kind: "line", text: "north" },
      { kind: "line", text: "south" },
    ]);
  });

  it("waits for the end of a line across chunks, including a CR LF split in two", () => {
    const s = new LineSplitter();
    expect(lines(s, "lo")).toEqual([]);
    expect(lines(s, "ok\r")).toEqual([{ kind: "line", text: "look" }]);
    expect(lines(s, "\nx\n")).toEqual([{ kind: "line", text: "x" }]);
  });

  it("applies backspace and DEL, drops escape sequences and decodes UTF-8", () => {
    const s = new LineSplitter();
    expect(lines(s, "lookx\x7f\r\n")).toEqual([{ kind: "line", text: "look" }]);
    expect(lines(s, "\x1b[Anorth\b\bth\r\n")).toEqual([{ kind: "line", text: "north" }]);
    expect(lines(s, "say héllo\n")).toEqual([{ kind: "line", text: "say héllo" }]);
    expect(lines(s, Buffer.from([0xc3, 0x28, 10]))).toEqual([{ kind: "line", text: "\ufffd(" }]);
  });

  it("drops an over-long line whole, says so once, and reads the next one", () => {
    const s = new LineSplitter();
    expect(lines(s, "a".repeat(MAX_LINE_BYTES))).toEqual([]);
    expect(lines(s, "b".repeat(100_000))).toEqual([]);
    expect(lines(s, "c\r\nlook\r\n")).toEqual([{ kind: "overflow" }, { kind: "line", text: "look" }]);
  });
});
