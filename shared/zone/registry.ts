/**
 * The registry of zone kinds: which kind of zone a zone id runs (docs/architecture.md, "Zones").
 * Kinds are asked in the order they were registered; the first that claims the id runs it, and
 * a zone no kind claims is a chat zone. A new kind (voxel, …) registers the same way.
 */
import { loadArcaneRealms } from "../content/arcane-realms";
import { fieldZone } from "../field/content";
import { zoneContent } from "../mud/world";

/** A kind of zone: its name, and which zone ids it runs. */
export interface ZoneKind {
  readonly name: string;
  claims(zoneId: string): boolean;
}

/** The kind of a zone no other kind claims: it is only a place to talk. */
export const CHAT_KIND: ZoneKind = { name: "chat", claims: () => true };

export class ZoneKinds {
  private readonly kinds: ZoneKind[] = [];

  /** Adds a kind, asked after those registered before it. A name may be registered once. */
  register(kind: ZoneKind): this {
    if (this.kinds.some((k) => k.name === kind.name)) throw new Error(`zone kind ${kind.name} is already registered`);
    this.kinds.push(kind);
    return this;
  }

  /** The kind that runs `zoneId`. */
  kindOf(zoneId: string): ZoneKind {
    return this.kinds.find((k) => k.claims(zoneId)) ?? CHAT_KIND;
  }

  /** The registered kinds' names, in the order they are asked. */
  names(): string[] {
    return this.kinds.map((k) => k.name);
  }
}

/** Field zones of the content (shared/field/content.ts). */
export const FIELD_KIND: ZoneKind = { name: "field", claims: (zoneId) => fieldZone(zoneId) !== undefined };

/** World zones of the content pack (shared/mud). */
export const MUD_KIND: ZoneKind = {
  name: "mud",
  claims: (zoneId) => zoneContent(loadArcaneRealms(), zoneId) !== undefined,
};

/** The realm's kinds: a field zone first (a field may not share a MUD zone's id anyway), then the MUD's. */
export function defaultZoneKinds(): ZoneKinds {
  return new ZoneKinds().register(FIELD_KIND).register(MUD_KIND);
}
