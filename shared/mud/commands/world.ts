/** Moving around and talking: look, examine, go (and n/s/e/w/u/d, and any exit's name), say, emote, who, help. */
import { destinationOf } from "../../world/traveller";
import { describeRoom, itemName, sentence } from "../actors";
import { examine } from "../examine";
import { inventoryOf } from "../items";
import { DIRECTIONS, type RoomDef } from "../types";
import { roomInZone } from "../world";
import type { CommandContext, CommandDefinition, CommandRegistry } from "./registry";

const SHORT: Record<string, string> = { n: "north", s: "south", e: "east", w: "west", u: "up", d: "down" };

export function move(ctx: CommandContext, exitName: string): void {
  const { player, content, out, world } = ctx;
  const room = content.rooms[player.roomId];
  const wanted = SHORT[exitName.toLowerCase()] ?? exitName.toLowerCase();
  // An empty word is a prefix of every exit name: without this check `go` alone took the first exit.
  const exit = room && wanted && Object.keys(room.exits).find((name) => name === wanted || name.startsWith(wanted));
  if (!room || !exit) {
    out.tell(player.id, "info", wanted ? `You can't go "${wanted}" from here.` : "Go where? Try one of the exits.");
    return;
  }
  if (room.locked?.includes(exit)) {
    const key = inventoryOf(world.items, player.id).find((item) => {
      const opens = content.items[item.templateId]?.opens;
      return opens?.room === room.id && opens.direction === exit;
    });
    if (!key) {
      out.tell(player.id, "info", `The way ${exit} is locked. Perhaps a key lies somewhere.`);
      return;
    }
    out.tell(player.id, "info", `You unlock the way ${exit} with ${itemName(content, key)}.`);
  }
  const target = room.exits[exit] as string;
  const to = roomInZone(world.zoneId, target);
  if (!to) {
    // Out of this zone: the others see the player go, and the zone hands it over after the tick.
    out.room(player.roomId, "depart", `${player.name} leaves ${exit}.`, [player.id], { name: player.name, exit });
    out.tell(player.id, "info", `You take the way ${exit}…`, { travel: exit });
    player.targetId = null;
    player.resting = false;
    // An instanced exit leads into the party's own copy of the zone (docs/content.md, "Instanced exits").
    const instance = room.instanced?.includes(exit) ? { instance: "party" as const } : {};
    ctx.depart({ ...destinationOf(target, world.zoneId), ...instance });
    return;
  }
  out.room(player.roomId, "depart", `${player.name} leaves ${exit}.`, [player.id], { name: player.name, exit });
  player.roomId = to;
  player.targetId = null;
  player.resting = false;
  out.room(to, "arrive", `${player.name} arrives.`, [player.id], { name: player.name });
  const look = describeRoom(world, content, to, player.id);
  out.tell(player.id, "room", look.text, look.payload);
}

/**
 * The command a typed word means in `room`: a command's exact name or alias first, then an exit
 * of the room by its exact name (so `portal` or `trail` walks through that exit), then a prefix
 * only one command starts with, then a prefix only one of the room's exits starts with. An exit
 * never shadows a command word, and shortening a command still works where an exit could match.
 */
export function findCommand(
  registry: CommandRegistry,
  word: string,
  room: RoomDef | undefined,
): CommandDefinition | undefined {
  const exact = registry.exact(word);
  if (exact) return exact;
  const lower = word.toLowerCase();
  const exits = Object.keys(room?.exits ?? {});
  const named = exits.find((exit) => exit === lower);
  if (named) return throughExit(named);
  const command = registry.find(word);
  if (command) return command;
  const starting = lower ? exits.filter((exit) => exit.startsWith(lower)) : [];
  return starting.length === 1 ? throughExit(starting[0] as string) : undefined;
}

/** Typing an exit's name is `go <exit>`. */
const throughExit = (exit: string): CommandDefinition => ({
  name: "go",
  usage: exit,
  help: `Walk ${exit}.`,
  run(ctx) {
    move(ctx, exit);
  },
});

export function registerWorldCommands(registry: CommandRegistry): void {
  registry.register({
    name: "look",
    aliases: ["l"],
    usage: "look [thing]",
    help: "Describe the room you are in: exits, items, creatures and players. `look <thing>` describes one of them, or something you carry or wear.",
    run(ctx, args) {
      if (args) return examine(ctx, args);
      const look = describeRoom(ctx.world, ctx.content, ctx.player.roomId, ctx.player.id);
      ctx.out.tell(ctx.player.id, "room", look.text, look.payload);
    },
  });
  registry.register({
    name: "examine",
    aliases: ["x"],
    usage: "examine <thing>",
    help: "Look closely at an item in the room, carried or worn, a creature, or a player here (`look <thing>` does the same).",
    run(ctx, args) {
      examine(ctx, args);
    },
  });
  registry.register({
    name: "go",
    aliases: ["walk", "move"],
    usage: "go <exit>",
    help: "Walk through an exit: north, south, east, west, up, down or a named exit. An exit's name alone works too (`portal`), as do n/s/e/w/u/d.",
    run(ctx, args) {
      move(ctx, args);
    },
  });
  for (const direction of DIRECTIONS) {
    registry.register({
      name: direction,
      aliases: [direction[0] as string],
      usage: direction,
      help: `Walk ${direction}.`,
      run(ctx) {
        move(ctx, direction);
      },
    });
  }
  registry.register({
    name: "say",
    aliases: ["'"],
    usage: "say <words>",
    help: "Speak to everyone in the room.",
    run(ctx, args) {
      if (!args) return ctx.out.tell(ctx.player.id, "info", "Say what?");
      // In code points, as the protocol counts (docs/protocol.md, Frames): never half a character.
      const text = Array.from(args).slice(0, 500).join("");
      ctx.out.tell(ctx.player.id, "say", `You say, "${text}"`, { from: ctx.player.name, text });
      ctx.out.room(ctx.player.roomId, "say", `${ctx.player.name} says, "${text}"`, [ctx.player.id], {
        from: ctx.player.name,
        text,
      });
    },
  });
  registry.register({
    name: "emote",
    aliases: ["me"],
    usage: "emote <action>",
    help: "Act something out: `emote waves` shows everyone `Alice waves`.",
    run(ctx, args) {
      if (!args) return ctx.out.tell(ctx.player.id, "info", "Emote what?");
      const text = `${ctx.player.name} ${Array.from(args).slice(0, 300).join("")}`;
      ctx.out.room(ctx.player.roomId, "emote", text, [], { from: ctx.player.name });
    },
  });
  registry.register({
    name: "who",
    usage: "who",
    help: "List the players online in this zone, wherever they stand in it.",
    run(ctx) {
      const names = Object.values(ctx.world.players)
        .filter((p) => p.online)
        .map((p) => ({ name: p.name, level: p.level, class: p.classId }));
      const lines = names.map((p) => `  ${p.name}, level ${p.level} ${p.class}`);
      ctx.out.tell(
        ctx.player.id,
        "players",
        [`Players in ${ctx.content.zone.name} (${names.length}):`, ...lines].join("\n"),
        {
          players: names,
          zone: { id: ctx.content.zone.id, name: ctx.content.zone.name },
        },
      );
    },
  });
  registry.register({
    name: "help",
    aliases: ["?"],
    usage: "help [command]",
    help: "List the commands, or explain one.",
    run(ctx, args) {
      if (args) {
        const found = registry.find(args.split(" ")[0] as string);
        if (!found)
          return ctx.out.tell(ctx.player.id, "help", `There is no command "${args}". Type help for the list.`);
        const aliases = found.aliases?.length ? ` (also: ${found.aliases.join(", ")})` : "";
        return ctx.out.tell(ctx.player.id, "help", `${found.usage}${aliases}\n${sentence(found.help)}`, {
          command: found.name,
        });
      }
      const names = registry.list().map((c) => c.name);
      ctx.out.tell(ctx.player.id, "help", `Commands: ${names.join(", ")}.\nType help <command> for more.`, {
        commands: names,
      });
    },
  });
}
