/**
 * Where the admin API may send characters (docs/admin.md): a zone of a kind that holds bodies (a
 * MUD zone or a field of the content; not a chat-only zone, which would take a traveller and keep
 * nothing of what it carries), and a place that zone names. Zones themselves put an unknown place
 * at their entry, silently; the admin is told instead.
 */
import { z } from "zod";
import { ZONE_ID_PATTERN } from "../../../shared/config";
import { loadArcaneRealms } from "../../../shared/content/arcane-realms";
import { fieldZone } from "../../../shared/field/content";
import { zoneContent } from "../../../shared/mud/world";
import type { Destination } from "../../../shared/world/traveller";
import { CHAT_KIND, defaultZoneKinds } from "../../../shared/zone/registry";
import { fail } from "../validate";

export const ZoneIdSchema = z
  .string()
  .regex(ZONE_ID_PATTERN, { error: "a zone id: lowercase letters, digits, - and _, up to 64, e.g. whispering-woods" });

export const DestinationBody = z.strictObject({
  zoneId: ZoneIdSchema,
  place: z.string().min(1).max(64).optional(),
});

const kinds = defaultZoneKinds();

/** The places of `zoneId` a traveller may be sent to, or undefined when its kind names none we know. */
function placesOf(zoneId: string): string[] | undefined {
  const field = fieldZone(zoneId);
  if (field) return Object.keys(field.places ?? {});
  const mud = zoneContent(loadArcaneRealms(), zoneId);
  if (mud) return Object.keys(mud.rooms);
  return undefined;
}

/**
 * Refuses (400) a destination no zone of the realm can take: a zone id no kind claims, or a place
 * its zone does not name. `prefix` is the body path of the destination, for the error's `field`.
 */
export function checkDestination(to: Destination, prefix = ""): Destination {
  if (kinds.kindOf(to.zoneId) === CHAT_KIND) {
    throw fail(
      400,
      "unknown_zone",
      `no zone of the realm's content is called ${to.zoneId}; characters can only be sent to MUD or field zones`,
      `${prefix}zoneId`,
    );
  }
  const places = placesOf(to.zoneId);
  if (to.place !== undefined && places && !places.includes(to.place)) {
    throw fail(
      400,
      "unknown_place",
      `${to.zoneId} has no place ${to.place}; one of: ${places.join(", ") || "(none: leave place out)"}`,
      `${prefix}place`,
    );
  }
  return to.place === undefined ? { zoneId: to.zoneId } : { zoneId: to.zoneId, place: to.place };
}
