/**
 * Cross-file rules of a pack's field content, checked once every file parses (the numbers continue
 * the MUD's list in docs/content.md): ids are unique (a field zone never shares an id with a MUD
 * zone, since the id picks the engine); placed enemies name templates; the spawn point, enemies and
 * walls lie on the map and bodies start clear of the walls; and no enemy gives up a chase before
 * the longest bolt could reach it, so none can be shot at for free.
 */
import type { EnemyTemplate } from "../field/enemy";
import { circleHitsRect } from "../field/geometry";
import { ENEMY_RADIUS, PLAYER_RADIUS, type Vec } from "../field/types";
import type { FieldZoneDefinition } from "../field/zones";
import { allSkills } from "../rules/skills";
import type { ContentError } from "./content-error";
import type { Located } from "./references";

export function checkFieldReferences(pack: {
  zones: Located<{ id: string; rooms: { id: string }[] }>[];
  fieldZones: Located<FieldZoneDefinition>[];
  fieldEnemies: Located<EnemyTemplate>[];
  lootTables: Located<{ id: string }>[];
}): ContentError[] {
  const errors: ContentError[] = [];
  const add = (file: string, path: string, message: string) => errors.push({ file, path, message });
  const at = (entry: { path: string }, field: string) => (entry.path ? `${entry.path}.${field}` : field);

  const templates = new Map<string, Located<EnemyTemplate>>();
  for (const entry of pack.fieldEnemies) {
    const first = templates.get(entry.value.id);
    if (first) {
      add(
        entry.file,
        at(entry, "id"),
        `duplicate enemy template id "${entry.value.id}", first defined in ${first.file} at ${at(first, "id")}: rename one of them`,
      );
    } else templates.set(entry.value.id, entry);
  }

  // A bolt skill flies this far; an enemy that lets go of its target sooner could be shot for free.
  const bolts = allSkills().filter((s) => s.shape === "bolt");
  const longest = bolts.reduce((best, s) => (s.range > best.range ? s : best), { name: "", range: 0 });
  for (const entry of templates.values()) {
    if (longest.range > 0 && entry.value.loseRadius <= longest.range) {
      add(
        entry.file,
        at(entry, "loseRadius"),
        `loseRadius ${entry.value.loseRadius} is not beyond ${longest.name}'s range of ${longest.range}: a player could shoot it without it ever giving chase; make it more than ${longest.range}`,
      );
    }
  }

  // Loot an enemy drops comes from a table of the pack.
  const lootTables = new Set(pack.lootTables.map((t) => t.value.id));
  for (const entry of templates.values()) {
    const loot = entry.value.loot;
    if (loot && !lootTables.has(loot)) {
      add(
        entry.file,
        at(entry, "loot"),
        `no loot table "${loot}" (tables: ${[...lootTables].map((t) => `"${t}"`).join(", ") || "none"}): fix the id or add the table to loot.json`,
      );
    }
  }

  // Where an exit region leads: a room of a MUD zone, or a named place of a field zone.
  // A field zone that reuses a MUD zone's id is reported below; exits into that id mean the MUD zone.
  const places = new Map<string, string[]>([
    ...pack.fieldZones.map((f) => [f.value.id, Object.keys(f.value.places ?? {})] as [string, string[]]),
    ...pack.zones.map((z) => [z.value.id, z.value.rooms.map((r) => r.id)] as [string, string[]]),
  ]);
  for (const entry of pack.fieldZones) {
    (entry.value.exits ?? []).forEach((exit, i) => {
      const [zoneId = "", placeId = ""] = exit.to.split(":");
      const known = places.get(zoneId);
      if (!known) {
        add(entry.file, `exits.${i}.to`, `zone "${zoneId}" is not in this pack: fix the zone id`);
      } else if (!known.includes(placeId)) {
        add(
          entry.file,
          `exits.${i}.to`,
          `"${placeId}" is not a room or place of zone "${zoneId}" (it has ${known.map((p) => `"${p}"`).join(", ") || "none"}): fix it`,
        );
      }
    });
  }

  const mudZones = new Set(pack.zones.map((z) => z.value.id));
  const seen = new Map<string, Located<FieldZoneDefinition>>();
  for (const entry of pack.fieldZones) {
    const zone = entry.value;
    const first = seen.get(zone.id);
    if (first)
      add(entry.file, "id", `duplicate field zone id "${zone.id}", first defined in ${first.file}: rename one`);
    else seen.set(zone.id, entry);
    if (mudZones.has(zone.id)) {
      add(
        entry.file,
        "id",
        `"${zone.id}" is also a MUD zone of this pack: a zone id runs one engine, so rename the field zone`,
      );
    }
    const { width, height } = zone.settings;
    const onMap = (p: Vec) => p.x >= 0 && p.y >= 0 && p.x <= width && p.y <= height;
    const inWall = (p: Vec, r: number) => zone.obstacles.findIndex((o) => circleHitsRect(p, r, o));
    const place = (p: Vec, r: number, path: string, what: string) => {
      if (!onMap(p)) {
        add(entry.file, path, `${what} at ${p.x},${p.y} is off the ${width} × ${height} map: move it onto the map`);
        return;
      }
      const wall = inWall(p, r);
      if (wall >= 0) {
        add(entry.file, path, `${what} at ${p.x},${p.y} overlaps obstacles.${wall}: move it clear of the wall`);
      }
    };
    place(zone.spawn, PLAYER_RADIUS, "spawn", "the spawn point");
    zone.enemies.forEach((placed, i) => {
      if (!templates.has(placed.template)) {
        add(
          entry.file,
          `enemies.${i}.template`,
          `no enemy template "${placed.template}" (templates: ${[...templates.keys()].map((t) => `"${t}"`).join(", ") || "none"}): fix the id or add it to field-enemies.json`,
        );
      }
      place(placed.at, ENEMY_RADIUS, `enemies.${i}.at`, `enemy "${placed.template}"`);
    });
    zone.obstacles.forEach((o, i) => {
      if (o.x + o.w > width || o.y + o.h > height) {
        add(
          entry.file,
          `obstacles.${i}`,
          `the wall reaches ${o.x + o.w},${o.y + o.h}, past the ${width} × ${height} map: shrink or move it`,
        );
      }
    });
  }
  return errors;
}
