/**
 * The `travel` frame and its close code: what a zone sends a session it sends on, as
 * docs/protocol.md (`travel`, and the close-code table under Connecting) describes it.
 */
import { describe, expect, it } from "vitest";
import { FLOOD_CLOSE_CODE } from "../net/flood";
import { DOCUMENTED_SCHEMAS, ServerMessage, TRAVELLED_CLOSE_CODE, TravelMessage } from "./messages";

type ReadFile = (path: URL, encoding: "utf8") => string;
const NODE_FS: string = "node:fs";
const { readFileSync } = (await import(/* @vite-ignore */ NODE_FS)) as { readFileSync: ReadFile };
const doc = readFileSync(new URL("../../docs/protocol.md", (import.meta as unknown as { url: string }).url), "utf8");

describe("travel (server → client)", () => {
  it("is a server message, documented by name", () => {
    expect(DOCUMENTED_SCHEMAS.server.travel).toBe(TravelMessage);
    const frame = { type: "travel", zone: "test-area", ticket: "a.b", reason: "You step through the portal." };
    expect(ServerMessage.parse(frame)).toEqual(frame);
    expect(ServerMessage.parse({ type: "travel", zone: "start" })).toEqual({ type: "travel", zone: "start" });
  });

  it("names a zone by the zone id rule, and leaves out what it does not carry rather than sending null", () => {
    for (const zone of ["", "Start", "-x", "a".repeat(65), "a/b"]) {
      expect(TravelMessage.safeParse({ type: "travel", zone }).success, zone).toBe(false);
    }
    expect(TravelMessage.safeParse({ type: "travel" }).success).toBe(false);
    expect(TravelMessage.safeParse({ type: "travel", zone: "start", ticket: null }).success).toBe(false);
    expect(TravelMessage.safeParse({ type: "travel", zone: "start", ticket: "" }).success).toBe(false);
  });
});

describe("close codes", () => {
  it("closes a travelled socket with 4003, distinct from the other codes a zone sends", () => {
    expect(TRAVELLED_CLOSE_CODE).toBe(4003);
    expect(TRAVELLED_CLOSE_CODE).not.toBe(FLOOD_CLOSE_CODE);
    expect(TRAVELLED_CLOSE_CODE).not.toBe(4001); // session replaced (durable/zone/players.ts)
  });

  it("lists 4003 in docs/protocol.md's close-code table and says travel closes with it", () => {
    expect(doc).toMatch(new RegExp(`^\\| ${TRAVELLED_CLOSE_CODE} \\| travelled +\\|`, "m"));
    expect(doc).toContain(`closes this socket with close code **${TRAVELLED_CLOSE_CODE}**`);
  });
});
