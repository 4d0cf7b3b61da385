/**
 * Content overlays: a pack's names and descriptions in another language, one optional file per
 * language beside the pack (`i18n/<language>.json`, docs/content.md "Translating a pack").
 * Anything an overlay leaves out is shown as the pack writes it. Validated against the pack: an
 * overlay entry for a room, item or NPC the pack does not have is an error, not a silent no-op.
 */
import { z } from "zod";
import { err, ok, type Result } from "../result";

const Entry = z
  .object({ name: z.string().trim().min(1).max(200), description: z.string().trim().min(1).max(4000) })
  .partial()
  .strict();

/** The file's shape: `{ rooms: { "<id>": { name?, description? } }, items: {…}, npcs: {…} }`, each section optional. */
export const ContentOverlaySchema = z
  .object({
    rooms: z.record(z.string(), Entry),
    items: z.record(z.string(), Entry),
    npcs: z.record(z.string(), Entry),
  })
  .partial()
  .strict();

export type ContentOverlay = z.infer<typeof ContentOverlaySchema>;

/** What an overlay is checked against: the ids a pack defines. */
export interface OverlayTarget {
  zones: readonly { rooms: readonly { id: string }[] }[];
  items: readonly { id: string }[];
  npcs: readonly { id: string }[];
}

/**
 * The overlay in `data` if it reads and every id it names exists in `pack`; otherwise every
 * problem, each with the field path to fix (`rooms.village-squar: no such room in the pack`).
 */
export function validateOverlay(data: unknown, pack: OverlayTarget): Result<ContentOverlay, string[]> {
  const parsed = ContentOverlaySchema.safeParse(data);
  if (!parsed.success) {
    return err(parsed.error.issues.map((issue) => `${issue.path.join(".") || "(file)"}: ${issue.message}`));
  }
  const known = {
    rooms: new Set(pack.zones.flatMap((zone) => zone.rooms.map((room) => room.id))),
    items: new Set(pack.items.map((item) => item.id)),
    npcs: new Set(pack.npcs.map((npc) => npc.id)),
  };
  const singular = { rooms: "room", items: "item", npcs: "NPC" } as const;
  const problems: string[] = [];
  for (const section of ["rooms", "items", "npcs"] as const) {
    for (const id of Object.keys(parsed.data[section] ?? {})) {
      if (!known[section].has(id)) problems.push(`${section}.${id}: no such ${singular[section]} in the pack`);
    }
  }
  return problems.length ? err(problems) : ok(parsed.data);
}
