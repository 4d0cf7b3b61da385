/**
 * The built-in trigger actions that change the world (docs/content.md, "Triggers"): NPCs, exits,
 * messages, effects, items and teleports. Pure: they change the tick's working world in place and
 * speak through its Outbox. An action about the player does nothing when the event has none (a
 * timer); an action naming a room that does not exist does nothing (validation refuses that).
 */
import { z } from "zod";
import { EffectTemplateSchema } from "../../content/effect-schema";
import { intIn, slug, text } from "../../content/parts";
import { destinationOf } from "../../world/traveller";
import { describeRoom, itemName, livingNpcsIn, npcStats, onlinePlayersIn, sentence } from "../actors";
import { applyEffect } from "../effects";
import { contentsOf, equipmentOf, holdsTemplate, inventoryOf } from "../items";
import { type ExitState, exitKey, exitStateOf, type MudPlayer, placeNpc, roomInZone, spawnItem } from "../world";
import { roomOf } from "./conditions";
import { noteForQuests } from "./quest-hooks";
import type { TriggerRegistry, TriggerRun } from "./registry";

const exitName = z.string().min(1).max(32);
const roomRef = z
  .string()
  .max(129)
  .regex(
    /^(?:[a-z0-9]+(?:-[a-z0-9]+)*:)?[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'a room: "room-id", or "zone-id:room-id" to leave the zone',
  );

/** Sets an exit's runtime state; a state equal to content's own is forgotten, so the map stays small. */
export function setExitState(run: TriggerRun, roomId: string, exit: string, state: ExitState): void {
  const room = run.content.rooms[roomId];
  if (!room || room.exits[exit] === undefined) return;
  const key = exitKey(roomId, exit);
  const { [key]: _old, ...rest } = run.world.exitState ?? {};
  const natural: ExitState = room.locked?.includes(exit) ? "locked" : "open";
  // Replaced, not edited: the previous tick's world may share the map (world.ts, copyWorld).
  run.world.exitState = state === natural ? rest : { ...rest, [key]: state };
}

/** `{player}` in a message is the event's player's name. */
const fill = (run: TriggerRun, message: string) => message.replaceAll("{player}", run.player?.name ?? "someone");

function exitAction(
  registry: TriggerRegistry,
  type: string,
  summary: string,
  next: (now: ExitState) => ExitState,
): void {
  registry.action({
    type,
    summary,
    fields: { room: slug("room id").optional(), exit: exitName },
    whileEmpty: true,
    usesRoom: true,
    run(run, { room, exit }) {
      const roomId = roomOf(run, room);
      const def = roomId ? run.content.rooms[roomId] : undefined;
      if (!roomId || !def || def.exits[exit] === undefined) return;
      setExitState(run, roomId, exit, next(exitStateOf(run.world, def, exit)));
    },
  });
}

/** Takes up to `count` instances of `templateId` the player carries (first) or wears; an item holding others stays. */
function takeFrom(run: TriggerRun, player: MudPlayer, templateId: string, count: number): number {
  const held = [...inventoryOf(run.world.items, player.id), ...equipmentOf(run.world.items, player.id)];
  let taken = 0;
  for (const item of held) {
    if (taken >= count) break;
    if (item.templateId !== templateId || contentsOf(run.world.items, item.id).length > 0) continue;
    delete run.world.items[item.id];
    taken++;
  }
  if (taken) run.markCritical?.();
  return taken;
}

/** Moves a player within the zone, as walking does but without an exit, then fires `enter` there. */
function teleportWithin(run: TriggerRun, player: MudPlayer, to: string): void {
  if (!run.content.rooms[to]) return;
  run.out.room(player.roomId, "depart", `${player.name} vanishes.`, [player.id], { name: player.name });
  player.roomId = to;
  player.targetId = null;
  player.resting = false;
  for (const npc of Object.values(run.world.npcs)) if (npc.targetId === player.id) npc.targetId = null;
  run.out.room(to, "arrive", `${player.name} appears.`, [player.id], { name: player.name });
  const look = describeRoom(run.world, run.content, to, player.id);
  run.out.tell(player.id, "room", look.text, look.payload);
  noteForQuests(run, player, { kind: "reach", room: to });
  run.chain({ event: "enter", player, room: to });
}

export function registerActions(registry: TriggerRegistry): void {
  registry.action({
    type: "spawn-npc",
    summary: "make `count` living NPCs of this template be in the room: the missing ones appear",
    fields: { npc: slug("NPC template id"), room: slug("room id").optional(), count: intIn(1, 20).default(1) },
    whileEmpty: true,
    usesRoom: true,
    run(run, { npc, room, count }) {
      const roomId = roomOf(run, room);
      const template = run.content.npcs[npc];
      if (!roomId || !run.content.rooms[roomId] || !template) return;
      const present = livingNpcsIn(run.world, roomId).filter((n) => n.templateId === npc).length;
      for (let i = present; i < count; i++) {
        placeNpc(run.world, template, roomId, npcStats(template).maxHp, { transient: true });
        run.out.room(roomId, "arrive", `${sentence(template.name)} appears.`);
      }
    },
  });
  registry.action({
    type: "despawn-npc",
    summary: "the living NPCs of this template in the room are gone (a pack's own NPCs respawn as after a death)",
    fields: { npc: slug("NPC template id"), room: slug("room id").optional() },
    whileEmpty: true,
    usesRoom: true,
    run(run, { npc, room }) {
      const roomId = roomOf(run, room);
      const template = run.content.npcs[npc];
      if (!roomId || !template) return;
      for (const gone of livingNpcsIn(run.world, roomId).filter((n) => n.templateId === npc)) {
        for (const player of Object.values(run.world.players)) {
          if (player.online && player.targetId === gone.id) player.targetId = null;
        }
        if (gone.transient) delete run.world.npcs[gone.id];
        else
          Object.assign(gone, {
            respawnAtTick: run.tick + Math.max(1, template.respawnTicks),
            targetId: null,
            effects: [],
          });
        run.out.room(roomId, "depart", `${sentence(template.name)} is gone.`);
      }
    },
  });
  exitAction(registry, "open-exit", "the exit opens: anyone may pass", () => "open");
  exitAction(registry, "close-exit", "the exit closes: nobody passes, key or not", () => "closed");
  exitAction(registry, "lock-exit", "the exit locks: only a holder of its key passes", () => "locked");
  exitAction(registry, "unlock-exit", "a locked exit opens; a closed one stays closed", (now) =>
    now === "locked" ? "open" : now,
  );
  registry.action({
    type: "message",
    summary: "text to the player, to the others in the room, or to everyone in the zone; {player} is the player's name",
    fields: {
      to: z.enum(["player", "room", "zone"]).default("player"),
      text: text("message", 500),
      room: slug("room id").optional(),
    },
    whileEmpty: false,
    usesRoom: (step) => step.to === "room",
    run(run, { to, text: message, room }) {
      const line = fill(run, message);
      if (to === "player") {
        if (run.player) run.out.tell(run.player.id, "info", line);
      } else if (to === "zone") run.out.items.push({ audience: { zone: true }, event: { type: "info", text: line } });
      else {
        const roomId = roomOf(run, room);
        if (roomId) run.out.room(roomId, "info", line, run.player ? [run.player.id] : []);
      }
    },
  });
  registry.action({
    type: "apply-effect",
    summary: "an effect (as a potion's) on the player, or on every player in the room",
    fields: {
      effect: EffectTemplateSchema,
      to: z.enum(["player", "room"]).default("player"),
      room: slug("room id").optional(),
    },
    whileEmpty: false,
    needsPlayer: false,
    usesRoom: (step) => step.to === "room",
    run(run, { effect, to, room }) {
      const roomId = roomOf(run, room);
      const targets =
        to === "player" ? (run.player ? [run.player] : []) : roomId ? onlinePlayersIn(run.world, roomId) : [];
      for (const player of targets) {
        player.effects = applyEffect(player.effects, effect, `trigger:${run.trigger.id}`, run.tick).effects;
        run.out.tell(player.id, "effect_start", `${effect.name} takes hold.`, { name: effect.name, kind: effect.kind });
      }
    },
  });
  registry.action({
    type: "give-item",
    summary: "new items of this template into the player's pack (a unique item only if it has none)",
    fields: { item: slug("item template id"), count: intIn(1, 20).default(1) },
    whileEmpty: false,
    needsPlayer: true,
    run(run, { item, count }) {
      const player = run.player;
      const template = run.content.items[item];
      if (!player || !template) return;
      // A unique item only if it holds none, bags included.
      const wanted = template.unique ? (holdsTemplate(run.world.items, player.id, item) ? 0 : 1) : count;
      for (let i = 0; i < wanted; i++) {
        const made = spawnItem(run.world, run.content, item, player.roomId);
        run.world.items[made.id] = { ...made, location: { kind: "inventory", ownerId: player.id } };
        const name = itemName(run.content, made);
        run.out.tell(player.id, "item", `You receive ${name}.`, { action: "get", item: name, itemId: made.id });
      }
      if (wanted) {
        run.markCritical?.();
        noteForQuests(run, player, { kind: "collect", item });
      }
    },
  });
  registry.action({
    type: "take-item",
    summary: "up to `count` items of this template are taken from the player (carried first, then worn)",
    fields: { item: slug("item template id"), count: intIn(1, 20).default(1) },
    whileEmpty: false,
    needsPlayer: true,
    run(run, { item, count }) {
      if (!run.player) return;
      const taken = takeFrom(run, run.player, item, count);
      const name = run.content.items[item]?.name ?? item;
      if (taken)
        run.out.tell(run.player.id, "item", `${sentence(name)} is taken from you.`, {
          action: "take",
          item: name,
          count: taken,
        });
    },
  });
  registry.action({
    type: "teleport",
    summary: 'the player is moved to a room of this zone, or ("zone-id:room-id") handed over to another zone',
    fields: { to: roomRef },
    whileEmpty: false,
    needsPlayer: true,
    run(run, { to }) {
      const player = run.player;
      if (!player) return;
      const inZone = roomInZone(run.world.zoneId, to);
      if (inZone) return teleportWithin(run, player, inZone);
      if (!run.depart) return;
      run.out.room(player.roomId, "depart", `${player.name} vanishes.`, [player.id], { name: player.name });
      player.targetId = null;
      player.resting = false;
      run.depart(destinationOf(to, run.world.zoneId), player.id);
    },
  });
}
