/** Per-connection flood control over in-memory ports (docs/protocol.md, Flood control; D6). */
import { describe, expect, it } from "vitest";
import { FLOOD_CLOSE, FLOOD_CLOSE_CODE, FLOOD_CLOSE_REASON } from "../../shared/net/flood";
import { SocketGuards } from "./flood";
import { KeptLog, portWith } from "./testing.node";

const LIMIT = { capacity: 2, refillPerSecond: 1 };

describe("the zone's flood guards", () => {
  it("admits a burst up to the limit, then refuses, and closes a connection that keeps on", () => {
    const log = new KeptLog();
    const guards = new SocketGuards(log);
    const port = portWith();
    const now = 10_000;
    expect([guards.admit(port, LIMIT, now), guards.admit(port, LIMIT, now)]).toEqual(["ok", "ok"]);
    const verdicts = Array.from({ length: FLOOD_CLOSE.maxRefusals }, () => guards.admit(port, LIMIT, now));
    expect(verdicts.slice(0, -1).every((v) => v === "refused")).toBe(true);
    expect(verdicts.at(-1)).toBe("close");
    guards.closeFlooder(port, { sessionId: "s" });
    expect(port.closed).toEqual({ code: FLOOD_CLOSE_CODE, reason: FLOOD_CLOSE_REASON });
    expect(log.lines).toEqual([expect.objectContaining({ level: "warn", event: "connect.flooded", sessionId: "s" })]);
    // What a closed flooder still sends is not read, whatever its bucket holds by then.
    expect(guards.admit(port, LIMIT, now + 60_000)).toBe("dropped");
  });

  it("keeps each connection's bucket apart", () => {
    const guards = new SocketGuards(new KeptLog());
    const [a, b] = [portWith(), portWith()];
    guards.admit(a, LIMIT, 0);
    guards.admit(a, LIMIT, 0);
    expect(guards.admit(a, LIMIT, 0)).toBe("refused");
    expect(guards.admit(b, LIMIT, 0)).toBe("ok");
  });

  it("logs a connection's first refusal in full and the rest as one summary when it goes", () => {
    const log = new KeptLog();
    const guards = new SocketGuards(log);
    const port = portWith();
    const error = { code: "rate_limited" as const, message: "slow down" };
    for (let i = 0; i < 5; i++) guards.logRefusal(port, { sessionId: "s" }, error, 1000 + i);
    guards.forget(port, { sessionId: "s" }, 2000);
    expect(log.lines.map((l) => l.event)).toEqual(["command.error", "command.errors"]);
    expect(log.lines[1]).toMatchObject({ refused: 4, rate_limited: 4 });
  });
});
