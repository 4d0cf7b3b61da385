/**
 * `skittish`: an NPC that bolts when badly hurt. Below a third of its health, in a fight, it flees
 * through one open exit drawn from the tick's RNG and forgets its attacker; otherwise it acts as
 * any NPC. A skittish creature with nowhere to run stands and fights.
 */
import { npcName, npcStats, npcTemplate, sentence } from "../../mud/actors";
import type { NpcBehaviour } from "../../mud/behaviours";
import { openExits } from "../../mud/world";

export const SKITTISH: NpcBehaviour = {
  name: "skittish",
  act(ctx, npc) {
    if (!npc.targetId) return false;
    const maxHp = npcStats(npcTemplate(ctx.content, npc), npc).maxHp;
    if (npc.hp * 3 >= maxHp) return false;
    const open = openExits(ctx.content.rooms[npc.roomId], ctx.world.zoneId);
    if (!open.length) return false;
    const [exit, to] = open[ctx.rng.int(0, open.length - 1)] as [string, string];
    const name = sentence(npcName(ctx.content, npc));
    ctx.out.room(npc.roomId, "depart", `${name} panics and flees ${exit}!`);
    npc.roomId = to;
    npc.targetId = null;
    ctx.out.room(to, "arrive", `${name} scurries in, wide-eyed.`);
    return true;
  },
};
