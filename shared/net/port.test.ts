import { describe, expect, it } from "vitest";
import { MemoryPort } from "./memory-port";
import { assertSendableCloseCode, UNSENDABLE_CLOSE_CODES } from "./port";

describe("the session port", () => {
  it("refuses to send the close codes that only report a closure (1005, 1006, 1015)", () => {
    for (const code of UNSENDABLE_CLOSE_CODES) {
      const port = new MemoryPort();
      expect(() => port.close(code, "no")).toThrow(RangeError);
      expect(port.closed).toBeNull();
    }
    expect(UNSENDABLE_CLOSE_CODES).toEqual([1005, 1006, 1015]);
  });

  it("refuses codes outside 1000–4999 and takes the application's and the normal ones", () => {
    for (const code of [0, 999, 5000, 1000.5]) expect(() => assertSendableCloseCode(code)).toThrow(RangeError);
    for (const code of [1000, 1001, 1011, 3000, 4008, 4999]) expect(() => assertSendableCloseCode(code)).not.toThrow();
  });

  it("records sends until it is closed, and the first close only", () => {
    const port = new MemoryPort();
    port.send({ type: "pong", id: 1, tick: 2, serverTime: 3 });
    port.close(4008, "flooding");
    port.close(1000, "again");
    port.sendText('{"type":"late"}');
    expect(port.messages()).toEqual([{ type: "pong", id: 1, tick: 2, serverTime: 3 }]);
    expect(port.closed).toEqual({ code: 4008, reason: "flooding" });
  });

  it("keeps its attachment serialized, as the platform does", () => {
    const data = { v: 1, name: "Ada" };
    const port = new MemoryPort(data);
    data.name = "changed";
    expect(port.attachment()).toEqual({ v: 1, name: "Ada" });
    expect(new MemoryPort().attachment()).toBeNull();
  });

  it("refuses a close reason longer than a close frame holds", () => {
    expect(() => new MemoryPort().close(1000, "x".repeat(124))).toThrow(RangeError);
  });
});
