/**
 * Cross-file checks of triggers (docs/content.md, "Triggers"): trigger ids are unique in their
 * zone, every room, exit, NPC, item, quest and faction a trigger names exists, and a room verb
 * clashes with neither a command nor an exit (the exit or command would win and the trigger never
 * fire). Pure: data in, ContentErrors out. Fields are checked by name (`room`, `exit`, `npc`,
 * `item`, `quest`, `faction`, `to`), so a plugin's condition or action using them is checked too.
 */
import { defaultCommands } from "../mud/commands";
import type { TriggerDef, TriggerStep } from "../mud/types";
import type { ContentError } from "./content-error";

/** A zone as these checks read it (references.ts's `Located<AuthoredZone>`, without importing it back). */
interface ZoneAt {
  file: string;
  value: {
    id: string;
    rooms: readonly { id: string; exits: Record<string, string>; triggers?: TriggerDef[] }[];
    triggers?: TriggerDef[];
  };
}

/** What the checks look names up in: ids of the pack. */
export interface TriggerTargets {
  zones: readonly ZoneAt[];
  items: ReadonlySet<string>;
  npcs: ReadonlySet<string>;
  /** Undefined when the pack has no quests file kind (then quest ids are not checked). */
  quests?: ReadonlySet<string>;
  factions?: ReadonlySet<string>;
}

const quoteList = (names: Iterable<string>) => [...names].map((n) => `"${n}"`).join(", ") || "none";

/** Every command word players have (names and aliases of the built-in commands). */
function commandWords(): Map<string, string> {
  const words = new Map<string, string>();
  for (const command of defaultCommands().list()) {
    for (const word of [command.name, ...(command.aliases ?? [])]) words.set(word, command.name);
  }
  return words;
}

export function checkTriggerReferences(targets: TriggerTargets): ContentError[] {
  const errors: ContentError[] = [];
  const words = commandWords();
  const zoneIds = new Set(targets.zones.map((z) => z.value.id));
  const roomsOfZone = new Map(targets.zones.map((z) => [z.value.id, new Map(z.value.rooms.map((r) => [r.id, r]))]));

  for (const zone of targets.zones) {
    const file = zone.file;
    const rooms = roomsOfZone.get(zone.value.id) ?? new Map();
    const add = (path: string, message: string) => errors.push({ file, path, message });
    const seen = new Map<string, string>();
    const placed: { trigger: TriggerDef; path: string; room?: string }[] = [
      ...zone.value.rooms.flatMap((room, i) =>
        (room.triggers ?? []).map((trigger, j) => ({ trigger, path: `rooms.${i}.triggers.${j}`, room: room.id })),
      ),
      ...(zone.value.triggers ?? []).map((trigger, j) => ({
        trigger,
        path: `triggers.${j}`,
      })),
    ];
    const roomName = (id: string, path: string) => {
      if (rooms.has(id)) return true;
      add(
        path,
        `"${id}" is not a room of zone "${zone.value.id}" (rooms: ${quoteList(rooms.keys())}): fix the room id`,
      );
      return false;
    };
    const exitOf = (roomId: string | undefined, exit: string, path: string) => {
      const room = roomId ? rooms.get(roomId) : undefined;
      if (room && room.exits[exit] === undefined) {
        add(
          path,
          `room "${room.id}" has no exit "${exit}" (its exits: ${quoteList(Object.keys(room.exits))}): fix the name`,
        );
      }
    };
    const known = (kind: string, set: ReadonlySet<string> | undefined, id: unknown, path: string, fix: string) => {
      if (set && typeof id === "string" && !set.has(id)) add(path, `no ${kind} "${id}": fix the id or ${fix}`);
    };

    for (const { trigger, path, room } of placed) {
      const first = seen.get(trigger.id);
      if (first) add(`${path}.id`, `trigger id "${trigger.id}" is already used at ${first} in this zone: rename one`);
      else seen.set(trigger.id, path);
      const on = trigger.on;
      const onRoom = room ?? ("room" in on ? on.room : undefined);
      if (!room && "room" in on && on.room !== undefined) roomName(on.room, `${path}.on.room`);
      if (on.event === "exit" && on.exit !== undefined) exitOf(onRoom, on.exit, `${path}.on.exit`);
      if (on.event === "npc-death")
        known("NPC template", targets.npcs, on.npc, `${path}.on.npc`, "add it to npcs.json");
      if (on.event === "item-used")
        known("item template", targets.items, on.item, `${path}.on.item`, "add it to items.json");
      if (on.event === "command") {
        const command = words.get(on.word);
        if (command) {
          add(
            `${path}.on.word`,
            `"${on.word}" is already the command "${command}", which always wins over a room verb: pick another word`,
          );
        }
        const clashes = onRoom ? [rooms.get(onRoom)].filter((r) => r !== undefined) : [...rooms.values()];
        for (const clash of clashes) {
          if (clash.exits[on.word] !== undefined) {
            add(
              `${path}.on.word`,
              `"${on.word}" is an exit of room "${clash.id}", and walking through it wins over a room verb: pick another word or rename the exit`,
            );
          }
        }
      }
      const steps: [TriggerStep, string][] = [
        ...(trigger.if ?? []).map((s, i): [TriggerStep, string] => [s, `${path}.if.${i}`]),
        ...trigger.do.map((s, i): [TriggerStep, string] => [s, `${path}.do.${i}`]),
      ];
      for (const [step, at] of steps) {
        let stepRoom = onRoom;
        if (typeof step.room === "string") stepRoom = roomName(step.room, `${at}.room`) ? step.room : undefined;
        if (typeof step.exit === "string") exitOf(stepRoom, step.exit, `${at}.exit`);
        known("NPC template", targets.npcs, step.npc, `${at}.npc`, "add it to npcs.json");
        known("item template", targets.items, step.item, `${at}.item`, "add it to items.json");
        known("quest", targets.quests, step.quest, `${at}.quest`, "add it to quests.json");
        known("faction", targets.factions, step.faction, `${at}.faction`, "add it to factions.json");
        if (step.type === "teleport" && typeof step.to === "string") {
          const [zoneId, roomId] = step.to.includes(":") ? step.to.split(":") : [zone.value.id, step.to];
          if (!zoneIds.has(zoneId as string)) {
            add(`${at}.to`, `zone "${zoneId}" is not in this pack (zones: ${quoteList(zoneIds)}): fix the zone id`);
          } else if (!roomsOfZone.get(zoneId as string)?.has(roomId as string)) {
            add(`${at}.to`, `"${roomId}" is not a room of zone "${zoneId}": fix the room id`);
          }
        }
      }
    }
  }
  return errors;
}
