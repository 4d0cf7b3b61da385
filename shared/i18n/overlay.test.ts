import { describe, expect, it } from "vitest";
import { loadArcaneRealms } from "../content/arcane-realms";
import { ARCANE_REALMS_OVERLAY_FILES, loadArcaneRealmsOverlays } from "../content/arcane-realms/i18n";
import { validateOverlay } from "./overlay";

describe("content overlays", () => {
  it("ships the Arcane Realms overlays valid against the pack", () => {
    const pack = loadArcaneRealms();
    for (const file of Object.values(ARCANE_REALMS_OVERLAY_FILES)) {
      expect(validateOverlay(file?.data, pack)).toMatchObject({ ok: true });
    }
    expect(loadArcaneRealmsOverlays().es?.rooms?.["village-square"]?.name).toBe("Plaza de Lanternmere");
  });

  it("refuses ids the pack does not have, naming each", () => {
    const read = validateOverlay(
      { rooms: { "village-squar": { name: "x" } }, npcs: { nobody: { name: "y" } }, items: {} },
      loadArcaneRealms(),
    );
    expect(read).toEqual({
      ok: false,
      error: ["rooms.village-squar: no such room in the pack", "npcs.nobody: no such NPC in the pack"],
    });
  });

  it("refuses a malformed file with the field path", () => {
    const read = validateOverlay({ rooms: { "village-square": { title: "x" } } }, loadArcaneRealms());
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error.join("\n")).toMatch(/^rooms\.village-square/);
    expect(validateOverlay({ places: {} }, loadArcaneRealms()).ok).toBe(false);
  });
});
