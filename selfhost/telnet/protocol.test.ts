import { describe, expect, it } from "vitest";
import {
  DO,
  DONT,
  escapeIac,
  GA,
  gmcpFrame,
  IAC,
  Negotiator,
  negotiation,
  OPT_ECHO,
  OPT_GMCP,
  OPT_NAWS,
  parseGmcp,
  parseNaws,
  SB,
  SE,
  type TelnetEvent,
  TelnetParser,
  WILL,
  WONT,
} from "./protocol";

const text = (events: TelnetEvent[]) =>
  Buffer.concat(events.flatMap((e) => (e.kind === "data" ? [e.bytes] : []))).toString("latin1");

describe("TelnetParser", () => {
  it("passes text through and strips negotiation out of it", () => {
    const parser = new TelnetParser();
    const events = parser.feed(Buffer.from([104, 105, IAC, DO, OPT_GMCP, 33, IAC, GA, 10]));
    expect(text(events)).toBe("hi!\n");
    expect(events).toContainEqual({ kind: "negotiate", command: DO, option: OPT_GMCP });
    expect(events).toContainEqual({ kind: "command", command: GA });
  });

  it("reads IAC IAC as one literal 255", () => {
    const events = new TelnetParser().feed(Buffer.from([65, IAC, IAC, 66]));
    expect(events).toEqual([{ kind: "data", bytes: Buffer.from([65, 255, 66]) }]);
  });

  it("keeps its state across chunks", () => {
    const parser = new TelnetParser();
    expect(parser.feed(Buffer.from([IAC]))).toEqual([]);
    expect(parser.feed(Buffer.from([WILL]))).toEqual([]);
    expect(parser.feed(Buffer.from([OPT_NAWS]))).toEqual([{ kind: "negotiate", command: WILL, option: OPT_NAWS }]);
    expect(parser.feed(Buffer.from([IAC, SB, OPT_NAWS, 0, 100]))).toEqual([]);
    expect(parser.feed(Buffer.from([0, 40, IAC]))).toEqual([]);
    expect(parser.feed(Buffer.from([SE, 120]))).toEqual([
      { kind: "subnegotiation", option: OPT_NAWS, data: Buffer.from([0, 100, 0, 40]) },
      { kind: "data", bytes: Buffer.from("x") },
    ]);
  });

  it("undoes IAC doubling inside a subnegotiation", () => {
    const events = new TelnetParser().feed(Buffer.from([IAC, SB, OPT_NAWS, 0, IAC, IAC, 0, 24, IAC, SE]));
    expect(events).toEqual([{ kind: "subnegotiation", option: OPT_NAWS, data: Buffer.from([0, 255, 0, 24]) }]);
    expect(parseNaws(Buffer.from([0, 255, 0, 24]))).toEqual({ width: 255, height: 24 });
  });

  it("caps a subnegotiation that never ends and survives random garbage", () => {
    const parser = new TelnetParser();
    parser.feed(Buffer.from([IAC, SB, OPT_GMCP]));
    parser.feed(Buffer.alloc(100_000, 65));
    const [event] = parser.feed(Buffer.from([IAC, SE]));
    expect(event?.kind === "subnegotiation" && event.data.length).toBe(8 * 1024);
    for (let i = 0; i < 200; i++) {
      const junk = Buffer.from(Array.from({ length: 64 }, () => Math.floor(Math.random() * 256)));
      expect(() => parser.feed(junk)).not.toThrow();
    }
  });
});

describe("Negotiator", () => {
  const make = () =>
    new Negotiator(
      (o) => o === OPT_GMCP,
      (o) => o === OPT_NAWS,
    );

  it("agrees to what it supports, refuses the rest, and never answers twice", () => {
    const n = make();
    expect(n.receive(DO, OPT_GMCP)).toEqual([negotiation(WILL, OPT_GMCP)]);
    expect(n.localEnabled(OPT_GMCP)).toBe(true);
    // Already on: silence, or two peers would bounce WILL/DO forever.
    expect(n.receive(DO, OPT_GMCP)).toEqual([]);
    expect(n.receive(WILL, OPT_NAWS)).toEqual([negotiation(DO, OPT_NAWS)]);
    expect(n.receive(WILL, OPT_NAWS)).toEqual([]);
    expect(n.receive(WILL, 24)).toEqual([negotiation(DONT, 24)]);
    expect(n.receive(DO, OPT_ECHO)).toEqual([negotiation(WONT, OPT_ECHO)]);
    expect(n.receive(DONT, OPT_GMCP)).toEqual([negotiation(WONT, OPT_GMCP)]);
    expect(n.receive(DONT, OPT_GMCP)).toEqual([]);
    expect(n.receive(WONT, 24)).toEqual([]);
  });

  it("does not answer the reply to its own request", () => {
    const n = make();
    expect(n.setLocal(OPT_ECHO, true)).toEqual([negotiation(WILL, OPT_ECHO)]);
    expect(n.receive(DO, OPT_ECHO)).toEqual([]);
    expect(n.localEnabled(OPT_ECHO)).toBe(true);
    expect(n.setLocal(OPT_ECHO, false)).toEqual([negotiation(WONT, OPT_ECHO)]);
    expect(n.receive(DONT, OPT_ECHO)).toEqual([]);
    expect(n.localEnabled(OPT_ECHO)).toBe(false);
    expect(n.setLocal(OPT_ECHO, false)).toEqual([]);
    expect(n.setRemote(OPT_NAWS, true)).toEqual([negotiation(DO, OPT_NAWS)]);
    expect(n.receive(WONT, OPT_NAWS)).toEqual([]);
    expect(n.remoteEnabled(OPT_NAWS)).toBe(false);
  });

  it("two negotiators talking to each other settle without a loop", () => {
    const a = make();
    const b = new Negotiator(
      () => true,
      () => true,
    );
    // Each side's requests travel to the other; answers travel back, until nobody has anything to say.
    let toB = [...a.setLocal(OPT_GMCP, true), ...a.setRemote(OPT_NAWS, true), ...a.setLocal(OPT_ECHO, false)];
    let toA = [...b.setLocal(OPT_ECHO, true), ...b.setRemote(OPT_GMCP, true), ...b.setLocal(OPT_NAWS, true)];
    let turns = 0;
    while ((toA.length || toB.length) && turns < 10) {
      turns += 1;
      const answersFromB = toB.flatMap((bytes) => b.receive(bytes[1] as number, bytes[2] as number));
      const answersFromA = toA.flatMap((bytes) => a.receive(bytes[1] as number, bytes[2] as number));
      toA = answersFromB;
      toB = answersFromA;
    }
    expect([...toA, ...toB]).toEqual([]);
    expect(a.localEnabled(OPT_GMCP) && b.remoteEnabled(OPT_GMCP)).toBe(true);
    expect(a.remoteEnabled(OPT_NAWS) && b.localEnabled(OPT_NAWS)).toBe(true);
    expect(b.localEnabled(OPT_ECHO)).toBe(false);
    expect(turns).toBeLessThan(4);
  });
});

describe("GMCP framing", () => {
  it("frames a package with its JSON and escapes IAC", () => {
    const frame = gmcpFrame("Char.Vitals", { hp: 10 });
    expect(frame.subarray(0, 3)).toEqual(Buffer.from([IAC, SB, OPT_GMCP]));
    expect(frame.subarray(-2)).toEqual(Buffer.from([IAC, SE]));
    expect(frame.subarray(3, -2).toString()).toBe('Char.Vitals {"hp":10}');
    expect(escapeIac(Buffer.from([1, 255, 2]))).toEqual(Buffer.from([1, 255, 255, 2]));
  });

  it("round-trips through the parser", () => {
    const [event] = new TelnetParser().feed(gmcpFrame("Room.Info", { name: "ÿ square" }));
    expect(event?.kind).toBe("subnegotiation");
    if (event?.kind !== "subnegotiation") return;
    expect(parseGmcp(event.data)).toEqual({ name: "Room.Info", data: { name: "ÿ square" } });
  });

  it("reads a package without JSON, and bad JSON as no data", () => {
    expect(parseGmcp(Buffer.from("Core.Ping"))).toEqual({ name: "Core.Ping", data: undefined });
    expect(parseGmcp(Buffer.from("Core.Hello {nope"))).toEqual({ name: "Core.Hello", data: undefined });
  });

  it("ignores a NAWS of the wrong length", () => {
    expect(parseNaws(Buffer.from([0, 80, 0]))).toBeUndefined();
  });
});
