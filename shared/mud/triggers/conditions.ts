/**
 * The built-in trigger conditions (docs/content.md, "Triggers"). Each is pure: it reads the world
 * (and `chance` draws once from the tick's RNG) and answers yes or no. A condition about the
 * player is false when the event has none (a timer).
 */
import { z } from "zod";
import { intIn, slug } from "../../content/parts";
import { equipmentOf, inventoryOf } from "../items";
import { exitStateOf, type MudPlayer, type MudWorld } from "../world";
import { playerQuest, reputationAt } from "./quest-hooks";
import type { TriggerRegistry, TriggerRun } from "./registry";

const exitName = z.string().min(1).max(32);

/** Whether `player` carries or wears an instance of `templateId`. */
export function holds(world: MudWorld, player: MudPlayer, templateId: string): boolean {
  return [...inventoryOf(world.items, player.id), ...equipmentOf(world.items, player.id)].some(
    (item) => item.templateId === templateId,
  );
}

/** The room a step names, or the event's room. */
export const roomOf = (run: TriggerRun, room: string | undefined): string | undefined => room ?? run.here;

export function registerConditions(registry: TriggerRegistry): void {
  registry
    .condition({
      type: "has-item",
      summary: "the player carries or wears an item of this template",
      fields: { item: slug("item template id") },
      needsPlayer: true,
      test: (run, { item }) => (run.player ? holds(run.world, run.player, item) : false),
    })
    .condition({
      type: "lacks-item",
      summary: "the player neither carries nor wears an item of this template",
      fields: { item: slug("item template id") },
      needsPlayer: true,
      test: (run, { item }) => (run.player ? !holds(run.world, run.player, item) : false),
    })
    .condition({
      type: "quest-step",
      summary: "the player is on this step (0 the first) of this quest",
      fields: { quest: slug("quest id"), step: intIn(0, 100) },
      needsPlayer: true,
      test: (run, { quest, step }) => {
        const state = run.player ? playerQuest(run.player, quest) : undefined;
        return state !== undefined && !state.done && state.step === step;
      },
    })
    .condition({
      type: "quest-done",
      summary: "the player has completed this quest",
      fields: { quest: slug("quest id") },
      needsPlayer: true,
      test: (run, { quest }) => (run.player ? playerQuest(run.player, quest)?.done === true : false),
    })
    .condition({
      type: "quest-not-started",
      summary: "the player has never started this quest",
      fields: { quest: slug("quest id") },
      needsPlayer: true,
      test: (run, { quest }) => (run.player ? playerQuest(run.player, quest) === undefined : false),
    })
    .condition({
      type: "reputation-at-least",
      summary: "the player's standing with this faction is at least `value`",
      fields: { faction: slug("faction id"), value: z.number().int() },
      needsPlayer: true,
      test: (run, { faction, value }) => (run.player ? reputationAt(run.player, faction, run.content) >= value : false),
    })
    .condition({
      type: "reputation-below",
      summary: "the player's standing with this faction is below `value`",
      fields: { faction: slug("faction id"), value: z.number().int() },
      needsPlayer: true,
      test: (run, { faction, value }) => (run.player ? reputationAt(run.player, faction, run.content) < value : false),
    })
    .condition({
      type: "level-at-least",
      summary: "the player's level is at least `level`",
      fields: { level: intIn(1, 1000) },
      needsPlayer: true,
      test: (run, { level }) => (run.player ? run.player.level >= level : false),
    })
    .condition({
      type: "exit-is",
      summary: "an exit is open, closed or locked now",
      fields: {
        room: slug("room id").optional(),
        exit: exitName,
        state: z.enum(["open", "closed", "locked"]),
      },
      usesRoom: true,
      test: (run, { room, exit, state }) => {
        const def = run.content.rooms[roomOf(run, room) ?? ""];
        return def?.exits[exit] !== undefined && exitStateOf(run.world, def, exit) === state;
      },
    })
    .condition({
      type: "npc-alive",
      summary: "a living NPC of this template is in the room (anywhere in the zone for a zone's timer)",
      fields: { npc: slug("NPC template id"), room: slug("room id").optional() },
      test: (run, { npc, room }) => {
        const where = roomOf(run, room);
        return Object.values(run.world.npcs).some(
          (n) => n.templateId === npc && n.respawnAtTick === null && (where === undefined || n.roomId === where),
        );
      },
    })
    .condition({
      type: "chance",
      summary: "true `percent` times in a hundred, drawn from the tick's seeded RNG",
      fields: { percent: intIn(1, 99) },
      draws: true,
      test: (run, { percent }) => run.rng.int(1, 100) <= percent,
    });
}
