/**
 * Content schemas of field zones (real-time 2D space, shared/field): a zone's map, walls, spawn
 * point and resident enemies (`fields/<zone-id>.json`), and the enemy templates they place
 * (`field-enemies.json`). Zod mirrors of shared/field's data with the limits authors must respect;
 * docs/content.md explains each field. Cross-file rules live in field-references.ts.
 */
import { z } from "zod";
import type { EnemyTemplate } from "../field/enemy";
import { DEFAULT_FIELD_SETTINGS, FIELD_SETTING_LIMITS } from "../field/settings";
import type { FieldSettings } from "../field/types";
import type { FieldZoneDefinition } from "../field/zones";
import type { ContentError } from "./content-error";
import { describeIssue, toContentErrors } from "./issues";
import { intIn, slug, text } from "./parts";
import type { Located } from "./references";

const setting = (key: keyof FieldSettings) => {
  const { min, max, whole } = FIELD_SETTING_LIMITS[key];
  const number = whole ? z.number().int() : z.number();
  return number.min(min).max(max).default(DEFAULT_FIELD_SETTINGS[key]);
};

export const FieldSettingsSchema = z
  .strictObject({
    width: setting("width"),
    height: setting("height"),
    tickHz: setting("tickHz"),
    snapshotHz: setting("snapshotHz"),
    viewRadius: setting("viewRadius"),
    playerSpeed: setting("playerSpeed"),
  })
  .refine((s) => s.snapshotHz <= s.tickHz, {
    error: "snapshotHz is above tickHz: a zone cannot send snapshots more often than it ticks; lower it",
    path: ["snapshotHz"],
  }) satisfies z.ZodType<FieldSettings>;

const coordinate = z.number().min(0).max(FIELD_SETTING_LIMITS.width.max);
export const PointSchema = z.strictObject({ x: coordinate, y: coordinate });
export const RectSchema = z.strictObject({
  x: coordinate,
  y: coordinate,
  w: z.number().min(1).max(FIELD_SETTING_LIMITS.width.max),
  h: z.number().min(1).max(FIELD_SETTING_LIMITS.height.max),
});

export const FieldZoneSchema = z.strictObject({
  id: slug("field zone id"),
  name: text("field zone name", 60),
  description: text("field zone description", 4000),
  settings: FieldSettingsSchema.default({ ...DEFAULT_FIELD_SETTINGS }),
  obstacles: z.array(RectSchema).max(200).default([]),
  spawn: PointSchema,
  enemies: z
    .array(z.strictObject({ template: slug("enemy template id"), at: PointSchema }))
    .max(500)
    .default([]),
  gm: z.boolean().default(false),
}) satisfies z.ZodType<FieldZoneDefinition>;

const distance = z.number().min(0).max(10_000);
const millis = intIn(0, 60_000);

export const FieldEnemySchema = z.strictObject({
  id: slug("enemy template id"),
  name: text("enemy name", 60),
  maxHp: intIn(1, 100_000),
  speed: z.number().min(0).max(1000),
  aggroRadius: distance,
  loseRadius: distance,
  leashRadius: distance,
  attackRange: distance,
  windupMs: millis,
  attackMs: millis,
  recoverMs: millis,
  telegraphRadius: z.number().min(1).max(1000),
  telegraphOffset: z.number().min(0).max(1000),
  damage: intIn(0, 100_000),
  xp: intIn(0, 1_000_000).default(0),
}) satisfies z.ZodType<EnemyTemplate>;

export const FieldEnemiesFileSchema = z.strictObject({ fieldEnemies: z.array(FieldEnemySchema) });

/** What the field files of a pack parse to, each value with where it came from. */
export interface ParsedFieldContent {
  fieldZones: Located<FieldZoneDefinition>[];
  fieldEnemies: Located<EnemyTemplate>[];
}

const stem = (path: string) => (path.split(/[\\/]/).at(-1) ?? "").replace(/\.json$/, "");

/** Parses one field file of `kind` into `parsed`, or adds its errors (same wording as the MUD files). */
export function parseFieldFile(
  kind: "fieldZone" | "fieldEnemies",
  file: string,
  data: unknown,
  parsed: ParsedFieldContent,
  errors: ContentError[],
): void {
  const fail = (error: z.ZodError): void => {
    errors.push(...toContentErrors(file, error.issues));
  };
  if (kind === "fieldEnemies") {
    const result = FieldEnemiesFileSchema.safeParse(data, { error: describeIssue });
    if (!result.success) {
      fail(result.error);
      return;
    }
    result.data.fieldEnemies.forEach((value, i) => {
      parsed.fieldEnemies.push({ file, path: `fieldEnemies.${i}`, value });
    });
    return;
  }
  const result = FieldZoneSchema.safeParse(data, { error: describeIssue });
  if (!result.success) {
    fail(result.error);
    return;
  }
  if (result.data.id !== stem(file)) {
    errors.push({
      file,
      path: "id",
      message: `field zone id "${result.data.id}" does not match the file name: rename the file to fields/${result.data.id}.json or the id to "${stem(file)}"`,
    });
    return;
  }
  parsed.fieldZones.push({ file, path: "", value: result.data });
}
