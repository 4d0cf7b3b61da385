/** Objects: inventory, get, drop, give, equip (wield, wear) and remove. */
import { joined, listOf, type Message, type Param, t } from "../../i18n/translate";
import { itemCandidates, itemName, itemText, onlinePlayersIn, sentence } from "../actors";
import { applyEffect } from "../effects";
import { drop, equip, equipmentOf, give, type ItemResult, inventoryOf, itemsInRoom, pickUp, unequip } from "../items";
import { noteObjective } from "../quests";
import { resolveOne, resolveTarget } from "../target";
import type { CommandContext, CommandRegistry } from "./registry";

/** Applies an item operation: on success the world's items change and the tick becomes critical. */
function commit(ctx: CommandContext, result: ItemResult): boolean {
  if (!result.ok) {
    ctx.out.tell(ctx.player.id, "info", result.error.message);
    return false;
  }
  ctx.world.items = result.value.items;
  ctx.markCritical();
  return true;
}

/** The carried item `args` names, or undefined after telling the player why not. */
function carriedItem(ctx: CommandContext, args: string, question: Message) {
  if (!args) {
    ctx.out.tell(ctx.player.id, "info", question);
    return undefined;
  }
  const found = resolveOne(args, itemCandidates(ctx.content, inventoryOf(ctx.world.items, ctx.player.id)));
  if (!found.ok) ctx.out.tell(ctx.player.id, "info", t("item.notCarrying"));
  return found.ok ? found.value.item : undefined;
}

/** "3 × cup of water": the name without its article, counted (English names only lose theirs). */
const stackName = (name: Param, english: string, count: number): Param =>
  count === 1 ? name : t("item.stack", { count, name: english.replace(/^(a|an|the|some)\s+/i, "") });

/**
 * What the player carries and wears. The text stacks identical items ("3 × cup of water"); the
 * payload still lists every carried item (`carried`, and `items` with their ids) and adds the
 * stacks with their counts.
 */
export function inventoryText(ctx: Pick<CommandContext, "world" | "content" | "player">) {
  const held = inventoryOf(ctx.world.items, ctx.player.id);
  const carried = held.map((i) => itemName(ctx.content, i));
  const stacks = new Map<string, { name: string; count: number }>();
  const texts = new Map<string, Param>();
  for (const [index, item] of held.entries()) {
    const stack = stacks.get(item.templateId) ?? { name: carried[index] as string, count: 0 };
    stack.count += 1;
    stacks.set(item.templateId, stack);
    texts.set(item.templateId, itemText(ctx.content, item));
  }
  const worn = equipmentOf(ctx.world.items, ctx.player.id).map((i) => {
    const location = i.location as { slot: string };
    return { slot: location.slot, name: itemName(ctx.content, i), itemId: i.id, text: itemText(ctx.content, i) };
  });
  const shown = [...stacks].map(([id, s]) => stackName(texts.get(id) as Param, s.name, s.count));
  const lines: Param[] = [shown.length ? t("item.carry", { items: joined(shown, ", ") }) : t("item.carryNothing")];
  if (worn.length) {
    const used = worn.map((w) => t("item.worn", { name: w.text, slot: w.slot }));
    lines.push(t("item.use", { items: joined(used, ", ") }));
  }
  return {
    text: joined(lines, "\n"),
    payload: {
      carried,
      items: held.map((item, index) => ({ id: item.id, name: carried[index] as string })),
      stacks: [...stacks.values()],
      equipped: worn.map(({ text: _text, ...w }) => w),
    },
  };
}

export function registerItemCommands(registry: CommandRegistry): void {
  registry.register({
    name: "inventory",
    aliases: ["i", "inv"],
    usage: "inventory",
    help: "List what you carry and what you wear or wield.",
    run(ctx) {
      const view = inventoryText(ctx);
      ctx.out.tell(ctx.player.id, "inventory", view.text, view.payload);
    },
  });
  registry.register({
    name: "get",
    aliases: ["take", "pick"],
    usage: "get <item> | get all[.<item>]",
    help: "Pick up an item from the room. `2.sword` means the second sword; `all.coin` every coin.",
    run(ctx, args) {
      if (!args) return ctx.out.tell(ctx.player.id, "info", t("item.get.what"));
      const here = itemCandidates(ctx.content, itemsInRoom(ctx.world.items, ctx.player.roomId));
      // `all` alone means everything here (target.ts); "all." is the parser's empty query.
      const found = resolveTarget(args, here);
      if (!found.ok) return ctx.out.tell(ctx.player.id, "info", found.error.message);
      for (const { item } of found.value.matches) {
        const result = pickUp(ctx.world.items, ctx.content.items, item.id, ctx.player.id, ctx.player.roomId);
        if (!commit(ctx, result)) continue;
        const name = itemName(ctx.content, item);
        const text = itemText(ctx.content, item);
        ctx.out.tell(ctx.player.id, "item", t("item.get.self", { item: text }), {
          action: "get",
          item: name,
          itemId: item.id,
        });
        ctx.out.room(
          ctx.player.roomId,
          "item",
          t("item.get.room", { actor: ctx.player.name, item: text }),
          [ctx.player.id],
          {
            action: "get",
            item: name,
            actor: ctx.player.name,
          },
        );
        noteObjective(ctx, ctx.player, { kind: "collect", item: item.templateId });
      }
    },
  });
  registry.register({
    name: "drop",
    usage: "drop <item>",
    help: "Put down something you carry.",
    run(ctx, args) {
      if (!args) return ctx.out.tell(ctx.player.id, "info", t("item.drop.what"));
      const carried = itemCandidates(ctx.content, inventoryOf(ctx.world.items, ctx.player.id));
      const found = resolveTarget(args, carried);
      if (!found.ok) return ctx.out.tell(ctx.player.id, "info", t("item.notCarrying"));
      for (const { item } of found.value.matches) {
        if (!commit(ctx, drop(ctx.world.items, ctx.content.items, item.id, ctx.player.id, ctx.player.roomId))) continue;
        const name = itemName(ctx.content, item);
        const text = itemText(ctx.content, item);
        ctx.out.tell(ctx.player.id, "item", t("item.drop.self", { item: text }), {
          action: "drop",
          item: name,
          itemId: item.id,
        });
        ctx.out.room(
          ctx.player.roomId,
          "item",
          t("item.drop.room", { actor: ctx.player.name, item: text }),
          [ctx.player.id],
          {
            action: "drop",
            item: name,
            actor: ctx.player.name,
          },
        );
      }
    },
  });
  registry.register({
    name: "give",
    usage: "give <item> <player>",
    help: "Hand something you carry to a player in the same room.",
    run(ctx, args) {
      const words = args.split(" ").filter(Boolean);
      if (words.length < 2) return ctx.out.tell(ctx.player.id, "info", t("item.give.usage"));
      const who = words.pop() as string;
      // The item first: without it there is nothing to give, whoever the recipient would be.
      const carried = resolveOne(
        words.join(" "),
        itemCandidates(ctx.content, inventoryOf(ctx.world.items, ctx.player.id)),
      );
      if (!carried.ok) {
        const many = carried.error.code === "not_one";
        return ctx.out.tell(ctx.player.id, "info", many ? carried.error.message : t("item.dontHave"));
      }
      const item = carried.value.item;
      const recipients = onlinePlayersIn(ctx.world, ctx.player.roomId).filter((p) => p.id !== ctx.player.id);
      const recipient = resolveOne(who, recipients);
      if (!recipient.ok) {
        const self = resolveOne(who, [ctx.player]).ok;
        return ctx.out.tell(
          ctx.player.id,
          "info",
          self ? t("item.give.yourself") : t("item.give.notHere", { name: sentence(who) }),
        );
      }
      const to = recipient.value;
      if (!commit(ctx, give(ctx.world.items, ctx.content.items, item.id, ctx.player.id, to.id))) return;
      const name = itemName(ctx.content, item);
      const text = itemText(ctx.content, item);
      ctx.out.tell(ctx.player.id, "item", t("item.give.self", { item: text, to: to.name }), {
        action: "give",
        item: name,
        to: to.name,
      });
      ctx.out.tell(to.id, "item", t("item.give.receiver", { actor: ctx.player.name, item: text }), {
        action: "receive",
        item: name,
        from: ctx.player.name,
        itemId: item.id,
      });
      ctx.out.room(
        ctx.player.roomId,
        "item",
        t("item.give.room", { actor: ctx.player.name, item: text, to: to.name }),
        [ctx.player.id, to.id],
      );
      noteObjective(ctx, to, { kind: "collect", item: item.templateId });
    },
  });
  registry.register({
    name: "equip",
    aliases: ["wield", "wear"],
    usage: "equip <item>",
    help: "Wield a weapon or wear armour you carry; whatever was in that slot goes back to your pack.",
    run(ctx, args) {
      const item = carriedItem(ctx, args, t("item.equip.what"));
      if (!item) return;
      const result = equip(ctx.world.items, ctx.content.items, item.id, ctx.player.id);
      if (!commit(ctx, result)) return;
      const name = itemName(ctx.content, item);
      const text = itemText(ctx.content, item);
      // Whatever held that slot went back to the pack: say so, or it seems to vanish.
      const displaced = result.ok
        ? result.value.events.filter((e) => e.action === "unequip").map((e) => ctx.world.items[e.itemId])
        : [];
      const removed = displaced.flatMap((i) => (i ? [{ name: itemName(ctx.content, i), itemId: i.id }] : []));
      const removedText = listOf(displaced.flatMap((i) => (i ? [itemText(ctx.content, i)] : [])));
      const self = removed.length
        ? t("item.equip.selfSwap", { removed: removedText, item: text })
        : t("item.equip.self", { item: text });
      ctx.out.tell(ctx.player.id, "item", self, {
        action: "equip",
        item: name,
        itemId: item.id,
        ...(removed.length ? { removed } : {}),
      });
      const actor = ctx.player.name;
      const others = removed.length
        ? t("item.equip.roomSwap", { actor, removed: removedText, item: text })
        : t("item.equip.room", { actor, item: text });
      ctx.out.room(ctx.player.roomId, "item", others, [ctx.player.id]);
    },
  });
  registry.register({
    name: "drink",
    aliases: ["quaff"],
    usage: "drink <potion>",
    help: "Drink a potion you carry; its effect starts at once.",
    run(ctx, args) {
      const item = carriedItem(ctx, args, t("item.drink.what"));
      if (!item) return;
      const effect = ctx.content.items[item.templateId]?.use?.effect;
      const text = itemText(ctx.content, item);
      if (!effect) return ctx.out.tell(ctx.player.id, "info", t("item.drink.cannot", { item: text }));
      // Drinking uses the potion up: the one deliberate way an item leaves the world.
      const { [item.id]: _gone, ...rest } = ctx.world.items;
      ctx.world.items = rest;
      ctx.markCritical();
      ctx.player.effects = applyEffect(ctx.player.effects, effect, item.templateId, ctx.tick).effects;
      ctx.out.tell(ctx.player.id, "effect_start", t("item.drink.self", { item: text, effect: effect.name }), {
        name: effect.name,
        kind: effect.kind,
        duration_ticks: effect.duration_ticks,
      });
      ctx.out.room(ctx.player.roomId, "item", t("item.drink.room", { actor: ctx.player.name, item: text }), [
        ctx.player.id,
      ]);
    },
  });
  registry.register({
    name: "remove",
    aliases: ["unequip", "unwield"],
    usage: "remove <item>",
    help: "Take off or put away something you wear or wield.",
    run(ctx, args) {
      if (!args) return ctx.out.tell(ctx.player.id, "info", t("item.remove.what"));
      const worn = itemCandidates(ctx.content, equipmentOf(ctx.world.items, ctx.player.id));
      const found = resolveOne(args, worn);
      if (!found.ok) return ctx.out.tell(ctx.player.id, "info", t("item.notUsing"));
      const { item } = found.value;
      if (!commit(ctx, unequip(ctx.world.items, ctx.content.items, item.id, ctx.player.id))) return;
      const name = itemName(ctx.content, item);
      ctx.out.tell(ctx.player.id, "item", t("item.remove.self", { item: itemText(ctx.content, item) }), {
        action: "remove",
        item: name,
        itemId: item.id,
      });
    },
  });
}
