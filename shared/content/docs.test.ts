/**
 * Keeps docs/content.md in step with the schemas: every field an author can write is named on the
 * page, the worked example really validates (and fails as the page says without its finishing
 * steps), and the sample error lines are what the validator prints.
 */
import { describe, expect, it } from "vitest";
import type { ItemTemplate } from "../mud/types";
import { FieldEnemySchema, FieldSettingsSchema, FieldZoneSchema, PointSchema, RectSchema } from "./field-schema";
import { copyPack, pathOf, START } from "./fixture";
import type { AuthoredZone } from "./references";
import {
  DialogueSchema,
  EffectTemplateSchema,
  FactionSchema,
  formatContentErrors,
  ItemTemplateSchema,
  LootTableSchema,
  ModifierSchema,
  NpcTemplateSchema,
  PackFileSchema,
  QuestObjectiveSchema,
  QuestRewardsSchema,
  QuestSchema,
  QuestStepSchema,
  ReputationChangeSchema,
  RoomDefSchema,
  validateContentPack,
  ZoneDefSchema,
} from "./schema";

// shared/ type-checks against the Workers types only, so Node's fs comes through an untyped import.
type ReadFile = (path: URL, encoding: "utf8") => string;
const NODE_FS: string = "node:fs";
const { readFileSync } = (await import(/* @vite-ignore */ NODE_FS)) as { readFileSync: ReadFile };
const DOC = readFileSync(new URL("../../docs/content.md", (import.meta as unknown as { url: string }).url), "utf8");

/** The text of a `## title` section, up to the next `## ` heading. */
function section(title: string): string {
  const start = DOC.indexOf(`## ${title}`);
  if (start < 0) throw new Error(`docs/content.md has no section "${title}"`);
  const end = DOC.indexOf("\n## ", start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
}

const blocks = (text: string, lang: string) =>
  [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1] ?? "");

describe("docs/content.md", () => {
  it.each([
    ["pack.json", PackFileSchema.shape],
    ["zones", ZoneDefSchema.shape],
    ["rooms", RoomDefSchema.shape],
    ["items", ItemTemplateSchema.shape],
    ["modifiers", ModifierSchema.shape],
    ["effects", EffectTemplateSchema.shape],
    ["NPCs", NpcTemplateSchema.shape],
    ["loot tables", LootTableSchema.shape],
    ["field zones", FieldZoneSchema.shape],
    ["field settings", FieldSettingsSchema.shape],
    ["obstacles", RectSchema.shape],
    ["points", PointSchema.shape],
    ["field enemies", FieldEnemySchema.shape],
    ["quests", QuestSchema.shape],
    ["quest steps", QuestStepSchema.shape],
    ["quest rewards", QuestRewardsSchema.shape],
    ["quest objectives", Object.fromEntries(QuestObjectiveSchema.options.flatMap((o) => Object.entries(o.shape)))],
    ["reputation changes", ReputationChangeSchema.shape],
    ["dialogue", DialogueSchema.shape],
    ["factions", FactionSchema.shape],
  ])("names every field of %s", (_what, shape) => {
    for (const field of Object.keys(shape)) expect(DOC).toContain(`\`${field}\``);
  });

  describe("the worked example", () => {
    const [zoneJson, keyJson, questJson] = blocks(section("A worked example"), "json");
    const zone = JSON.parse(zoneJson ?? "") as AuthoredZone;
    const key = JSON.parse(keyJson ?? "") as ItemTemplate;
    const quest = JSON.parse(questJson ?? "") as { id: string };

    /** The pack plus the example zone, with or without each finishing step. */
    function withExample(steps: { innExit: boolean; key: boolean }) {
      const copy = copyPack();
      copy.files.push({ path: `shared/content/arcane-realms/zones/${zone.id}.json`, data: structuredClone(zone) });
      if (steps.innExit) copy.room(START, "lantern-inn").exits.down = "cellar:cellar-stairs";
      if (steps.key) {
        copy.items.push(structuredClone(key));
        copy.room(START, "inn-loft").items.push(key.id);
      }
      const quests = copy.files.find((f) => f.path.endsWith("/quests.json"))?.data as { quests: unknown[] };
      quests.quests.push(structuredClone(quest));
      const result = validateContentPack(copy.files);
      return result.ok ? [] : result.error;
    }

    it("validates once finished, with its triggers and its quest", () => {
      expect(zone.rooms.flatMap((r) => r.triggers ?? []).map((t) => t.id)).toEqual(["vault-drip", "rat-nest"]);
      expect(quest.id).toBe("rats-under-the-inn");
      expect(withExample({ innExit: true, key: true })).toEqual([]);
    });

    it("needs the way back from the inn and the trapdoor key, as the page says", () => {
      const file = "shared/content/arcane-realms/zones/cellar.json";
      expect(withExample({ innExit: false, key: true })).toEqual([
        { file, path: "rooms.0.exits.up", message: expect.stringContaining("has no exit back") },
      ]);
      expect(withExample({ innExit: true, key: false })).toEqual([
        { file, path: "rooms.0.locked.0", message: expect.stringContaining("has no key") },
      ]);
    });
  });

  it("shows error lines exactly as the validator prints them", () => {
    const copy = copyPack();
    copy.room(START, "smithy").exits.portal = "nowhere";
    const exitError = validateContentPack(copy.files);
    const copy2 = copyPack();
    delete copy2.item("rusted-shortsword").damage;
    const damageError = validateContentPack(copy2.files);
    expect(pathOf("rooms", "smithy")).toBe("rooms.3");
    expect(pathOf("items", "rusted-shortsword")).toBe("items.0");
    const printed = [exitError, damageError].map((r) => (r.ok ? "" : formatContentErrors(r.error))).join("\n");
    expect(blocks(section("Checking your work"), "text")[0]?.trim()).toBe(printed);
  });
});
