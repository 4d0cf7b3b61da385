/**
 * `look <thing>` and `examine <thing>`: the description of an item in the room, carried or worn,
 * of a creature in the room, or of a player in the room. Targets resolve as every command's do
 * (target.ts): "2.sword" is the second sword, counting what lies in the room, then the creatures,
 * the players, what you carry and what you wear, in that order. The answer is an `examine` event
 * whose payload says what kind of thing it is (docs/protocol.md, `event`).
 */
import type { MessageKey } from "../i18n/catalogue";
import { capital, contentText, english, joined, listOf, type Message, type Param, t } from "../i18n/translate";
import {
  itemCandidates,
  itemName,
  itemText,
  npcCandidates,
  npcStats,
  npcTemplate,
  npcText,
  onlinePlayersIn,
} from "./actors";
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
  if (!wanted) return ctx.out.tell(ctx.player.id, "info", t("examine.what"));
  // "me" and "self" mean oneself, whole words only (so "m" still counts the mug and the draught).
  const found = /^(me|self|myself)$/i.test(wanted)
    ? { ok: true as const, value: { kind: "player" as const, player: ctx.player, name: ctx.player.name } }
    : resolveOne(wanted, thingsInView(ctx.world, ctx.content, ctx.player));
  if (!found.ok) {
    const message = found.error.code === "not_found" ? t("examine.notHere") : found.error.message;
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
    ctx.out.tell(thing.player.id, "emote", t("examine.looksAtYou", { actor: ctx.player.name }), {
      from: ctx.player.name,
    });
  }
}

const STAT_WORDS = {
  str: "examine.stat.str",
  dex: "examine.stat.dex",
  int: "examine.stat.int",
  vit: "examine.stat.vit",
  maxHp: "examine.stat.maxHp",
  maxMp: "examine.stat.maxMp",
  attack: "examine.stat.attack",
  defense: "examine.stat.defense",
} as const satisfies Record<Modifier["stat"], MessageKey>;

const signed = (n: number) => (n >= 0 ? `+${n}` : `${n}`);

/** "+2 strength, +10% defense". */
function modifierText(modifiers: readonly Modifier[]): Param[] {
  return modifiers.flatMap((m) => {
    const stat = t(STAT_WORDS[m.stat]);
    return [
      ...(m.flat ? [t("examine.bonus.flat", { amount: signed(m.flat), stat })] : []),
      ...(m.percent ? [t("examine.bonus.percent", { amount: signed(m.percent), stat })] : []),
    ];
  });
}

const SLOT_PHRASE = {
  weapon: "examine.slot.weapon",
  offhand: "examine.slot.offhand",
  head: "examine.slot.head",
  body: "examine.slot.body",
  hands: "examine.slot.hands",
  legs: "examine.slot.legs",
  feet: "examine.slot.feet",
  neck: "examine.slot.neck",
  ring: "examine.slot.ring",
} as const satisfies Record<Slot, MessageKey>;

export function describeItem(content: ZoneContent, item: ItemInstance, where: Where) {
  const template = content.items[item.templateId];
  const name = itemName(content, item);
  const description = template?.description ?? english(t("examine.plain"));
  const lines: Param[] = [
    capital(itemText(content, item)),
    template ? contentText("items", template.id, "description", template.description) : t("examine.plain"),
  ];
  const facts: Param[] = [];
  if (template?.slot) facts.push(t("examine.slot", { slot: t(SLOT_PHRASE[template.slot]) }));
  if (template?.damage) facts.push(t("examine.damage", { min: template.damage.min, max: template.damage.max }));
  const bonus = modifierText(template?.modifiers ?? []);
  if (bonus.length) facts.push(t("examine.gives", { bonus: joined(bonus, ", ") }));
  if (facts.length) lines.push(t("examine.facts", { facts: capital(joined(facts, "; ")) }));
  if (where === "worn") lines.push(t("examine.using"));
  if (where === "carried") lines.push(t("examine.carrying"));
  return {
    text: joined(lines, "\n"),
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

/** How hurt a creature looks, from its share of full health, as a catalogue message. */
function conditionText(hp: number, maxHp: number): Message {
  const share = maxHp > 0 ? hp / maxHp : 0;
  if (share >= 1) return t("examine.condition.perfect");
  if (share >= 0.75) return t("examine.condition.scratches");
  if (share >= 0.5) return t("examine.condition.wounded");
  if (share >= 0.25) return t("examine.condition.badly");
  return t("examine.condition.dying");
}

/** How hurt a creature looks, from its share of full health (English, as the payload says it). */
export const conditionOf = (hp: number, maxHp: number): string => english(conditionText(hp, maxHp));

export function describeNpc(content: ZoneContent, npc: MudNpc) {
  const template = npcTemplate(content, npc);
  const maxHp = npcStats(template, npc).maxHp;
  const name = capital(npcText(content, npc));
  const condition = conditionText(npc.hp, maxHp);
  return {
    text: joined(
      [
        name,
        contentText("npcs", template.id, "description", template.description),
        t("examine.condition", { name, condition }),
      ],
      "\n",
    ),
    payload: {
      kind: "npc",
      id: npc.id,
      name: template.name,
      description: template.description,
      level: template.level,
      hp: npc.hp,
      maxHp,
      condition: english(condition),
    },
  };
}

/** "a, b and c". */
export function listed(words: readonly string[]): string {
  return english(listOf(words));
}

/**
 * A player as others see one: class, level and what it wields and wears (players have no written
 * description). Looking at oneself reads in the second person.
 */
export function describePlayer(world: MudWorld, content: ZoneContent, player: MudPlayer, viewerId: string) {
  const self = player.id === viewerId;
  const equipped = equipmentOf(world.items, player.id);
  const worn = equipped.map((item) => ({
    slot: (item.location as { slot: Slot }).slot,
    name: itemName(content, item),
    itemId: item.id,
  }));
  const held = (slot: Slot) => slot === "weapon" || slot === "offhand";
  const wielded = equipped.filter((_, i) => held(worn[i]?.slot as Slot)).map((item) => itemText(content, item));
  const clothes = equipped.filter((_, i) => !held(worn[i]?.slot as Slot)).map((item) => itemText(content, item));
  const { name, level, classId } = player;
  const description = self
    ? t("examine.player.self", { name, level, class: classId })
    : t("examine.player.other", { name, level, class: classId });
  const gear: Param[] = [
    ...(wielded.length
      ? [t(self ? "examine.player.wield.self" : "examine.player.wield.other", { items: listOf(wielded) })]
      : []),
    ...(clothes.length
      ? [t(self ? "examine.player.wear.self" : "examine.player.wear.other", { items: listOf(clothes) })]
      : []),
  ];
  const lines: Param[] = [
    description,
    gear.length
      ? self
        ? t("examine.player.gear.self", { gear: listOf(gear) })
        : t("examine.player.gear.other", { name, gear: listOf(gear) })
      : self
        ? t("examine.player.plain.self")
        : t("examine.player.plain.other", { name }),
  ];
  if (player.linkdead) lines.push(t("examine.player.linkdead", { name }));
  return {
    text: joined(lines, "\n"),
    payload: {
      kind: "player",
      id: player.id,
      name: player.name,
      description: english(description),
      class: player.classId,
      level: player.level,
      equipped: worn,
      ...(player.linkdead ? { linkdead: true } : {}),
    },
  };
}
