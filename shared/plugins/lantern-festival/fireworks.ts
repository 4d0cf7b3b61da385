/**
 * `fireworks`: a trigger action (docs/content.md, "Triggers") that bursts fireworks over a room.
 * Everyone there sees them; with `festive`, the onlookers also catch the festive effect. The colour
 * is the content's, or follows the tick (never the RNG, so an idle zone's skipped ticks and
 * stepped ones agree without it drawing).
 */
import { z } from "zod";
import { onlinePlayersIn } from "../../mud/actors";
import { applyEffect } from "../../mud/effects";
import type { ActionDef } from "../../mud/triggers";
import type { EffectTemplate } from "../../mud/types";
import { FESTIVAL_SOURCE } from "./festive";

export const COLOURS = ["gold", "crimson", "azure", "emerald"] as const;

const fields = {
  colour: z.enum(COLOURS).optional(),
  /** The onlookers catch the festive effect. */
  festive: z.boolean().default(false),
  /** The room it bursts over; the event's room when absent. */
  room: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, "a room id")
    .optional(),
};

/** The action, given the festive template it may apply (looked up through the realm's effects). */
export function fireworksAction(festive: EffectTemplate): ActionDef<typeof fields> {
  return {
    type: "fireworks",
    summary: "fireworks burst over the room; with festive, everyone there catches the festive effect",
    fields,
    // Only onlookers matter: with nobody online it changes nothing.
    whileEmpty: false,
    usesRoom: true,
    run(run, args) {
      const roomId = args.room ?? run.here;
      if (!roomId || !run.content.rooms[roomId]) return;
      const colour = args.colour ?? (COLOURS[run.tick % COLOURS.length] as string);
      run.out.room(roomId, "info", `Fireworks burst overhead, raining ${colour} stars over the lanterns!`);
      if (!args.festive) return;
      for (const player of onlinePlayersIn(run.world, roomId)) {
        player.effects = applyEffect(player.effects, festive, FESTIVAL_SOURCE, run.tick).effects;
        run.out.tell(player.id, "effect_start", `${festive.name} takes hold.`, {
          name: festive.name,
          kind: festive.kind,
        });
      }
    },
  };
}
