import { describe, expect, it } from "vitest";
import { CHAT_KIND, defaultZoneKinds, ZoneKinds } from "./registry";

describe("the registry of zone kinds", () => {
  it("runs the content's field zones as fields, its world zones as MUD zones, and any other id as chat", () => {
    const kinds = defaultZoneKinds();
    expect(kinds.names()).toEqual(["field", "mud"]);
    expect(kinds.kindOf("test-area").name).toBe("field");
    expect(kinds.kindOf("start").name).toBe("mud");
    expect(kinds.kindOf("plaza")).toBe(CHAT_KIND);
  });

  it("asks kinds in the order they were registered, so a new kind registers the same way", () => {
    const kinds = defaultZoneKinds().register({ name: "voxel", claims: (id) => id.startsWith("vox-") });
    expect(kinds.kindOf("vox-1").name).toBe("voxel");
    expect(kinds.kindOf("start").name).toBe("mud");
    const first = new ZoneKinds()
      .register({ name: "all", claims: () => true })
      .register({ name: "late", claims: () => true });
    expect(first.kindOf("start").name).toBe("all");
  });

  it("refuses a kind registered twice under one name", () => {
    expect(() => defaultZoneKinds().register({ name: "mud", claims: () => false })).toThrow(/already registered/);
  });
});
