/**
 * `look <thing>` and `examine <thing>`: the description of an item in the room, carried or worn,
 * of a creature in the room, or of a player in the room. Targets resolve as every command's do
 * (target.ts): "2.sword" is the second sword, counting what lies in the room, then the creatures,
 * the players, what you carry and what you wear, in that order. The answer is an `examine` event
 * whose payload says what kind of thing it is (docs/protocol.md, `event`).
 */
import { itemCandidates, itemName, npcCandidates, npcStats, npcTemplate, onlinePlayersIn, sentence } from "./actors";
import type { CommandContext } from "./commands/registry";
import { equipmentOf, inventoryOf, itemsInRoom } from "./items";
import { resolveOne } from "./target";
import type { ItemInstance, Modifier, Slot } from "./types";
import type { MudNpc, MudPlayer, MudWorld, ZoneContent } from "./world";

type Where = "room" | "carried" | "worn";

type Thing =
  | { kind: "item"; item: ItemInstance; where: Where; name: string; keywords: readonly string[] }
  | { kind: "npc"; npc: MudNpc; name: string; keywords: readonly string[] }
  | { kind: "player"; player: MudPlayer; name: string; keywords?: readonly string[] };

/** What `viewer` can look at, in the order "2.sword" counts. */
function thingsInView(world: MudWorld, content: ZoneContent, viewer: MudPlayer): Thing[] {
  const items = (list: ItemInstance[], where: Where): Thing[] =>
    itemCandidates(content, list).map((c) => ({ kind: "item", where, ...c }));
  return [
    ...items(itemsInRoom(world.items, viewer.roomId), "room"),
    ...npcCandidates(world, content, viewer.roomId).map((c): Thing => ({ kind: "npc", ...c })),
    ...onlinePlayersIn(world, viewer.roomId).map((player): Thing => ({ kind: "player", player, name: player.name })),
    ...items(inventoryOf(world.items, viewer.id), "carried"),
    ...items(equipmentOf(world.items, viewer.id), "worn"),
  ];
}

/** Looks at what `args` names and tells the player; "at" before the name is allowed ("look at bob"). */
export function examine(ctx: CommandContext, args: string) {
  const wanted = args.replace(/^at(\s+|$)/i, "");
  if (!wanted) return ctx.out.tell(ctx.player.id, "info", "Look at what?");
  // "me" and "self" mean oneself, whole words only (so "m" still counts the mug and the draught).
  const found = /^(me|self|myself)$/i.test(wanted)
    ? { ok: true as const, value: { kind: "player" as const, player: ctx.player, name: ctx.player.name } }
    : resolveOne(wanted, thingsInView(ctx.world, ctx.content, ctx.player));
  if (!found.ok) {
    const message = found.error.code === "not_found" ? "You don't see that here." : found.error.message;
    return ctx.out.tell(ctx.player.id, "info", message);
  }
  const thing = found.value;
  const view =
    thing.kind === "item"
      ? describeItem(ctx.content, thing.item, thing.where)
      : thing.kind === "npc"
        ? describeNpc(ctx.content, thing.npc)
        : describePlayer(ctx.world, ctx.content, thing.player, ctx.player.id);
  ctx.out.tell(ctx.player.id, "examine", view.text, view.payload);
  if (thing.kind === "player" && thing.player.id !== ctx.player.id) {
    ctx.out.tell(thing.player.id, "emote", `${ctx.player.name} looks at you.`, { from: ctx.player.name });
  }
}

const STAT_WORDS: Record<Modifier["stat"], string> = {
  str: "strength",
  dex: "dexterity",
  int: "intelligence",
  vit: "vitality",
  maxHp: "health",
  maxMp: "mana",
  attack: "attack",
  defense: "defense",
};

const signed = (n: number) => (n >= 0 ? `+${n}` : `${n}`);

/** "+2 strength, +10% defense". */
function modifierText(modifiers: readonly Modifier[]): string {
  return modifiers
    .flatMap((m) => [
      ...(m.flat ? [`${signed(m.flat)} ${STAT_WORDS[m.stat]}`] : []),
      ...(m.percent ? [`${signed(m.percent)}% ${STAT_WORDS[m.stat]}`] : []),
    ])
    .join(", ");
}

const SLOT_PHRASE: Record<Slot, string> = {
  weapon: "wielded as a weapon",
  offhand: "held in the off hand",
  head: "worn on the head",
  body: "worn on the body",
  hands: "worn on the hands",
  legs: "worn on the legs",
  feet: "worn on the feet",
  neck: "worn around the neck",
  ring: "worn on a finger",
};

export function describeItem(content: ZoneContent, item: ItemInstance, where: Where) {
  const template = content.items[item.templateId];
  const name = itemName(content, item);
  const description = template?.description ?? "There is nothing remarkable about it.";
  const lines = [sentence(name), description];
  const facts: string[] = [];
  if (template?.slot) facts.push(`It is ${SLOT_PHRASE[template.slot]}`);
  if (template?.damage) facts.push(`it deals ${template.damage.min}–${template.damage.max} damage`);
  const bonus = modifierText(template?.modifiers ?? []);
  if (bonus) facts.push(`it gives ${bonus}`);
  if (facts.length) lines.push(`${sentence(facts.join("; "))}.`);
  if (where === "worn") lines.push("You are using it.");
  if (where === "carried") lines.push("You carry it.");
  return {
    text: lines.join("\n"),
    payload: {
      kind: "item",
      id: item.id,
      name,
      description,
      where,
      ...(template ? { itemType: template.type } : {}),
      ...(template?.slot ? { slot: template.slot } : {}),
      ...(template?.damage ? { damage: template.damage } : {}),
      ...(template?.modifiers.length ? { modifiers: template.modifiers } : {}),
    },
  };
}

/** How hurt a creature looks, from its share of full health. */
export function conditionOf(hp: number, maxHp: number): string {
  const share = maxHp > 0 ? hp / maxHp : 0;
  if (share >= 1) return "is in perfect health";
  if (share >= 0.75) return "has a few scratches";
  if (share >= 0.5) return "is wounded";
  if (share >= 0.25) return "is badly wounded";
  return "is close to death";
}

export function describeNpc(content: ZoneContent, npc: MudNpc) {
  const template = npcTemplate(content, npc);
  const maxHp = npcStats(template, npc).maxHp;
  const condition = conditionOf(npc.hp, maxHp);
  return {
    text: [sentence(template.name), template.description, `${sentence(template.name)} ${condition}.`].join("\n"),
    payload: {
      kind: "npc",
      id: npc.id,
      name: template.name,
      description: template.description,
      level: template.level,
      hp: npc.hp,
      maxHp,
      condition,
    },
  };
}

/** "a, b and c". */
export function listed(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/**
 * A player as others see one: class, level and what it wields and wears (players have no written
 * description). Looking at oneself reads in the second person.
 */
export function describePlayer(world: MudWorld, content: ZoneContent, player: MudPlayer, viewerId: string) {
  const self = player.id === viewerId;
  const worn = equipmentOf(world.items, player.id).map((item) => ({
    slot: (item.location as { slot: Slot }).slot,
    name: itemName(content, item),
    itemId: item.id,
  }));
  const wielded = worn.filter((w) => w.slot === "weapon" || w.slot === "offhand").map((w) => w.name);
  const clothes = worn.filter((w) => w.slot !== "weapon" && w.slot !== "offhand").map((w) => w.name);
  const [subject, be, wield, wear] = self ? ["You", "are", "wield", "wear"] : [player.name, "is", "wields", "wears"];
  const description = `${self ? `You are ${player.name}, a` : `${player.name} is a`} level ${player.level} ${player.classId}.`;
  const gear = [
    ...(wielded.length ? [`${wield} ${listed(wielded)}`] : []),
    ...(clothes.length ? [`${wear} ${listed(clothes)}`] : []),
  ];
  const lines = [
    description,
    gear.length ? `${subject} ${listed(gear)}.` : `${subject} ${be} empty-handed and plainly dressed.`,
  ];
  if (player.linkdead) lines.push(`${player.name} stares into nothing (linkdead).`);
  return {
    text: lines.join("\n"),
    payload: {
      kind: "player",
      id: player.id,
      name: player.name,
      description,
      class: player.classId,
      level: player.level,
      equipped: worn,
      ...(player.linkdead ? { linkdead: true } : {}),
    },
  };
}
