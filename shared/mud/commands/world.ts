/** Moving around and talking: look, examine, go (and n/s/e/w/u/d, and any exit's name), say, emote, who, help. */
import { joined, t } from "../../i18n/translate";
import { destinationOf } from "../../world/traveller";
import { describeRoom, itemText, sentence } from "../actors";
import { examine } from "../examine";
import { inventoryOf } from "../items";
import { noteObjective } from "../quests";
import { fireTriggers, isRoomVerb } from "../triggers";
import { DIRECTIONS, type RoomDef } from "../types";
import { exitStateOf, roomInZone, type ZoneContent } from "../world";
import type { CommandContext, CommandDefinition, CommandRegistry } from "./registry";
import { registerUseCommand, roomVerb, triggerContextOf } from "./use";

const SHORT: Record<string, string> = { n: "north", s: "south", e: "east", w: "west", u: "up", d: "down" };

export function move(ctx: CommandContext, exitName: string): void {
  const { player, content, out, world } = ctx;
  const room = content.rooms[player.roomId];
  const typed = exitName.toLowerCase();
  const wanted = Object.hasOwn(SHORT, typed) ? (SHORT[typed] as string) : typed;
  // An empty word is a prefix of every exit name: without this check `go` alone took the first exit.
  const exit = room && wanted && Object.keys(room.exits).find((name) => name === wanted || name.startsWith(wanted));
  if (!room || !exit) {
    out.tell(player.id, "info", wanted ? t("move.cannot", { exit: wanted }) : t("move.where"));
    return;
  }
  const state = exitStateOf(world, room, exit);
  if (state === "closed") {
    out.tell(player.id, "info", t("move.closed", { exit }));
    return;
  }
  if (state === "locked") {
    const key = inventoryOf(world.items, player.id).find((item) => {
      const opens = content.items[item.templateId]?.opens;
      return opens?.room === room.id && opens.direction === exit;
    });
    if (!key) {
      out.tell(player.id, "info", t("move.locked", { exit }));
      return;
    }
    out.tell(player.id, "info", t("move.unlock", { exit, item: itemText(content, key) }));
  }
  const target = room.exits[exit] as string;
  const to = roomInZone(world.zoneId, target);
  if (!to) {
    // Out of this zone: the others see the player go, and the zone hands it over after the tick.
    out.room(player.roomId, "depart", t("move.leaves", { name: player.name, exit }), [player.id], {
      name: player.name,
      exit,
    });
    out.tell(player.id, "info", t("move.travel", { exit }), { travel: exit });
    player.targetId = null;
    player.resting = false;
    // An instanced exit leads into the party's own copy of the zone (docs/content.md, "Instanced exits").
    const instance = room.instanced?.includes(exit) ? { instance: "party" as const } : {};
    // This room's `exit` triggers fire before the hand-off; arriving in the next zone fires no `enter`.
    fireTriggers(triggerContextOf(ctx), { event: "exit", player, room: room.id, exit });
    ctx.depart({ ...destinationOf(target, world.zoneId), ...instance });
    return;
  }
  out.room(player.roomId, "depart", t("move.leaves", { name: player.name, exit }), [player.id], {
    name: player.name,
    exit,
  });
  player.roomId = to;
  player.targetId = null;
  player.resting = false;
  out.room(to, "arrive", t("room.arrive", { name: player.name }), [player.id], { name: player.name });
  const look = describeRoom(world, content, to, player.id);
  out.tell(player.id, "room", look.text, look.payload);
  noteObjective(ctx, player, { kind: "reach", room: to });
  // After the player sees where it arrived: the room it left answers first, then the one it entered
  // (unless a trigger of the first sent it elsewhere). docs/content.md, "Triggers".
  const triggers = triggerContextOf(ctx);
  fireTriggers(triggers, { event: "exit", player, room: room.id, exit });
  if (player.roomId === to) fireTriggers(triggers, { event: "enter", player, room: to });
}

/**
 * The command a typed word means in `room`: a command's exact name or alias first, then an exit
 * of the room by its exact name (so `portal` or `trail` walks through that exit), then a room verb
 * of a trigger there (`pull`, when `content` is given: exact words only), then a prefix only one
 * command starts with, then a prefix only one of the room's exits starts with. An exit never
 * shadows a command word, a room verb never shadows either, and shortening a command still works
 * where an exit could match (docs/content.md, "Triggers", has the same order for authors).
 */
export function findCommand(
  registry: CommandRegistry,
  word: string,
  room: RoomDef | undefined,
  content?: ZoneContent,
): CommandDefinition | undefined {
  const exact = registry.exact(word);
  if (exact) return exact;
  const lower = word.toLowerCase();
  const exits = Object.keys(room?.exits ?? {});
  const named = exits.find((exit) => exit === lower);
  if (named) return throughExit(named);
  if (content && room && isRoomVerb(content, room.id, lower)) return roomVerb(lower);
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
      if (!args) return ctx.out.tell(ctx.player.id, "info", t("say.what"));
      // In code points, as the protocol counts (docs/protocol.md, Frames): never half a character.
      const text = Array.from(args).slice(0, 500).join("");
      ctx.out.tell(ctx.player.id, "say", t("say.self", { text }), { from: ctx.player.name, text });
      ctx.out.room(ctx.player.roomId, "say", t("say.room", { actor: ctx.player.name, text }), [ctx.player.id], {
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
      if (!args) return ctx.out.tell(ctx.player.id, "info", t("emote.what"));
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
      const lines = names.map((p) => t("who.line", { name: p.name, level: p.level, class: p.class }));
      ctx.out.tell(
        ctx.player.id,
        "players",
        joined([t("who.title", { zone: ctx.content.zone.name, count: names.length }), ...lines], "\n"),
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
        const named = registry.find(args.split(" ")[0] as string);
        // A GM command is no command at all to a player who may not run it.
        const found = named?.gm && !ctx.gm ? undefined : named;
        if (!found) return ctx.out.tell(ctx.player.id, "help", t("help.none", { command: args }));
        const aliases = found.aliases?.length ? t("help.aliases", { aliases: found.aliases.join(", ") }) : "";
        // The usage and the help line are the command's own (registry data, English).
        return ctx.out.tell(ctx.player.id, "help", joined([found.usage, aliases, "\n", sentence(found.help)], ""), {
          command: found.name,
        });
      }
      const names = registry.visibleTo(ctx.gm).map((c) => c.name);
      ctx.out.tell(ctx.player.id, "help", t("help.list", { commands: names.join(", ") }), {
        commands: names,
      });
    },
  });
  registerUseCommand(registry);
}
