import { describe, expect, it } from "vitest";
import { ok } from "../result";
import { TalkOnlyEngine } from "./chat";
import type { ZoneKind } from "./engine";
import { CHAT_KIND, defaultZoneKinds, ZoneKinds } from "./registry";

/** A kind for the registry's own tests: it claims what `claims` says and runs a talk-only engine. */
const kind = (name: string, claims: (zoneId: string) => boolean): ZoneKind => ({
  name,
  stateName: name,
  claims,
  create: (zoneId) => new TalkOnlyEngine(zoneId),
  restore: (zoneId) => ok(new TalkOnlyEngine(zoneId)),
});

describe("the registry of zone kinds", () => {
  it("runs the content's field zones as fields, its world zones as MUD zones, and any other id as chat", () => {
    const kinds = defaultZoneKinds();
    expect(kinds.names()).toEqual(["field", "mud"]);
    expect(kinds.kindOf("test-area").name).toBe("field");
    expect(kinds.kindOf("start").name).toBe("mud");
    expect(kinds.kindOf("plaza")).toBe(CHAT_KIND);
  });

  it("asks kinds in the order they were registered, so a new kind registers the same way", () => {
    const kinds = defaultZoneKinds().register(kind("voxel", (id) => id.startsWith("vox-")));
    expect(kinds.kindOf("vox-1").name).toBe("voxel");
    expect(kinds.kindOf("start").name).toBe("mud");
    const first = new ZoneKinds().register(kind("all", () => true)).register(kind("late", () => true));
    expect(first.kindOf("start").name).toBe("all");
  });

  it("refuses a kind registered twice under one name", () => {
    expect(() => defaultZoneKinds().register(kind("mud", () => false))).toThrow(/already registered/);
  });
});
