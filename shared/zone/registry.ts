/**
 * The registry of zone kinds: which kind of zone a zone id runs, and so which engine
 * (docs/architecture.md, "Zones"). Kinds are asked in the order they were registered; the first
 * that claims the id runs it, and a zone no kind claims is a chat zone. A new kind (voxel, …)
 * implements the engine contract (shared/zone/engine.ts) and registers the same way.
 */
import { baseZoneOf } from "../config";
import { loadArcaneRealms } from "../content/arcane-realms";
import { FIELD_KIND } from "../field/engine";
import { MUD_KIND } from "../mud/engine";
import { CHAT_KIND } from "./chat";
import type { ZoneKind } from "./engine";

export { CHAT_KIND, FIELD_KIND, MUD_KIND };

export class ZoneKinds {
  private readonly kinds: ZoneKind[] = [];

  /** Adds a kind, asked after those registered before it. A name may be registered once. */
  register(kind: ZoneKind): this {
    if (kind.name === CHAT_KIND.name || this.kinds.some((k) => k.name === kind.name)) {
      throw new Error(`zone kind ${kind.name} is already registered`);
    }
    this.kinds.push(kind);
    return this;
  }

  /** The kind that runs `zoneId`; an instance (`zone~2`) runs its zone's kind. */
  kindOf(zoneId: string): ZoneKind {
    const base = baseZoneOf(zoneId);
    return this.kinds.find((k) => k.claims(base)) ?? CHAT_KIND;
  }

  /** The registered kinds' names, in the order they are asked. */
  names(): string[] {
    return this.kinds.map((k) => k.name);
  }
}

/**
 * Players a zone of the content holds before travellers into it go to a new instance of it (its
 * `capacity`), or undefined when its content sets none (docs/architecture.md, "Parties and instances").
 */
export function zoneCapacity(zoneId: string): number | undefined {
  const base = baseZoneOf(zoneId);
  const pack = loadArcaneRealms();
  return pack.zones.find((z) => z.id === base)?.capacity ?? pack.fieldZones.find((f) => f.id === base)?.capacity;
}

/**
 * The realm's kinds: a field zone first (a field may not share a MUD zone's id anyway), then the
 * MUD's, then `plugins.kinds` in the order given (docs/plugins.md). `plugins.mud` is the MUD kind
 * built with the enabled plugins' commands and behaviours; without it, the default one.
 */
export function defaultZoneKinds(plugins: { mud?: ZoneKind; kinds?: readonly ZoneKind[] } = {}): ZoneKinds {
  const kinds = new ZoneKinds().register(FIELD_KIND).register(plugins.mud ?? MUD_KIND);
  for (const kind of plugins.kinds ?? []) kinds.register(kind);
  return kinds;
}
