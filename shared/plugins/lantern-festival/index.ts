/**
 * The Lantern Festival, the realm's example plugin (docs/plugins.md): a `dance` command that grants
 * the festive effect, the `skittish` NPC behaviour, and the `fireworks` trigger action.
 */
import { definePlugin } from "../api";
import { danceCommand } from "./dance";
import { FESTIVE, FESTIVE_TEMPLATE } from "./festive";
import { fireworksAction } from "./fireworks";
import { SKITTISH } from "./skittish";

export default definePlugin({
  name: "lantern-festival",
  version: "1.0.0",
  setup(realm) {
    realm.effects.register(FESTIVE, FESTIVE_TEMPLATE);
    // Through the registry rather than the constant: the template as the realm checked it.
    const festive = realm.effects.get(FESTIVE);
    if (festive) {
      realm.commands.register(danceCommand(festive));
      realm.triggers.action(fireworksAction(festive));
    }
    realm.npcBehaviours.register(SKITTISH);
  },
});
