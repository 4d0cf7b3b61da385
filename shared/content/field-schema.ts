/**
 * Content schemas of field zones (real-time 2D space, shared/field): a zone's map, walls, spawn
 * point, named places, exits and resident enemies (`fields/<zone-id>.json`), and the enemy
 * templates they place (`field-enemies.json`). Zod mirrors of shared/field's data with the limits
 * authors must respect; docs/content.md explains each field. Rules within one zone file (places and
 * exits on the map, clear of walls) are checked here; cross-file rules live in field-references.ts.
 */
import { z } from "zod";
import type { EnemyTemplate } from "../field/enemy";
import { circleHitsRect, pointInRect } from "../field/geometry";
import { DEFAULT_FIELD_SETTINGS, FIELD_SETTING_LIMITS } from "../field/settings";
import { type FieldSettings, PLAYER_RADIUS, type Vec } from "../field/types";
import type { FieldZoneDefinition } from "../field/zones";
import type { ContentError } from "./content-error";
import { describeIssue, toContentErrors } from "./issues";
import { intIn, SLUG_PATTERN, slug, text } from "./parts";
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
    snapshotBytes: setting("snapshotBytes"),
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

const ZONE_PLACE = new RegExp(`^${SLUG_PATTERN.source.slice(1, -1)}:${SLUG_PATTERN.source.slice(1, -1)}$`);

/** A region leading out of the zone: a rectangle and where it goes, `zone-id:place`. */
export const ExitSchema = RectSchema.extend({
  to: z
    .string()
    .regex(
      ZONE_PLACE,
      'an exit leads to "zone-id:place" (a room of a MUD zone, or a place of a field zone), e.g. "start:tower-study"',
    ),
});

export const FieldZoneSchema = z
  .strictObject({
    id: slug("field zone id"),
    name: text("field zone name", 60),
    description: text("field zone description", 4000),
    settings: FieldSettingsSchema.default({ ...DEFAULT_FIELD_SETTINGS }),
    obstacles: z.array(RectSchema).max(200).default([]),
    spawn: PointSchema,
    places: z.record(slug("place name"), PointSchema).default({}),
    exits: z.array(ExitSchema).max(100).default([]),
    enemies: z
      .array(z.strictObject({ template: slug("enemy template id"), at: PointSchema }))
      .max(500)
      .default([]),
    gm: z.boolean().default(false),
    capacity: z.number().int().min(1).max(19_000).optional(),
  })
  .superRefine((zone, ctx) => {
    const { width, height } = zone.settings;
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const inExit = (p: Vec) => zone.exits.findIndex((exit) => pointInRect(p, exit));
    const spawnExit = inExit(zone.spawn);
    if (spawnExit >= 0)
      problem(["spawn"], `the spawn point lies in exits.${spawnExit}: players would leave as they enter; move one`);
    for (const [name, p] of Object.entries(zone.places)) {
      if (p.x > width || p.y > height) {
        problem(
          ["places", name],
          `place "${name}" at ${p.x},${p.y} is off the ${width} × ${height} map: move it onto the map`,
        );
        continue;
      }
      const wall = zone.obstacles.findIndex((o) => circleHitsRect(p, PLAYER_RADIUS, o));
      if (wall >= 0)
        problem(
          ["places", name],
          `place "${name}" at ${p.x},${p.y} overlaps obstacles.${wall}: move it clear of the wall`,
        );
      const exit = inExit(p);
      if (exit >= 0)
        problem(
          ["places", name],
          `place "${name}" lies in exits.${exit}: travellers would leave as they arrive; move one`,
        );
    }
    zone.exits.forEach((exit, i) => {
      if (exit.x + exit.w > width || exit.y + exit.h > height)
        problem(
          ["exits", i],
          `the exit reaches ${exit.x + exit.w},${exit.y + exit.h}, past the ${width} × ${height} map: shrink or move it`,
        );
    });
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
  loot: slug("loot table id").optional(),
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
