import { describe, expect, it } from "vitest";
import type { TriggerDef } from "../mud/types";
import { errorsAfter, pathOf, START } from "./fixture";
import type { AuthoredZone } from "./references";

// shared/ type-checks against the Workers types only, so Node's fs comes through an untyped import.
type ReadFile = (path: URL, encoding: "utf8") => string;
const NODE_FS: string = "node:fs";
const { readFileSync } = (await import(/* @vite-ignore */ NODE_FS)) as { readFileSync: ReadFile };
const DOC = readFileSync(new URL("../../docs/content.md", (import.meta as unknown as { url: string }).url), "utf8");

const lever: TriggerDef = {
  id: "lever",
  on: { event: "command", word: "pull", args: "lever" },
  do: [
    { type: "open-exit", exit: "north" },
    { type: "message", text: "Clunk." },
  ],
};

/** Errors after adding `triggers` to the square (room) or to the start zone. */
const withRoomTriggers = (...triggers: unknown[]) =>
  errorsAfter((copy) => {
    (copy.room(START, "village-square") as { triggers?: unknown[] }).triggers = triggers;
  });
const withZoneTriggers = (...triggers: unknown[]) =>
  errorsAfter((copy) => {
    (copy.zone(START) as { triggers?: unknown[] }).triggers = triggers;
  });

const square = pathOf("rooms", "village-square");

describe("triggers in content", () => {
  it("accepts well-formed room and zone triggers", () => {
    expect(withRoomTriggers(lever)).toEqual([]);
    expect(
      withZoneTriggers({
        id: "rats",
        on: { event: "timer", everyTicks: 100 },
        if: [{ type: "chance", percent: 50 }],
        do: [{ type: "spawn-npc", npc: "well-rat", room: "smithy", count: 2 }],
      }),
    ).toEqual([]);
  });

  it("names the field and the fix for malformed triggers", () => {
    const at = (errors: { path: string; message: string }[]) => errors.map((e) => [e.path, e.message]);
    expect(at(withRoomTriggers({ ...lever, do: [] }))).toEqual([
      [`${square}.triggers.0.do`, expect.stringContaining("a trigger does something")],
    ]);
    expect(at(withRoomTriggers({ ...lever, do: [{ type: "explode" }] }))).toEqual([
      [`${square}.triggers.0.do.0.type`, expect.stringContaining('"type" must name an action: one of "spawn-npc"')],
    ]);
    expect(at(withRoomTriggers({ ...lever, on: { event: "dance" } }))).toEqual([
      [`${square}.triggers.0.on.event`, expect.stringContaining('"event" must be "enter", "exit"')],
    ]);
    expect(at(withRoomTriggers({ ...lever, on: { event: "enter", room: "smithy" } }))).toEqual([
      [`${square}.triggers.0.on.room`, expect.stringContaining("a room's trigger fires in its own room")],
    ]);
    expect(
      at(
        withZoneTriggers({
          id: "t",
          on: { event: "timer", everyTicks: 10, offsetTicks: 10 },
          do: [
            { type: "give-item", item: "rat-tail" },
            { type: "close-exit", exit: "north" },
          ],
        }),
      ),
    ).toEqual([
      ["triggers.0.on.offsetTicks", expect.stringContaining("offsetTicks must be below everyTicks")],
      ["triggers.0.do.0.type", expect.stringContaining("a timer has no player")],
      ["triggers.0.do.1", expect.stringContaining('a zone\'s timer happens in no room: add "room"')],
    ]);
  });

  it("checks every id a trigger names, and room verbs that a command or an exit would shadow", () => {
    const errors = withRoomTriggers(
      lever,
      { ...lever, on: { event: "command", word: "look" } },
      { id: "down-verb", on: { event: "command", word: "down" }, do: [{ type: "message", text: "x" }] },
      {
        id: "refs",
        on: { event: "npc-death", npc: "dragon" },
        if: [
          { type: "quest-done", quest: "no-quest" },
          { type: "reputation-below", faction: "no-faction", value: 3 },
        ],
        do: [
          { type: "give-item", item: "no-item" },
          { type: "close-exit", exit: "portal" },
          { type: "open-exit", room: "nowhere", exit: "north" },
          { type: "teleport", to: "nozone:room" },
          { type: "teleport", to: "whispering-woods:nowhere" },
        ],
      },
    );
    const p = `${square}.triggers`;
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      [`${p}.1.id`, expect.stringContaining(`trigger id "lever" is already used at ${p}.0`)],
      [`${p}.1.on.word`, expect.stringContaining('"look" is already the command "look"')],
      [`${p}.2.on.word`, expect.stringContaining('"down" is already the command "down"')],
      [`${p}.2.on.word`, expect.stringContaining('"down" is an exit of room "village-square"')],
      [`${p}.3.on.npc`, 'no NPC template "dragon": fix the id or add it to npcs.json'],
      [`${p}.3.if.0.quest`, 'no quest "no-quest": fix the id or add it to quests.json'],
      [`${p}.3.if.1.faction`, 'no faction "no-faction": fix the id or add it to factions.json'],
      [`${p}.3.do.0.item`, 'no item template "no-item": fix the id or add it to items.json'],
      [`${p}.3.do.1.exit`, expect.stringContaining('room "village-square" has no exit "portal"')],
      [`${p}.3.do.2.room`, expect.stringContaining('"nowhere" is not a room of zone "start"')],
      [`${p}.3.do.3.to`, expect.stringContaining('zone "nozone" is not in this pack')],
      [`${p}.3.do.4.to`, expect.stringContaining('"nowhere" is not a room of zone "whispering-woods"')],
    ]);
  });

  it("docs/content.md documents every built-in condition, action and event, and its crypt example validates", async () => {
    const { defaultTriggers } = await import("../mud/triggers");
    const { TRIGGER_EVENTS } = await import("../mud/types");
    const section = DOC.slice(DOC.indexOf("## Triggers"), DOC.indexOf("\n## ", DOC.indexOf("## Triggers") + 1));
    const registry = defaultTriggers();
    for (const def of [...registry.conditions(), ...registry.actions()]) {
      expect(section).toContain(`| \`${def.type}\` |`);
      for (const field of Object.keys(def.fields)) expect(section).toContain(`\`${field}\``);
    }
    for (const event of TRIGGER_EVENTS) expect(section).toContain(`| \`${event}\` |`);
    for (const field of [
      "id",
      "on",
      "if",
      "do",
      "once",
      "cooldownTicks",
      "everyTicks",
      "offsetTicks",
      "word",
      "args",
    ]) {
      expect(section).toContain(`\`${field}\``);
    }
    const crypt = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) =>
      JSON.parse(m[1] ?? ""),
    )[1] as AuthoredZone;
    expect(
      errorsAfter((copy) => copy.files.push({ path: "shared/content/arcane-realms/zones/crypt.json", data: crypt })),
    ).toEqual([]);
  });
});
