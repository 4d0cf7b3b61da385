/**
 * Cross-file checks of a content pack whose files each parsed: ids are unique, every reference
 * names something that exists, doors have keys, exits come back (or say they don't), instanced
 * exits leave their zone, and every room of a zone can be walked to from its entry room. Pure:
 * data in, ContentErrors out.
 */
import {
  DIRECTIONS,
  type Direction,
  type ItemTemplate,
  type LootTable,
  type NpcTemplate,
  type RoomDef,
  type TriggerDef,
} from "../mud/types";
import type { ContentError } from "./content-error";
import { checkTriggerReferences } from "./trigger-references";

/** A parsed value and where it came from, so an error can point back at the source. */
export interface Located<T> {
  file: string;
  /** Dotted path of the value inside its file ("items.3"); "" for a whole-file value. */
  path: string;
  value: T;
}

/** A room as authored: RoomDef plus the `oneWay` annotation that only the validator reads. */
export type AuthoredRoom = RoomDef & { oneWay?: string[] };

export interface AuthoredZone {
  id: string;
  name: string;
  description: string;
  entryRoom: string;
  bindRoom: string;
  rooms: AuthoredRoom[];
  triggers?: TriggerDef[];
}

export interface ParsedPack {
  packs: Located<{ id: string; name: string }>[];
  zones: Located<AuthoredZone>[];
  items: Located<ItemTemplate>[];
  npcs: Located<NpcTemplate>[];
  lootTables: Located<LootTable>[];
}

/** One room and where it sits; `key` is its pack-wide name, "zone-id:room-id". */
interface RoomAt {
  zone: Located<AuthoredZone>;
  room: AuthoredRoom;
  path: string;
  key: string;
}

const where = (at: { file: string; path: string }) => `${at.file} at ${at.path}.id`;
const list = (names: Iterable<string>) => [...names].map((n) => `"${n}"`).join(", ") || "none";

/**
 * Entries of one kind by id, every kind's uniqueness rule: the first definition wins, and later
 * ones with the same id are reported (`add`) where they stand.
 */
export function indexById<T extends { id: string }>(
  what: string,
  entries: readonly Located<T>[],
  add: (file: string, path: string, message: string) => void,
): Map<string, Located<T>> {
  const byId = new Map<string, Located<T>>();
  for (const entry of entries) {
    const first = byId.get(entry.value.id);
    if (first) {
      add(
        entry.file,
        entry.path ? `${entry.path}.id` : "id",
        `duplicate ${what} id "${entry.value.id}", first defined in ${where(first)}: rename one of them`,
      );
    } else byId.set(entry.value.id, entry);
  }
  return byId;
}

/** A field zone as exits into it see it: its id and its named places (shared/field/zones.ts). */
export interface FieldTarget {
  id: string;
  places?: Record<string, unknown>;
}

export function checkReferences(
  pack: ParsedPack & {
    fieldZones?: readonly Located<FieldTarget>[];
    /** Quests and factions, when the pack has them: triggers name them (trigger-references.ts). */
    quests?: readonly Located<{ id: string }>[];
    factions?: readonly Located<{ id: string }>[];
  },
): ContentError[] {
  const errors: ContentError[] = [];
  const add = (file: string, path: string, message: string) => errors.push({ file, path, message });

  const index = <T extends { id: string }>(what: string, entries: Located<T>[]) => indexById(what, entries, add);
  const zones = index("zone", pack.zones);
  const items = index("item", pack.items);
  const npcs = index("NPC", pack.npcs);
  const lootTables = index("loot table", pack.lootTables);

  // Room ids are unique across the whole pack so that a key (and an item's location) can name a
  // room by its id alone; exits still say `zone-id:room-id` so the server knows which zone to load.
  const rooms = new Map<string, RoomAt>();
  const roomsById = new Map<string, RoomAt>();
  for (const zone of zones.values()) {
    zone.value.rooms.forEach((room, i) => {
      const at: RoomAt = { zone, room, path: `rooms.${i}`, key: `${zone.value.id}:${room.id}` };
      const first = roomsById.get(room.id);
      if (first) {
        add(
          zone.file,
          `${at.path}.id`,
          `duplicate room id "${room.id}", first defined in ${where({ file: first.zone.file, path: first.path })}: room ids are unique across the pack, rename one`,
        );
        return;
      }
      roomsById.set(room.id, at);
      rooms.set(at.key, at);
    });
  }

  const fields = new Map((pack.fieldZones ?? []).map((f) => [f.value.id, f.value]));
  /** Resolves an exit target to a room (or a field zone's place, "field"), or explains why it cannot. */
  const resolve = (from: Located<AuthoredZone>, target: string): RoomAt | "field" | string => {
    const [zoneId, roomId] = target.includes(":") ? (target.split(":") as [string, string]) : [from.value.id, target];
    const field = fields.get(zoneId);
    if (field && !zones.has(zoneId)) {
      const places = Object.keys(field.places ?? {});
      if (places.includes(roomId)) return "field";
      return `"${roomId}" is not a place of field zone "${zoneId}" (places: ${list(places)}): fix the place or add it to the field's places`;
    }
    if (!zones.has(zoneId))
      return `zone "${zoneId}" is not in this pack (zones: ${list(zones.keys())}): fix the zone id`;
    const room = rooms.get(`${zoneId}:${roomId}`);
    if (room) return room;
    const elsewhere = roomsById.get(roomId);
    const hint = elsewhere ? `; it is in zone "${elsewhere.zone.value.id}", so write "${elsewhere.key}"` : "";
    return `"${roomId}" is not a room of zone "${zoneId}"${hint || `: fix the room id or add a room "${roomId}" to ${zoneId}`}`;
  };

  // Exits: each target exists; each exit has a way back unless the room lists it as oneWay.
  const exitsOf = new Map<string, Map<string, RoomAt>>();
  // A room with a broken exit may have meant it as the way back; it is reported once, not twice.
  const brokenExits = new Set<string>();
  for (const at of rooms.values()) {
    const resolved = new Map<string, RoomAt>();
    for (const [name, target] of Object.entries(at.room.exits)) {
      const room = resolve(at.zone, target);
      // Into a field: the way back is the field's own exit region (checked with the field's rules).
      if (room === "field") continue;
      if (typeof room === "string") {
        add(at.zone.file, `${at.path}.exits.${name}`, `exit "${name}" leads nowhere: ${room}`);
        brokenExits.add(at.key);
      } else resolved.set(name, room);
    }
    exitsOf.set(at.key, resolved);
  }
  for (const at of rooms.values()) {
    for (const [name, to] of exitsOf.get(at.key) ?? []) {
      if (at.room.oneWay?.includes(name) || brokenExits.has(to.key)) continue;
      const back = [...(exitsOf.get(to.key)?.values() ?? [])].some((room) => room.key === at.key);
      if (!back) {
        add(
          at.zone.file,
          `${at.path}.exits.${name}`,
          `exit "${name}" leads to "${to.key}", which has no exit back: add one to room "${to.room.id}" (${to.zone.file} ${to.path}) leading to "${to.zone === at.zone ? at.room.id : at.key}", or add "${name}" to this room's "oneWay" list if there is deliberately no way back`,
        );
      }
    }
  }

  // An instanced exit hands its traveller a private copy of the zone it leads into, so it must
  // leave its own zone: a room cannot open on a private copy of the zone it stands in.
  for (const at of rooms.values()) {
    at.room.instanced?.forEach((name, i) => {
      const to = exitsOf.get(at.key)?.get(name);
      // Into another zone or a field zone is fine; a broken exit is reported above.
      if (!to || to.zone !== at.zone) return;
      add(
        at.zone.file,
        `${at.path}.instanced.${i}`,
        `instanced exit "${name}" leads to "${to.room.id}" in this same zone ("${at.zone.value.id}"), but an instance is a private copy of a whole zone, so only an exit into another zone can be instanced: remove "${name}" from "instanced", or point the exit at a room of another zone ("zone-id:room-id")`,
      );
    });
  }

  for (const zone of zones.values()) {
    const own = (id: string) => rooms.get(`${zone.value.id}:${id}`);
    for (const field of ["entryRoom", "bindRoom"] as const) {
      if (!own(zone.value[field])) {
        add(
          zone.file,
          field,
          `${field} "${zone.value[field]}" is not a room of this zone: use one of ${list(zone.value.rooms.map((r) => r.id))}`,
        );
      }
    }
    // Reachability walks the zone's own exits from the entry room, locked doors included (keys exist).
    const entry = own(zone.value.entryRoom);
    if (!entry) continue;
    const seen = new Set([entry.key]);
    const queue = [entry];
    for (let next = queue.shift(); next; next = queue.shift()) {
      for (const to of exitsOf.get(next.key)?.values() ?? []) {
        if (to.zone === zone && !seen.has(to.key)) {
          seen.add(to.key);
          queue.push(to);
        }
      }
    }
    for (const at of rooms.values()) {
      if (at.zone === zone && !seen.has(at.key)) {
        add(
          zone.file,
          at.path,
          `room "${at.room.id}" cannot be reached from the entry room "${zone.value.entryRoom}" through this zone's exits: add an exit to it from a reachable room, or remove it`,
        );
      }
    }
  }

  // Rooms place item templates and spawn NPC templates that must exist.
  for (const at of rooms.values()) {
    at.room.items.forEach((id, i) => {
      if (!items.has(id)) {
        add(at.zone.file, `${at.path}.items.${i}`, `no item template "${id}": fix the id or add it to items.json`);
      }
    });
    at.room.spawns.forEach((spawn, i) => {
      if (!npcs.has(spawn.npc)) {
        add(
          at.zone.file,
          `${at.path}.spawns.${i}.npc`,
          `no NPC template "${spawn.npc}": fix the id or add it to npcs.json`,
        );
      }
    });
  }

  for (const npc of npcs.values()) {
    if (!lootTables.has(npc.value.lootTable)) {
      add(
        npc.file,
        `${npc.path}.lootTable`,
        `no loot table "${npc.value.lootTable}" (tables: ${list(lootTables.keys())}): fix the id or add the table to loot.json`,
      );
    }
  }
  for (const table of lootTables.values()) {
    table.value.entries.forEach((entry, i) => {
      if (!items.has(entry.item)) {
        add(
          table.file,
          `${table.path}.entries.${i}.item`,
          `no item template "${entry.item}": fix the id or add it to items.json`,
        );
      }
    });
  }

  // Keys open locked exits, and every locked exit has a key somewhere in the pack.
  const keyed = new Set<string>();
  for (const item of items.values()) {
    const opens = item.value.opens;
    if (!opens) continue;
    const room = opens.room.includes(":") ? rooms.get(opens.room) : roomsById.get(opens.room);
    if (!room) {
      add(item.file, `${item.path}.opens.room`, `no room "${opens.room}" in this pack: fix the room id`);
      continue;
    }
    const exits = Object.keys(room.room.exits);
    if (!exits.includes(opens.direction)) {
      add(
        item.file,
        `${item.path}.opens.direction`,
        `room "${room.room.id}" has no "${opens.direction}" exit (its exits: ${list(exits)}): point the key at one of them`,
      );
    } else if (!room.room.locked?.includes(opens.direction)) {
      add(
        item.file,
        `${item.path}.opens.direction`,
        `the "${opens.direction}" exit of room "${room.room.id}" is not locked, so this key opens nothing: add "${opens.direction}" to that room's "locked" list or point the key at a locked exit`,
      );
    } else keyed.add(`${room.key}/${opens.direction}`);
  }
  for (const at of rooms.values()) {
    at.room.locked?.forEach((name, i) => {
      if (keyed.has(`${at.key}/${name}`)) return;
      const fix = (DIRECTIONS as readonly string[]).includes(name)
        ? `add an item of type "key" with "opens": { "room": "${at.room.id}", "direction": "${name as Direction}" }`
        : "keys open compass exits only, so make it a compass exit with a key";
      add(
        at.zone.file,
        `${at.path}.locked.${i}`,
        `locked exit "${name}" has no key in this pack: ${fix}, or unlock it`,
      );
    });
  }
  // Triggers name rooms, exits, templates, quests and factions (trigger-references.ts).
  errors.push(
    ...checkTriggerReferences({
      zones: [...zones.values()],
      items: new Set(items.keys()),
      npcs: new Set(npcs.keys()),
      ...(pack.quests ? { quests: new Set(pack.quests.map((q) => q.value.id)) } : {}),
      ...(pack.factions ? { factions: new Set(pack.factions.map((f) => f.value.id)) } : {}),
    }),
  );
  return errors;
}
