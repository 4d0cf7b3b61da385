/** One live session per character, and versions adopted after a write, over in-memory ports. */
import { describe, expect, it } from "vitest";
import { adoptVersion, displaceCharacter, SESSION_REPLACED_CLOSE } from "./players";
import { SessionTable } from "./sessions";
import { character, portWith, session } from "./testing.node";

const HERO = "0b9c7c1e-5d8e-4a37-9c55-4b1f0e1a2b3c";

describe("a character's sessions in a zone", () => {
  it("displaces every older session of the character, telling it why, and keeps the new one", () => {
    const old = portWith(session("Old", { character: character(HERO) }));
    const fresh = portWith(session("New", { character: character(HERO) }));
    const other = portWith(session("Other"));
    const displaced = displaceCharacter(new SessionTable([old, fresh, other]), HERO, fresh);
    expect(displaced).toEqual([old]);
    expect(old.messages()).toEqual([expect.objectContaining({ type: "error", code: "session_replaced" })]);
    expect(old.closed).toEqual({ code: SESSION_REPLACED_CLOSE, reason: "logged in elsewhere" });
    expect([fresh.closed, other.closed]).toEqual([null, null]);
  });

  it("writes a landed version into the live session's attachment", () => {
    const port = portWith(session("Ada", { character: character(HERO, { version: 2 }) }));
    const table = new SessionTable([port]);
    adoptVersion(table, HERO, 5);
    expect(port.attachment()?.character?.version).toBe(5);
    expect(table.get(port)?.character?.version).toBe(5);
  });
});
