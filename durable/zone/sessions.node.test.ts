/** The zone's session table over in-memory ports (Node; the workerd adapter is socket-port.ts). */
import { describe, expect, it } from "vitest";
import { SessionTable } from "./sessions";
import { character, portWith, session } from "./testing.node";

describe("the session table", () => {
  it("rebuilds itself from the attachments of the connections still held, ignoring one without", () => {
    const ada = portWith(session("Ada"));
    const bare = portWith();
    const table = new SessionTable([ada, bare]);
    expect(table.size).toBe(1);
    expect(table.get(ada)).toEqual(session("Ada"));
    expect(table.get(bare)).toBeUndefined();
  });

  it("keeps a session in its connection's attachment, so it survives hibernation", () => {
    const port = portWith();
    new SessionTable([]).set(port, session("Bo", { helloed: false }));
    expect(new SessionTable([port]).get(port)).toEqual(session("Bo", { helloed: false }));
  });

  it("broadcasts to greeted sessions only, not to the one excepted", () => {
    const [ada, bo, quiet] = [
      portWith(session("Ada")),
      portWith(session("Bo")),
      portWith(session("Q", { helloed: false })),
    ];
    const table = new SessionTable([ada, bo, quiet]);
    table.broadcast({ type: "left", sessionId: "s", name: "Cy" }, ada);
    expect(bo.messages()).toEqual([{ type: "left", sessionId: "s", name: "Cy" }]);
    expect(ada.sent).toEqual([]);
    expect(quiet.sent).toEqual([]);
  });

  it("finds every connection of a character, and forgets one deleted", () => {
    const hero = character("c1");
    const [one, two] = [portWith(session("A", { character: hero })), portWith(session("B", { character: hero }))];
    const table = new SessionTable([one, two, portWith(session("C"))]);
    expect(table.socketsOf("c1")).toEqual([one, two]);
    expect(table.delete(one)?.name).toBe("A");
    expect(table.socketsOf("c1")).toEqual([two]);
    expect(table.size).toBe(2);
  });
});
