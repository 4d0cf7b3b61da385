/**
 * Pure edits of a content pack as files (docs/admin.md, "Content"): the builder API reads the
 * current version's files, applies one change here, then validates the whole pack
 * (`validateContentPack`) before it writes a new version. Nothing here checks field values: a
 * room, item or NPC is placed into its file as given and the schema judges it, so whatever the
 * schema accepts (new room fields included) the API accepts too.
 */
import { err, ok, type Result } from "../result";
import type { ContentPack } from "./pack";
import { fileKind } from "./schema";

/** One file of a pack, its path relative to the pack's folder (`zones/start.json`). */
export interface PackFile {
  path: string;
  data: unknown;
}

/** Why an edit cannot be applied, with the HTTP status it maps to. */
export interface EditError {
  status: 400 | 404 | 409;
  code: "not_found" | "exists" | "invalid";
  message: string;
  field?: string;
}

export type EditResult = Result<PackFile[], EditError>;

/** The lists of templates the API edits, and the key each list has in its files. */
export const TEMPLATE_LISTS = { items: "items", npcs: "npcs" } as const;
export type TemplateList = keyof typeof TEMPLATE_LISTS;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const notFound = (message: string, field?: string): EditResult =>
  err({ status: 404, code: "not_found", message, field });
const stemOf = (path: string) => (path.split(/[\\/]/).at(-1) ?? "").replace(/\.json$/, "");

/** Paths relative to the pack's folder: `prefix` (a repository folder) cut off each path that starts with it. */
export function relativeFiles(files: readonly PackFile[], prefix: string): PackFile[] {
  const folder = prefix.endsWith("/") ? prefix : `${prefix}/`;
  return files.map(({ path, data }) => ({ path: path.startsWith(folder) ? path.slice(folder.length) : path, data }));
}

/** The file of MUD zone `zoneId` and its index, or undefined (a field zone's file is no MUD zone). */
function zoneFile(files: readonly PackFile[], zoneId: string): { index: number; zone: Json } | undefined {
  const index = files.findIndex((f) => fileKind(f.path) === "zone" && stemOf(f.path) === zoneId);
  const file = files[index];
  return file && isObject(file.data) ? { index, zone: file.data } : undefined;
}

const roomsOf = (zone: Json): unknown[] => (Array.isArray(zone.rooms) ? zone.rooms : []);
const idOf = (value: unknown) => (isObject(value) ? value.id : undefined);

/** The rooms of MUD zone `zoneId` as its file holds them, or undefined when the pack has no such zone. */
export function listRooms(files: readonly PackFile[], zoneId: string): unknown[] | undefined {
  const found = zoneFile(files, zoneId);
  return found && roomsOf(found.zone);
}

/** One room of a zone as its file holds it. */
export function getRoom(files: readonly PackFile[], zoneId: string, roomId: string): Result<unknown, EditError> {
  const rooms = listRooms(files, zoneId);
  if (!rooms) return err(noZone(zoneId));
  const room = rooms.find((r) => idOf(r) === roomId);
  return room === undefined ? err(noRoom(zoneId, roomId)) : ok(room);
}

const noZone = (zoneId: string): EditError => ({
  status: 404,
  code: "not_found",
  message: `the pack has no MUD zone ${zoneId} (zones are fixed by the deployment; GET /admin/content lists them)`,
  field: "zoneId",
});
const noRoom = (zoneId: string, roomId: string): EditError => ({
  status: 404,
  code: "not_found",
  message: `zone ${zoneId} has no room ${roomId}`,
  field: "roomId",
});

/** `files` with the zone file at `index` replaced by `zone` (the others shared, never changed). */
const withFile = (files: readonly PackFile[], index: number, data: unknown): PackFile[] =>
  files.map((f, i) => (i === index ? { path: f.path, data } : f));

/** Checks a body meant as one entry: an object whose `id` is `id` (filled in when absent). */
function entryWithId(body: unknown, id: string | undefined, what: string): Result<Json, EditError> {
  if (!isObject(body)) return err({ status: 400, code: "invalid", message: `send the ${what} as a JSON object` });
  if (id === undefined) {
    if (typeof body.id !== "string") {
      return err({ status: 400, code: "invalid", message: `id: the new ${what} needs an "id"`, field: "id" });
    }
    return ok(body);
  }
  if (body.id !== undefined && body.id !== id) {
    return err({
      status: 400,
      code: "invalid",
      message: `id: the body's id ${JSON.stringify(body.id)} differs from the path's ${id}: ids cannot be renamed (delete and create instead)`,
      field: "id",
    });
  }
  return ok({ id, ...body });
}

/**
 * Adds a room to zone `zoneId` (`create`), or replaces the room `roomId` with `body`. The id is the
 * path's when updating; a new room's id is its body's, and must not be taken in that zone.
 */
export function putRoom(files: readonly PackFile[], zoneId: string, body: unknown, roomId?: string): EditResult {
  const found = zoneFile(files, zoneId);
  if (!found) return err(noZone(zoneId));
  const room = entryWithId(body, roomId, "room");
  if (!room.ok) return room;
  const id = room.value.id as string;
  const rooms = roomsOf(found.zone);
  const at = rooms.findIndex((r) => idOf(r) === id);
  if (roomId === undefined && at >= 0) {
    return err({
      status: 409,
      code: "exists",
      message: `zone ${zoneId} already has a room ${id}: PUT it to change it`,
    });
  }
  if (roomId !== undefined && at < 0) return err(noRoom(zoneId, roomId));
  const next = at >= 0 ? rooms.map((r, i) => (i === at ? room.value : r)) : [...rooms, room.value];
  return ok(withFile(files, found.index, { ...found.zone, rooms: next }));
}

/** Zone `zoneId` without room `roomId`; what still refers to it is for validation to report. */
export function deleteRoom(files: readonly PackFile[], zoneId: string, roomId: string): EditResult {
  const found = zoneFile(files, zoneId);
  if (!found) return err(noZone(zoneId));
  const rooms = roomsOf(found.zone);
  if (!rooms.some((r) => idOf(r) === roomId)) return err(noRoom(zoneId, roomId));
  return ok(withFile(files, found.index, { ...found.zone, rooms: rooms.filter((r) => idOf(r) !== roomId) }));
}

/** Replaces the `spawns` of a room (the list as given; the schema checks each entry). */
export function putSpawns(files: readonly PackFile[], zoneId: string, roomId: string, spawns: unknown): EditResult {
  const room = getRoom(files, zoneId, roomId);
  if (!room.ok) return room;
  return putRoom(files, zoneId, { ...(room.value as Json), spawns }, roomId);
}

/** Files holding one list of templates (`items.json`, or any file of an `items/` folder), in pack order. */
function templateFiles(files: readonly PackFile[], list: TemplateList): number[] {
  return files.flatMap((f, i) => (fileKind(f.path) === list ? [i] : []));
}

const entriesOf = (data: unknown, list: TemplateList): unknown[] => {
  const entries = isObject(data) ? data[TEMPLATE_LISTS[list]] : undefined;
  return Array.isArray(entries) ? entries : [];
};

/** Every template of one list, across the files holding it. */
export function listTemplates(files: readonly PackFile[], list: TemplateList): unknown[] {
  return templateFiles(files, list).flatMap((i) => entriesOf(files[i]?.data, list));
}

const singular = (list: TemplateList) => (list === "items" ? "item" : "NPC template");

/** One template by id. */
export function getTemplate(files: readonly PackFile[], list: TemplateList, id: string): Result<unknown, EditError> {
  const found = listTemplates(files, list).find((t) => idOf(t) === id);
  return found === undefined
    ? err({ status: 404, code: "not_found", message: `the pack has no ${singular(list)} ${id}`, field: "id" })
    : ok(found);
}

/** Where template `id` is: its file's index and its index in that file's list. */
function locateTemplate(files: readonly PackFile[], list: TemplateList, id: string) {
  for (const index of templateFiles(files, list)) {
    const at = entriesOf(files[index]?.data, list).findIndex((t) => idOf(t) === id);
    if (at >= 0) return { index, at };
  }
  return undefined;
}

/**
 * Adds a template (`id` undefined: the body's id, which must be new) to the first file of its list
 * (`items.json` made when the pack has none), or replaces template `id` where it stands.
 */
export function putTemplate(files: readonly PackFile[], list: TemplateList, body: unknown, id?: string): EditResult {
  const entry = entryWithId(body, id, singular(list));
  if (!entry.ok) return entry;
  const key = TEMPLATE_LISTS[list];
  const newId = entry.value.id as string;
  const where = locateTemplate(files, list, newId);
  if (id === undefined && where) {
    return err({
      status: 409,
      code: "exists",
      message: `the pack already has ${list === "items" ? "an item" : "an NPC template"} ${newId}: PUT it to change it`,
    });
  }
  if (id !== undefined && !where) return notFound(`the pack has no ${singular(list)} ${id}`, "id");
  if (where) {
    const data = files[where.index]?.data as Json;
    const entries = entriesOf(data, list).map((t, i) => (i === where.at ? entry.value : t));
    return ok(withFile(files, where.index, { ...data, [key]: entries }));
  }
  const first = templateFiles(files, list)[0];
  if (first === undefined) return ok([...files, { path: `${list}.json`, data: { [key]: [entry.value] } }]);
  const data = files[first]?.data as Json;
  return ok(withFile(files, first, { ...data, [key]: [...entriesOf(data, list), entry.value] }));
}

/** The pack without template `id`; rooms, spawns, loot tables still naming it are for validation to report. */
export function deleteTemplate(files: readonly PackFile[], list: TemplateList, id: string): EditResult {
  const where = locateTemplate(files, list, id);
  if (!where) return notFound(`the pack has no ${singular(list)} ${id}`, "id");
  const data = files[where.index]?.data as Json;
  const entries = entriesOf(data, list).filter((_, i) => i !== where.at);
  return ok(withFile(files, where.index, { ...data, [TEMPLATE_LISTS[list]]: entries }));
}

/**
 * The zones a pack runs must be the deployment's (docs/decisions.md D40): zone ids are Durable
 * Object names, and routing and capacity read the bundled pack, so a pack may change what is in a
 * zone but never which zones there are. Returns one problem per zone missing or added.
 */
export function checkZoneSet(pack: ContentPack, deployed: ContentPack): { path: string; message: string }[] {
  const ids = (p: ContentPack) => new Set([...p.zones.map((z) => z.id), ...p.fieldZones.map((f) => f.id)]);
  const have = ids(pack);
  const want = ids(deployed);
  const problems: { path: string; message: string }[] = [];
  for (const id of want) {
    if (!have.has(id)) {
      problems.push({
        path: `zones/${id}.json`,
        message: `zone ${id} is missing: the deployment runs it, so the pack must keep it (add its file back)`,
      });
    }
  }
  for (const id of have) {
    if (!want.has(id)) {
      problems.push({
        path: `zones/${id}.json`,
        message: `zone ${id} is not one the deployment runs: zones are added or removed by a deployment, not by the admin API (remove the file)`,
      });
    }
  }
  return problems;
}

/** Counts for `GET /admin/content`. */
export function packCounts(pack: ContentPack) {
  return {
    zones: pack.zones.length,
    rooms: pack.zones.reduce((sum, z) => sum + z.rooms.length, 0),
    items: pack.items.length,
    npcs: pack.npcs.length,
    lootTables: pack.lootTables.length,
    fieldZones: pack.fieldZones.length,
  };
}

/**
 * `value` as JSON text with two-space indentation and a final newline, its keys in the order they
 * were written: the order of a room's exits is the order players see them (and wanderers try them),
 * so no key is ever sorted. Postgres keeps it too (`content_versions.files` is `json`, not `jsonb`).
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
