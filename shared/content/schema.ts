/**
 * Content schemas: zod mirrors of the MUD data model (shared/mud/types.ts) with the limits a
 * content author must respect, and `validateContentPack`, which parses every file of a pack by
 * its kind and then cross-checks the references between them (shared/content/references.ts).
 * docs/content.md explains every field and rule for authors; keep the two in step.
 */
import { z } from "zod";
import { defaultTriggers, type TriggerRegistry, triggersSchema } from "../mud/triggers";
import {
  DIRECTIONS,
  ITEM_TYPES,
  type ItemTemplate,
  type LootTable,
  MODIFIABLE,
  type NpcTemplate,
  type RoomDef,
  SLOTS,
  type ZoneDef,
} from "../mud/types";
import { err, ok, type Result } from "../result";
import type { ContentError } from "./content-error";
import { EffectTemplateSchema } from "./effect-schema";
import { checkFieldReferences } from "./field-references";
import { type ParsedFieldContent, parseFieldFile } from "./field-schema";
import { describeIssue, toContentErrors } from "./issues";
import type { ContentPack } from "./pack";
import { intIn, slug, text } from "./parts";
import { checkQuestReferences, type ParsedQuestContent } from "./quest-references";
import { DialogueSchema, FactionsFileSchema, QuestsFileSchema, ReputationChangeSchema } from "./quest-schema";
import { checkReferences, type ParsedPack } from "./references";

// Defined in its own file so the helpers below can name it without importing this module back.
export type { ContentError } from "./content-error";

export { SLUG_PATTERN } from "./parts";
export {
  DialogueSchema,
  FactionSchema,
  FactionsFileSchema,
  QuestObjectiveSchema,
  QuestRewardsSchema,
  QuestSchema,
  QuestStepSchema,
  QuestsFileSchema,
  ReputationChangeSchema,
} from "./quest-schema";

/** `room-id` in the same zone, or `zone-id:room-id` in another zone of the pack. */
export const ROOM_REF_PATTERN = /^(?:[a-z0-9]+(?:-[a-z0-9]+)*:)?[a-z0-9]+(?:-[a-z0-9]+)*$/;
const roomRef = z
  .string()
  .max(129, "room reference is too long: room and zone ids are at most 64 characters each")
  .regex(ROOM_REF_PATTERN, 'must be "room-id" (same zone) or "zone-id:room-id" (another zone), with slug ids');

/** What players type for compass exits; the data always spells the direction out. */
const DIRECTION_ABBREVIATIONS: Record<string, string> = {
  n: "north",
  s: "south",
  e: "east",
  w: "west",
  u: "up",
  d: "down",
};

/** Compass directions, or a named exit such as "portal" or "trapdoor". */
const exitName = z
  .string()
  .max(32, "exit name is longer than 32 characters: shorten it")
  .regex(/^[a-z]+(?:-[a-z0-9]+)*$/, 'exit names are lower-case words joined by hyphens, e.g. "north" or "rope-ladder"')
  .refine((name) => !Object.hasOwn(DIRECTION_ABBREVIATIONS, name), {
    error: (issue) =>
      `"${String(issue.input)}" is what players type; write the exit as "${DIRECTION_ABBREVIATIONS[String(issue.input)]}"`,
  });

/** Words a player may type for a thing: lower-case, no spaces. */
const keywords = z
  .array(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9'-]*$/, 'keywords are single lower-case words, e.g. "sword" (no spaces)')
      .max(24),
  )
  .max(12)
  .default([]);

const damageRange = z
  .strictObject({ min: intIn(0, 1000), max: intIn(1, 1000) })
  .refine((d) => d.max >= d.min, { error: "max is below min: make max at least as large as min", path: ["max"] });

export const ModifierSchema = z
  .strictObject({
    stat: z.enum(MODIFIABLE),
    flat: z.number().min(-1000).max(1000).optional(),
    percent: z.number().min(-100).max(1000).optional(),
  })
  .refine((m) => m.flat !== undefined || m.percent !== undefined, {
    error: 'a modifier changes nothing: add "flat" (added to the stat) or "percent" (of the stat after flat bonuses)',
  });

// In its own file so trigger actions (shared/mud/triggers) can use it without importing this module.
export { EffectTemplateSchema };

/** Which item fields belong to which type: anything else on an item is a mistake worth reporting. */
const TYPE_FIELDS = [
  { field: "damage", type: "weapon", example: '"damage": { "min": 2, "max": 5 }' },
  { field: "use", type: "potion", example: '"use": { "effect": { "name": "…", "kind": "hot", … } }' },
  { field: "capacity", type: "container", example: '"capacity": 8' },
  { field: "opens", type: "key", example: '"opens": { "room": "room-id", "direction": "north" }' },
] as const;

export const ItemTemplateSchema = z
  .strictObject({
    id: slug("item id"),
    name: text("item name", 60),
    keywords,
    type: z.enum(ITEM_TYPES),
    slot: z.enum(SLOTS).optional(),
    modifiers: z.array(ModifierSchema).max(16).default([]),
    description: text("item description", 2000),
    damage: damageRange.optional(),
    use: z.strictObject({ effect: EffectTemplateSchema }).optional(),
    capacity: intIn(1, 100).optional(),
    opens: z.strictObject({ room: roomRef, direction: z.enum(DIRECTIONS) }).optional(),
    unique: z.boolean().optional(),
    durability: intIn(1, 100_000).optional(),
  })
  .superRefine((item, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const a = (type: string) => (type === "armour" ? "armour" : `a ${type}`);
    for (const { field, type, example } of TYPE_FIELDS) {
      if (item.type === type && item[field] === undefined) issue(field, `${a(type)} needs ${field}: add ${example}`);
      if (item.type !== type && item[field] !== undefined) {
        issue(field, `only ${a(type)} has ${field}: remove it, or make the type "${type}"`);
      }
    }
    if (item.type === "weapon" || item.type === "armour") {
      if (item.slot === undefined) {
        const example = item.type === "weapon" ? '"weapon" (or "offhand")' : '"body" (or head, hands, legs, …)';
        issue("slot", `${a(item.type)} needs a slot to be worn in: add "slot": ${example}`);
      } else if (item.type === "weapon" && item.slot !== "weapon" && item.slot !== "offhand") {
        issue("slot", `a weapon is wielded: use "slot": "weapon" or "offhand", or make it armour`);
      } else if (item.type === "armour" && item.slot === "weapon") {
        issue("slot", `armour is not wielded: pick another slot (${SLOTS.filter((s) => s !== "weapon").join(", ")})`);
      }
    } else if (item.slot !== undefined) {
      issue("slot", `${a(item.type)} cannot be worn: remove "slot", or make the type weapon or armour`);
    }
  }) satisfies z.ZodType<ItemTemplate>;

export const LootTableSchema = z.strictObject({
  id: slug("loot table id"),
  rolls: intIn(1, 20),
  nothingWeight: intIn(0, 1_000_000).default(0),
  entries: z
    .array(z.strictObject({ item: slug("loot item"), weight: intIn(1, 1_000_000) }))
    .min(1, 'a loot table needs at least one entry: add { "item": "item-id", "weight": 1 }')
    .max(100),
}) satisfies z.ZodType<LootTable>;

const attribute = intIn(1, 100);

export const NpcTemplateSchema = z.strictObject({
  id: slug("NPC id"),
  name: text("NPC name", 60),
  keywords,
  description: text("NPC description", 2000),
  level: intIn(1, 100),
  attributes: z.strictObject({ str: attribute, dex: attribute, int: attribute, vit: attribute }),
  aggressive: z.boolean().default(false),
  wanders: z.boolean().default(false),
  behaviour: slug("NPC behaviour name").optional(),
  attackVerb: z
    .string()
    .regex(/^[a-z]+(?: [a-z]+)*$/, 'attackVerb is lower-case words as in "The rat bites at Alice.", e.g. "bites at"')
    .max(32),
  damage: damageRange,
  armour: intIn(0, 1000),
  xp: intIn(0, 1_000_000),
  lootTable: slug("loot table id"),
  respawnTicks: intIn(1, 1_000_000),
  faction: slug("faction id").optional(),
  reputationOnKill: z.array(ReputationChangeSchema).max(8).optional(),
  dialogue: DialogueSchema.optional(),
}) satisfies z.ZodType<NpcTemplate>;

/**
 * A room as content writes it, its triggers (docs/content.md, "Triggers") made of the conditions and
 * actions `triggers` registers: the built-ins (shared/mud/triggers), or those of a realm whose
 * plugins add more (shared/plugins).
 */
const roomDefSchema = (triggers: TriggerRegistry) =>
  z
    .strictObject({
      id: slug("room id"),
      name: text("room name", 60),
      description: text("room description", 4000),
      exits: z.record(exitName, roomRef),
      locked: z.array(z.string()).optional(),
      /** Exits into another zone whose travellers get a private instance of it, per party. */
      instanced: z.array(z.string()).optional(),
      /** Authoring annotation, not part of RoomDef: exits that may lack a return exit. */
      oneWay: z.array(z.string()).optional(),
      items: z.array(slug("item template id")).max(50).default([]),
      spawns: z
        .array(z.strictObject({ npc: slug("NPC template id"), count: intIn(1, 20) }))
        .max(20)
        .default([]),
      triggers: triggersSchema(triggers, "room").optional(),
    })
    .superRefine((room, ctx) => {
      const names = Object.keys(room.exits);
      for (const field of ["locked", "instanced", "oneWay"] as const) {
        const seen = new Set<string>();
        room[field]?.forEach((name, index) => {
          if (!names.includes(name)) {
            ctx.addIssue({
              code: "custom",
              path: [field, index],
              message: `"${name}" is not an exit of this room (its exits: ${names.join(", ") || "none"}): fix the name or remove it from ${field}`,
            });
          } else if (seen.has(name)) {
            ctx.addIssue({ code: "custom", path: [field, index], message: `"${name}" is listed twice: remove one` });
          }
          seen.add(name);
        });
      }
    }) satisfies z.ZodType<RoomDef>;

/** A room of a realm without plugins: the built-in trigger steps. */
export const RoomDefSchema = roomDefSchema(defaultTriggers());

/** A zone as content writes it, its triggers (and its rooms') from `triggers`. */
const zoneDefSchema = (triggers: TriggerRegistry) =>
  z.strictObject({
    id: slug("zone id"),
    name: text("zone name", 60),
    description: text("zone description", 4000),
    entryRoom: slug("entry room id"),
    bindRoom: slug("bind room id"),
    capacity: z.number().int().min(1).max(19_000).optional(),
    rooms: z.array(roomDefSchema(triggers)).min(1, "a zone needs at least one room: add one to rooms").max(500),
    triggers: triggersSchema(triggers, "zone").optional(),
  }) satisfies z.ZodType<ZoneDef>;

/** A zone file of a realm without plugins: the built-in trigger steps. */
export const ZoneDefSchema = zoneDefSchema(defaultTriggers());

export const PackFileSchema = z.strictObject({ id: slug("pack id"), name: text("pack name", 60) });
export const ItemsFileSchema = z.strictObject({ items: z.array(ItemTemplateSchema) });
export const NpcsFileSchema = z.strictObject({ npcs: z.array(NpcTemplateSchema) });
export const LootFileSchema = z.strictObject({ lootTables: z.array(LootTableSchema) });

/** Which schema reads a file is decided by its name; see `fileKind`. */
export type FileKind =
  | "pack"
  | "items"
  | "npcs"
  | "loot"
  | "quests"
  | "factions"
  | "zone"
  | "fieldZone"
  | "fieldEnemies";
const KIND_FOR_NAME: Record<string, FileKind> = {
  pack: "pack",
  items: "items",
  npcs: "npcs",
  loot: "loot",
  quests: "quests",
  factions: "factions",
  "field-enemies": "fieldEnemies",
};

/**
 * `pack.json`, `items.json`, `npcs.json`, `loot.json`, `quests.json`, `factions.json`,
 * `field-enemies.json` (or any `*.json` in an `items/`, `npcs/`, `loot/`, `quests/`, `factions/` or
 * `field-enemies/` folder, to split a long list), `zones/<zone-id>.json`
 * and `fields/<zone-id>.json` (field zones, shared/content/field-schema.ts).
 */
export function fileKind(path: string): FileKind | undefined {
  const parts = path.split(/[\\/]/);
  const name = parts.at(-1) ?? "";
  const folder = parts.at(-2) ?? "";
  if (!name.endsWith(".json")) return undefined;
  if (folder === "zones") return "zone";
  if (folder === "fields") return "fieldZone";
  return KIND_FOR_NAME[folder] ?? (name === "pack.json" ? "pack" : KIND_FOR_NAME[name.slice(0, -".json".length)]);
}

const stem = (path: string) => (path.split(/[\\/]/).at(-1) ?? "").replace(/\.json$/, "");

/**
 * Validates a whole content pack. Files are parsed first; cross-references (exits, templates,
 * keys, reachability) are checked only once every file parses, so one typo does not cascade into
 * a page of "unknown id" errors. Every error names its file, field path and fix.
 */
/** What validation is told besides the files. */
export interface ValidateOptions {
  /**
   * The trigger conditions and actions content may name: a realm's, with its plugins' (shared/plugins);
   * the built-ins when absent.
   */
  triggers?: TriggerRegistry;
}

export function validateContentPack(
  files: { path: string; data: unknown }[],
  options: ValidateOptions = {},
): Result<ContentPack, ContentError[]> {
  const zoneSchema = options.triggers ? zoneDefSchema(options.triggers) : ZoneDefSchema;
  const errors: ContentError[] = [];
  const parsed: ParsedPack & ParsedFieldContent & ParsedQuestContent = {
    packs: [],
    zones: [],
    items: [],
    npcs: [],
    lootTables: [],
    quests: [],
    factions: [],
    fieldZones: [],
    fieldEnemies: [],
  };
  const packFiles = files.filter((f) => fileKind(f.path) === "pack").map((f) => f.path);
  for (const { path: file, data } of files) {
    const kind = fileKind(file);
    const fail = (result: { error: z.ZodError }) => errors.push(...toContentErrors(file, result.error.issues));
    switch (kind) {
      case undefined:
        errors.push({
          file,
          path: "",
          message:
            "not a content file name: name it pack.json, items.json, npcs.json, loot.json, quests.json, factions.json, field-enemies.json, zones/<zone-id>.json or fields/<zone-id>.json",
        });
        break;
      case "pack": {
        const result = PackFileSchema.safeParse(data, { error: describeIssue });
        if (result.success) parsed.packs.push({ file, path: "", value: result.data });
        else fail(result);
        break;
      }
      case "zone": {
        const result = zoneSchema.safeParse(data, { error: describeIssue });
        if (!result.success) fail(result);
        else if (result.data.id !== stem(file)) {
          errors.push({
            file,
            path: "id",
            message: `zone id "${result.data.id}" does not match the file name: rename the file to zones/${result.data.id}.json or the id to "${stem(file)}"`,
          });
        } else parsed.zones.push({ file, path: "", value: result.data });
        break;
      }
      case "items": {
        const result = ItemsFileSchema.safeParse(data, { error: describeIssue });
        if (result.success) parsed.items.push(...located(file, "items", result.data.items));
        else fail(result);
        break;
      }
      case "npcs": {
        const result = NpcsFileSchema.safeParse(data, { error: describeIssue });
        if (result.success) parsed.npcs.push(...located(file, "npcs", result.data.npcs));
        else fail(result);
        break;
      }
      case "loot": {
        const result = LootFileSchema.safeParse(data, { error: describeIssue });
        if (result.success) parsed.lootTables.push(...located(file, "lootTables", result.data.lootTables));
        else fail(result);
        break;
      }
      case "quests": {
        const result = QuestsFileSchema.safeParse(data, { error: describeIssue });
        if (result.success) parsed.quests.push(...located(file, "quests", result.data.quests));
        else fail(result);
        break;
      }
      case "factions": {
        const result = FactionsFileSchema.safeParse(data, { error: describeIssue });
        if (result.success) parsed.factions.push(...located(file, "factions", result.data.factions));
        else fail(result);
        break;
      }
      case "fieldZone":
      case "fieldEnemies":
        parseFieldFile(kind, file, data, parsed, errors);
        break;
    }
  }
  if (packFiles.length !== 1) {
    errors.push({
      file: packFiles[1] ?? "pack.json",
      path: "",
      message:
        packFiles.length === 0
          ? 'the pack has no pack.json: add one with { "id": "pack-id", "name": "Pack Name" }'
          : `the pack has ${packFiles.length} pack.json files (${packFiles.join(", ")}): keep exactly one`,
    });
  }
  if (errors.length > 0) return err(errors);
  errors.push(...checkReferences(parsed), ...checkFieldReferences(parsed), ...checkQuestReferences(parsed));
  if (errors.length > 0) return err(errors);
  const [pack] = parsed.packs as [(typeof parsed.packs)[number]];
  return ok({
    id: pack.value.id,
    name: pack.value.name,
    zones: parsed.zones.map((z) => z.value),
    items: parsed.items.map((i) => i.value),
    npcs: parsed.npcs.map((n) => n.value),
    lootTables: parsed.lootTables.map((l) => l.value),
    fieldZones: parsed.fieldZones.map((f) => f.value),
    fieldEnemies: parsed.fieldEnemies.map((e) => e.value),
    quests: parsed.quests.map((q) => q.value),
    factions: parsed.factions.map((f) => f.value),
  });
}

const located = <T>(file: string, list: string, values: T[]) =>
  values.map((value, index) => ({ file, path: `${list}.${index}`, value }));

/** One line per error: `file: path: message`, ready for a terminal or a thrown Error. */
export function formatContentErrors(errors: readonly ContentError[]): string {
  return errors.map((e) => `${e.file}${e.path ? `: ${e.path}` : ""}: ${e.message}`).join("\n");
}

/** Thrown by `loadContentPack` with every problem found, not just the first. */
export class ContentPackError extends Error {
  override name = "ContentPackError";
  constructor(readonly errors: readonly ContentError[]) {
    super(
      `The content pack has ${errors.length} error${errors.length === 1 ? "" : "s"}:\n${formatContentErrors(errors)}`,
    );
  }
}

/** `validateContentPack` for callers that cannot run without content: throws ContentPackError. */
export function loadContentPack(files: { path: string; data: unknown }[]): ContentPack {
  const result = validateContentPack(files);
  if (!result.ok) throw new ContentPackError(result.error);
  return result.value;
}
